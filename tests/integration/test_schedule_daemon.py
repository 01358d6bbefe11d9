"""The daily schedule under the real `dagster-daemon`: with the cron moved to every minute
(`UNHEARD_SCHEDULE_CRON`, as an operator would), the daemon ticks, queues and launches
`full_pipeline_job` in its own process, and that run crawls the local boards, passes its
checks and publishes — the crawl stamped with the tick's time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from pipelines.demo.fixture_server import BoardServer
from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.paths import DataPaths
from pipelines.transforms.database import connect_published
from tests.conftest import PROJECT_ROOT
from tests.integration.test_dagster_ui import stop

pytestmark = pytest.mark.slow

SCHEDULE_TAG = "dagster/schedule_name"
DONE = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


@pytest.fixture
def daemon_data_dir(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen, Path]]:
    data_dir = tmp_path / "data"
    dagster_home = data_dir / "dagster"
    dagster_home.mkdir(parents=True)
    shutil.copyfile(PROJECT_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    # the storage exists before the daemon starts: this test polls the same instance, and two
    # processes creating its SQLite schema at once would race (`unheard` commands take a lock)
    DagsterInstance.from_config(str(dagster_home)).dispose()
    log = tmp_path / "daemon.log"
    with BoardServer() as server:
        sources = write_demo_sources(server, DEMO_REGISTRY, data_dir / "demo" / "sources.yaml")
        env = {
            **os.environ,
            "DAGSTER_HOME": str(dagster_home),
            "UNHEARD_DATA_DIR": str(data_dir),
            "UNHEARD_SOURCES": str(sources),
            "UNHEARD_SCHEDULE_CRON": "* * * * *",
            "UNHEARD_LOG_LEVEL": "ERROR",
        }
        with log.open("w") as log_file:
            daemon = subprocess.Popen(
                # what the `dagster-daemon run` console script calls
                [sys.executable, "-m", "dagster._daemon", "run", "-m", "pipelines.definitions"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            yield data_dir, daemon, log
        finally:
            stop(daemon)


def test_the_daemon_runs_the_schedule_and_publishes(daemon_data_dir) -> None:
    data_dir, daemon, log = daemon_data_dir
    # a tick every minute: the first one comes within 60 s of the daemon's start, and its
    # run (a fresh process loading the code, crawling and building) within a few minutes
    deadline = time.monotonic() + 420
    run = None
    while time.monotonic() < deadline:
        assert daemon.poll() is None, f"the daemon exited:\n{log.read_text()[-3000:]}"
        with DagsterInstance.from_config(str(data_dir / "dagster")) as instance:
            runs = instance.get_runs(RunsFilter(tags={SCHEDULE_TAG: "daily_pipeline_schedule"}))
            finished = [r for r in runs if r.status in DONE]
            if finished:
                run = finished[-1]  # the first tick's run
                break
        time.sleep(2)
    assert run is not None, f"no scheduled run finished in time:\n{log.read_text()[-3000:]}"
    assert run.status == DagsterRunStatus.SUCCESS, f"scheduled run {run.run_id}: {run.status}"
    assert run.job_name == "full_pipeline_job"
    assert run.tags["unheard/trigger"] == "schedule"
    assert "dagster/tick" in run.tags  # launched by the scheduler daemon, not by hand

    # the crawl is stamped with the tick the run belongs to
    as_of = run.run_config["ops"]["raw_postings"]["config"]["as_of"]
    tick = datetime.fromisoformat(as_of)
    assert tick.second == 0 and tick.microsecond == 0
    manifests = [json.loads(p.read_text()) for p in (data_dir / "raw" / "manifests").glob("*.json")]
    assert as_of in {datetime.fromisoformat(m["crawled_at"]).isoformat() for m in manifests}

    # and it published the demo boards
    # the daemon keeps ticking: the next tick's run may publish while this reads
    with connect_published(DataPaths.at(data_dir)) as db:
        [(postings,)] = db.sql("select count(*) from marts.postings").fetchall()
    assert postings == 53
