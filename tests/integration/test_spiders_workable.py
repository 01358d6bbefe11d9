"""Real crawls over HTTP of a Workable account (widget API with `details=true`) and of
accounts that fail."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.demo.fixture_server import BoardServer, Scripted
from tests.conftest import board_outcome, read_raw, run_crawl, write_sources

BOARD = "tidewater-energy-demo"


def sources_file(server: BoardServer, path: Path, tokens: list[str]) -> Path:
    entries = [
        {
            "company": "Tidewater",
            "family": "workable",
            "token": t,
            "url": server.url_for("workable", t),
        }
        for t in tokens
    ]
    return write_sources(path, entries)


def test_every_job_with_its_description_and_failing_accounts(board_server, tmp_path: Path) -> None:
    board_server.script(
        "/workable/api/v1/widget/accounts/broken-demo",
        Scripted(200, b'{"name": "Broken", "jobs": [{"title": "Half', {}),
    )
    sources = sources_file(
        board_server, tmp_path / "sources.yaml", [BOARD, "gone-demo", "broken-demo"]
    )
    manifest = run_crawl(sources, tmp_path / "raw")
    jobs = json.loads(board_server.board_file("workable", BOARD))["jobs"]

    outcome = board_outcome(manifest, BOARD)
    records = {r["source_job_id"]: r for r in read_raw(tmp_path / "raw", manifest, BOARD)}
    assert outcome["outcome"] == "ok" and outcome["postings"] == len(records) == len(jobs)
    for job in jobs:
        record = records[job["shortcode"]]
        assert record["url"] == f"https://apply.workable.com/{BOARD}/j/{job['shortcode']}/"
        # the fake API sends descriptions only when asked with details=true
        assert job["description"] in record["description_html"]
        assert record["raw"] == job
        assert record["remote_raw"] == ("true" if job["telecommuting"] else "false")
    analyst = records["E90F13B6C8"]  # its second, hidden location is not a place to work
    assert analyst["location_raw"] == "Rotterdam, South Holland, Netherlands"

    missing = board_outcome(manifest, "gone-demo")
    assert (missing["outcome"], missing["http_status"]) == ("missing", 404)
    broken = board_outcome(manifest, "broken-demo")
    assert broken["outcome"] == "error" and "malformed JSON" in broken["error"]


def test_the_posting_cap_is_marked(board_server, tmp_path: Path) -> None:
    sources = sources_file(board_server, tmp_path / "sources.yaml", [BOARD])
    manifest = run_crawl(
        sources, tmp_path / "raw", settings={"UNHEARD_MAX_POSTINGS_PER_BOARD": "2"}
    )
    outcome = board_outcome(manifest, BOARD)
    assert (outcome["postings"], outcome["capped"]) == (2, True)
    assert len(read_raw(tmp_path / "raw", manifest, BOARD)) == 2
