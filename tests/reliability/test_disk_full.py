"""A full disk while writing the raw lake or the warehouse is a clear error and publishes
nothing half-way; once there is space again, the next run works. Uses tmpfs mounts of a
few MiB (skipped where mounting is not permitted)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from pipelines.demo.fixture_server import json_answer
from pipelines.paths import DataPaths
from spiders.raw_lake import RawLakeWriteError, write_manifest
from tests.conftest import FAST_CRAWL, PROJECT_ROOT, write_sources
from tests.reliability.conftest import (
    HostileRun,
    crawl_command,
    preserved_environment,
    resize,
    tmpfs,
)
from tests.reliability.tally import TALLY

MiB = 1024 * 1024


def incompressible_board(postings: int = 4, size: int = 400_000) -> dict:
    """Random text does not compress: `postings` × `size` bytes really reach the disk."""
    return {
        "jobs": [
            {
                "id": 7000 + i,
                "title": f"Analyst {i}",
                "content": base64.b64encode(os.urandom(size * 3 // 4)).decode(),
            }
            for i in range(postings)
        ]
    }


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_full_disk_while_crawling_publishes_nothing_and_the_next_crawl_recovers(
    board_server, tmp_path: Path
) -> None:
    board_server.script(
        "/greenhouse/v1/boards/big-board/jobs",
        json_answer(incompressible_board()),
        json_answer(incompressible_board()),
    )
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "company": "Big",
                "family": "greenhouse",
                "token": "big-board",
                "url": board_server.url_for("greenhouse", "big-board"),
            },
            {
                "company": "Gridwise",
                "family": "greenhouse",
                "token": "gridwise-demo",
                "url": board_server.url_for("greenhouse", "gridwise-demo"),
            },
        ],
    )
    raw = tmp_path / "raw"
    with tmpfs(raw, 1 * MiB):
        run_id = f"full-{uuid.uuid4().hex[:6]}"
        result = subprocess.run(
            crawl_command(sources, raw, run_id, FAST_CRAWL),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 5, result.stderr[-3000:]
        assert "No space left on device" in result.stderr
        assert f"crawl {run_id} not published" in result.stderr
        assert "Traceback" not in result.stderr
        # nothing of the run is left: no manifest, no board file, no partial file
        assert files_under(raw) == []

        # space again: the same crawl completes and is published
        resize(raw, 16 * MiB)
        retry = f"retry-{uuid.uuid4().hex[:6]}"
        result = subprocess.run(
            crawl_command(sources, raw, retry, FAST_CRAWL),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        manifest = json.loads((raw / "manifests" / f"{retry}.json").read_text())
        assert {b["board"]: b["postings"] for b in manifest["boards"]} == {
            "big-board": 4,
            "gridwise-demo": 10,
        }
        assert not [f for f in files_under(raw) if f.endswith(".partial")]
    TALLY.fault("disk full while writing the raw lake")


def test_a_full_disk_while_writing_the_manifest_leaves_no_manifest(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    with tmpfs(raw, 256 * 1024):
        (raw / "manifests").mkdir()
        with (raw / "filler").open("wb") as filler, pytest.raises(OSError):
            while True:  # fill the disk to the last block
                filler.write(b"\0" * 65536)
                filler.flush()
        with pytest.raises(RawLakeWriteError, match="No space left on device"):
            write_manifest(raw, "r1", {"run_id": "r1", "boards": ["x" * 10_000] * 50})
        assert files_under(raw / "manifests") == []
    TALLY.fault("disk full while writing the manifest")


def test_a_full_disk_while_building_the_warehouse_is_a_clear_error_and_publishes_nothing(
    hostile_run: HostileRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines import cli

    paths = DataPaths.at(tmp_path / "data").ensure()
    shutil.copytree(hostile_run.paths.raw, paths.raw, dirs_exist_ok=True)
    published = hostile_run.paths.published_warehouse
    size = published.stat().st_size
    # room for the published file and a little more, not for the build's copy of it
    with tmpfs(paths.warehouse_dir, size + MiB // 2):
        shutil.copyfile(published, paths.published_warehouse)
        before = hashlib.sha256(paths.published_warehouse.read_bytes()).hexdigest()
        with preserved_environment(), pytest.raises(SystemExit) as exit_:
            cli.main(["build", "--data-dir", str(paths.root)])
        out, err = capsys.readouterr()
        assert exit_.value.code == cli.EXIT_NO_SPACE
        assert "no space left on the disk" in err and "Nothing was published" in err
        assert "NOT published" in out
        after = hashlib.sha256(paths.published_warehouse.read_bytes()).hexdigest()
        assert after == before, "the published warehouse changed"
        count = hostile_run.query("select count(*) from marts.postings")
        import duckdb

        con = duckdb.connect(str(paths.published_warehouse), read_only=True)
        try:
            assert con.execute("select count(*) from marts.postings").fetchall() == count
        finally:
            con.close()
    TALLY.fault("disk full while building the warehouse")
