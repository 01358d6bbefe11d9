"""Company tags in a daily run (pipelines/transforms/tagger.py): a company is tagged again
only when the texts its sector is read from changed, and those texts are a stable sample
of its open postings, so a day's new postings do not churn every company's tags."""

from datetime import datetime, timedelta

import duckdb
import pytest

from pipelines.transforms import database, tagger
from pipelines.transforms.tagger import RANKED_POSTINGS, TEXTS_PER_COMPANY, tag_companies

DAY0 = datetime(2026, 11, 1)
ABOUT = "About us\nWe build grid forecasting software for electric utilities and grid operators."
KEPT = "kept from the previous run"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema core")
    con.execute("create schema tags")
    con.execute(
        "create table core.core_companies as select * from (values "
        "('gridco', null, null, null), ('solo', null, null, null)"
        ") t(company, homepage, sector_hint, prominence_hint)"
    )
    # gridco: 30 open postings, posting i first seen on day i; solo: one posting
    con.execute(
        """
        create table core.core_postings (
            company varchar, posting_key varchar, title varchar, description_text varchar,
            is_open boolean, first_seen_at timestamp, last_seen_at timestamp,
            location_raw varchar default 'Berlin',
            content_hash varchar as (md5(concat_ws('|', title, description_text, location_raw)))
        )
        """
    )
    con.execute(
        """
        insert into core.core_postings by name
        select 'gridco' as company, 'gridco:' || lpad(i::varchar, 2, '0') as posting_key,
            'Engineer ' || i as title, $about || '\n\nRole ' || i as description_text,
            true as is_open, $day0 + to_days(i::int) as first_seen_at,
            $day0 + interval 40 day as last_seen_at
        from range(30) t(i)
        union all
        select 'solo', 'solo:1', 'Engineer', $about, true, $day0, $day0 + interval 40 day
        """,
        {"about": ABOUT, "day0": DAY0},
    )
    tag_companies(con)
    return con


def _mark_tags_as_kept(con: duckdb.DuckDBPyConnection) -> None:
    """A stored tag a re-tag would overwrite: what survives tag_companies was kept."""
    con.execute("update tags.company_tags set sector_evidence = ?", [KEPT])


def _retagged(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select company from tags.company_tags where sector_evidence is distinct from ?", [KEPT]
    ).fetchall()
    return {company for (company,) in rows}


def test_a_first_run_tags_every_company_from_its_postings(con) -> None:
    rows = con.execute(
        "select company, sector, sector_basis from tags.company_tags order by company"
    ).fetchall()
    assert rows == [("gridco", "energy", "inferred"), ("solo", "energy", "inferred")]


def test_a_new_posting_at_a_large_company_keeps_its_tags(con) -> None:
    _mark_tags_as_kept(con)
    con.execute(
        "insert into core.core_postings (company, posting_key, title, description_text, "
        "is_open, first_seen_at, last_seen_at) values "
        "('gridco', 'gridco:00-new', 'New role', 'Something else entirely', true, ?, ?)",
        [DAY0 + timedelta(days=41), DAY0 + timedelta(days=41)],
    )
    con.execute("update core.core_postings set last_seen_at = ?", [DAY0 + timedelta(days=41)])
    tag_companies(con)
    assert _retagged(con) == set()


def test_a_changed_location_keeps_the_tags_a_changed_title_or_text_does_not(con) -> None:
    _mark_tags_as_kept(con)
    con.execute("update core.core_postings set location_raw = 'Remote'")
    tag_companies(con)
    assert _retagged(con) == set()

    # the title is read too (the mix of a board's jobs is sector evidence)
    con.execute("update core.core_postings set title = 'Nurse' where posting_key = 'solo:1'")
    tag_companies(con)
    assert _retagged(con) == {"solo"}

    _mark_tags_as_kept(con)
    con.execute(
        "update core.core_postings set description_text = description_text || ' (revised)' "
        "where posting_key = 'gridco:03'"
    )
    tag_companies(con)
    assert _retagged(con) == {"gridco"}


def test_the_sample_is_the_longest_standing_open_postings(con) -> None:
    # postings outside the sample (the newest) change or close: the tags stay
    newest = f"gridco:{TEXTS_PER_COMPANY:02d}"
    _mark_tags_as_kept(con)
    con.execute(
        "update core.core_postings set description_text = 'Unrelated' "
        "where company = 'gridco' and posting_key >= ?",
        [newest],
    )
    tag_companies(con)
    assert _retagged(con) == set()

    # a sampled posting that closes leaves the sample: the company is tagged again
    con.execute("update core.core_postings set is_open = false where posting_key = 'gridco:00'")
    tag_companies(con)
    assert _retagged(con) == {"gridco"}


def _sampled(con: duckdb.DuckDBPyConnection, company: str) -> set[str]:
    rows = con.execute(
        f"select posting_key from ({RANKED_POSTINGS}) where company = ? and n <= ?",
        [company, TEXTS_PER_COMPANY],
    ).fetchall()
    return {key for (key,) in rows}


def test_open_postings_are_sampled_oldest_first_and_a_closed_board_latest_first(con) -> None:
    keys = [f"gridco:{i:02d}" for i in range(30)]
    assert _sampled(con, "gridco") == set(keys[:TEXTS_PER_COMPANY])

    # an open posting is read before any closed one, however recent the closed one
    con.execute("update core.core_postings set is_open = false where posting_key = 'gridco:00'")
    assert _sampled(con, "gridco") == set(keys[1 : TEXTS_PER_COMPANY + 1])

    # with nothing open, the postings seen last are the company's current evidence
    con.execute(
        "update core.core_postings set is_open = false, "
        "last_seen_at = first_seen_at + interval 1 day where company = 'gridco'"
    )
    assert _sampled(con, "gridco") == set(keys[-TEXTS_PER_COMPANY:])


def test_the_sector_is_read_from_titles_and_texts_as_the_evaluation_reads_them(con) -> None:
    # a care provider's board: the job titles say what the company is, the texts do not
    con.execute("insert into core.core_companies values ('carely', null, null, null)")
    con.execute(
        "insert into core.core_postings (company, posting_key, title, description_text, "
        "is_open, first_seen_at, last_seen_at) "
        "select 'carely', 'carely:' || i, if(i < 5, 'Registered Nurse', 'Home Health Aide'), "
        "'Join our team of caring people. We value kindness and growth.', true, ?, ? "
        "from range(8) t(i)",
        [DAY0, DAY0],
    )
    tag_companies(con)
    sector, evidence = con.execute(
        "select sector, sector_evidence from tags.company_tags where company = 'carely'"
    ).fetchall()[0]
    assert sector == "health"
    assert "title: nurse" in evidence


def test_a_board_that_lists_no_descriptions_is_tagged_from_its_titles(con) -> None:
    # a solar developer's board listed without text (a Greenhouse list without content)
    titles = ["Solar Project Developer", "Interconnection Engineer", "Counsel", "Analyst"]
    con.execute("insert into core.core_companies values ('sunco', null, null, null)")
    for i, title in enumerate(titles):
        con.execute(
            "insert into core.core_postings (company, posting_key, title, description_text, "
            "is_open, first_seen_at, last_seen_at) values ('sunco', ?, ?, null, true, ?, ?)",
            [f"sunco:{i}", title, DAY0, DAY0],
        )
    assert _sampled(con, "sunco") == {f"sunco:{i}" for i in range(len(titles))}
    tag_companies(con)
    sector, basis, evidence = con.execute(
        "select sector, sector_basis, sector_evidence from tags.company_tags "
        "where company = 'sunco'"
    ).fetchall()[0]
    assert (sector, basis) == ("energy", "inferred")
    assert evidence.startswith("energy: title: ")

    # a company with text keeps to its postings with text: titles alone never dilute it
    con.execute(
        "insert into core.core_postings (company, posting_key, title, description_text, "
        "is_open, first_seen_at, last_seen_at) values ('gridco', 'gridco:bare', 'Nurse', "
        "null, true, ?, ?)",
        [DAY0 - timedelta(days=1), DAY0],
    )
    assert "gridco:bare" not in _sampled(con, "gridco")
    # and when the board starts to list descriptions, its titles-only postings leave the sample
    con.execute(
        "update core.core_postings set description_text = $about where posting_key = 'sunco:3'",
        {"about": ABOUT},
    )
    assert _sampled(con, "sunco") == {"sunco:3"}


def test_a_few_companies_are_tagged_in_this_process_as_workers_tag_them(con, monkeypatch) -> None:
    # companies of every kind: inferred from postings, a registry hint, no postings at all
    con.execute(
        "create or replace table core.core_companies as select * from (values "
        "('gridco', null, null, null), ('solo', null, null, null), "
        "('carely', 'https://carely.example', null, null), "
        "('hinted', null, 'health', 'known'), ('empty', null, null, null)"
        ") t(company, homepage, sector_hint, prominence_hint)"
    )
    con.execute(
        "insert into core.core_postings (company, posting_key, title, description_text, "
        "is_open, first_seen_at, last_seen_at) "
        "select if(i < 4, 'carely', 'hinted'), 'p:' || i, "
        "if(i % 2 = 0, 'Registered Nurse', 'Data Engineer'), $about || '\n\nRole ' || i, "
        "i % 3 > 0, $day0 + to_days(i::int), $day0 + interval 40 day from range(8) t(i)",
        {"about": ABOUT, "day0": DAY0},
    )
    workers = []
    map_batches = tagger.map_batches

    def recording_map_batches(*args, **kwargs):
        workers.append(kwargs["workers"])
        yield from map_batches(*args, **kwargs)

    monkeypatch.setattr(tagger, "map_batches", recording_map_batches)

    def tag_every_company() -> tuple[list[tuple], list[tuple]]:
        con.execute("delete from tags.company_tags")  # nothing kept: every company is tagged
        tag_companies(con)
        return (
            con.execute("select * from tags.company_tags order by company").fetchall(),
            con.execute("select * from tags.company_tag_inputs order by company").fetchall(),
        )

    in_process = tag_every_company()
    monkeypatch.setattr(tagger, "IN_PROCESS_COMPANY_TEXTS", 0)
    monkeypatch.setattr(tagger, "COLD_IN_PROCESS_COMPANY_TEXTS", 0)
    monkeypatch.setattr(database, "WORKERS", 2)
    in_workers = tag_every_company()
    assert workers == [1, 2]
    assert len(in_process[0]) == 5
    assert in_workers == in_process


def test_the_taggers_fingerprint_follows_tagger_code_not_the_evaluation(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys
    from types import SimpleNamespace

    package = tmp_path / "tagging"
    package.mkdir()
    for name in ("__init__.py", "sector.py", *tagger.NOT_TAGGER_CODE):
        (package / name).write_text("# v1\n")
    taxonomies = tmp_path / "taxonomies"
    taxonomies.mkdir()
    (taxonomies / "sectors.yaml").write_text("v: 1\n")
    monkeypatch.setattr(tagger, "tagging", SimpleNamespace(__file__=str(package / "__init__.py")))
    monkeypatch.setattr(tagger, "TAXONOMY_DIR", taxonomies)

    def fingerprint() -> str:
        tagger.taggers_fingerprint.cache_clear()
        return tagger.taggers_fingerprint()

    try:
        first = fingerprint()
        for name in tagger.NOT_TAGGER_CODE:
            (package / name).write_text("# v2\n")
        assert fingerprint() == first
        (package / "sector.py").write_text("# v2\n")
        second = fingerprint()
        assert second != first
        (taxonomies / "sectors.yaml").write_text("v: 2\n")
        assert fingerprint() != second
    finally:
        tagger.taggers_fingerprint.cache_clear()
    # the premise: tagging never imports the modules the fingerprint leaves out
    script = "import sys, pipelines.transforms.tagger; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    for name in tagger.NOT_TAGGER_CODE:
        assert f"'pipelines.tagging.{name.removesuffix('.py')}'" not in loaded
