"""The marts' data dictionary: loaded from `warehouse/marts/dictionary.yaml`, attached to the
DuckDB objects as comments (so the duckdb CLI and `duckdb_columns()` show it), and printed.

The printed schema is read back from the database's comments, not from the YAML, so it
shows exactly what a SQL user sees.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipelines.transforms.model_state import relation_kind
from warehouse import MART_MODELS, WAREHOUSE_DIR, load_yaml

DICTIONARY_PATH = WAREHOUSE_DIR / "marts" / "dictionary.yaml"
MARTS_SCHEMA = "marts"
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class DictionaryError(ValueError):
    """The data dictionary file is malformed; the message names the bad entry."""


@dataclass(frozen=True)
class MartDoc:
    name: str
    description: str
    columns: dict[str, str]  # column name -> meaning, in table order


@dataclass
class CommentReport:
    """What `apply_comments` did, and where the dictionary and the tables disagree."""

    tables: list[str] = field(default_factory=list)
    columns: int = 0
    missing_tables: list[str] = field(default_factory=list)  # documented, not built
    missing_columns: list[str] = field(default_factory=list)  # documented, not in the table
    undocumented_columns: list[str] = field(default_factory=list)  # in the table, not documented

    @property
    def in_sync(self) -> bool:
        return not (self.missing_tables or self.missing_columns or self.undocumented_columns)


def load_dictionary(path: Path = DICTIONARY_PATH) -> dict[str, MartDoc]:
    """Every mart's description and column meanings, validated; errors name the entry."""
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DictionaryError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("marts"), dict):
        raise DictionaryError(f"{path}: expected a mapping with a `marts:` mapping at the top")
    docs: dict[str, MartDoc] = {}
    for mart, entry in document["marts"].items():
        where = f"{path}: marts.{mart}"
        _check_name(mart, where)
        if not isinstance(entry, dict):
            raise DictionaryError(f"{where}: expected a mapping with description and columns")
        unknown = set(entry) - {"description", "columns"}
        if unknown:
            raise DictionaryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        description = _text(entry.get("description"), f"{where}.description")
        columns = entry.get("columns")
        if not isinstance(columns, dict) or not columns:
            raise DictionaryError(f"{where}.columns: expected a non-empty mapping column: meaning")
        meanings: dict[str, str] = {}
        for column, meaning in columns.items():
            _check_name(column, f"{where}.columns.{column}")
            meanings[column] = _text(meaning, f"{where}.columns.{column}")
        docs[mart] = MartDoc(mart, description, meanings)
    return docs


def apply_comments(
    con: duckdb.DuckDBPyConnection, docs: dict[str, MartDoc] | None = None
) -> CommentReport:
    """COMMENT ON every documented mart and column that exists; report what did not match."""
    docs = load_dictionary() if docs is None else docs
    report = CommentReport()
    built = _mart_columns(con)
    for mart, doc in docs.items():
        if mart not in built:
            report.missing_tables.append(mart)
            continue
        table = f"{MARTS_SCHEMA}.{_ident(mart)}"
        kind = relation_kind(con, MARTS_SCHEMA, mart)  # marts.postings is a view
        con.execute(f"comment on {kind} {table} is {_literal(doc.description)}")
        report.tables.append(mart)
        columns = built[mart]
        for column, meaning in doc.columns.items():
            if column not in columns:
                report.missing_columns.append(f"{mart}.{column}")
                continue
            con.execute(f"comment on column {table}.{_ident(column)} is {_literal(meaning)}")
            report.columns += 1
        report.undocumented_columns.extend(
            f"{mart}.{column}" for column in columns if column not in doc.columns
        )
    return report


def render_schema(con: duckdb.DuckDBPyConnection, width: int = 100) -> str:
    """Every mart and column with its type and meaning, as the database's comments say."""
    tables = con.execute(
        """
        select table_name, comment
        from duckdb_tables()
        where database_name = current_database() and schema_name = ?
        union all
        select view_name, comment
        from duckdb_views()
        where database_name = current_database() and schema_name = ?
        """,
        [MARTS_SCHEMA, MARTS_SCHEMA],
    ).fetchall()
    columns = con.execute(
        """
        select table_name, column_name, data_type, comment
        from duckdb_columns()
        where database_name = current_database() and schema_name = ?
        order by table_name, column_index
        """,
        [MARTS_SCHEMA],
    ).fetchall()
    by_table: dict[str, list[tuple[str, str, str | None]]] = {}
    for table, column, data_type, comment in columns:
        by_table.setdefault(table, []).append((column, data_type, comment))

    lines: list[str] = []
    for table, comment in sorted(tables, key=lambda row: _mart_order(row[0])):
        lines.append(f"{MARTS_SCHEMA}.{table}")
        lines.extend(_wrap(comment or "(not documented)", width, "  "))
        rows = by_table.get(table, [])
        name_width = max((len(c) for c, _, _ in rows), default=0)
        type_width = max((len(t) for _, t, _ in rows), default=0)
        for column, data_type, meaning in rows:
            head = f"  {column:<{name_width}}  {data_type:<{type_width}}  "
            body = _wrap(meaning or "(not documented)", max(width, len(head) + 40), " " * len(head))
            lines.append(head + body[0].lstrip())
            lines.extend(body[1:])
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- helpers ----------------------------------------------------------------------------


def _mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        """
        select table_name, column_name
        from duckdb_columns()
        where database_name = current_database() and schema_name = ?
        order by table_name, column_index
        """,
        [MARTS_SCHEMA],
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def _mart_order(table: str) -> tuple[int, str]:
    order = [name for schema, name, _ in MART_MODELS if schema == MARTS_SCHEMA]
    return (order.index(table) if table in order else len(order), table)


def _check_name(name: Any, where: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise DictionaryError(f"{where}: {name!r} is not a snake_case SQL name")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DictionaryError(f"{where}: expected a non-empty text, got {value!r}")
    return " ".join(value.split())


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _wrap(text: str, width: int, indent: str) -> list[str]:
    lines = textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent)
    return lines or [indent]
