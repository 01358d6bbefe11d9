"""The reliability suite: one crawl of every fault and hostile board beside healthy demo
boards, built into a warehouse once per session; helpers for size-limited mounts; and the
one-line summary printed at the end of the run.

Sizes and timeouts are small so the suite stays fast: DOWNLOAD_TIMEOUT 2 s, a 3 MiB size cap
against 4 MiB oversize answers, Lever pages of 5 and a cap of 5 pages per board.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.demo.hostile_server import (
    FAULTS,
    HOSTILE_TEXT_BOARD,
    HostileServer,
    fault_job_ids,
)
from pipelines.paths import DataPaths
from spiders.raw_lake import open_board_file
from tests.conftest import FAST_CRAWL, PROJECT_ROOT, write_sources

DEMO_BOARDS = (
    ("greenhouse", "gridwise-demo"),
    ("lever", "furrow-labs-demo"),
    ("ashby", "clinica-scribe-demo"),
)
MAX_SIZE = 3 * 1024 * 1024
OVERSIZE = 4 * 1024 * 1024
AS_OF = "2026-11-20T06:00:00+00:00"
# in the environment of the hostile crawl and build: no log may show it
CANARY_SECRET = f"canary-{uuid.uuid4().hex}"
SECRET_ENV = {"AWS_SECRET_ACCESS_KEY": CANARY_SECRET, "UNHEARD_DB_PASSWORD": CANARY_SECRET}
# a registry company name that is also SQL
SQL_COMPANY = "O'Hostile Ltd'); DROP TABLE raw.board_crawls; --"


def hostile_settings(server: HostileServer) -> dict[str, str]:
    return {
        **FAST_CRAWL,
        "DOWNLOAD_TIMEOUT": "2",
        "DOWNLOAD_MAXSIZE": str(MAX_SIZE),
        "UNHEARD_LEVER_PAGE_SIZE": "5",
        "UNHEARD_MAX_PAGES_PER_BOARD": "5",
        # every board is on 127.0.0.1: one Scrapy slot; let the faults run side by side
        "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "UNHEARD_GUARD_RESOLVE": server.guard_resolve(),
    }


def crawl_command(
    sources: Path, raw_root: Path, run_id: str, settings: dict[str, str]
) -> list[str]:
    """The crawl of a hostile run: counted as happening at AS_OF."""
    from spiders import crawl

    return crawl.crawl_command(
        sources, raw_root, run_id=run_id, crawled_at=AS_OF, settings=settings
    )


@contextlib.contextmanager
def preserved_environment() -> Iterator[None]:
    """run_pipeline points DAGSTER_HOME and UNHEARD_DATA_DIR at its data dir: undo that."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_build(paths: DataPaths, **kwargs: Any):  # noqa: ANN201 - RunSummary
    from pipelines.runner import run_pipeline

    with preserved_environment():
        os.environ.update(SECRET_ENV)
        return run_pipeline(paths, crawl=False, **kwargs)


@dataclass
class HostileRun:
    server: HostileServer
    paths: DataPaths
    sources: Path
    manifest: dict[str, Any]
    crawl_log: str
    summary: Any  # pipelines.runner.RunSummary

    def board(self, token: str) -> dict[str, Any]:
        return next(b for b in self.manifest["boards"] if b["board"] == token)

    def raw_lines(self, token: str) -> list[dict[str, Any]]:
        entry = self.board(token)
        assert entry["file"], f"no raw file for {token}: {entry}"
        with open_board_file(self.paths.raw / entry["file"]) as handle:
            return [json.loads(line) for line in handle]

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.paths.published_warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def sent_keys(self) -> set[str]:
        """Every posting the boards that answered in full listed (a repeated id is one)."""
        keys: set[str] = set()
        for family, token in DEMO_BOARDS:
            payload = json.loads(self.server.board_file(family, token))
            jobs = payload if isinstance(payload, list) else payload["jobs"]
            keys |= {f"{family}:{token}:{job['id']}" for job in jobs}
        for (family, token), body in self.server.generated.items():
            payload = json.loads(body)
            jobs = payload if isinstance(payload, list) else payload["jobs"]
            keys |= {f"{family}:{token}:{job['id']}" for job in jobs}
        for fault in FAULTS:
            keys |= {f"{fault.family}:{fault.token}:{i}" for i in fault_job_ids(fault)}
        return keys


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileRun]:
    """Crawl every fault route, the hostile boards and three healthy demo boards in one run,
    then build and publish the warehouse from it."""
    root = tmp_path_factory.mktemp("hostile")
    paths = DataPaths.at(root / "data").ensure()
    with HostileServer(oversize_bytes=OVERSIZE) as server:
        entries = server.sources(demo=DEMO_BOARDS)
        for entry in entries:
            if entry["token"] == HOSTILE_TEXT_BOARD:
                entry["company"] = SQL_COMPANY
        sources = write_sources(root / "sources.yaml", entries)
        run_id = f"hostile-{uuid.uuid4().hex[:8]}"
        crawl = subprocess.Popen(
            crawl_command(sources, paths.raw, run_id, hostile_settings(server)),
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "UNHEARD_CRAWL_LOG_LEVEL": "INFO", **SECRET_ENV},
        )
        warm_up()  # while the crawl waits on its slow boards
        _, crawl_log = crawl.communicate(timeout=300)
        assert crawl.returncode == 0, crawl_log[-4000:]
        manifest = json.loads((paths.manifests / f"{run_id}.json").read_text(encoding="utf-8"))
        summary = run_build(paths)
        yield HostileRun(server, paths, sources, manifest, crawl_log, summary)


def warm_up() -> None:
    """Import what the warehouse run needs (Dagster definitions, Great Expectations)."""
    import great_expectations as gx

    import pipelines.definitions  # noqa: F401

    gx.get_context(mode="ephemeral")


# -- size-limited mounts ----------------------------------------------------------------------
@contextlib.contextmanager
def tmpfs(folder: Path, size: int) -> Iterator[Path]:
    """A tmpfs of `size` bytes mounted on `folder`; skips the test where mounting is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def resize(folder: Path, size: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)


# -- the one-line summary: printed by tests/conftest.py, which the xdist controller loads --
