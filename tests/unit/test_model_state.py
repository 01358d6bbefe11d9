"""A model that changed how it is built leaves nothing of the old way behind."""

from pathlib import Path

import duckdb

from pipelines.transforms.database import MODEL_MEMORY_LIMIT, _bytes, run_models
from pipelines.transforms.model_state import STATE_SCHEMA, relation_kind


def test_a_table_refreshed_in_place_before_becomes_a_view_without_its_old_state(
    tmp_path: Path,
) -> None:
    # as a warehouse written when marts.postings was a table refreshed in place
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute("create schema intermediate")
    con.execute(f"create schema {STATE_SCHEMA}")
    con.execute("create table marts.postings as select 'p1' as posting_key, 'old' as text")
    con.execute(f"create table {STATE_SCHEMA}.marts__postings as select 'p1' as posting_key")
    con.execute("create table intermediate.rows as select 'p1' as posting_key, 'new' as text")
    model = tmp_path / "postings.sql"  # an absolute path: read_sql joins it as it is
    model.write_text("-- materialized: view\nselect * from intermediate.rows\n")

    counts = run_models(con, (("marts", "postings", str(model)),))

    assert counts == {"marts.postings": 1}
    assert relation_kind(con, "marts", "postings") == "view"
    assert con.execute("select text from marts.postings").fetchall() == [("new",)]
    assert relation_kind(con, STATE_SCHEMA, "marts__postings") is None


def _model(tmp_path: Path, header: str) -> tuple[tuple[str, str, str], ...]:
    model = tmp_path / "wide.sql"
    model.write_text(
        f"{header}select current_setting('memory_limit') as memory_while_built, "
        "current_setting('preserve_insertion_order') as ordered_while_built\n"
    )
    return (("main", "wide", str(model)),)


def test_a_model_marked_for_it_is_built_with_the_model_memory_limit_then_it_comes_back(
    tmp_path: Path,
) -> None:
    con = duckdb.connect()
    con.execute("set memory_limit = '1536MB'")
    (before,) = con.execute("select current_setting('memory_limit')").fetchall()[0]

    run_models(con, _model(tmp_path, "-- memory_limit: model\n"))

    (built, ordered) = con.execute("select * from wide").fetchall()[0]
    assert _bytes(built) >= 0.95 * _bytes(MODEL_MEMORY_LIMIT) > _bytes(before)
    assert ordered is False  # row order is not kept while it builds...
    after = con.execute(
        "select current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    ).fetchall()[0]
    # ...and both settings come back (the limit as DuckDB prints it, to 0.1 of its unit)
    assert after[1] is True and abs(_bytes(after[0]) - _bytes(before)) < 0.1 * _bytes(before)
    # a larger limit is never lowered
    con.execute("set memory_limit = '8GB'")
    run_models(con, _model(tmp_path, "-- memory_limit: model\n"))
    assert _bytes(con.execute("select memory_while_built from wide").fetchall()[0][0]) > 7e9


def test_other_models_keep_the_connections_memory_limit(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("set memory_limit = '1536MB'")
    (limit,) = con.execute("select current_setting('memory_limit')").fetchall()[0]
    run_models(con, _model(tmp_path, ""))
    assert con.execute("select * from wide").fetchall() == [(limit, True)]
