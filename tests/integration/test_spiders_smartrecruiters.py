"""Real crawls over HTTP of a SmartRecruiters company: list pages by offset to the end, one
detail request per posting, and boards or details that fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipelines.demo.fixture_server import BoardServer, Scripted
from tests.conftest import TEST_BOARDS, board_outcome, read_raw, run_crawl, write_sources

BOARD = "TerravoxDemo"
LIST_PATH = f"/smartrecruiters/v1/companies/{BOARD}/postings"
THROTTLED_ID = "744000160210001"  # its detail answers 429 once, then the posting
GONE_ID = "744000160210006"  # its detail answers 404: the posting stays, from the list
PAGE_SIZE = 3


def board_entries(server: BoardServer) -> list[dict[str, Any]]:
    return json.loads(server.board_file("smartrecruiters", BOARD))["content"]


def sources_file(server: BoardServer, path: Path, tokens: list[str]) -> Path:
    return write_sources(
        path,
        [
            {
                "company": f"{t} Inc",
                "family": "smartrecruiters",
                "token": t,
                "url": server.url_for("smartrecruiters", t),
            }
            for t in tokens
        ],
    )


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BoardServer, dict, Path]]:
    tmp = tmp_path_factory.mktemp("smartrecruiters")
    with BoardServer([TEST_BOARDS]) as server:
        server.script(f"{LIST_PATH}/{THROTTLED_ID}", Scripted(429, "", {"Retry-After": "0"}))
        server.script(f"{LIST_PATH}/{GONE_ID}", Scripted(404, '{"message": "Not Found"}'))
        server.script(
            "/smartrecruiters/v1/companies/BrokenDemo/postings",
            Scripted(200, '{"offset": 0, "limit": 3, "content": [', {}),
        )
        sources = sources_file(server, tmp / "sources.yaml", [BOARD, "GoneDemo", "BrokenDemo"])
        manifest = run_crawl(
            sources, tmp / "raw", settings={"UNHEARD_SMARTRECRUITERS_PAGE_SIZE": str(PAGE_SIZE)}
        )
        yield server, manifest, tmp / "raw"


def test_pages_by_offset_to_the_end(crawl) -> None:
    server, manifest, raw = crawl
    entries = board_entries(server)
    outcome = board_outcome(manifest, BOARD)
    assert len(entries) > PAGE_SIZE * 2
    assert outcome["outcome"] == "ok" and outcome["capped"] is False
    assert outcome["pages"] == server.hits[LIST_PATH] == -(-len(entries) // PAGE_SIZE)
    records = read_raw(raw, manifest, BOARD)
    assert outcome["postings"] == len(records) == len(entries)
    assert sorted(r["source_job_id"] for r in records) == sorted(e["id"] for e in entries)


def test_each_posting_has_its_detail_and_a_canonical_url(crawl) -> None:
    _, manifest, raw = crawl
    records = {r["source_job_id"]: r for r in read_raw(raw, manifest, BOARD)}
    for posting_id, record in records.items():
        assert record["url"] == f"https://jobs.smartrecruiters.com/{BOARD}/{posting_id}"
        assert record["posting_key"] == f"smartrecruiters:{BOARD}:{posting_id}"
        assert record["raw"]["id"] == posting_id and "typeOfEmployment" in record["raw"]
        if posting_id == GONE_ID:
            continue
        job_text = record["raw"]["detail"]["jobAd"]["sections"]["jobDescription"]["text"]
        assert record["description_html"].startswith("<h3>") and job_text
        assert job_text in record["description_html"]
    hybrid = records["744000160210001"]
    assert (hybrid["country_raw"], hybrid["remote_raw"]) == ("fr", "hybrid")
    assert hybrid["location_raw"] == "Lyon, ARA, France"
    assert hybrid["posted_at_raw"] == "2026-10-02T08:14:31.112Z"


def test_a_throttled_detail_succeeds_on_retry(crawl) -> None:
    server, manifest, raw = crawl
    assert server.hits[f"{LIST_PATH}/{THROTTLED_ID}"] == 2
    record = next(r for r in read_raw(raw, manifest, BOARD) if r["source_job_id"] == THROTTLED_ID)
    assert record["description_html"] and "detail_error" not in record["raw"]


def test_a_failed_detail_keeps_the_posting_and_says_why(crawl) -> None:
    _, manifest, raw = crawl
    record = next(r for r in read_raw(raw, manifest, BOARD) if r["source_job_id"] == GONE_ID)
    assert record["title"] == "Embedded Firmware Engineer, Soil Probes"
    assert record["description_html"] is None
    assert record["raw"]["detail"] is None
    assert record["raw"]["detail_error"].startswith("HTTP 404 from ")


def test_a_missing_and_a_malformed_board_are_outcomes(crawl) -> None:
    _, manifest, _ = crawl
    missing = board_outcome(manifest, "GoneDemo")
    assert (missing["outcome"], missing["http_status"], missing["file"]) == ("missing", 404, None)
    broken = board_outcome(manifest, "BrokenDemo")
    assert broken["outcome"] == "error" and broken["retryable"] is True
    assert "malformed JSON" in broken["error"] and broken["file"] is None


def test_the_posting_cap_stops_paging_and_detail_requests(tmp_path: Path) -> None:
    with BoardServer([TEST_BOARDS]) as server:
        sources = sources_file(server, tmp_path / "sources.yaml", [BOARD])
        manifest = run_crawl(
            sources,
            tmp_path / "raw",
            settings={
                "UNHEARD_SMARTRECRUITERS_PAGE_SIZE": "3",
                "UNHEARD_MAX_POSTINGS_PER_BOARD": "4",
            },
        )
        details = sum(n for path, n in server.hits.items() if path.startswith(f"{LIST_PATH}/"))
    outcome = board_outcome(manifest, BOARD)
    assert (outcome["postings"], outcome["pages"], outcome["capped"]) == (4, 2, True)
    assert details == 4
    assert len(read_raw(tmp_path / "raw", manifest, BOARD)) == 4
