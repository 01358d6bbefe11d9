"""Real crawls over HTTP of RSS and Atom job feeds; the real aggregator capture when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.extract.rss import extract_feed
from spiders.registry import Source
from tests.conftest import board_outcome, read_raw, run_crawl, write_sources


def feed_entry(server, token: str, company: str) -> dict:
    return {
        "company": company,
        "family": "rss",
        "token": token,
        "url": server.url_for("rss", token),
    }


def test_feeds_are_crawled_and_bad_feeds_recorded(board_server, tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            feed_entry(board_server, "fieldnotes-remote", "Fieldnotes Remote"),
            feed_entry(board_server, "kelp-carbon", "Kelp Carbon Labs"),
            feed_entry(board_server, "broken-feed", "Broken Feeds Inc"),
            feed_entry(board_server, "no-such-feed", "Gone Inc"),
        ],
    )
    raw = tmp_path / "raw"
    manifest = run_crawl(sources, raw)

    # RSS 2.0 aggregator, two pages linked by atom:link rel="next"
    aggregator = board_outcome(manifest, "fieldnotes-remote")
    assert (aggregator["outcome"], aggregator["postings"], aggregator["pages"]) == ("ok", 4, 2)
    records = {r["title"]: r for r in read_raw(raw, manifest, "fieldnotes-remote")}
    kelp = records["Senior Data Scientist, Ocean Sensing"]
    assert kelp["company"] == "Kelp Carbon Labs"  # "Company: Title" split on an aggregator
    assert kelp["source_job_id"] == kelp["url"]  # the guid
    assert kelp["posted_at_raw"] == "Tue, 17 Nov 2026 14:05:11 +0000"
    assert kelp["location_raw"] == "Anywhere in the World"
    # escaped inside the XML: the parser unescapes once, leaving HTML with its own entities
    assert "<em>satellite ocean colour</em>" in kelp["description_html"]
    assert "R&amp;D" in kelp["description_html"] and kelp["description_is_escaped"] is False
    assert kelp["raw"]["category"] == "Data Science"

    robots = records["ML Engineer: Perception"]  # only the first colon splits
    assert robots["company"] == "Ploughshare Robotics" and robots["source_job_id"] == "fnr-30418"
    assert not robots["url"].endswith("#apply")
    no_guid = records["Grid Analytics Engineer"]
    assert len(no_guid["source_job_id"]) == 16  # a hash of the link
    assert "Clinical NLP Engineer" in records

    # Atom, one company: titles kept whole, ids from <id>, content or summary
    atom = {r["source_job_id"]: r for r in read_raw(raw, manifest, "kelp-carbon")}
    oceanographer = atom["tag:kelpcarbon.example,2026:job-117"]
    assert oceanographer["title"] == "Oceanographer: Sensor Calibration"
    assert oceanographer["company"] == "Kelp Carbon Labs"
    assert oceanographer["url"] == "https://kelpcarbon.example/careers/117-oceanographer"
    assert oceanographer["updated_at_raw"] == "2026-11-18T09:12:00Z"
    assert atom["tag:kelpcarbon.example,2026:job-121"]["description_html"].startswith("Forecast")

    broken = board_outcome(manifest, "broken-feed")
    assert broken["outcome"] == "error" and "malformed feed" in broken["error"]
    assert broken["retryable"] is True and broken["file"] is None
    missing = board_outcome(manifest, "no-such-feed")
    assert (missing["outcome"], missing["http_status"], missing["retryable"]) == (
        "missing",
        404,
        False,
    )


@pytest.mark.realdata
def test_real_aggregator_feed_parses(realdata: Path) -> None:
    body = (realdata / "other" / "weworkremotely_programming_hunt_fixture.rss").read_bytes()
    source = Source(
        company="We Work Remotely",
        family="rss",
        token="wwr",
        url="https://weworkremotely.com/categories/remote-programming-jobs.rss",
    )
    items, next_page = extract_feed(body, source, source.url or "")
    assert next_page is None and len(items) == 2
    for item in items:
        assert item.company != "We Work Remotely" and ":" not in item.company
        assert item.title and item.source_job_id.startswith("https://weworkremotely.com/")
        assert item.description_html and "<p>" in item.description_html
        assert item.posted_at_raw and item.posted_at_raw.endswith("+0000")
