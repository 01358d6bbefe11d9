"""Conditional requests: with UNHEARD_HTTP_CACHE_DIR set, an unchanged board costs a 304."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.demo.fixture_server import Scripted
from tests.conftest import board_outcome, read_raw, run_crawl, write_sources

BOARD = "gridwise-demo"
LIST = f"/greenhouse/v1/boards/{BOARD}/jobs"


def crawl(server, tmp_path: Path, name: str, cache: Path | None) -> dict:
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "company": "Gridwise",
                "family": "greenhouse",
                "token": BOARD,
                "url": server.url_for("greenhouse", BOARD),
            },
        ],
    )
    settings = {"UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS": "0", "RETRY_TIMES": "1"}
    if cache is not None:
        settings["UNHEARD_HTTP_CACHE_DIR"] = str(cache)
    return run_crawl(sources, tmp_path / name, settings=settings)


def posting_ids(manifest: dict, raw: Path) -> list[str]:
    return sorted(r["source_job_id"] for r in read_raw(raw, manifest, BOARD))


def test_unchanged_board_is_revalidated_and_changes_are_seen(board_server, tmp_path) -> None:
    cache = tmp_path / "http_cache"
    board = json.loads(board_server.board_file("greenhouse", BOARD))

    first = crawl(board_server, tmp_path, "raw1", cache)
    assert board_outcome(first, BOARD)["postings"] == len(board["jobs"])
    assert board_server.not_modified[LIST] == 0 and any(cache.rglob("*"))

    # without UNHEARD_HTTP_CACHE_DIR nothing is stored or revalidated
    crawl(board_server, tmp_path, "raw-no-cache", None)
    assert board_server.hits[LIST] == 2 and board_server.not_modified[LIST] == 0

    # unchanged: the server answers 304 to If-None-Match, the stored copy is parsed again
    second = crawl(board_server, tmp_path, "raw2", cache)
    assert board_server.not_modified[LIST] == 1
    outcome = board_outcome(second, BOARD)
    assert outcome["outcome"] == "ok" and outcome["postings"] == len(board["jobs"])
    assert posting_ids(second, tmp_path / "raw2") == posting_ids(first, tmp_path / "raw1")

    # changed: a new ETag, a full answer, the new content
    smaller = {**board, "jobs": board["jobs"][:3]}
    board_server.script(LIST, Scripted(200, json.dumps(smaller)))
    third = crawl(board_server, tmp_path, "raw3", cache)
    assert board_server.not_modified[LIST] == 1
    assert board_outcome(third, BOARD)["postings"] == 3

    # failing: a 5xx is the board's outcome, never hidden behind the stored copy
    board_server.script(LIST, *[Scripted(500, '{"error": "boom"}') for _ in range(2)])
    fourth = crawl(board_server, tmp_path, "raw4", cache)
    failed = board_outcome(fourth, BOARD)
    assert (failed["outcome"], failed["http_status"], failed["postings"]) == ("error", 500, 0)
