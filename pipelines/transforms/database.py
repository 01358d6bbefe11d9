"""The warehouse files and how a run writes them without readers ever seeing a half state.

A run writes `build.duckdb` (reset from the published file at its start) and publishes it
with an atomic rename onto `unheard.duckdb`. Readers open the published file read-only, so
a run in progress, a failed run or a killed run never changes what they see. One writer at
a time holds an exclusive lock on `writer.lock` for the whole run.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import re
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.paths import DataPaths
from warehouse import read_sql

# Written with a storage version that DuckDB 1.2+ tools (including the duckdb CLI from
# PyPI) can open; files written as 2.0 storage cannot be read by 1.x.
STORAGE_VERSION = "v1.2.0"

# Settings of every build connection (benchmarks/README.md has the measurements):
# - memory_limit: DuckDB's default is 80% of RAM whatever the data size; a bound makes a run's
#   memory depend on batch sizes, not on N (DuckDB spills to temp_directory beyond it).
# - force_compression zstd: the posting HTML and text columns dominate the file; DuckDB's
#   default string compression analysis (FSST/dictionary) on ~5 KB strings writes them ~2x
#   slower than zstd (DESIGN.md). Storage v1.2.0 (above) can hold zstd.
BUILD_MEMORY_LIMIT = os.environ.get("UNHEARD_DUCKDB_MEMORY_LIMIT", "1536MB")
BUILD_COMPRESSION = "zstd"
# - checkpoint_threshold: DuckDB checkpoints whenever the WAL passes 16 MiB, i.e. after
#   nearly every batch insert of posting text (2,000 versions ~ 25 MB), and a checkpoint
#   rewrites a whole table that has a primary key: the cleaning's own process spent 17 s
#   CPU on 30k versions that way, 4 s with fewer checkpoints. A build
#   file is thrown away if its run fails, so its WAL may grow; 1 GB keeps the data not yet
#   checkpointed (held in memory or spilled) near the memory limit. Every connection also
#   checkpoints when it closes (connect_build).
BUILD_CHECKPOINT_THRESHOLD = "1GB"
# Python work over Arrow batches (cleaning, tagging) runs in this many processes; 1: in-process.
WORKERS = int(os.environ.get("UNHEARD_WORKERS") or min(os.cpu_count() or 1, 4))


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
        con.execute(f"set memory_limit = '{BUILD_MEMORY_LIMIT}'")
        # spill next to the build file, not into the current directory (in-memory default)
        spill = paths.build_warehouse.with_name(paths.build_warehouse.name + ".tmp")
        con.execute(f"set temp_directory = '{_quote(spill)}'")
        con.execute(f"pragma force_compression = '{BUILD_COMPRESSION}'")
        con.execute(f"set checkpoint_threshold = '{BUILD_CHECKPOINT_THRESHOLD}'")
        con.execute(
            f"attach '{_quote(paths.build_warehouse)}' as build "
            f"(storage_version '{STORAGE_VERSION}')"
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
            f"no published warehouse at {paths.published_warehouse}: "
            "run `unheard demo` or `unheard run` first"
        )
    return duckdb.connect(str(paths.published_warehouse), read_only=True)


def run_models(con: duckdb.DuckDBPyConnection, models: tuple[tuple[str, str, str], ...],
               kind: str = "table") -> dict[str, int]:
    """Build each (schema, name, file) model as a table or view; return row counts.

    A model file can override the kind with a first line `-- materialized: view` (used where
    a table would only copy heavy text columns that another table already holds)."""
    counts: dict[str, int] = {}
    for schema, name, relative in models:
        sql = read_sql(relative)
        model_kind = _materialized(sql) or kind
        con.execute(f"create schema if not exists {schema}")
        # a model that changed kind (e.g. a table in a warehouse built before) is dropped
        # first: `create or replace view` cannot replace a table
        other = "view" if model_kind == "table" else "table"
        existing = con.execute(
            "select table_type from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
        if existing and (existing[0][0] == "VIEW") == (other == "view"):
            con.execute(f"drop {other} {schema}.{name}")
        con.execute(f"create or replace {model_kind} {schema}.{name} as {sql}")
        if kind == "table":
            rows = con.execute(f"select count(*) from {schema}.{name}").fetchall()
            counts[f"{schema}.{name}"] = rows[0][0]
    return counts


_MATERIALIZED = re.compile(r"^--\s*materialized:\s*(table|view)\b", re.IGNORECASE)


def _materialized(sql: str) -> str | None:
    match = _MATERIALIZED.match(sql.lstrip())
    return match[1].lower() if match else None


@contextlib.contextmanager
def stream_batches(con: duckdb.DuckDBPyConnection, query: str,
                   batch_rows: int) -> Iterator[Iterator[pa.RecordBatch]]:
    """Stream a query's result as Arrow record batches while `con` keeps writing.

    A DuckDB connection cannot run an insert while one of its results streams, so the query
    runs on a cursor (a second connection to the same database, same default catalog): rows
    stream batch by batch instead of being materialized whole (which at 1M postings of HTML
    would not fit a bounded memory). The cursor reads a snapshot: `con` must have committed
    what the query should see."""
    catalog = con.execute("select current_database()").fetchall()[0][0]
    reader = con.cursor()
    try:
        reader.execute(f'use "{catalog}"')
        yield iter(reader.sql(query).to_arrow_reader(batch_rows))
    finally:
        reader.close()


def map_batches(func: Callable[..., Any], batches: Iterable[pa.RecordBatch], *args: Any,
                workers: int | None = None) -> Iterator[Any]:
    """`func(batch, *args)` for each batch, in order, in `workers` processes when there is
    more than one batch (Python parsers are CPU-bound: the GIL gives threads nothing).

    At most two batches per worker are in flight, so memory stays bounded by the batch
    size. Workers are spawned, not forked: a fork of a process running DuckDB threads can
    inherit a held lock."""
    workers = WORKERS if workers is None else workers
    batches = iter(batches)
    head = list(islice(batches, 2))
    if workers <= 1 or len(head) < 2:
        # one batch (a daily run's few changes): starting processes would cost more
        for batch in chain(head, batches):
            yield func(batch, *args)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        in_flight: deque[Future[Any]] = deque()
        try:
            for batch in chain(head, batches):
                in_flight.append(pool.submit(func, batch, *args))
                if len(in_flight) >= 2 * workers:
                    yield in_flight.popleft().result()
            while in_flight:
                yield in_flight.popleft().result()
        finally:
            for future in in_flight:
                future.cancel()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
