"""Incremental models: a table refreshed in place instead of replaced (`run_models` with a
model file whose header says `-- materialized: incremental`).

Rewriting a table copies every value each run; a mart like marts.postings holds every
posting's description (most of its bytes) while each crawl changes mostly `last_seen_at`.
DuckDB updates a column in place, and a checkpoint then rewrites only that column, so the
refresh below changes what changed and writes the large columns only for rows whose
version changed.
"""

from __future__ import annotations

import hashlib
import os
import re

import duckdb

STATE_SCHEMA = "build_state"
# DuckDB's memory limit while a model's table is built whole (raised, never lowered): the
# first build of marts.postings reads every posting's text through its joins, and at 1M
# postings it ran out of the build's 1.5 GB ("failed to pin block") and passed with 2.5 GB.
# No worker processes run beside the marts, so a rebuild stays within its 4 GiB. A refresh in
# place keeps the caller's limit: with 2.5 GB the scheduled 1M day peaked at 4.1-4.2 GiB (the
# build process at 4.0 GiB in the marts, beside Dagster's and GX's own memory); the day's
# refresh passes within 1.5 GB (benchmarks/README.md, eleventh pass).
MODEL_MEMORY_LIMIT = os.environ.get("UNHEARD_DUCKDB_MODEL_MEMORY_LIMIT", "2560MB")
# Above this share of rows to rewrite (a new skills taxonomy changes every posting's list), a
# refresh in place is dearer than building the table whole, in time and in memory: at 100k
# postings, rewriting every row in place took 11-42 s and more memory than the build's limit
# gives a normal day, against 5-11 s for a whole build (benchmarks/README.md, eleventh pass).
# A whole build is the path MODEL_MEMORY_LIMIT is sized for.
REWRITE_WHOLE_SHARE = 0.25


def refresh_incremental(
    con: duckdb.DuckDBPyConnection, schema: str, name: str, sql: str, header: dict[str, str]
) -> None:
    """Bring the table `schema.name` to the rows of `sql` by changing only what changed.

    The model's header names its `unique_key`, its `large_columns` (the text that makes most
    of the table's bytes) and its `version_columns`: columns the query returns beside the
    table's own, which determine the large columns (a content hash). The table does not keep
    them; `build_state.<schema>__<name>` does. With `large_columns_source`, a relation that
    holds the large columns under the same names, keyed by the version columns, rewritten
    rows take their large columns from it instead of from the query (which would compute
    the whole model again, every row's text read, for the few rows a day rewrites). Then, in
    one transaction:
    - rows whose key is gone are deleted;
    - rows that are new, whose version changed, or whose list columns changed are deleted
      and written whole, with their large columns (queried for those keys only);
    - every other row gets, column by column, the values that changed: DuckDB updates a
      column in place and a checkpoint rewrites only that column, while rewriting the table
      would copy every large value each run (marts.postings: the description of every
      posting, for the last_seen_at that each crawl moves).
    The result has the rows (not the row order) a `create table as` of the query would
    have. A table whose columns differ from the query's, whose state is missing or was
    written for another version of the model file, or more than REWRITE_WHOLE_SHARE of
    whose rows would be written whole, is rebuilt with `create table as`."""
    key = header["unique_key"]
    large = _names(header["large_columns"])
    versions = _names(header["version_columns"])
    target = f"{schema}.{name}"
    state = f"{STATE_SCHEMA}.{schema}__{name}"
    fingerprint = hashlib.md5(sql.encode()).hexdigest()
    con.execute(f"create schema if not exists {STATE_SCHEMA}")
    # binding the query (no execution) gives the table's columns and types
    wanted = con.execute(f"describe select * exclude ({_idents(versions)}) from ({sql})").fetchall()
    columns = [(row[0], row[1]) for row in wanted]
    k = _ident(key)
    # The table's row order is not part of its result (see above), and keeping the query's
    # order makes DuckDB hold the rows it has not written yet, text included: at 1M postings
    # the first build of marts.postings ran out of the build's 1.5 GB memory limit ("failed
    # to pin block"); without the order it took 79 s
    ordered, limit = con.execute(
        "select current_setting('preserve_insertion_order'), current_setting('memory_limit')"
    ).fetchall()[0]
    con.execute("set preserve_insertion_order = false")
    raised = False
    con.execute("begin transaction")
    try:
        refreshed = _incremental_state_holds(
            con, schema, name, state, columns, fingerprint
        ) and _refresh_in_place(
            con,
            target,
            state,
            sql,
            header.get("large_columns_source"),
            key,
            large,
            versions,
            columns,
        )
        if not refreshed:
            raised = _bytes(MODEL_MEMORY_LIMIT) > _bytes(limit)
            if raised:
                con.execute(f"set memory_limit = '{MODEL_MEMORY_LIMIT}'")
            existing = relation_kind(con, schema, name)
            if existing is not None:
                con.execute(f"drop {existing} {target}")
            con.execute(
                f"create table {target} as select * exclude ({_idents(versions)}) from ({sql})"
            )
            # the same query for the key and versions only (DuckDB prunes the rest)
            con.execute(
                f"create or replace table {state} as select {k}, {_idents(versions)} from ({sql})"
            )
        con.execute(f"comment on table {state} is '{fingerprint}'")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.execute(f"set preserve_insertion_order = {bool(ordered)}")
        if raised:  # back to the limit as DuckDB reports it (to 0.1 of its unit)
            con.execute(f"set memory_limit = '{limit}'")


def _refresh_in_place(
    con: duckdb.DuckDBPyConnection,
    target: str,
    state: str,
    sql: str,
    source: str | None,
    key: str,
    large: list[str],
    versions: list[str],
    columns: list[tuple[str, str]],
) -> bool:
    """Refresh `target` in place; False, with nothing changed, when more than
    REWRITE_WHOLE_SHARE of its rows would be written whole (the caller builds it whole)."""
    k = _ident(key)
    v = _idents(versions)
    # every column but the large ones, which DuckDB then never reads
    con.execute(
        f"create or replace temp table incremental_rows as "
        f"select * exclude ({_idents(large)}) from ({sql})"
    )
    # rows written whole: new, a new version, or a changed list (DuckDB updates a list
    # column as a delete and insert of the row, text included)
    nested = [c for c, data_type in columns if c not in large and _is_nested(data_type)]
    changed = " or ".join(
        [f"s.{_ident(v)} is distinct from n.{_ident(v)}" for v in versions]
        + [f"t.{_ident(c)} is distinct from n.{_ident(c)}" for c in nested]
    )
    con.execute(
        f"""
        create or replace temp table incremental_rewrite as
        select n.{k}
        from incremental_rows as n
        left join {state} as s using ({k})
        left join {target} as t using ({k})
        where s.{k} is null or t.{k} is null or {changed}
        """
    )
    (rows, rewrites) = con.execute(
        "select (select count(*) from incremental_rows), (select count(*) from incremental_rewrite)"
    ).fetchall()[0]
    if rewrites > REWRITE_WHOLE_SHARE * rows:
        con.execute("drop table incremental_rows")
        con.execute("drop table incremental_rewrite")
        return False
    con.execute(
        f"delete from {target} where {k} not in (select {k} from incremental_rows) "
        f"or {k} in (select {k} from incremental_rewrite)"
    )
    _update_changed_columns(
        con,
        target,
        k,
        [
            c
            for c, data_type in columns
            if c != key and c not in large and not _is_nested(data_type)
        ],
    )
    # The large columns of the rewritten rows, looked up by version (one row per version:
    # a plain semi join of the source, without the distinct, held twice the memory on the
    # 100k day, 0.95 against 0.5 GiB).
    source = source or f"({sql})"
    (written,) = con.execute(
        f"""
        insert into {target} by name
        with rewritten as (
            select n.*
            from incremental_rows as n
            semi join incremental_rewrite as r using ({k})
        ),

        large as (
            select distinct on ({v}) {v}, {_idents(large)}
            from {source}
            semi join rewritten using ({v})
        )

        select n.* exclude ({v}), l.* exclude ({v})
        from rewritten as n
        join large as l using ({v})
        """
    ).fetchall()[0]
    if written != rewrites:  # a row would be lost; the caller rolls the refresh back
        raise ValueError(
            f"{target}: {source} holds the large columns of {written} of the {rewrites} "
            f"rows to rewrite; it must hold every version ({', '.join(versions)}) of the query"
        )
    con.execute(
        f"create or replace table {state} as select {k}, {_idents(versions)} from incremental_rows"
    )
    con.execute("drop table incremental_rows")
    con.execute("drop table incremental_rewrite")
    return True


def _update_changed_columns(
    con: duckdb.DuckDBPyConnection, target: str, key: str, columns: list[str]
) -> None:
    """Update, one column at a time, the values of `columns` that differ from
    incremental_rows (one pass finds which columns differ at all)."""
    if not columns:
        return
    differing = con.execute(
        "select "
        + ", ".join(
            f"count(*) filter (where t.{_ident(c)} is distinct from n.{_ident(c)})" for c in columns
        )
        + f" from {target} as t join incremental_rows as n using ({key})"
    ).fetchall()[0]
    for column, count in zip(columns, differing, strict=True):
        if count:
            c = _ident(column)
            con.execute(
                f"update {target} as t set {c} = n.{c} from incremental_rows as n "
                f"where t.{key} = n.{key} and t.{c} is distinct from n.{c}"
            )


def _incremental_state_holds(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    name: str,
    state: str,
    columns: list[tuple[str, str]],
    fingerprint: str,
) -> bool:
    """Whether the table has exactly the query's columns and its state was written by this
    model file."""
    if not state_is_current(con, schema, name, state, fingerprint):
        return False
    existing = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name = ? and table_name = ? "
        "order by column_index",
        [schema, name],
    ).fetchall()
    return [(c, t) for c, t in existing] == columns


def state_is_current(
    con: duckdb.DuckDBPyConnection, schema: str, name: str, state: str, fingerprint: str
) -> bool:
    """Whether `schema.name` is a table and its state table was written for `fingerprint`
    (the model files' hash, kept as the state table's comment)."""
    state_schema, state_name = state.split(".")
    comment = con.execute(
        "select comment from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [state_schema, state_name],
    ).fetchall()
    if not comment or comment[0][0] != fingerprint:
        return False
    return relation_kind(con, schema, name) == "table"


_SIZE = re.compile(r"^\s*([0-9.]+)\s*([KMGT]?)(i?)B\s*$", re.IGNORECASE)


def _bytes(size: str) -> float:
    """A DuckDB size ("1536MB", "1.4 GiB") in bytes; unreadable sizes count as unlimited."""
    match = _SIZE.match(size)
    if not match:
        return float("inf")
    power = " KMGT".index(match[2].upper() or " ")
    return float(match[1]) * (1024 if match[3] else 1000) ** power


def _is_nested(data_type: str) -> bool:
    return data_type.endswith("]") or data_type.upper().startswith(("STRUCT", "MAP", "UNION"))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _idents(names: list[str]) -> str:
    return ", ".join(_ident(n) for n in names)


def relation_kind(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> str | None:
    """ "table", "view", or None when `schema.name` does not exist."""
    rows = con.execute(
        "select table_type from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    if not rows:
        return None
    return "view" if rows[0][0] == "VIEW" else "table"
