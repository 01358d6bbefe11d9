"""Shared test fixtures: a local board server, temporary data dirs, and a crawl runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipelines.demo.fixture_server import DEMO_BOARDS, BoardServer
from spiders.raw_lake import open_board_file
from tests.reliability.tally import TALLY

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_BOARDS = PROJECT_ROOT / "tests" / "fixtures" / "boards"
REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"

# loopback needs no politeness delays
# Debian's Chromium, headless and cut off from the network, for the tests that look at pages
# as a person would (they skip, saying so, when it is absent)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
FAST_CRAWL = {
    "AUTOTHROTTLE_START_DELAY": "0",
    "DOWNLOAD_DELAY": "0",
    "UNHEARD_RETRY_BACKOFF_BASE": "0.05",
}
os.environ.setdefault("UNHEARD_START_DELAY", "0")
os.environ.setdefault("UNHEARD_DOWNLOAD_DELAY", "0")
os.environ.setdefault("TQDM_DISABLE", "1")


# The longest modules first, longest first (seconds: `pytest --durations=0` under xdist,
# summed per module). xdist hands modules to workers in collection order, and each worker
# takes a second module ahead: a long one collected last runs alone at the end while the
# other workers sit idle. This needs `--no-loadscope-reorder` (pyproject's addopts): by
# default xdist orders modules by their number of tests, which put the long integration
# modules, with few tests each, last (a simulated 757 s against 544 s for this order).
LONG_MODULES_FIRST = (
    "tests/integration/test_never_half_written.py",  # 264 s
    "tests/realdata/test_greenhouse_history_replay.py",  # 225 s
    "tests/integration/test_pipeline_materialize.py",  # 170 s
    "tests/integration/test_dagster_ui.py",  # 145 s
    "tests/reliability/test_killed_and_concurrent_runs.py",  # 141 s
    "tests/integration/test_marts.py",  # 123 s
    "tests/integration/test_partitioned_crawl.py",  # 119 s
    "tests/integration/test_cli.py",  # 113 s
    "tests/integration/test_schedule_daemon.py",  # 88 s
    "tests/integration/test_sources_check_cli.py",  # 88 s
    "tests/reliability/test_faults.py",  # 72 s
    "tests/reliability/test_security.py",  # 69 s
    "tests/reliability/test_bad_content.py",  # 56 s
    "tests/integration/test_report_browser.py",  # 45 s
    "tests/unit/test_observation_increments.py",  # 43 s
    "tests/integration/test_export.py",  # 37 s
    "tests/integration/test_cross_source_dedup.py",  # 36 s
    "tests/unit/test_gx_import_warm_up.py",  # 29 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {module: index for index, module in enumerate(LONG_MODULES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable


# -- the reliability suite's one-line summary (tests/reliability/tally.py) ------------------
# Under pytest-xdist the figures are summed in the workers: each sends its tally when it
# finishes, and the controller adds them up before printing the line.
def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reliability_tally"] = json.dumps(TALLY.as_dict())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    sent = getattr(node, "workeroutput", {}).get("reliability_tally")
    if sent:
        TALLY.merge(json.loads(sent))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY.empty:
        terminalreporter.write_sep("=", "reliability summary")
        terminalreporter.write_line(TALLY.line())


@pytest.fixture
def board_server() -> Iterator[BoardServer]:
    with BoardServer([TEST_BOARDS, DEMO_BOARDS]) as server:
        yield server


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is absent")
    return REALDATA


def run_unheard(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The `unheard` command line in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def write_sources(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")
    return path


def one_board_sources(path: Path, server: Any, company: str, family: str, token: str) -> Path:
    """A registry of one board that the local board server serves."""
    entry = {"company": company, "family": family, "token": token}
    return write_sources(path, [{**entry, "url": server.url_for(family, token)}])


def run_crawl(
    sources: Path,
    raw_root: Path,
    *,
    crawled_at: str | None = None,
    settings: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run a real crawl in a subprocess (as Dagster does) and return its manifest."""
    run_id = f"test-{uuid.uuid4().hex[:12]}"
    from spiders.crawl import crawl_command  # Scrapy is imported by the tests that crawl only

    settings = {**FAST_CRAWL, **(settings or {})}
    command = crawl_command(
        sources, raw_root, run_id=run_id, crawled_at=crawled_at, settings=settings
    )
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads((raw_root / "manifests" / f"{run_id}.json").read_text(encoding="utf-8"))


def materialize_pipeline(data_dir: Path, sources: Path, as_of: str) -> Any:
    """Every asset and quality check materialized in process, as one run of the whole
    pipeline with its crawl counted as happening `as_of`; failures are in the result."""
    import dagster as dg  # Dagster is imported by the tests that run the pipeline only

    from pipelines.checks.quality import QUALITY_CHECKS
    from pipelines.definitions import ASSETS
    from pipelines.resources import CrawlerResource, WarehouseResource

    return dg.materialize(
        [*ASSETS, *QUALITY_CHECKS],
        resources={
            "warehouse": WarehouseResource(data_dir=str(data_dir), lock_wait_s=5),
            "crawler": CrawlerResource(sources_file=str(sources), scrapy_settings=FAST_CRAWL),
        },
        run_config={"ops": {"raw_postings": {"config": {"as_of": as_of}}}},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def read_raw(raw_root: Path, manifest: dict[str, Any], board: str) -> list[dict[str, Any]]:
    entry = next(b for b in manifest["boards"] if b["board"] == board)
    assert entry["file"], f"no raw file for {board}: {entry}"
    with open_board_file(raw_root / entry["file"]) as handle:
        return [json.loads(line) for line in handle]


def board_outcome(manifest: dict[str, Any], board: str) -> dict[str, Any]:
    return next(b for b in manifest["boards"] if b["board"] == board)
