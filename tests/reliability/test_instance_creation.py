"""Two first runs on a fresh data dir both get a working Dagster instance: its storage is
created once, under a file lock, instead of by both at the same time (which fails one of
them with "table runs already exists")."""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from pipelines.paths import DataPaths
from pipelines.runner import INSTANCE_LOCK, instance_lock, prepare_instance
from tests.reliability.tally import TALLY

# the children inherit warm imports (Dagster takes seconds to import)
CONTEXT = multiprocessing.get_context("fork")


def _first_run(root: Path, start: Barrier, results: Queue) -> None:
    """What a first run does before its job starts: prepare, then open the instance."""
    try:
        import dagster as dg

        paths = DataPaths.at(root)
        start.wait(timeout=60)
        prepare_instance(paths)
        with dg.DagsterInstance.get() as instance:
            instance.get_runs(limit=1)
        results.put(None)
    except BaseException as error:  # noqa: BLE001 - reported to the test, whatever it is
        results.put(f"{type(error).__name__}: {error}"[:300])


def test_two_first_runs_on_a_fresh_data_dir_both_get_the_instance(tmp_path: Path) -> None:
    root = tmp_path / "data"
    results = CONTEXT.Queue()
    start = CONTEXT.Barrier(2)  # both reach the storage at the same moment
    children = [CONTEXT.Process(target=_first_run, args=(root, start, results)) for _ in "ab"]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=300)
    errors = [results.get(timeout=10) for _ in children]
    assert [error for error in errors if error] == []
    assert [child.exitcode for child in children] == [0, 0]
    assert (DataPaths.at(root).dagster_home / "history" / "runs.db").is_file()
    TALLY.fault("two first runs on a fresh data dir")


def _waits_on_flock(pid: int, lock_file: Path) -> bool:
    """Whether `pid` is blocked waiting for an flock on `lock_file` (a "->" line of
    /proc/locks names a waiter, its pid and the file's inode)."""
    inode = f":{lock_file.stat().st_ino} "
    lines = Path("/proc/locks").read_text().splitlines()
    return any("-> FLOCK" in line and f" {pid} " in line and inode in line for line in lines)


def test_a_run_waits_while_another_creates_the_instance(tmp_path: Path) -> None:
    if not Path("/proc/locks").is_file():
        pytest.skip("no /proc/locks to see a process wait on a lock")
    paths = DataPaths.at(tmp_path / "data").ensure()
    results = CONTEXT.Queue()
    runs_db = paths.dagster_home / "history" / "runs.db"
    with instance_lock(paths):  # as a first run holds it while it creates the storage
        child = CONTEXT.Process(target=_first_run, args=(paths.root, CONTEXT.Barrier(1), results))
        child.start()
        lock_file = paths.root / INSTANCE_LOCK
        deadline = time.monotonic() + 120
        while not _waits_on_flock(child.pid, lock_file):
            assert child.is_alive(), "the run opened the instance without waiting for the lock"
            assert time.monotonic() < deadline, "the run neither waited nor finished"
            time.sleep(0.02)
        assert not runs_db.exists(), "the storage was created while another held the lock"
    child.join(timeout=300)
    assert results.get(timeout=10) is None
    assert runs_db.is_file()
