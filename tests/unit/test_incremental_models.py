"""Incremental models (pipelines/transforms/incremental.py): refreshed in place, the table
has the rows a `create table as` of the query would have."""

import duckdb
import pytest

from pipelines.transforms.incremental import (
    MODEL_MEMORY_LIMIT,
    REWRITE_WHOLE_SHARE,
    _bytes,
    refresh_incremental,
)

HEADER = {"unique_key": "posting_key", "large_columns": "text", "version_columns": "content_hash"}
# the large column looked up by version in the table it comes from (as marts.postings does)
HEADER_WITH_SOURCE = {**HEADER, "large_columns_source": "versions"}
MODEL = """
select
    p.posting_key,
    p.content_hash,
    v.text,
    p.last_seen_at,
    list(s.skill order by s.skill) filter (where s.skill is not null) as skills,
    current_setting('preserve_insertion_order') as ordered_while_built,
    current_setting('memory_limit') as memory_while_built
from postings as p
join versions as v using (content_hash)
left join skills as s using (posting_key)
group by all
"""


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table postings as select 'p' || i as posting_key, 'h' || i as content_hash, "
        "i as last_seen_at from range(50) t(i)"
    )
    con.execute(
        "create table versions as select 'h' || i as content_hash, "
        "repeat('x', 100) || i as text from range(60) t(i)"
    )
    con.execute(
        "create table skills as select 'p' || (i % 50) as posting_key, "
        "'s' || (i % 7) as skill from range(120) t(i)"
    )
    return con


def table_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select * exclude (ordered_while_built, memory_while_built) from marts.m "
        "order by posting_key"
    ).fetchall()


def query_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select * exclude (content_hash, ordered_while_built, memory_while_built) "
        f"from ({MODEL}) order by posting_key"
    ).fetchall()


@pytest.mark.parametrize("header", [HEADER, HEADER_WITH_SOURCE], ids=["query", "source"])
def test_a_refresh_gives_the_rows_of_the_query_after_every_kind_of_change(con, header) -> None:
    refresh_incremental(con, "marts", "m", MODEL, header)
    assert table_rows(con) == query_rows(con)
    # a day: one posting gone, one new, one with a new version, every last_seen_at moved,
    # one list changed
    con.execute("delete from postings where posting_key = 'p0'")
    con.execute("insert into postings values ('p50', 'h55', 50)")
    con.execute("update postings set content_hash = 'h59' where posting_key = 'p3'")
    con.execute("update postings set last_seen_at = last_seen_at + 100")
    con.execute("insert into skills values ('p7', 'zz')")
    refresh_incremental(con, "marts", "m", MODEL, header)
    assert table_rows(con) == query_rows(con)
    assert con.execute("select text from marts.m where posting_key = 'p3'").fetchall() == [
        ("x" * 100 + "59",)
    ]


def test_the_table_is_built_without_keeping_row_order_and_the_setting_comes_back(con) -> None:
    """Keeping the query's row order made DuckDB hold every unwritten row, text included:
    the first build of marts.postings at 1M postings ran out of its memory limit."""
    refresh_incremental(con, "marts", "m", MODEL, HEADER)  # first build: create table as
    con.execute("update postings set content_hash = 'h59' where posting_key = 'p3'")
    refresh_incremental(con, "marts", "m", MODEL, HEADER)  # in place: rewritten rows
    built = con.execute("select distinct ordered_while_built from marts.m").fetchall()
    assert built == [(False,)]
    setting = "select current_setting('preserve_insertion_order')"
    assert con.execute(setting).fetchall() == [(True,)]
    con.execute("set preserve_insertion_order = false")
    refresh_incremental(con, "marts", "m", MODEL, HEADER)
    assert con.execute(setting).fetchall() == [(False,)]  # the caller's value, not a default


def test_a_table_built_whole_gets_the_larger_model_memory_limit_then_the_limit_comes_back(
    con,
) -> None:
    con.execute("set memory_limit = '1GB'")
    before = con.execute("select current_setting('memory_limit')").fetchall()
    refresh_incremental(con, "marts", "m", MODEL, HEADER)  # first build: create table as
    (built,) = con.execute("select distinct memory_while_built from marts.m").fetchall()[0]
    assert _bytes(built) >= 0.95 * _bytes(MODEL_MEMORY_LIMIT) > _bytes(before[0][0])
    (after,) = con.execute("select current_setting('memory_limit')").fetchall()[0]
    assert abs(_bytes(after) - _bytes(before[0][0])) < 0.01 * _bytes(before[0][0])
    con.execute("drop table marts.m")
    con.execute("set memory_limit = '8GB'")  # a larger limit is never lowered
    refresh_incremental(con, "marts", "m", MODEL, HEADER)
    rows = con.execute("select distinct memory_while_built from marts.m")
    assert _bytes(rows.fetchall()[0][0]) > 7 * 1024**3


def test_a_refresh_in_place_keeps_the_callers_memory_limit(con) -> None:
    """The raised limit is for a whole build only: with it, the marts' refresh of the 1M
    day took the scheduled run past 4 GiB, and the refresh needs no more than the build's."""
    con.execute("set memory_limit = '1GB'")
    before = _bytes(con.execute("select current_setting('memory_limit')").fetchall()[0][0])
    refresh_incremental(con, "marts", "m", MODEL, HEADER)  # first build, raised
    con.execute("update postings set content_hash = 'h59' where posting_key = 'p3'")
    refresh_incremental(con, "marts", "m", MODEL, HEADER)  # in place: p3 rewritten
    rows = con.execute("select distinct memory_while_built from marts.m").fetchall()
    assert [_bytes(value) for (value,) in rows] == [pytest.approx(before, rel=0.01)]
    assert table_rows(con) == query_rows(con)


@pytest.mark.parametrize("header", [HEADER, HEADER_WITH_SOURCE], ids=["query", "source"])
def test_a_refresh_that_would_rewrite_most_rows_builds_the_table_whole(con, header) -> None:
    """A new skills taxonomy changes every posting's list: rewriting them all in place was
    slower than a whole build and needed more memory than a day's refresh."""
    con.execute("set memory_limit = '1GB'")
    refresh_incremental(con, "marts", "m", MODEL, header)
    con.execute("update postings set content_hash = 'h59' where posting_key = 'p3'")
    refresh_incremental(con, "marts", "m", MODEL, header)  # 1 row of 50: in place
    in_place = con.execute("select distinct memory_while_built from marts.m").fetchall()
    assert [_bytes(value) for (value,) in in_place] == [pytest.approx(1e9, rel=0.01)]
    changed = int(REWRITE_WHOLE_SHARE * 50) + 1
    con.execute(f"insert into skills select 'p' || i, 'new' from range({changed}) t(i)")
    refresh_incremental(con, "marts", "m", MODEL, header)
    (built,) = con.execute("select distinct memory_while_built from marts.m").fetchall()[0]
    assert _bytes(built) >= 0.95 * _bytes(MODEL_MEMORY_LIMIT)  # the whole build's limit
    assert table_rows(con) == query_rows(con)
    # and the day after, in place again
    con.execute("update postings set last_seen_at = last_seen_at + 1")
    refresh_incremental(con, "marts", "m", MODEL, header)
    assert table_rows(con) == query_rows(con)


def test_a_source_missing_a_version_is_refused_and_nothing_changes(con) -> None:
    """A rewritten row whose version the source lacks would have vanished from the table."""
    header = {**HEADER, "large_columns_source": "texts"}
    con.execute("create table texts as select * from versions where content_hash <> 'h59'")
    refresh_incremental(con, "marts", "m", MODEL, header)
    before = table_rows(con)
    con.execute("update postings set content_hash = 'h59' where posting_key = 'p3'")
    with pytest.raises(ValueError, match=r"marts\.m: texts holds the large columns of 0 of the 1"):
        refresh_incremental(con, "marts", "m", MODEL, header)
    assert table_rows(con) == before
