"""Posting tags follow the rules as they are now: a run with other role or skill rules than
the stored tags were made with (an upgrade) tags every version again, and a run with the
same rules tags only new versions (pipelines/transforms/tagger.py)."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.transforms import database, tagger
from pipelines.transforms.tagger import tag_pending_versions, version_taggers_fingerprint
from warehouse import read_sql

TEXT = "We train PyTorch models for grid forecasting and deploy them to production. " * 8


@pytest.fixture
def con(monkeypatch: pytest.MonkeyPatch) -> duckdb.DuckDBPyConnection:
    monkeypatch.setattr(database, "WORKERS", 1)  # tag in this process
    con = duckdb.connect()
    con.execute(read_sql("schema.sql"))
    con.execute(
        "insert into staging.stg_posting_versions (content_hash, posting_key, title, "
        "description_text) values ('v1', 'p1', 'Machine Learning Engineer', ?), "
        "('v2', 'p2', 'Account Executive', 'Sell our software to utilities.')",
        [TEXT],
    )
    return con


def roles(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select content_hash, role_family, role_evidence from tags.version_roles order by 1"
    ).fetchall()


def test_the_same_rules_tag_only_new_versions(con) -> None:
    assert tag_pending_versions(con) == 2
    assert con.execute("select * from tags.version_taggers").fetchall() == [
        (version_taggers_fingerprint(),)
    ]
    con.execute("update tags.version_roles set role_evidence = 'kept'")
    con.execute(
        "insert into staging.stg_posting_versions (content_hash, posting_key, title) "
        "values ('v3', 'p3', 'Data Engineer')"
    )
    assert tag_pending_versions(con) == 1
    assert [r[2] for r in roles(con)][:2] == ["kept", "kept"]


def test_other_rules_tag_every_version_again(con, monkeypatch) -> None:
    assert tag_pending_versions(con) == 2
    con.execute("update tags.version_roles set role_family = 'other', role_evidence = 'stale'")
    con.execute("insert into tags.version_skills values ('v2', 'stale skill', 'domain', 'x')")
    monkeypatch.setattr(tagger, "version_taggers_fingerprint", lambda: "other rules")

    assert tag_pending_versions(con) == 2
    assert [(h, family) for h, family, _ in roles(con)] == [
        ("v1", "ml_engineering"),
        ("v2", "other"),
    ]
    assert "stale" not in {evidence for *_, evidence in roles(con)}
    skills = con.execute("select distinct skill from tags.version_skills").fetchall()
    assert ("PyTorch",) in skills and ("stale skill",) not in skills
    assert con.execute("select * from tags.version_taggers").fetchall() == [("other rules",)]


def test_tags_from_before_the_fingerprint_are_made_again(con) -> None:
    # a warehouse from before tags.version_taggers existed: its rules are unknown
    con.execute("drop table tags.version_taggers")
    con.execute("insert into tags.version_roles values ('v1', 'other', false, 'rule', 'old')")
    assert tag_pending_versions(con) == 2
    assert roles(con)[0][:2] == ("v1", "ml_engineering")


def test_the_fingerprint_reads_the_role_and_skill_rules() -> None:
    names = {path.name for path in tagger.VERSION_TAGGER_FILES}
    assert {"role_families.yaml", "skills.yaml", "role_family.py", "skills.py"} <= names
    assert "sectors.yaml" not in names  # a sector change re-tags companies, not versions
