"""Real crawls over HTTP of a Recruitee careers site (offers with stated salaries), a
throttled answer that succeeds on retry, and sites that fail."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.demo.fixture_server import BoardServer, Scripted
from tests.conftest import board_outcome, read_raw, run_crawl, write_sources

BOARD = "polderwind-demo"


def sources_file(server: BoardServer, path: Path, tokens: list[str]) -> Path:
    entries = [
        {
            "company": "Polderwind",
            "family": "recruitee",
            "token": t,
            "url": server.url_for("recruitee", t),
        }
        for t in tokens
    ]
    return write_sources(path, entries)


def test_every_offer_after_a_throttled_answer_and_failing_sites(
    board_server, tmp_path: Path
) -> None:
    board_server.script(
        f"/recruitee/{BOARD}/api/offers/", Scripted(429, "Too Many Requests", {"Retry-After": "0"})
    )
    board_server.script(
        "/recruitee/broken-demo/api/offers/", Scripted(200, "<!doctype html><h1>Oops</h1>", {})
    )
    sources = sources_file(
        board_server, tmp_path / "sources.yaml", [BOARD, "gone-demo", "broken-demo"]
    )
    manifest = run_crawl(sources, tmp_path / "raw")
    offers = json.loads(board_server.board_file("recruitee", BOARD))["offers"]

    assert board_server.hits[f"/recruitee/{BOARD}/api/offers/"] == 2
    outcome = board_outcome(manifest, BOARD)
    records = {r["source_job_id"]: r for r in read_raw(tmp_path / "raw", manifest, BOARD)}
    assert outcome["outcome"] == "ok" and outcome["postings"] == len(records) == len(offers)
    for offer in offers:
        record = records[str(offer["id"])]
        # built from the board slug, not the company-domain careers_url
        assert record["url"] == f"https://{BOARD}.recruitee.com/o/{offer['slug']}"
        assert offer["description"] in record["description_html"]
        assert offer["requirements"] in record["description_html"]
        assert record["posted_at_raw"] == offer["published_at"]
        assert record["raw"] == offer
    engineer = records["2830411"]
    assert engineer["salary_stated"] == {
        "min": "62000", "max": "78000", "currency": "EUR", "interval": "year",
    }  # fmt: skip
    assert records["2830416"]["salary_stated"] is None  # stated with no amounts
    assert records["2830414"]["location_raw"] == (
        "Eemshaven, Groningen, Netherlands; Esbjerg, Region of Southern Denmark, Denmark"
    )

    missing = board_outcome(manifest, "gone-demo")
    assert (missing["outcome"], missing["http_status"]) == ("missing", 404)
    broken = board_outcome(manifest, "broken-demo")
    assert broken["outcome"] == "error" and "malformed JSON" in broken["error"]


def test_a_board_throttled_past_its_retries_is_throttled(board_server, tmp_path: Path) -> None:
    answers = [Scripted(429, "", {"Retry-After": "0"}) for _ in range(4)]
    board_server.script(f"/recruitee/{BOARD}/api/offers/", *answers)
    manifest = run_crawl(
        sources_file(board_server, tmp_path / "sources.yaml", [BOARD]), tmp_path / "raw"
    )
    outcome = board_outcome(manifest, BOARD)
    assert (outcome["outcome"], outcome["http_status"], outcome["retryable"]) == (
        "throttled",
        429,
        True,
    )
