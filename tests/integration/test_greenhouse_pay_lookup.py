"""Greenhouse: the single-job call adds pay to relevant postings the list left without it."""

from __future__ import annotations

from pathlib import Path

from pipelines.demo.fixture_server import Scripted
from tests.conftest import board_outcome, read_raw, run_crawl, write_sources

BOARD = "sunspot-thermal"
JOB_PATH = f"/greenhouse/v1/boards/{BOARD}/jobs/{{}}"


def test_pay_lookup_is_bounded_filtered_and_never_loses_a_posting(
    board_server, tmp_path: Path
) -> None:
    # the Applied Scientist's single-job call fails: the posting must still arrive, once
    board_server.script(JOB_PATH.format(6102004), Scripted(404, '{"status": 404}'))
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "company": "Sunspot Thermal",
                "family": "greenhouse",
                "token": BOARD,
                "url": board_server.url_for("greenhouse", BOARD),
            }
        ],
    )
    raw = tmp_path / "raw"
    manifest = run_crawl(sources, raw, settings={"UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS": "3"})

    outcome = board_outcome(manifest, BOARD)
    assert outcome["outcome"] == "ok" and outcome["postings"] == 5
    records = read_raw(raw, manifest, BOARD)
    by_id = {r["source_job_id"]: r for r in records}
    assert len(records) == len(by_id) == 5  # every posting exactly once

    # relevant by title, pay on the single-job call: cents become units
    ml = by_id["6102001"]
    assert ml["salary_stated"] == {
        "min": 165000.0,
        "max": 198000.0,
        "currency": "USD",
        "interval": "year",
    }
    assert ml["raw"]["pay_input_ranges"][0]["title"] == "Boston base salary"
    # relevant by department, looked up, but the job states no pay
    assert by_id["6102002"]["salary_stated"] is None
    # not relevant (an installer): never looked up, although the job has pay
    assert by_id["6102003"]["salary_stated"] is None
    assert board_server.hits[JOB_PATH.format(6102003)] == 0
    assert "pay_input_ranges" not in by_id["6102003"]["raw"]  # the list never carries pay
    # the failed lookup: posting kept, without pay, and the board is still ok
    assert by_id["6102004"]["salary_stated"] is None
    assert board_server.hits[JOB_PATH.format(6102004)] == 1
    # the fourth relevant posting is over UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS=3
    assert board_server.hits[JOB_PATH.format(6102005)] == 0
    assert by_id["6102005"]["salary_stated"] is None
    assert outcome["requests"] == 1 + 3


def test_single_job_answer_matches_the_list(board_server) -> None:
    import json
    import urllib.request

    base = board_server.url_for("greenhouse", BOARD)
    with urllib.request.urlopen(f"{base}/6102005?pay_transparency=true") as answer:
        job = json.loads(answer.read())
    assert job["id"] == 6102005 and job["title"] == "Analytics Engineer"
    assert job["pay_input_ranges"][0]["min_cents"] == 12000000
    with urllib.request.urlopen(f"{base}/6102005") as answer:
        assert "pay_input_ranges" not in json.loads(answer.read())
