"""A damaged raw-lake file, end to end through the CLI: `unheard crawl` twice, one board's
file of the second crawl cut short and another's overwritten, then `unheard build`. The
build publishes, names both files, and closes none of their boards' postings. A damaged
crawl manifest stops the build with an error naming it, and nothing is published; so does
a damaged published warehouse, with the command that makes it again from the raw lake."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import duckdb

from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.paths import DataPaths
from tests.conftest import run_unheard

POLITENESS_OFF = {"UNHEARD_DOWNLOAD_DELAY": "0", "UNHEARD_START_DELAY": "0"}


def unheard(*args: str) -> subprocess.CompletedProcess:
    return run_unheard(*args, env=POLITENESS_OFF)


def test_a_damaged_board_file_is_named_and_closes_nothing(board_server, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    sources = write_demo_sources(board_server, DEMO_REGISTRY, tmp_path / "sources.yaml")
    for day in ("2026-11-20", "2026-11-21"):
        crawl = unheard(
            "crawl",
            "--data-dir",
            str(data_dir),
            "--sources",
            str(sources),
            "--as-of",
            f"{day}T06:00:00Z",
        )
        assert crawl.returncode == 0, crawl.stdout[-2000:] + crawl.stderr[-2000:]
    raw = DataPaths.at(data_dir).raw
    second = json.loads(sorted((raw / "manifests").glob("*.json"))[-1].read_text())
    files = {b["board"]: raw / b["file"] for b in second["boards"] if b.get("file")}
    cut = files["furrow-labs-demo"]  # read as no rows at all, without an error
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    files["gridwise-demo"].write_bytes(b"not a zstd stream")  # an error from DuckDB

    build = unheard("build", "--data-dir", str(data_dir))

    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    unreadable = [line for line in build.stdout.splitlines() if "UNREADABLE" in line]
    assert len(unreadable) == 2, build.stdout
    assert any(str(cut) in line and "truncated or damaged" in line for line in unreadable)
    assert any(
        str(files["gridwise-demo"]) in line and "Unknown frame descriptor" in line
        for line in unreadable
    )
    assert "published:" in build.stdout
    # the warning check names them too (in the Dagster UI, with each file's error)
    warning = next(
        line for line in build.stdout.splitlines() if "WARNING board_files_were_read_whole" in line
    )
    assert "greenhouse:gridwise-demo" in warning  # it names the boards, first to last

    con = duckdb.connect(str(DataPaths.at(data_dir).published_warehouse), read_only=True)
    try:
        by_board = dict(
            (board, (is_open, last_seen.date().isoformat()))
            for board, is_open, last_seen in con.execute(
                "select board, bool_and(is_open), max(last_seen_at) from marts.postings "
                "group by board"
            ).fetchall()
        )
        health = con.execute(
            "select board, outcome, is_complete from marts.source_health "
            "where run_id = ? order by board",
            [second["run_id"]],
        ).fetchall()
    finally:
        con.close()
    # the two damaged boards stay open as of the first crawl; the others were seen again
    assert by_board["furrow-labs-demo"] == (True, "2026-11-20")
    assert by_board["gridwise-demo"] == (True, "2026-11-20")
    assert by_board["ferrous-vision-demo"] == (True, "2026-11-21")
    assert ("furrow-labs-demo", "unreadable", False) in health
    assert ("gridwise-demo", "unreadable", False) in health
    assert ("ferrous-vision-demo", "ok", True) in health

    # a manifest that is not one stops the next build before anything is published
    manifest = raw / "manifests" / f"{second['run_id']}.json"
    whole = manifest.read_text()
    manifest.write_text(whole[:100])
    published = DataPaths.at(data_dir).published_warehouse
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    stopped = unheard("build", "--data-dir", str(data_dir))
    assert stopped.returncode == 6, stopped.stdout[-2000:] + stopped.stderr[-2000:]
    assert f"the crawl manifest {manifest} cannot be read" in stopped.stderr
    assert "Nothing was published" in stopped.stderr
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before

    # a published warehouse cut short fails every run that starts from it: the error says so
    # and how to make it again, and a rebuild from the raw lake does
    manifest.write_text(whole)
    published.write_bytes(published.read_bytes()[: published.stat().st_size // 3])
    damaged = unheard("build", "--data-dir", str(data_dir))
    assert damaged.returncode == 7, damaged.stdout[-2000:] + damaged.stderr[-2000:]
    assert f"error: the published warehouse {published} cannot be read" in damaged.stderr
    assert f"unheard build --rebuild --data-dir {data_dir}" in damaged.stderr
    rebuilt = unheard("build", "--rebuild", "--data-dir", str(data_dir))
    assert rebuilt.returncode == 0, rebuilt.stdout[-2000:] + rebuilt.stderr[-2000:]
    assert rebuilt.stdout.count("UNREADABLE") == 2  # the damaged board files, read again

    # a later crawl that reads the boards whole confirms them again, and the warning clears
    again = unheard(
        "run",
        "--data-dir",
        str(data_dir),
        "--sources",
        str(sources),
        "--as-of",
        "2026-11-22T06:00:00Z",
    )
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert "board_files_were_read_whole" not in again.stdout
    assert "UNREADABLE" not in again.stdout
