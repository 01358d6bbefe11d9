"""A reader opens the published warehouse from one file, even when a publish lands while it
connects (database.connect_published).

DuckDB 2.0 opens a database file by path three times while connecting; a rename between
those opens mixes the old file's headers with the new file's blocks. The deterministic tests
land a real publish at the moment that matters by wrapping the reader's attach of the
file; the last one races real publishes against a reader."""

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.paths import DataPaths
from pipelines.transforms import database
from pipelines.transforms.database import connect_build, connect_published, publish


def write_build(paths: DataPaths, postings: int, other_tables: int = 0) -> None:
    """A build file with `postings` rows in marts.postings; other tables move its blocks."""
    paths.build_warehouse.unlink(missing_ok=True)
    with connect_build(paths) as con:
        con.execute("create schema marts")
        for index in range(other_tables):
            con.execute(
                f"create table marts.filler_{index} as "
                "select range as k, repeat('y', (range % 70)::int) as t from range(50000)"
            )
        con.execute(
            "create table marts.postings as "
            f"select range as k, repeat('x', (range % 50)::int) as t from range({postings})"
        )


def postings(con: duckdb.DuckDBPyConnection) -> int:
    try:
        return con.execute("select count(*) from marts.postings").fetchall()[0][0]
    finally:
        con.close()


@pytest.fixture
def published_old(tmp_path: Path) -> DataPaths:
    """A published warehouse of 1,000 postings, and a build of 2,000 ready to publish."""
    paths = DataPaths.at(tmp_path).ensure()
    write_build(paths, 1000)
    publish(paths)
    write_build(paths, 2000, other_tables=3)
    return paths


def connect_wrapped(
    monkeypatch: pytest.MonkeyPatch, around: Callable[[int, Callable[[], None]], None]
) -> list[int]:
    """Route the reader's attaches of the file through `around(call_number, real_attach)`;
    return the calls."""
    calls: list[int] = []
    real_attach = database.attach_read_only

    def attach_read_only(con: duckdb.DuckDBPyConnection, path: Path) -> None:
        calls.append(len(calls) + 1)
        around(len(calls), lambda: real_attach(con, path))

    monkeypatch.setattr(database, "attach_read_only", attach_read_only)
    return calls


@pytest.mark.parametrize(
    "what_duckdb_does",
    [
        "opens the old file",  # the rename lands after DuckDB's opens
        "fails on mixed files",  # it lands between them (what CI met)
    ],
)
def test_a_reader_connecting_while_a_publish_lands_ends_up_on_the_new_file(
    published_old: DataPaths, monkeypatch: pytest.MonkeyPatch, what_duckdb_does: str
) -> None:
    paths = published_old

    def publish_during_first(call: int, real: Callable[[], None]) -> None:
        if call > 1:
            real()
        elif what_duckdb_does == "opens the old file":
            real()
            publish(paths)  # the name now points at the new file
        else:
            publish(paths)
            raise duckdb.IOException("No more data remaining in MetadataReader")

    calls = connect_wrapped(monkeypatch, publish_during_first)
    assert postings(connect_published(paths)) == 2000
    assert calls == [1, 2]


def test_a_broken_published_file_is_an_error_at_once(
    published_old: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = published_old
    data = paths.published_warehouse.read_bytes()
    paths.published_warehouse.write_bytes(data[: len(data) // 3])  # cut short, not replaced
    calls = connect_wrapped(monkeypatch, lambda call, real: real())
    with pytest.raises(duckdb.Error):
        connect_published(paths)
    assert calls == [1]


def test_no_published_warehouse_names_the_path_and_what_to_run(tmp_path: Path) -> None:
    paths = DataPaths.at(tmp_path).ensure()
    with pytest.raises(FileNotFoundError, match="unheard.duckdb.*unheard demo"):
        connect_published(paths)


def test_readers_see_one_whole_file_while_publishes_land(published_old: DataPaths) -> None:
    paths = published_old
    versions = {}
    for rows, filler in ((1000, 0), (2000, 3)):  # files whose blocks lie in other places
        write_build(paths, rows, filler)
        versions[rows] = paths.build_warehouse.with_name(f"v{rows}.duckdb")
        os.replace(paths.build_warehouse, versions[rows])

    seen: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(postings(connect_published(paths)))
            except duckdb.Error as error:
                errors.append(str(error))

    reader = threading.Thread(target=read)
    reader.start()
    publishes = 0
    deadline = time.monotonic() + 3
    try:
        while time.monotonic() < deadline:
            rows = (1000, 2000)[publishes % 2]
            paths.build_warehouse.write_bytes(versions[rows].read_bytes())
            publish(paths)
            publishes += 1
            time.sleep(0.02)
    finally:
        stop.set()
        reader.join()
    assert not errors, errors[:3]
    assert set(seen) == {1000, 2000}, f"{publishes} publishes, reads saw {sorted(set(seen))}"


def test_a_connection_held_open_does_not_keep_later_readers_on_the_old_state(
    published_old: DataPaths,
) -> None:
    paths = published_old
    held = connect_published(paths)  # a notebook's connection, kept open across a run
    try:
        publish(paths)
        assert postings(connect_published(paths)) == 2000
        assert held.execute("select count(*) from marts.postings").fetchall() == [(1000,)]
    finally:
        held.close()


def test_readers_query_the_published_file_by_its_name_and_cannot_write_it(
    published_old: DataPaths,
) -> None:
    con = connect_published(published_old)
    try:
        assert con.execute("select current_database()").fetchall() == [("unheard",)]
        assert con.execute("select count(*) from unheard.marts.postings").fetchall() == [(1000,)]
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("create table marts.x (a int)")
    finally:
        con.close()
