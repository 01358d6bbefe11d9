"""An upgrade with other cleaning or tagging rules, end to end through the CLI: the tags
are made again by the next run on their own (cheap), and the versions cleaned by the older
rules are named by a warning check until `unheard build --rebuild` cleans them again from
the raw lake (the cost of a rebuild, so the operator decides when)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb

from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.paths import DataPaths
from tests.conftest import run_unheard

POLITENESS_OFF = {"UNHEARD_DOWNLOAD_DELAY": "0", "UNHEARD_START_DELAY": "0"}
CHECK = "posting_versions_were_cleaned_by_these_rules"


def unheard(*args: str) -> subprocess.CompletedProcess:
    done = run_unheard(*args, env=POLITENESS_OFF)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def test_an_upgrade_retags_on_its_own_and_names_what_only_a_rebuild_recleans(
    board_server, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    sources = write_demo_sources(board_server, DEMO_REGISTRY, tmp_path / "sources.yaml")
    crawl = ("crawl", "--data-dir", str(data_dir), "--sources", str(sources), "--as-of")
    unheard(*crawl, "2026-11-20T06:00:00Z")
    first = unheard("build", "--data-dir", str(data_dir))
    assert CHECK not in first.stdout  # a fresh warehouse: every version cleaned by these rules

    # what an older release would have left: its fingerprints, and a role tag it got wrong
    published = DataPaths.at(data_dir).published_warehouse
    con = duckdb.connect(str(published))
    try:
        versions = con.execute("select count(*) from staging.stg_posting_versions").fetchall()[0][0]
        ml_before = con.execute("select count(*) from marts.ml_jobs").fetchall()[0][0]
        con.execute("update staging.version_cleaners set fingerprint = 'an older release'")
        con.execute("update tags.version_taggers set fingerprint = 'an older release'")
        con.execute("update tags.version_roles set role_family = 'other', is_ml_role = false")
    finally:
        con.close()
    assert ml_before > 0

    unheard(*crawl, "2026-11-21T06:00:00Z")
    upgraded = unheard("build", "--data-dir", str(data_dir))
    assert f"WARNING {CHECK}: " in upgraded.stdout
    assert "release's: `unheard build --rebuild` cleans" in upgraded.stdout
    con = duckdb.connect(str(published), read_only=True)
    try:
        # the tags were made again, with these rules: the ML roles are back
        assert con.execute("select count(*) from marts.ml_jobs").fetchall()[0][0] == ml_before
        warning = con.execute(
            "select success, unexpected_count, element_count from quality.validation_results "
            "where expectation = ? order by validated_at desc limit 1",
            [CHECK],
        ).fetchall()
    finally:
        con.close()
    assert warning == [(False, versions, versions)]  # the demo boards did not change

    rebuilt = unheard("build", "--rebuild", "--data-dir", str(data_dir))
    assert CHECK not in rebuilt.stdout
    con = duckdb.connect(str(published), read_only=True)
    try:
        cleaners = con.execute(
            "select count(distinct fingerprint), sum(versions) from staging.version_cleaners"
        ).fetchall()
    finally:
        con.close()
    assert cleaners == [(1, versions)]
