"""Real crawls over HTTP of Greenhouse, Lever (paged) and Ashby boards, and of boards that fail."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import board_outcome, read_raw, run_crawl, write_sources


def demo_entry(server, family: str, token: str, company: str) -> dict:
    return {
        "company": company,
        "family": family,
        "token": token,
        "url": server.url_for(family, token),
    }


def test_core_families_crawl_and_failures_are_recorded(board_server, tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            demo_entry(board_server, "greenhouse", "gridwise-demo", "Gridwise"),
            demo_entry(board_server, "lever", "furrow-labs-demo", "Furrow Labs"),
            demo_entry(board_server, "ashby", "clinica-scribe-demo", "Clinica Scribe"),
            demo_entry(board_server, "ashby", "no-such-board", "Gone Inc"),
            demo_entry(board_server, "greenhouse", "truncated-board", "Truncated Inc"),
        ],
    )
    raw = tmp_path / "raw"
    manifest = run_crawl(sources, raw, settings={"UNHEARD_LEVER_PAGE_SIZE": "5"})

    # the run completes and says what failed and why
    missing = board_outcome(manifest, "no-such-board")
    assert (missing["outcome"], missing["http_status"], missing["retryable"]) == (
        "missing",
        404,
        False,
    )
    broken = board_outcome(manifest, "truncated-board")
    assert broken["outcome"] == "error" and "malformed JSON" in broken["error"]
    assert broken["complete"] is False and broken["file"] is None

    # Greenhouse: every job once, canonical URL from token + id, raw payload kept
    gridwise_file = json.loads(board_server.board_file("greenhouse", "gridwise-demo"))
    gridwise = read_raw(raw, manifest, "gridwise-demo")
    assert (
        len(gridwise)
        == len(gridwise_file["jobs"])
        == board_outcome(manifest, "gridwise-demo")["postings"]
    )
    first = gridwise[0]
    assert (
        first["url"]
        == f"https://job-boards.greenhouse.io/gridwise-demo/jobs/{first['source_job_id']}"
    )
    assert first["raw"]["id"] == int(first["source_job_id"])
    assert first["description_is_escaped"] is True and "&lt;" in first["description_html"]
    assert first["posting_key"] == f"greenhouse:gridwise-demo:{first['source_job_id']}"

    # Lever: paged with skip/limit to the end (12 postings at 5 per page = 3 pages)
    lever_file = json.loads(board_server.board_file("lever", "furrow-labs-demo"))
    lever = board_outcome(manifest, "furrow-labs-demo")
    assert lever["postings"] == len(lever_file) > 5
    assert lever["pages"] == -(-len(lever_file) // 5)
    ids = [r["source_job_id"] for r in read_raw(raw, manifest, "furrow-labs-demo")]
    assert sorted(ids) == sorted(p["id"] for p in lever_file)

    # Ashby: structured salary kept as stated
    ashby = read_raw(raw, manifest, "clinica-scribe-demo")
    assert all(r["url"].startswith("https://jobs.ashbyhq.com/clinica-scribe-demo/") for r in ashby)
    assert any(r["salary_stated"] and r["salary_stated"]["currency"] for r in ashby)

    assert manifest["totals"]["postings"] == sum(b["postings"] for b in manifest["boards"])


def test_json_is_parsed_whatever_the_content_type(board_server, tmp_path: Path) -> None:
    from pipelines.demo.fixture_server import Scripted

    body = board_server.board_file("greenhouse", "ferrous-vision-demo")
    board_server.script(
        "/greenhouse/v1/boards/ferrous-vision-demo/jobs",
        Scripted(200, body, {"Content-Type": "text/html; charset=utf-8"}),
    )
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            demo_entry(board_server, "greenhouse", "ferrous-vision-demo", "Ferrous Vision"),
        ],
    )
    manifest = run_crawl(sources, tmp_path / "raw")
    outcome = board_outcome(manifest, "ferrous-vision-demo")
    assert outcome["outcome"] == "ok"
    assert outcome["postings"] == len(json.loads(body)["jobs"])
