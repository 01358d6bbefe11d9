"""Core models that fold in the observations loaded since their last build, instead of
reading every observation ever loaded (a model file whose header says
`-- materialized: incremental_observations` and names its `-- increment:` file).

`staging.stg_observations` grows by a whole crawl a day: at 100k postings a year of daily
crawls is 36M rows, and the lifecycle and latest-observation models took 4.4 and 1.8 s of
a daily run at 30 days of history, 56 and 20 s at a year (benchmarks/bench_history.py).
Their increment files compute the same rows from the table as it was and
`new_observations` (a view of the rows appended since), which is exact when:
- the observations are append-only (rows from `observations_end` on are the new ones;
  the state also remembers the count before them and the run of the row before them);
- every new observation is later than every observation folded before, and no complete
  board crawl was added at or before that time (a crawl replayed out of order could
  change old gaps and closings).
Otherwise, and when the model file, its increment or the table changed, the whole model
is built. The state lives in `build_state.<schema>__<name>`, beside the marts' state.
"""

from __future__ import annotations

import hashlib

import duckdb

from pipelines.transforms.model_state import STATE_SCHEMA, relation_kind, state_is_current
from warehouse import read_sql

OBSERVATIONS = "staging.stg_observations"


def refresh_from_new_observations(
    con: duckdb.DuckDBPyConnection, schema: str, name: str, sql: str, header: dict[str, str]
) -> bool:
    """Bring `schema.name` up to date; True when it was folded, False when built whole."""
    increment = read_sql(header["increment"])
    target = f"{schema}.{name}"
    state = f"{STATE_SCHEMA}.{schema}__{name}"
    fingerprint = hashlib.md5(f"{sql}\0{increment}".encode()).hexdigest()
    con.execute(f"create schema if not exists {STATE_SCHEMA}")
    con.execute("begin transaction")
    try:
        start = _fold_from(con, schema, name, state, fingerprint)
        if start is not None:
            # a view: DuckDB pushes the rowid bound into the scan, so only new rows are read
            con.execute(
                f"create or replace temp view new_observations as "
                f"select * from {OBSERVATIONS} where rowid >= {start}"
            )
            # built beside the table it replaces (the increment reads it), then renamed
            folded = f"{name}__folded"
            con.execute(f"create or replace table {schema}.{folded} as {increment}")
            con.execute(f"drop table {target}")
            con.execute(f"alter table {schema}.{folded} rename to {name}")
            con.execute("drop view new_observations")
        else:
            if relation_kind(con, schema, name) == "view":
                con.execute(f"drop view {target}")
            con.execute(f"create or replace table {target} as {sql}")
        _write_state(con, state, fingerprint, start)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return start is not None


def _fold_from(
    con: duckdb.DuckDBPyConnection, schema: str, name: str, state: str, fingerprint: str
) -> int | None:
    """The first rowid of the observations to fold in, or None when the model must be built
    whole (see the module docstring)."""
    if not state_is_current(con, schema, name, state, fingerprint):
        return None
    end, count, last_run_id, observed_until, complete_crawls = con.execute(
        f"select observations_end, observations_count, last_run_id, observed_until, "
        f"complete_crawls from {state}"
    ).fetchall()[0]
    if observed_until is None:  # nothing folded yet: nothing to fold onto
        return None
    total, new, first_new = con.execute(
        f"select (select count(*) from {OBSERVATIONS}), count(*), min(observed_at) "
        f"from {OBSERVATIONS} where rowid >= {end}"
    ).fetchall()[0]
    if total - new != count:  # folded rows were removed
        return None
    before = con.execute(f"select run_id from {OBSERVATIONS} where rowid = {end - 1}").fetchall()
    if not before or before[0][0] != last_run_id:  # or moved
        return None
    if first_new is not None and first_new <= observed_until:
        return None
    if _complete_crawls_until(con, observed_until) != complete_crawls:
        return None
    return end


def _complete_crawls_until(con: duckdb.DuckDBPyConnection, until: object) -> int:
    return con.execute(
        "select count(*) from staging.stg_board_crawls where is_complete and crawled_at <= ?",
        [until],
    ).fetchall()[0][0]


def _write_state(
    con: duckdb.DuckDBPyConnection, state: str, fingerprint: str, start: int | None
) -> None:
    """Remember how far the observations were folded: the rowid after the last one, their
    count, the run of the last row, the latest observation and the complete crawls up to
    it; and whether this refresh folded or built whole (for whoever wonders why a run was
    slow)."""
    previous = None
    if start is not None:
        previous = con.execute(f"select observed_until from {state}").fetchall()[0][0]
    last_rowid, newest, count = con.execute(
        f"select max(rowid), max(observed_at), (select count(*) from {OBSERVATIONS}) "
        f"from {OBSERVATIONS} where rowid >= {start or 0}"
    ).fetchall()[0]
    end = start or 0 if last_rowid is None else last_rowid + 1
    observed_until = max((t for t in (previous, newest) if t is not None), default=None)
    last_run_id = None
    if end:
        last_run_id = con.execute(
            f"select run_id from {OBSERVATIONS} where rowid = {end - 1}"
        ).fetchall()[0][0]
    complete = _complete_crawls_until(con, observed_until) if observed_until else 0
    con.execute(
        f"create or replace table {state} as select ?::bigint as observations_end, "
        "?::bigint as observations_count, ?::varchar as last_run_id, "
        "?::timestamptz as observed_until, ?::bigint as complete_crawls, "
        "?::varchar as last_refresh",
        [end, count, last_run_id, observed_until, complete, "whole" if start is None else "folded"],
    )
    con.execute(f"comment on table {state} is '{fingerprint}'")


def last_refresh(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> str | None:
    """ "folded" or "whole" for a model refreshed here; None for any other model."""
    if relation_kind(con, STATE_SCHEMA, f"{schema}__{name}") != "table":
        return None
    columns = {
        row[0] for row in con.execute(f"describe {STATE_SCHEMA}.{schema}__{name}").fetchall()
    }
    if "last_refresh" not in columns:  # the state of another kind of model
        return None
    return con.execute(f"select last_refresh from {STATE_SCHEMA}.{schema}__{name}").fetchall()[0][0]
