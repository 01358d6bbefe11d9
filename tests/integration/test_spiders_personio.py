"""Real crawls over HTTP of a Personio XML feed and of feeds that fail."""

from __future__ import annotations

from pathlib import Path

from pipelines.demo.fixture_server import BoardServer, Scripted
from tests.conftest import board_outcome, read_raw, run_crawl, write_sources

BOARD = "feldwerk-robotics-demo"


def sources_file(server: BoardServer, path: Path, tokens: list[str]) -> Path:
    entries = [
        {
            "company": "Feldwerk",
            "family": "personio",
            "token": t,
            "url": server.url_for("personio", t),
        }
        for t in tokens
    ]
    return write_sources(path, entries)


def test_every_position_with_its_descriptions_and_failing_feeds(
    board_server, tmp_path: Path
) -> None:
    board_server.script(
        "/personio/cut-short-demo/xml",
        Scripted(200, "<?xml version='1.0'?><workzag-jobs><position><id>1</id>", {}),
    )
    board_server.script(
        "/personio/not-a-feed-demo/xml", Scripted(200, '{"error": "wrong door"}', {})
    )
    tokens = [BOARD, "gone-demo", "cut-short-demo", "not-a-feed-demo"]
    manifest = run_crawl(
        sources_file(board_server, tmp_path / "sources.yaml", tokens), tmp_path / "raw"
    )

    outcome = board_outcome(manifest, BOARD)
    records = {r["source_job_id"]: r for r in read_raw(tmp_path / "raw", manifest, BOARD)}
    assert outcome["outcome"] == "ok" and outcome["postings"] == len(records) == 5
    for position_id, record in records.items():
        assert record["url"] == f"https://{BOARD}.jobs.personio.de/job/{position_id}?language=en"
        assert record["description_html"].startswith("<h3>")
        assert record["posted_at_raw"].startswith("2026-")
        assert record["raw"]["id"] == position_id
    vision = records["1874021"]
    assert "<h3>Your tasks</h3>" in vision["description_html"]
    assert "<li>3+ years of computer vision with deep learning</li>" in vision["description_html"]
    assert vision["employment_type_raw"] == "permanent, full-time"
    assert vision["location_raw"] == "München; Remote"
    assert [p["name"] for p in vision["raw"]["jobDescriptions"]] == [
        "About us", "Your tasks", "Your profile",
    ]  # fmt: skip

    missing = board_outcome(manifest, "gone-demo")
    assert (missing["outcome"], missing["http_status"]) == ("missing", 404)
    for token in ("cut-short-demo", "not-a-feed-demo"):
        broken = board_outcome(manifest, token)
        assert broken["outcome"] == "error" and "malformed XML" in broken["error"], broken
        assert broken["file"] is None


def test_the_posting_cap_is_marked(board_server, tmp_path: Path) -> None:
    sources = sources_file(board_server, tmp_path / "sources.yaml", [BOARD])
    manifest = run_crawl(
        sources, tmp_path / "raw", settings={"UNHEARD_MAX_POSTINGS_PER_BOARD": "3"}
    )
    outcome = board_outcome(manifest, BOARD)
    assert (outcome["postings"], outcome["capped"]) == (3, True)
