"""staging.version_cleaners: how many stored versions each release's cleaning rules cleaned
(pipelines/transforms/cleaner.py), so that a run can say how many an upgrade left behind."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.transforms.cleaner import (
    cleaning_fingerprint,
    record_cleaning,
    versions_cleaned_by_other_rules,
)
from warehouse import read_sql


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(read_sql("schema.sql"))
    return con


def store_versions(con: duckdb.DuckDBPyConnection, n: int, start: int = 0) -> None:
    con.execute(
        "insert into staging.stg_posting_versions (content_hash, posting_key) "
        "select 'v' || i, 'p' || i from range(?, ?) t(i)",
        [start, start + n],
    )


def test_versions_cleaned_by_these_rules_are_not_counted(con) -> None:
    store_versions(con, 5)
    record_cleaning(con, 5)
    store_versions(con, 2, start=5)
    record_cleaning(con, 2)
    record_cleaning(con, 0)  # a run with nothing new records nothing
    assert versions_cleaned_by_other_rules(con) == 0
    assert con.execute("select fingerprint, versions from staging.version_cleaners").fetchall() == [
        (cleaning_fingerprint(), 5),
        (cleaning_fingerprint(), 2),
    ]


def test_an_older_release_and_a_warehouse_from_before_the_record_are_counted(con) -> None:
    store_versions(con, 4)  # cleaned before staging.version_cleaners existed
    store_versions(con, 3, start=4)
    record_cleaning(con, 3)
    assert set(
        con.execute("select fingerprint, versions from staging.version_cleaners").fetchall()
    ) == {
        ("unknown", 4),
        (cleaning_fingerprint(), 3),
    }
    assert versions_cleaned_by_other_rules(con) == 4

    con.execute("insert into staging.version_cleaners values ('an older release', 6, now())")
    assert versions_cleaned_by_other_rules(con) == 10


def test_the_fingerprint_is_a_stable_hash_of_the_rules() -> None:
    assert cleaning_fingerprint() == cleaning_fingerprint()
    assert len(cleaning_fingerprint()) == 64
