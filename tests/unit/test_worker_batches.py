"""Worker processes (pipelines/transforms/database.py): batch sizes, and how they start."""

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from pipelines.transforms.database import (
    balanced_batch_rows,
    map_batches,
    map_batches_started,
    worker_pool,
)


@pytest.mark.parametrize(
    ("rows", "workers", "expected"),
    [
        (2_946, 2, 1_473),  # a daily run's new versions: two equal halves, not 2,000 + 946
        (5_000, 2, 1_250),  # three batches of 2,000 would leave a worker idle: four
        (100_000, 2, 2_000),  # already a multiple of the workers: the largest batch
        (1_500, 2, 2_000),  # one batch stays one batch (done in this process)
        (2_946, 1, 2_000),  # no workers: nothing to balance
        (9_000, 4, 1_125),
    ],
)
def test_batches_are_equal_and_a_multiple_of_the_workers(rows, workers, expected) -> None:
    size = balanced_batch_rows(rows, 2_000, workers)
    assert size == expected
    assert size <= 2_000
    batches = -(-rows // size)
    if batches > 1 and workers > 1:
        assert batches % workers == 0
        assert rows - (batches - 1) * size >= size - batches  # the last batch is not short


def probe(batch: pa.RecordBatch) -> dict:
    """What a worker had before its first batch: its parent, and whether the taggers' and
    parsers' one-time loading was done already."""
    from pipelines.tagging.sector import load_sector_taxonomy
    from pipelines.tagging.skills import _load_matcher

    return {
        "parent": os.getppid(),
        "pid": os.getpid(),
        "sector_taxonomy_loaded": load_sector_taxonomy.cache_info().currsize,
        "skills_loaded": _load_matcher.cache_info().currsize,
        "parsers_imported": "pipelines.cleaning.html_text" in sys.modules,
        # the server froze what it loaded (gc.freeze): the worker's collector skips it
        "frozen": gc.get_freeze_count(),
        "rows": batch.num_rows,
    }


def test_workers_fork_from_a_warm_server_not_from_this_process() -> None:
    batches = [pa.RecordBatch.from_pylist([{"n": i}] * (i + 1)) for i in range(6)]
    seen = list(map_batches(probe, batches, workers=2))
    assert [s["rows"] for s in seen] == [1, 2, 3, 4, 5, 6]  # in order, every batch
    assert all(s["pid"] != os.getpid() for s in seen)  # in worker processes
    # forked from the forkserver: a process that runs DuckDB threads is never forked, and
    # a spawned worker (parent: this process) would load everything again
    assert all(s["parent"] != os.getpid() for s in seen)
    assert all(s["sector_taxonomy_loaded"] and s["skills_loaded"] for s in seen)
    assert all(s["parsers_imported"] for s in seen)
    assert all(s["frozen"] > 10_000 for s in seen)
    # a second pool forks from the same server: the warm-up is paid once per process
    again = list(map_batches(probe, batches, workers=2))
    assert {s["parent"] for s in again} == {s["parent"] for s in seen}


def mark_started(batch: pa.RecordBatch, folder: str) -> int:
    """Leave a file named after the batch's first value: the batch reached a worker."""
    (Path(folder) / str(batch.column(0)[0].as_py())).touch()
    return batch.num_rows


def started_batches(folder: Path, expected: int) -> list[str]:
    """The batches that reached a worker, once `expected` of them did (or after 60 s)."""
    deadline = time.monotonic() + 60
    while len(list(folder.iterdir())) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return sorted(path.name for path in folder.iterdir())


def test_started_batches_are_cleaned_before_their_results_are_asked_for(tmp_path) -> None:
    # the load hands a group's batches over and goes on reading the next group: the
    # workers must be busy meanwhile, two batches each, the rest as results are collected
    batches = [pa.RecordBatch.from_pylist([{"n": i}] * (i + 1)) for i in range(6)]
    with worker_pool(2) as pool:
        results = map_batches_started(pool, mark_started, batches, str(tmp_path), workers=2)
        assert started_batches(tmp_path, 4) == ["0", "1", "2", "3"]
        time.sleep(0.5)  # no more before a result is collected
        assert len(list(tmp_path.iterdir())) == 4
        assert list(results) == [1, 2, 3, 4, 5, 6]  # in order, every batch
    assert started_batches(tmp_path, 6) == ["0", "1", "2", "3", "4", "5"]


def test_a_failing_warm_up_leaves_the_others_and_raises_nothing(monkeypatch) -> None:
    from pipelines.transforms import worker_preload

    ran = []

    def broken() -> None:
        ran.append("broken")
        raise ValueError("sectors.yaml: line 3: not a mapping")

    monkeypatch.setattr(
        worker_preload, "WARM_UPS", (broken, lambda: ran.append("after")), raising=True
    )
    worker_preload.warm()  # the server must survive it, or every stage would fail
    assert ran == ["broken", "after"]


def test_workers_are_warm_once_this_process_started_a_pool(monkeypatch) -> None:
    from pipelines.transforms import database

    monkeypatch.setattr(database, "_workers_started", False)
    batches = [pa.RecordBatch.from_pylist([{"n": i}]) for i in range(3)]
    list(map_batches(probe, batches[:1], workers=2))  # one batch: done in this process
    assert not database.workers_are_warm()
    list(map_batches(probe, batches, workers=2, min_batches=4))  # too few for workers
    assert not database.workers_are_warm()
    seen = list(map_batches(probe, batches, workers=2))
    assert database.workers_are_warm()
    assert all(s["pid"] != os.getpid() for s in seen)


# In a fresh interpreter: this process's forkserver children before and after start_workers.
START_EARLY = """
import os
import time
from pipelines.transforms import database

def servers():
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmd:
                command = cmd.read()
        except OSError:
            continue
        if parent == os.getpid() and b"forkserver" in command:
            found.append(entry)
    return found

database.WORKERS = 2
before = len(servers())
database.start_workers()
# the server is forked and then exec'd: on a busy machine its command line can still be
# this process's for a moment after start_workers returns
deadline = time.monotonic() + 10
while not servers() and time.monotonic() < deadline:
    time.sleep(0.05)
print(before, len(servers()), database.workers_are_warm())
"""


def test_the_worker_server_starts_before_the_first_batch() -> None:
    # the staging asset starts it before the load, so that its ~2 s warm-up is not spent
    # while the cleaning's first batch waits (a 100k day's cleaning: 3.2-3.5 s, 1.9-2.1 s)
    done = subprocess.run(
        [sys.executable, "-c", START_EARLY], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "1", "True"]


def test_workers_start_with_the_worlds_towns_read() -> None:
    # the server reads GeoNames' towns once, so that no worker pays the ~0.6 s again
    from pipelines.cleaning import gazetteer
    from pipelines.transforms import worker_preload

    gazetteer._world_towns.cache_clear()
    worker_preload.warm()
    assert gazetteer._world_towns.cache_info().currsize == 1
