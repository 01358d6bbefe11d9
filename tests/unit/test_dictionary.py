"""The data dictionary documents every mart column and nothing else, reaches the DuckDB
objects as comments, and names the bad entry when it is malformed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.transforms.database import run_models
from pipelines.transforms.dictionary import (
    CommentReport,
    DictionaryError,
    apply_comments,
    load_dictionary,
    render_schema,
)
from warehouse import CORE_MODELS, MART_MODELS, STAGING_VIEWS, TAG_MODELS, read_sql

CONTRACT_MARTS = {
    "postings",
    "companies",
    "posting_skills",
    "company_skills",
    "ml_jobs",
    "unheard_companies",
    "role_trends_weekly",
    "sector_trends_weekly",
    "skills_by_sector",
    "source_checks",
    "source_health",
}


def create_company_tags(con: duckdb.DuckDBPyConnection) -> None:
    """tags.company_tags is written by Python: create it empty with the tagger's own schema."""
    import pyarrow as pa

    from pipelines.transforms.tagger import COMPANY_SCHEMA

    empty = pa.Table.from_pylist([], schema=COMPANY_SCHEMA)  # noqa: F841 - read by DuckDB
    con.execute("create or replace table tags.company_tags as select * from empty")


@pytest.fixture(scope="module")
def built() -> Iterator[tuple[duckdb.DuckDBPyConnection, CommentReport]]:
    """Every layer built once, from empty base tables, the way the assets build them."""
    con = duckdb.connect()
    con.execute(read_sql("schema.sql"))
    create_company_tags(con)
    run_models(con, STAGING_VIEWS, kind="view")
    run_models(con, CORE_MODELS + TAG_MODELS + MART_MODELS)
    report = apply_comments(con)
    yield con, report
    con.close()


@pytest.fixture
def warehouse(built) -> duckdb.DuckDBPyConnection:
    return built[0]


def mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'marts' order by table_name, column_index"
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def test_dictionary_covers_every_mart_built() -> None:
    docs = load_dictionary()
    assert set(docs) == CONTRACT_MARTS
    assert {name for schema, name, _ in MART_MODELS if schema == "marts"} == CONTRACT_MARTS


def test_every_mart_column_is_documented_and_every_documented_column_exists(built) -> None:
    warehouse, report = built
    docs = load_dictionary()
    built = mart_columns(warehouse)
    assert set(built) == set(docs)
    for mart, columns in built.items():
        undocumented = [c for c in columns if c not in docs[mart].columns]
        stale = [c for c in docs[mart].columns if c not in columns]
        assert not undocumented, (
            f"marts.{mart}: columns missing from dictionary.yaml: {undocumented}"
        )
        assert not stale, f"marts.{mart}: dictionary.yaml documents columns it lacks: {stale}"
        # listed in table order, so the dictionary reads like the table
        assert list(docs[mart].columns) == columns, f"marts.{mart}: columns out of table order"
    assert report.in_sync, report


def test_comments_are_visible_through_duckdb_catalog(warehouse) -> None:
    docs = load_dictionary()
    tables = dict(
        warehouse.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts' "
            "union all "  # marts.postings is a view over intermediate.postings_without_text
            "select view_name, comment from duckdb_views() where schema_name = 'marts'"
        ).fetchall()
    )
    assert tables == {mart: doc.description for mart, doc in docs.items()}
    rows = warehouse.execute(
        "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
    ).fetchall()
    for table, column, comment in rows:
        assert comment == docs[table].columns[column], f"marts.{table}.{column}"
    # quotes survive the SQL literal (the dictionary uses apostrophes: "registry's")
    assert any("'" in comment for _, _, comment in rows)


def test_render_schema_prints_every_mart_and_column_with_type_and_meaning(warehouse) -> None:
    text = render_schema(warehouse)
    docs = load_dictionary()
    order = [line for line in text.splitlines() if line.startswith("marts.")]
    assert order == [f"marts.{name}" for schema, name, _ in MART_MODELS if schema == "marts"]
    lines = text.splitlines()
    for mart, doc in docs.items():
        section_start = lines.index(f"marts.{mart}")
        section = lines[section_start + 1 :]
        for column in doc.columns:
            line = next(x for x in section if x.startswith(f"  {column} "))
            data_type = warehouse.execute(
                "select data_type from duckdb_columns() where schema_name = 'marts' "
                "and table_name = ? and column_name = ?",
                [mart, column],
            ).fetchone()[0]
            assert f" {data_type} " in line
            first_words = " ".join(doc.columns[column].split()[:3])
            assert first_words in line, f"{mart}.{column}: {line!r}"
    assert "(not documented)" not in text


def test_apply_comments_skips_and_reports_drift() -> None:
    docs = load_dictionary()
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.source_health (run_id varchar, surprise integer)")
    report = apply_comments(con, docs)
    assert report.tables == ["source_health"]
    assert "source_health.surprise" in report.undocumented_columns
    assert "source_health.board" in report.missing_columns
    assert "postings" in report.missing_tables
    assert not report.in_sync
    comment = con.execute(
        "select comment from duckdb_columns() where table_name = 'source_health' "
        "and column_name = 'run_id'"
    ).fetchone()[0]
    assert comment == docs["source_health"].columns["run_id"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("marts: [a, b]\n", "`marts:` mapping"),
        (
            "marts:\n  ml_jobs:\n    description: ''\n    columns: {a: b}\n",
            "marts.ml_jobs.description",
        ),
        ("marts:\n  ml_jobs:\n    description: d\n    columns: {}\n", "marts.ml_jobs.columns"),
        (
            "marts:\n  ml_jobs:\n    description: d\n    columns: {title: '', url: u}\n",
            "marts.ml_jobs.columns.title",
        ),
        (
            "marts:\n  ml_jobs:\n    description: d\n    columns: {Bad Name: x}\n",
            "marts.ml_jobs.columns.Bad Name",
        ),
        ("marts:\n  ml_jobs:\n    description: d\n    colums: {a: b}\n", "unknown field(s) colums"),
        ("marts:\n  ml_jobs: [\n", "not valid YAML"),
    ],
)
def test_bad_dictionary_names_the_entry(tmp_path: Path, body: str, named: str) -> None:
    path = tmp_path / "dictionary.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DictionaryError) as raised:
        load_dictionary(path)
    assert named in str(raised.value)
    assert str(path) in str(raised.value)
