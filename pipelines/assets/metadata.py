"""Helpers that turn run facts into Dagster metadata the asset page can show."""

from typing import Any

import dagster as dg
import duckdb


def markdown_table(
    rows: list[dict[str, Any]], columns: list[str] | None = None, limit: int = 20
) -> str:
    if not rows:
        return "_no rows_"
    columns = columns or list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows[:limit]:
        cells = [_cell(row.get(c)) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    if len(rows) > limit:
        lines.append(f"\n_{len(rows) - limit} more rows_")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    """A table cell: empty for NULL (not "None"), one line, pipes escaped, 80 chars at most."""
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")[:80]


def preview(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> dg.MetadataValue:
    rows = con.sql(f"select * from ({query}) limit {int(limit)}").to_arrow_table().to_pylist()
    return dg.MetadataValue.md(markdown_table(rows))


def count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    return int(con.execute(f"select count(*) from ({query})").fetchall()[0][0])
