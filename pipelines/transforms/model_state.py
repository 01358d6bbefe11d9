"""What a model's table was last built from: the `build_state` schema, and the kind of a
relation. Folded core models (`observation_increments.py`) keep their state there."""

from __future__ import annotations

import duckdb

STATE_SCHEMA = "build_state"


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


def drop_state(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """Drop the state of `schema.name`, for a model built whole: a warehouse written when
    it was refreshed in place (marts.postings before it became a view) keeps none."""
    con.execute(f"drop table if exists {STATE_SCHEMA}.{schema}__{name}")
