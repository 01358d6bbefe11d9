"""Real crawls over HTTP of a Workday careers site: list by POST with offset paging to the
end (Workday states `total` on the first page only), one detail request per posting within
the visible detail cap, and boards that fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipelines.demo.fixture_server import BoardServer, Scripted
from tests.conftest import TEST_BOARDS, board_outcome, read_raw, run_crawl, write_sources

BOARD = "northbayhealth.wd5/NorthbayCareers"
CXS = "/workday/northbayhealth.wd5/wday/cxs/northbayhealth/NorthbayCareers"
HOST = "https://northbayhealth.wd5.myworkdayjobs.com"
PAGE_SIZE = 3


def board_content(server: BoardServer) -> dict[str, Any]:
    return json.loads(server.board_file("workday", "northbayhealth.wd5_NorthbayCareers"))


def sources_file(server: BoardServer, path: Path, tokens: list[str]) -> Path:
    entries = [
        {
            "company": "Northbay",
            "family": "workday",
            "token": t,
            "url": server.url_for("workday", t),
        }
        for t in tokens
    ]
    return write_sources(path, entries)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BoardServer, dict, Path]]:
    tmp = tmp_path_factory.mktemp("workday")
    with BoardServer([TEST_BOARDS]) as server:
        # the first list request is throttled once; the retry must go through
        server.script(f"{CXS}/jobs", Scripted(429, "", {"Retry-After": "0"}))
        server.script(
            "/workday/garbled.wd3/wday/cxs/garbled/Jobs/jobs",
            Scripted(200, "<html><body>Maintenance</body></html>", {"Content-Type": "text/html"}),
        )
        tokens = [BOARD, "ghosttown.wd1/Careers", "garbled.wd3/Jobs", "not-a-workday-token"]
        manifest = run_crawl(
            sources_file(server, tmp / "sources.yaml", tokens),
            tmp / "raw",
            settings={"UNHEARD_WORKDAY_PAGE_SIZE": str(PAGE_SIZE)},
        )
        yield server, manifest, tmp / "raw"


def test_lists_by_offset_to_the_end_after_a_throttled_first_page(crawl) -> None:
    server, manifest, raw = crawl
    listed = board_content(server)["jobPostings"]
    pages = -(-len(listed) // PAGE_SIZE)
    outcome = board_outcome(manifest, BOARD)
    assert len(listed) > 2 * PAGE_SIZE
    assert (outcome["outcome"], outcome["pages"], outcome["capped"]) == ("ok", pages, False)
    assert server.hits[f"{CXS}/jobs"] == pages + 1  # one 429, then every page once
    records = read_raw(raw, manifest, BOARD)
    assert outcome["postings"] == len(records) == len(listed)
    assert sorted(r["raw"]["externalPath"] for r in records) == sorted(
        e["externalPath"] for e in listed
    )


def test_each_posting_has_its_detail_and_a_canonical_url(crawl) -> None:
    server, manifest, raw = crawl
    details = board_content(server)["details"]
    for record in read_raw(raw, manifest, BOARD):
        path = record["raw"]["externalPath"]
        info = details[path]["jobPostingInfo"]
        assert record["url"] == f"{HOST}/NorthbayCareers{path}"
        assert record["source_job_id"] == info["jobReqId"] == path.rsplit("_", 1)[-1]
        assert record["posting_key"] == f"workday:{BOARD}:{info['jobReqId']}"
        assert record["description_html"] == info["jobDescription"]
        assert record["raw"]["detail"] == details[path]
        assert record["country_raw"] == "US" and record["posted_at_raw"] == info["startDate"]
    engineer = next(
        r for r in read_raw(raw, manifest, BOARD) if r["title"] == "Senior Data Engineer"
    )
    assert engineer["location_raw"] == "Duluth, MN; Minneapolis, MN"


def test_failing_boards_are_outcomes(crawl) -> None:
    _, manifest, _ = crawl
    missing = board_outcome(manifest, "ghosttown.wd1/Careers")
    assert (missing["outcome"], missing["http_status"]) == ("missing", 404)
    broken = board_outcome(manifest, "garbled.wd3/Jobs")
    assert broken["outcome"] == "error" and "malformed JSON" in broken["error"]
    bad_token = board_outcome(manifest, "not-a-workday-token")
    assert bad_token["outcome"] == "error" and "<tenant>.wd<N>/<site>" in bad_token["error"]
    assert bad_token["requests"] == 0


def test_detail_requests_stop_at_the_workday_cap(tmp_path: Path) -> None:
    with BoardServer([TEST_BOARDS]) as server:
        manifest = run_crawl(
            sources_file(server, tmp_path / "sources.yaml", [BOARD]),
            tmp_path / "raw",
            settings={"UNHEARD_WORKDAY_PAGE_SIZE": "3", "UNHEARD_WORKDAY_MAX_DETAILS": "4"},
        )
        detail_hits = sum(n for p, n in server.hits.items() if p.startswith(f"{CXS}/job/"))
    records = read_raw(tmp_path / "raw", manifest, BOARD)
    outcome = board_outcome(manifest, BOARD)
    assert detail_hits == 4
    assert outcome["capped"] is True and outcome["postings"] == len(records) == 7
    described = [r for r in records if r["description_html"]]
    skipped = [r for r in records if not r["description_html"]]
    assert len(described) == 4 and len(skipped) == 3
    for record in skipped:  # still yielded from the list, with the reason beside it
        assert "UNHEARD_WORKDAY_MAX_DETAILS=4" in record["raw"]["detail_error"]
        assert record["title"] and record["url"].startswith(f"{HOST}/NorthbayCareers/job/")


def test_the_posting_cap_stops_paging(tmp_path: Path) -> None:
    with BoardServer([TEST_BOARDS]) as server:
        manifest = run_crawl(
            sources_file(server, tmp_path / "sources.yaml", [BOARD]),
            tmp_path / "raw",
            settings={"UNHEARD_WORKDAY_PAGE_SIZE": "3", "UNHEARD_MAX_POSTINGS_PER_BOARD": "3"},
        )
        list_hits = server.hits[f"{CXS}/jobs"]
    outcome = board_outcome(manifest, BOARD)
    assert (outcome["postings"], outcome["pages"], outcome["capped"], list_hits) == (3, 1, True, 1)
