"""A model that changed how it is built leaves nothing of the old way behind."""

from pathlib import Path

import duckdb

from pipelines.transforms.database import run_models
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
