"""A `new_runs_only` suite validates the rows of the crawl runs it has not passed, with real
Great Expectations validations on a small warehouse."""

from datetime import UTC, datetime, timedelta

import duckdb

from pipelines.checks.gx_suites import _projection, load_suite, record, validate

START = datetime(2026, 3, 2, 6, tzinfo=UTC)


def load(con: duckdb.DuckDBPyConnection, run_id: str, day: int, remote: str = "remote") -> None:
    """A crawl run of two postings, each with its own cleaned version."""
    at = START + timedelta(days=day)
    con.execute(
        "insert into raw.crawl_runs (run_id, crawled_at, loaded_at) values (?, ?, ?)",
        [run_id, at, at],
    )
    for job in ("1", "2"):
        key, content = f"ashby:acme:{job}", f"{run_id}-{job}"
        con.execute(
            "insert into staging.stg_observations values (?, ?, ?, 'ashby', 'acme', 'Acme', ?, "
            "'https://jobs.example/acme', ?)",
            [run_id, at, key, job, content],
        )
        con.execute(
            "insert into staging.stg_posting_versions (content_hash, posting_key, title, "
            "employment_type, remote_type, country_code) values (?, ?, 'Data Engineer', "
            "'FULL_TIME', ?, 'DE')",
            [content, key, remote],
        )


def test_each_validation_covers_only_the_runs_not_passed_before(con) -> None:
    suite = load_suite("staging")
    load(con, "20260302T060000Z", 0)
    load(con, "20260303T060000Z", 1)
    frame, runs = _projection(con, suite)
    assert (len(frame), runs) == (4, ["20260302T060000Z", "20260303T060000Z"])
    outcome = validate(con, "staging")
    assert outcome.passed and outcome.runs == runs
    record(con, outcome, "build-1", "staging", suite["row_key"])

    load(con, "20260304T060000Z", 2)
    load(con, "2026'05", 3)  # an odd run id is quoted, not spliced into the SQL
    frame, runs = _projection(con, suite)
    assert (len(frame), runs) == (4, ["2026'05", "20260304T060000Z"])  # sorted
    assert set(frame["run_id"]) == {"20260304T060000Z", "2026'05"}
    record(con, validate(con, "staging"), "build-2", "staging", suite["row_key"])
    frame, runs = _projection(con, suite)
    assert (len(frame), runs) == (0, [])


def test_a_failed_validation_leaves_its_runs_to_the_next_build(con) -> None:
    suite = load_suite("staging")
    load(con, "20260302T060000Z", 0)
    record(con, validate(con, "staging"), "build-1", "staging", suite["row_key"])
    load(con, "20260303T060000Z", 1, remote="sometimes")  # not a remote type
    outcome = validate(con, "staging")
    assert not outcome.passed
    assert outcome.runs == ["20260303T060000Z"]
    record(con, outcome, "build-2", "staging", suite["row_key"])
    _, runs = _projection(con, suite)
    assert runs == ["20260303T060000Z"]  # validated again, not taken as passed


def test_a_basis_outside_the_record_contract_fails_the_staging_suite(con) -> None:
    load(con, "20260302T060000Z", 0)
    assert validate(con, "staging").passed
    con.execute("update staging.stg_posting_versions set employment_basis = 'stated'")
    assert validate(con, "staging").passed
    con.execute("update staging.stg_posting_versions set employment_basis = 'guessed'")
    outcome = validate(con, "staging")
    assert not outcome.passed
    failed = [r for r in outcome.outcomes if not r.success]
    assert [(r.expectation, r.column) for r in failed] == [
        ("expect_column_values_to_be_in_set", "employment_basis")
    ]
