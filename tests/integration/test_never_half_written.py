"""Readers only ever see a complete published warehouse: while a run writes, when a run is
killed at any stage, and when the same crawl is replayed twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.demo.fixture_server import json_answer
from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.paths import DataPaths
from pipelines.transforms.database import connect_published
from tests.conftest import PROJECT_ROOT

MART_FINGERPRINT = (
    "select md5(string_agg(posting_key || coalesce(title, '') || coalesce(closed_at::varchar, '') "
    "|| coalesce(role_family, '') || coalesce(sector, ''), ',' order by posting_key)) "
    "from marts.postings"
)


def start_run(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "UNHEARD_DATA_DIR": str(data_dir), "UNHEARD_LOG_LEVEL": "DEBUG"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-4000:]
    return output


def fingerprint(paths: DataPaths) -> tuple[int, str]:
    # the way unheard's readers open the warehouse (`unheard sql`, the report, export): a
    # bare duckdb.connect can fail when the rename lands inside DuckDB's opens (see
    # database.connect_published and tests/unit/test_published_reader.py)
    con = connect_published(paths)
    try:
        return con.execute(f"select count(*), ({MART_FINGERPRINT}) from marts.postings").fetchall()[
            0
        ]
    finally:
        con.close()


@pytest.fixture
def first_published(board_server, tmp_path: Path) -> tuple[Path, Path]:
    sources = write_demo_sources(board_server, DEMO_REGISTRY, tmp_path / "sources.yaml")
    data_dir = tmp_path / "data"
    finish(start_run(data_dir, "run", "--sources", str(sources), "--as-of", "2026-11-20T06:00:00Z"))
    return data_dir, sources


def drop_first_gridwise_job(board_server) -> None:
    gridwise = json.loads(board_server.board_file("greenhouse", "gridwise-demo"))
    gridwise["jobs"].pop(0)
    for _ in range(3):
        board_server.script("/greenhouse/v1/boards/gridwise-demo/jobs", json_answer(gridwise))


def test_a_reader_during_a_run_sees_the_old_or_the_new_state_complete(
    board_server, first_published
) -> None:
    data_dir, sources = first_published
    published = DataPaths.at(data_dir)
    before = fingerprint(published)
    drop_first_gridwise_job(board_server)

    seen: list[tuple[int, str]] = []
    errors: list[str] = []
    stop = threading.Event()

    def read_continuously() -> None:
        while not stop.is_set():
            try:
                seen.append(fingerprint(published))
            except duckdb.Error as error:  # any failure to read is a failure of the design
                errors.append(str(error))
            time.sleep(0.02)

    reader = threading.Thread(target=read_continuously)
    reader.start()
    try:
        finish(
            start_run(data_dir, "run", "--sources", str(sources), "--as-of", "2026-11-21T06:00:00Z")
        )
    finally:
        time.sleep(0.2)
        stop.set()
        reader.join()
    after = fingerprint(published)
    assert not errors, errors[:3]
    assert after != before
    assert set(seen) <= {before, after}
    assert seen.count(before) > 10, "the reader kept reading the old state while the run wrote"


KILL_STAGES = {
    "crawling": 'STEP_START - Started execution of step "raw_postings"',
    "staging": 'STEP_START - Started execution of step "stg_postings"',
    "checking": 'Started execution of step "core_postings_core_postings_meet_core_suite"',
    "publishing": 'STEP_START - Started execution of step "published_warehouse"',
}


def test_runs_killed_at_every_stage_change_nothing_and_replays_are_idempotent(
    board_server, first_published
) -> None:
    data_dir, sources = first_published
    paths = DataPaths.at(data_dir)
    before = paths.published_warehouse.read_bytes()
    drop_first_gridwise_job(board_server)

    for stage, marker in KILL_STAGES.items():
        process = start_run(
            data_dir, "run", "--sources", str(sources), "--as-of", "2026-11-21T06:00:00Z"
        )
        for line in process.stdout:
            if marker in line:
                os.killpg(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL, f"the run ended before it was killed {stage}"
        assert paths.published_warehouse.read_bytes() == before, (
            f"killed while {stage}: warehouse changed"
        )

    # the next run recovers: it publishes, and closes exactly the posting that disappeared
    drop_first_gridwise_job(board_server)
    finish(start_run(data_dir, "run", "--sources", str(sources), "--as-of", "2026-11-22T06:00:00Z"))
    con = duckdb.connect(str(paths.published_warehouse), read_only=True)
    closed = con.execute(
        "select count(*) from marts.postings where closed_at is not null"
    ).fetchall()
    loaded = {row[0] for row in con.execute("select run_id from raw.crawl_runs").fetchall()}
    con.close()
    assert closed == [(1,)]
    # only crawls whose manifest was written are loaded, whatever files a killed crawl left
    assert loaded == {p.stem for p in paths.manifests.glob("*.json")}

    # idempotence: rebuilding from the raw lake (killed crawls' partial runs included on disk)
    # gives the same marts as the incremental runs did, every time
    incremental = fingerprint(paths)
    finish(start_run(data_dir, "build", "--rebuild"))
    rebuilt = fingerprint(paths)
    finish(start_run(data_dir, "build", "--rebuild"))
    assert incremental == rebuilt == fingerprint(paths)
