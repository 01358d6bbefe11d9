"""Fixtures shared by the unit tests."""

import duckdb
import pytest

from pipelines.transforms import database
from warehouse import STAGING_VIEWS, read_sql


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """An empty in-memory warehouse: the schema and the staging views (a module that needs
    other tables defines its own `con`)."""
    con = duckdb.connect()
    con.execute(read_sql("schema.sql"))
    database.run_models(con, STAGING_VIEWS, kind="view")
    return con
