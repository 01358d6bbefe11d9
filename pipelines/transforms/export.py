"""Write every mart to files for tools that do not speak DuckDB: one file per mart.

Parquet keeps every type as it is (lists stay lists, timestamps stay UTC instants). CSV
has no nested types, so list and struct columns are written as JSON text, and timestamps
with time zone as ISO 8601 in UTC (`2026-11-20T06:00:00.000000Z`) whatever the session's
time zone; NULL is an empty field. Each file is written under a temporary name in the
output folder and renamed when complete, so a reader never picks up half a file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Literal

import duckdb

from warehouse import MART_MODELS

MARTS_SCHEMA = "marts"
FORMATS = ("parquet", "csv")
_COPY_OPTIONS = {
    "parquet": "format parquet, compression zstd",
    "csv": "format csv, header true",
}


def export_marts(
    con: duckdb.DuckDBPyConnection, fmt: Literal["parquet", "csv"], out_dir: Path
) -> list[Path]:
    """Write each table of the `marts` schema to `<out_dir>/<mart>.<fmt>`; return the paths."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table, columns in _marts(con).items():
        target = out_dir / f"{table}.{fmt}"
        partial = out_dir / f".{table}.{fmt}.partial"
        select = ", ".join(_column_expression(name, data_type, fmt) for name, data_type in columns)
        query = f"select {select} from {MARTS_SCHEMA}.{_ident(table)}"
        try:
            con.execute(f"copy ({query}) to {_literal(str(partial))} ({_COPY_OPTIONS[fmt]})")
            os.replace(partial, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
        written.append(target)
    return written


def _marts(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Every mart (tables, and views such as marts.postings) with its (column, type) pairs,
    in build order."""
    rows = con.execute(
        """
        select c.table_name, c.column_name, c.data_type
        from duckdb_columns() as c
        where c.database_name = current_database() and c.schema_name = ?
        order by c.table_name, c.column_index
        """,
        [MARTS_SCHEMA],
    ).fetchall()
    marts: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        marts.setdefault(table, []).append((column, data_type))
    order = [name for schema, name, _ in MART_MODELS if schema == MARTS_SCHEMA]

    def build_order(table: str) -> tuple[int, str]:
        return (order.index(table) if table in order else len(order), table)

    return {table: marts[table] for table in sorted(marts, key=build_order)}


def _column_expression(name: str, data_type: str, fmt: str) -> str:
    column = _ident(name)
    if fmt != "csv":
        return column
    if _is_nested(data_type):
        return f"to_json({column})::varchar as {column}"
    if data_type == "TIMESTAMP WITH TIME ZONE":
        return f"strftime({column} at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') as {column}"
    return column


def _is_nested(data_type: str) -> bool:
    return data_type.endswith("]") or data_type.startswith(("STRUCT", "MAP", "UNION"))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
