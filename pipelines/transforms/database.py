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
import multiprocessing.forkserver
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
from pipelines.transforms.model_state import drop_state, relation_kind
from pipelines.transforms.observation_increments import refresh_from_new_observations
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
# - a model whose file says `-- memory_limit: model` is built with this larger limit (raised,
#   never lowered) and without keeping row order: intermediate.postings_without_text joins
#   every posting's version, lifecycle, role and skill list at once, and the 1M rebuild ran
#   out of 1.5 GB there ("failed to pin block") while it passed with 2.5 GB, peak 3.21 GiB.
#   The 1M day as `unheard build` peaked at 3.70 GiB with it, and at 3.68 with 2 GB
#   (benchmarks/README.md, sixteenth pass).
MODEL_MEMORY_LIMIT = os.environ.get("UNHEARD_DUCKDB_MODEL_MEMORY_LIMIT", "2560MB")
BUILD_COMPRESSION = "zstd"
# - row_group_size: DuckDB compresses and writes a row group on one thread, and its default
#   of 122,880 rows made every table of the 100k build one row group: the cleaned text's
#   checkpoint, the marts and the core tables ran on one core. With 30,720 the 100k rebuild
#   took 78.6-80.0 s against 83.7-87.3 s, and the file grew 6% (benchmarks/README.md,
#   sixteenth pass). The cleaning checkpoints on whole row groups of this size
#   (cleaner.row_group_rows reads it back).
BUILD_ROW_GROUP_ROWS = 30_720
# - checkpoint_threshold: DuckDB checkpoints whenever the WAL passes 16 MiB, i.e. after
#   nearly every batch insert of posting text (2,000 versions ~ 25 MB), and each checkpoint
#   costs: with the primary keys the version tables had then, it rewrote the whole table
#   (the cleaning's own process spent 17 s CPU on 30k versions that way, 4 s with fewer
#   checkpoints). A build
#   file is thrown away if its run fails, so its WAL may grow; 1 GB keeps the data not yet
#   checkpointed (held in memory or spilled) near the memory limit. Every connection also
#   checkpoints when it closes (connect_build).
BUILD_CHECKPOINT_THRESHOLD = "1GB"
# Tables that hold posting text and no PRIMARY KEY (schema.sql says why). A warehouse built
# while they had one is rebuilt without it once, by reset_build.
UNKEYED_TABLES = (
    "staging.raw_posting_versions",
    "staging.stg_posting_versions",
    "tags.version_roles",
)
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
        drop_primary_keys(con)
        drop_raw_html(con)
        add_missing_columns(con)
    return build


# Columns a release added to a table that warehouses made before it lack: (table, column,
# type, what the versions stored before it get). A version cleaned before employment_basis
# existed had its employment type from the board's field alone.
ADDED_COLUMNS = (
    (
        "staging.stg_posting_versions",
        "employment_basis",
        "varchar",
        "if(employment_type is null, null, 'stated')",
    ),
    # a board's level field: versions stored before it was read had none
    ("staging.raw_posting_versions", "seniority_raw", "varchar", "null"),
    ("staging.stg_posting_versions", "seniority_raw", "varchar", "null"),
    # the years of experience, the degree asked for and the visa sponsorship: versions
    # cleaned before they were read have none
    # until a rebuild (the cleaning fingerprint changed with them, so the run says so)
    ("staging.stg_posting_versions", "experience_years_min", "tinyint", "null"),
    ("staging.stg_posting_versions", "experience_years_max", "tinyint", "null"),
    ("staging.stg_posting_versions", "experience_raw", "varchar", "null"),
    ("staging.stg_posting_versions", "degree_required", "varchar", "null"),
    ("staging.stg_posting_versions", "degree_raw", "varchar", "null"),
    ("staging.stg_posting_versions", "visa_sponsorship", "boolean", "null"),
    ("staging.stg_posting_versions", "visa_sponsorship_raw", "varchar", "null"),
)


def add_missing_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add ADDED_COLUMNS to a warehouse made before them, filled for the rows it holds;
    return the columns added (table.column)."""
    added = []
    for table, column, type_, fill_expression in ADDED_COLUMNS:
        schema, name = table.split(".")
        exists = con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
        if not exists:
            continue  # schema.sql makes it whole
        present = con.execute(
            "select count(*) from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ? and column_name = ?",
            [schema, name, column],
        ).fetchall()[0][0]
        if not present:
            with transaction(con):
                con.execute(f"alter table {table} add column {column} {type_}")
                con.execute(f"update {table} set {column} = {fill_expression}")
            added.append(f"{table}.{column}")
    return added


# The board's description HTML that staging.raw_posting_versions held until the load handed
# it to the cleaning directly (schema.sql says why). Dropping a column is a catalog change;
# its blocks are reused by the next writes.
RAW_HTML_COLUMNS = ("description_html", "description_is_escaped")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit what the block writes, or roll it back when the block raises."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def drop_raw_html(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Drop RAW_HTML_COLUMNS from a warehouse made before; return the columns dropped."""
    columns = con.execute(
        "select column_name from duckdb_columns() where database_name = current_database() "
        "and schema_name = 'staging' and table_name = 'raw_posting_versions'"
    ).fetchall()
    dropped = [column for column in RAW_HTML_COLUMNS if (column,) in columns]
    for column in dropped:
        con.execute(f"alter table staging.raw_posting_versions drop column {column}")
    return dropped


def drop_primary_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild the UNKEYED_TABLES that still carry a primary key (a warehouse from before
    the keys were dropped) without it, rows in the same order; return their names.

    DuckDB cannot drop a key in place: the rows are copied out, the table recreated by
    schema.sql, and the rows copied back (once per warehouse)."""
    keyed = {
        row[0]
        for row in con.execute(
            "select schema_name || '.' || table_name from duckdb_constraints() "
            "where database_name = current_database() and constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    }
    stale = [table for table in UNKEYED_TABLES if table in keyed]
    if not stale:
        return []
    con.execute("begin transaction")
    try:
        for table in stale:
            copy = table.replace(".", ".keyed_")
            con.execute(f"create table {copy} as select * from {table}")
            con.execute(f"drop table {table}")
        con.execute(read_sql("schema.sql"))
        for table in stale:
            copy = table.replace(".", ".keyed_")
            con.execute(f"insert into {table} by name select * from {copy}")
            con.execute(f"drop table {copy}")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return stale


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
            f"(storage_version '{STORAGE_VERSION}', row_group_size {BUILD_ROW_GROUP_ROWS})"
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


# How many publishes may land while one reader connects before it gives up (one a run).
PUBLISHED_OPEN_ATTEMPTS = 5


def connect_published(paths: DataPaths) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the last published warehouse, opened from one file.

    DuckDB 2.0 opens a database file by its path three times while it attaches it (the
    magic bytes, the headers, then the blocks). A publish's rename that lands between those
    opens hands it the old file's headers and the new file's blocks: the attach fails ("No
    more data remaining in MetadataReader") or could misread. So an attach is kept only when
    the same file stood at the path before and after it; otherwise (a publish landed
    meanwhile) the file is attached again. A failure with no publish meanwhile is raised.

    The file is attached to a DuckDB instance of its own, not opened with
    `duckdb.connect(path)`: that reuses an instance the process already holds for the path,
    so a notebook keeping one connection open would get the state it opened first from
    every later connect, not the one published since."""
    path = paths.published_warehouse
    con = duckdb.connect()  # ~10 ms: made before the attach, the window a rename can hit
    try:
        for _ in range(PUBLISHED_OPEN_ATTEMPTS):
            before = _file_identity(path)
            try:
                attach_read_only(con, path)
            except duckdb.Error:
                if _file_identity(path) == before:
                    raise
                continue
            if _file_identity(path) == before:
                con.execute(f'use "{path.stem}"')
                return con
            con.execute(f'detach "{path.stem}"')
        raise RuntimeError(
            f"{path} was replaced {PUBLISHED_OPEN_ATTEMPTS} times while it was being opened: "
            "is something publishing in a loop?"
        )
    except BaseException:
        con.close()
        raise


def attach_read_only(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Attach the database file at `path` read-only, named after the file (as
    `duckdb.connect(path)` names it)."""
    con.execute(f"attach '{_quote(path)}' as \"{path.stem}\" (read_only)")


def _file_identity(path: Path) -> tuple[int, int, int, int]:
    """What changes when a publish renames another file onto `path`."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"no published warehouse at {path}: run `unheard demo` or `unheard run` first"
        ) from None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def run_models(
    con: duckdb.DuckDBPyConnection, models: tuple[tuple[str, str, str], ...], kind: str = "table"
) -> dict[str, int]:
    """Build each (schema, name, file) model as a table or view; return row counts.

    A model file can override the kind with a header line `-- materialized: view` (used where
    a table would only copy heavy text columns that another table already holds, e.g.
    marts.postings) or `-- materialized: incremental_observations` (a core table folded with
    the observations loaded since: `observation_increments.py`)."""
    counts: dict[str, int] = {}
    for schema, name, relative in models:
        sql = read_sql(relative)
        header = _header(sql)
        model_kind = header.get("materialized") or kind
        con.execute(f"create schema if not exists {schema}")
        if model_kind == "incremental_observations":
            refresh_from_new_observations(con, schema, name, sql, header)
        else:
            # a model that changed kind (e.g. a table in a warehouse built before) is dropped
            # first: `create or replace view` cannot replace a table
            _drop_other_kind(con, schema, name, model_kind)
            drop_state(con, schema, name)
            with _model_memory(con, header.get("memory_limit")):
                con.execute(f"create or replace {model_kind} {schema}.{name} as {sql}")
        if kind == "table":
            rows = con.execute(f"select count(*) from {schema}.{name}").fetchall()
            counts[f"{schema}.{name}"] = rows[0][0]
    return counts


_HEADER = re.compile(r"^--\s*(materialized|increment|memory_limit):\s*(.*?)\s*$")


@contextlib.contextmanager
def _model_memory(con: duckdb.DuckDBPyConnection, limit: str | None) -> Iterator[None]:
    """With `limit` "model": MODEL_MEMORY_LIMIT (when larger than the connection's) and no
    insertion order (a table's row order is not part of what it holds), then the
    connection's settings back. Any other value leaves the settings alone."""
    if limit != "model":
        yield
        return
    ordered, current = con.execute(
        "select current_setting('preserve_insertion_order'), current_setting('memory_limit')"
    ).fetchall()[0]
    raised = _bytes(MODEL_MEMORY_LIMIT) > _bytes(current)
    con.execute("set preserve_insertion_order = false")
    if raised:
        con.execute(f"set memory_limit = '{MODEL_MEMORY_LIMIT}'")
    try:
        yield
    finally:
        con.execute(f"set preserve_insertion_order = {bool(ordered)}")
        if raised:  # back to the limit as DuckDB reports it (to 0.1 of its unit)
            con.execute(f"set memory_limit = '{current}'")


_SIZE = re.compile(r"^\s*([0-9.]+)\s*([KMGT]?)(i?)B\s*$", re.IGNORECASE)


def _bytes(size: str) -> float:
    """A DuckDB size ("1536MB", "1.4 GiB") in bytes; unreadable sizes count as unlimited."""
    match = _SIZE.match(size)
    if not match:
        return float("inf")
    power = " KMGT".index(match[2].upper() or " ")
    return float(match[1]) * (1024 if match[3] else 1000) ** power


def _header(sql: str) -> dict[str, str]:
    """The `-- key: value` directives of a model file's leading comment lines."""
    directives: dict[str, str] = {}
    for line in sql.lstrip().splitlines():
        if not line.startswith("--"):
            break
        match = _HEADER.match(line)
        if match:
            directives[match[1]] = match[2].lower() if match[1] == "materialized" else match[2]
    return directives


def _drop_other_kind(con: duckdb.DuckDBPyConnection, schema: str, name: str, kind: str) -> None:
    existing = relation_kind(con, schema, name)
    if existing is not None and existing != kind:
        con.execute(f"drop {existing} {schema}.{name}")


@contextlib.contextmanager
def stream_batches(
    con: duckdb.DuckDBPyConnection, query: str, batch_rows: int
) -> Iterator[Iterator[pa.RecordBatch]]:
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


def balanced_batch_rows(rows: int, max_rows: int, workers: int | None = None) -> int:
    """A batch size of at most `max_rows` that cuts `rows` into a multiple of `workers` equal
    batches. Worker processes take batches in turn, so uneven batches leave one idle: a daily
    run's 2,946 new versions in batches of 2,000 kept one worker busy for 2,000 rows while
    the other was done after 946. One batch (work done in this process) stays one batch."""
    workers = WORKERS if workers is None else workers
    batches = -(-rows // max_rows)
    if batches <= 1 or workers <= 1:
        return max_rows
    batches = -(-batches // workers) * workers
    return -(-rows // batches)


# The forkserver imports this before its first fork; see worker_preload.py.
WORKER_PRELOAD = ["pipelines.transforms.worker_preload"]


def worker_context() -> multiprocessing.context.ForkServerContext:
    """Worker processes forked from a forkserver: a single-threaded process started once per
    run process (it runs no DuckDB), which has imported the parsers and loaded the
    taxonomies (WORKER_PRELOAD). Spawned workers paid that again, ~1-2 s CPU each, two a
    stage; a fork costs milliseconds. The server lives as long as this process (~0.14 GiB
    resident). Python 3.11's server imports WORKER_PRELOAD with its default sys.path: the
    project installed (`pip install -e .`) or the working directory at its root; otherwise
    the warm-up is skipped and each worker loads what it needs, as a spawned one did."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    return context


def start_workers() -> None:
    """Start the worker forkserver now, when the next steps will need workers: it warms up
    (~2 s CPU importing the parsers and loading the taxonomies) in its own process while
    this one goes on, e.g. while the raw lake loads, instead of when the cleaning first
    needs a worker. Nothing to do with one worker or once started."""
    global _workers_started
    if WORKERS <= 1 or _workers_started:
        return
    worker_context()
    multiprocessing.forkserver.ensure_running()
    _workers_started = True


def workers_are_warm() -> bool:
    """Whether this process has started worker processes before: its forkserver is up and
    warm, so more workers cost milliseconds, not the server's ~2 s warm-up. Callers with
    little work choose this process when they would be the first to start it."""
    return _workers_started


_workers_started = False


def worker_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """`workers` processes (WORKERS by default) forked from the worker forkserver
    (worker_context). A caller with work in several rounds keeps one pool for all of them:
    a new worker's first touches of the server's memory copy its pages (~0.2 s CPU each)."""
    global _workers_started
    _workers_started = True
    return ProcessPoolExecutor(WORKERS if workers is None else workers, mp_context=worker_context())


def map_batches(
    func: Callable[..., Any],
    batches: Iterable[pa.RecordBatch],
    *args: Any,
    workers: int | None = None,
    min_batches: int = 2,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[Any]:
    """`func(batch, *args)` for each batch, in order, in `workers` processes when there are
    at least `min_batches` batches (Python parsers are CPU-bound: the GIL gives threads
    nothing); fewer are done in this process. A `pool` (worker_pool) is used for any number
    of batches and left open.

    At most two batches per worker are in flight, so memory stays bounded by the batch
    size. Workers fork from a forkserver (worker_context), never from this process: a fork
    of a process running DuckDB threads can inherit a held lock."""
    workers = WORKERS if workers is None else workers
    batches = iter(batches)
    if pool is not None:
        yield from map_batches_started(pool, func, batches, *args, workers=workers)
        return
    head = list(islice(batches, max(min_batches, 2)))
    if workers <= 1 or len(head) < max(min_batches, 2):
        for batch in chain(head, batches):
            yield func(batch, *args)
        return
    with worker_pool(workers) as own:
        yield from map_batches_started(own, func, chain(head, batches), *args, workers=workers)


def map_batches_started(
    pool: ProcessPoolExecutor,
    func: Callable[..., Any],
    batches: Iterable[pa.RecordBatch],
    *args: Any,
    workers: int | None = None,
) -> Iterator[Any]:
    """map_batches on `pool` with its first batches submitted now: the workers start on them
    while the caller does other work, and iterating gives the results in order. As in
    map_batches, at most two batches per worker are in flight."""
    workers = WORKERS if workers is None else workers
    batches = iter(batches)
    in_flight = deque(pool.submit(func, batch, *args) for batch in islice(batches, 2 * workers))
    return _in_order(pool, in_flight, func, batches, args)


def _in_order(
    pool: ProcessPoolExecutor,
    in_flight: deque[Future[Any]],
    func: Callable[..., Any],
    batches: Iterator[pa.RecordBatch],
    args: tuple[Any, ...],
) -> Iterator[Any]:
    """The results of the batches `in_flight`, in order, each one's place taken by the next
    batch as it is collected."""
    try:
        while in_flight:
            result = in_flight.popleft().result()
            if (batch := next(batches, None)) is not None:
                in_flight.append(pool.submit(func, batch, *args))
            yield result
    finally:
        for future in in_flight:
            future.cancel()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
