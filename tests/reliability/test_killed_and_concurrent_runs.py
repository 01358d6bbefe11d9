"""Runs that die or collide: a crawl process SIGKILLed before and while it writes leaves
nothing a later load would read as complete, and the next crawl recovers; two warehouse
runs started at once take turns (one waits on the writer lock) and neither corrupts the
published warehouse. (Killing the Dagster run at four stages is covered by
tests/integration/test_never_half_written.py.)"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.demo.hostile_server import FAULTS_BY_TOKEN, HOSTILE_TEXT_BOARD, HostileServer
from pipelines.paths import DataPaths
from pipelines.transforms.cleaner import VersionCleaner
from pipelines.transforms.database import WriterBusyError, connect_build, reset_build, writer_lock
from pipelines.transforms.raw_loader import load_pending_runs
from spiders.raw_lake import board_files
from tests.conftest import FAST_CRAWL, PROJECT_ROOT, write_sources
from tests.reliability.conftest import HostileRun, crawl_command, preserved_environment
from tests.reliability.tally import TALLY


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the crawl"
        time.sleep(0.02)


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the crawl ended before it was killed"


def test_a_killed_crawl_leaves_nothing_readable_and_the_next_crawl_recovers(
    tmp_path: Path,
) -> None:
    paths = DataPaths.at(tmp_path / "data").ensure()
    with HostileServer() as server:
        healthy = server.sources(
            faults=[], hostile=False, demo=[("greenhouse", "gridwise-demo")]
        ) + [e for e in server.sources(faults=[]) if e["token"] == HOSTILE_TEXT_BOARD]
        # the trickling board holds the crawl open while the other boards' files are written
        trickle = server.sources(faults=[FAULTS_BY_TOKEN["fault-trickle"]], hostile=False)
        sources = write_sources(tmp_path / "sources.yaml", healthy + trickle)
        slow = {**FAST_CRAWL, "DOWNLOAD_TIMEOUT": "60"}

        def start(run_id: str) -> subprocess.Popen:
            return subprocess.Popen(
                crawl_command(sources, paths.raw, run_id, slow),
                cwd=PROJECT_ROOT,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        # killed 1: as soon as the crawl reaches the server, before any posting is written
        early = start("killed-early")
        wait_for(lambda: sum(server.hits.values()) + sum(server.fault_hits.values()) > 0)
        kill(early)
        # killed 2: while board files are being written (and the trickle holds the crawl open)
        writing = start("killed-writing")
        wait_for(lambda: any(paths.raw.glob("**/run=killed-writing/*.partial")))
        kill(writing)
        TALLY.runs_killed += 2

        assert list(paths.manifests.glob("*.json")) == []
        assert board_files(paths.raw) == [], "a killed crawl published a file"

        # the next crawl (the trickling board gone) completes and is published
        recovered = subprocess.run(
            crawl_command(
                write_sources(tmp_path / "healthy.yaml", healthy),
                paths.raw,
                "recovered",
                FAST_CRAWL,
            ),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert recovered.returncode == 0, recovered.stderr[-3000:]

    # loading the lake reads the completed crawl only, whatever the killed ones left behind
    assert any(paths.raw.glob("**/run=killed-writing/*.partial"))
    reset_build(paths, from_published=False)
    with connect_build(paths) as con, VersionCleaner(con) as cleaner:
        report = load_pending_runs(con, paths.raw, cleaner)
        runs = con.execute("select run_id from raw.crawl_runs").fetchall()
        keys = con.execute("select count(distinct posting_key) from staging.stg_observations")
        observed = keys.fetchall()[0][0]
    assert report.runs_loaded == ["recovered"] and runs == [("recovered",)]
    assert observed == 10 + 4  # gridwise-demo's 10 and hostile-text's 4 distinct ids
    TALLY.runs_recovered += 2


def _run_in_child(paths: DataPaths, name: str, results: multiprocessing.Queue) -> None:
    from pipelines.runner import run_pipeline

    try:
        summary = run_pipeline(paths, crawl=False, trigger=name)
        results.put((name, summary.published, summary.run_id, None))
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        results.put((name, False, None, repr(error)))


def step_window(instance, run_id: str) -> tuple[float, float]:  # noqa: ANN001
    times = [
        record.timestamp
        for record in instance.all_logs(run_id)
        if record.dagster_event is not None
        and record.dagster_event.event_type_value in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE")
    ]
    return min(times), max(times)


def fingerprint(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select count(*), md5(string_agg(posting_key || coalesce(title, ''), ',' "
            "order by posting_key)) from marts.postings"
        ).fetchall()
    finally:
        con.close()


def test_two_runs_started_at_once_take_turns_and_neither_corrupts_the_warehouse(
    hostile_run: HostileRun, tmp_path: Path
) -> None:
    import dagster as dg

    paths = DataPaths.at(tmp_path / "data").ensure()
    shutil.copytree(hostile_run.paths.raw, paths.raw, dirs_exist_ok=True)
    shutil.copyfile(hostile_run.paths.published_warehouse, paths.published_warehouse)
    before = fingerprint(paths.published_warehouse)

    context = multiprocessing.get_context("fork")  # the children inherit warm imports
    results = context.Queue()
    with preserved_environment():
        # the data dir has no Dagster instance yet: the two runs are both its first and
        # create it under the instance lock (pipelines/runner.py prepare_instance)
        assert not (paths.dagster_home / "dagster.yaml").exists()
        children = [
            context.Process(target=_run_in_child, args=(paths, name, results))
            for name in ("first", "second")
        ]
        for child in children:
            child.start()
        # while they run, a writer that will not wait is refused
        refused: list[str] = []
        deadline = time.monotonic() + 120
        while not refused and time.monotonic() < deadline:
            try:
                with writer_lock(paths, wait_s=0):
                    pass
            except WriterBusyError as error:
                refused.append(str(error))
            time.sleep(0.05)
        for child in children:
            child.join(timeout=600)
        outcomes = sorted(results.get(timeout=5) for _ in children)

    assert refused and "another run is writing the warehouse" in refused[0]
    assert [(name, published, error) for name, published, _, error in outcomes] == [
        ("first", True, None),
        ("second", True, None),
    ]
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        windows = sorted(step_window(instance, run_id) for *_, run_id, _ in outcomes)
    assert windows[0][1] <= windows[1][0], f"the two runs wrote at the same time: {windows}"
    # nothing new to load: both runs published the same marts, and the file opens cleanly
    assert fingerprint(paths.published_warehouse) == before
    assert not paths.build_warehouse.exists()
    TALLY.fault("two runs started at once")
