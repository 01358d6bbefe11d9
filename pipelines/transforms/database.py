"""The warehouse files and how a run writes them without readers ever seeing a half state.

A run writes `build.duckdb` (reset from the published file at its start) and publishes it
with an atomic rename onto `unheard.duckdb`. Readers open the published file read-only, so
a run in progress, a failed run or a killed run never changes what they see. One writer at
a time holds an exclusive lock on `writer.lock` for the whole run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from pipelines.paths import DataPaths
from warehouse import read_sql

# Written with a storage version that DuckDB 1.2+ tools (including the duckdb CLI from
# PyPI) can open; files written as 2.0 storage cannot be read by 1.x.
STORAGE_VERSION = "v1.2.0"


class WriterBusyError(RuntimeError):
    """Another run holds the warehouse writer lock."""


@contextlib.contextmanager
def writer_lock(paths: DataPaths, wait_s: float = 0.0) -> Iterator[None]:
    """Hold the single-writer lock; wait up to `wait_s` seconds for a running run to finish."""
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    handle = open(paths.writer_lock, "a+")  # noqa: SIM115 - held for the lock's lifetime
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriterBusyError(
                        f"another run is writing the warehouse in {paths.root} "
                        f"(lock {paths.writer_lock}); try again when it ends"
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def reset_build(paths: DataPaths, from_published: bool = True) -> Path:
    """Start a run's build file from the published warehouse (or empty, for a rebuild from
    the raw lake), discarding any leftovers of a failed or killed run."""
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    build = paths.build_warehouse
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if from_published and paths.published_warehouse.exists():
        tmp = build.with_name(build.name + ".copying")
        shutil.copyfile(paths.published_warehouse, tmp)
        os.replace(tmp, build)
    with connect_build(paths) as con:
        con.execute(read_sql("schema.sql"))
    return build


@contextlib.contextmanager
def connect_build(paths: DataPaths) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to the run's build file (created if missing)."""
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(
            f"attach '{_quote(paths.build_warehouse)}' as build (storage_version '{STORAGE_VERSION}')"
        )
        con.execute("use build")
        yield con
        con.execute("checkpoint build")
    finally:
        con.close()


def publish(paths: DataPaths) -> Path:
    """Atomically make the build file the published warehouse."""
    build = paths.build_warehouse
    if not build.exists():
        raise FileNotFoundError(f"nothing to publish: {build} does not exist")
    with connect_build(paths) as con:
        con.execute("checkpoint build")
    fd = os.open(build, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(build, paths.published_warehouse)
    dir_fd = os.open(paths.warehouse_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return paths.published_warehouse


def connect_published(paths: DataPaths) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the last published warehouse."""
    if not paths.published_warehouse.exists():
        raise FileNotFoundError(
            f"no published warehouse at {paths.published_warehouse}: run `unheard demo` or `unheard run` first"
        )
    return duckdb.connect(str(paths.published_warehouse), read_only=True)


def run_models(con: duckdb.DuckDBPyConnection, models: tuple[tuple[str, str, str], ...],
               kind: str = "table") -> dict[str, int]:
    """Build each (schema, name, file) model as a table or view; return table row counts."""
    counts: dict[str, int] = {}
    for schema, name, relative in models:
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create or replace {kind} {schema}.{name} as {read_sql(relative)}")
        if kind == "table":
            counts[f"{schema}.{name}"] = con.execute(f"select count(*) from {schema}.{name}").fetchall()[0][0]
    return counts


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
