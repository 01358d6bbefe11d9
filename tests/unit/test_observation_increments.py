"""Core models folded with the new observations (pipelines/transforms/observation_increments.py)
have the rows the whole model would have, run after run, and are built whole when folding
would not be exact."""

import random
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from pipelines.transforms import database
from pipelines.transforms.observation_increments import refresh_from_new_observations
from warehouse import CORE_MODELS, read_sql

FOLDED = tuple(
    m
    for m in CORE_MODELS
    if database._header(read_sql(m[2])).get("materialized") == "incremental_observations"
)
START = datetime(2026, 1, 5, 6, tzinfo=UTC)
BOARDS = [("ashby", f"board{i}") for i in range(3)]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(read_sql("schema.sql"))
    database.run_models(
        con, (("staging", "stg_board_crawls", "staging/stg_board_crawls.sql"),), kind="view"
    )
    return con


def add_run(con: duckdb.DuckDBPyConnection, rng: random.Random, day: float, alive: dict) -> str:
    """One crawl run `day` days after START: each board crawled (complete or not), the
    postings it lists observed. `alive` (posting key -> listed) drifts from run to run."""
    run_id = f"run-{day:06.2f}"
    at = START + timedelta(days=day)
    for source, board in BOARDS:
        complete = rng.random() < 0.7
        con.execute(
            "insert into raw.board_crawls (run_id, crawled_at, source, board, company, "
            "outcome, is_complete) values (?, ?, ?, ?, ?, 'ok', ?)",
            [run_id, at, source, board, f"Company {board}", complete],
        )
        for i in range(8):
            key = f"{source}:{board}:{i}"
            alive[key] = rng.random() < (0.8 if alive.get(key) else 0.3)
            if alive[key] and (complete or rng.random() < 0.5):
                con.execute(
                    "insert into staging.stg_observations values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, at, key, source, board, f"Company {board}", str(i),
                     f"https://x/{key}", f"h{i}-{rng.randrange(2)}"],
                )  # fmt: skip
    return run_id


def assert_same_as_whole_model(con: duckdb.DuckDBPyConnection) -> None:
    for schema, name, relative in FOLDED:
        whole = f"({read_sql(relative)})"
        table = f"{schema}.{name}"
        assert con.execute(f"describe {table}").fetchall() == (
            con.execute(f"describe select * from {whole}").fetchall()
        )
        for a, b in ((table, whole), (whole, table)):
            extra = con.execute(f"select * from {a} except all select * from {b}").fetchall()
            assert extra == [], f"{name}: rows of {a} not in the other"


def refresh(con: duckdb.DuckDBPyConnection) -> list[bool]:
    """Each folded model brought up to date; whether each was folded (not built whole)."""
    folded = []
    for schema, name, relative in FOLDED:
        sql = read_sql(relative)
        header = database._header(sql)
        folded.append(refresh_from_new_observations(con, schema, name, sql, header))
        state = f"build_state.{schema}__{name}"
        last = con.execute(f"select last_refresh from {state}").fetchall()[0][0]
        assert last == ("folded" if folded[-1] else "whole")
    return folded


@pytest.mark.parametrize("seed", range(6))
def test_folding_run_after_run_gives_the_whole_models_rows(
    con: duckdb.DuckDBPyConnection, seed: int
) -> None:
    assert [m[1] for m in FOLDED] == [
        "core_posting_versions", "core_posting_latest", "core_posting_lifecycle"
    ]  # fmt: skip
    rng, alive = random.Random(seed), {}
    assert refresh(con) == [False] * 3  # nothing built yet
    for day in range(12):
        add_run(con, rng, day, alive)
        if rng.random() < 0.2:  # a day the pipeline did not run: two crawls fold at once
            add_run(con, rng, day + 0.5, alive)
        assert refresh(con) == ([False] * 3 if day == 0 else [True] * 3)
        assert_same_as_whole_model(con)
    reopened = con.execute(
        "select count(*) from core.core_posting_lifecycle where times_reopened > 0"
    ).fetchall()[0][0]
    closed = con.execute(
        "select count(*) from core.core_posting_lifecycle where not is_open"
    ).fetchall()[0][0]
    assert reopened and closed  # the histories exercise reopenings and closings


def test_a_crawl_older_than_the_folded_ones_builds_the_whole_model(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rng, alive = random.Random(1), {}
    for day in (0, 1, 3):
        add_run(con, rng, day, alive)
        refresh(con)
    add_run(con, rng, 2, alive)  # replayed late: it falls between folded sightings
    assert refresh(con) == [False] * 3
    assert_same_as_whole_model(con)
    add_run(con, rng, 4, alive)
    assert refresh(con) == [True] * 3
    assert_same_as_whole_model(con)


def test_a_complete_crawl_added_among_folded_times_builds_the_whole_model(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rng, alive = random.Random(2), {}
    for day in (0, 2):
        add_run(con, rng, day, alive)
        refresh(con)
    # a complete crawl of a board at day 1 that listed nothing: it closes and reopens
    con.execute(
        "insert into raw.board_crawls (run_id, crawled_at, source, board, outcome, "
        "is_complete) values ('late', ?, 'ashby', 'board0', 'ok', true)",
        [START + timedelta(days=1)],
    )
    add_run(con, rng, 3, alive)
    assert refresh(con) == [False] * 3
    assert_same_as_whole_model(con)


def test_a_changed_model_file_or_removed_rows_build_the_whole_model(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rng, alive = random.Random(3), {}
    for day in (0, 1):
        add_run(con, rng, day, alive)
        refresh(con)
    schema, name, relative = FOLDED[0]
    sql = read_sql(relative) + "\n-- edited"
    add_run(con, rng, 2, alive)
    assert not refresh_from_new_observations(con, schema, name, sql, database._header(sql))
    assert refresh_from_new_observations(con, schema, name, sql, database._header(sql)) is True
    assert refresh(con) == [False, True, True]  # the file as it was: its state no longer holds
    # observations removed (the rowids move): folding from a stale position would be wrong
    con.execute("delete from staging.stg_observations where run_id = 'run-002.00'")
    add_run(con, rng, 3, alive)
    assert refresh(con) == [False] * 3
    assert_same_as_whole_model(con)
