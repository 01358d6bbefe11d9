"""Each fault route of the hostile server affects only its own board: the run completes and
publishes, the manifest and `marts.source_health` say what happened to each board, and the
healthy boards crawled beside the faults land in full."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from pipelines.demo.fixture_server import Scripted
from pipelines.demo.hostile_server import CHARSET_PLACE, CHARSET_TITLE, FAULTS
from tests.conftest import board_outcome, run_crawl, write_sources
from tests.reliability.conftest import DEMO_BOARDS, HostileRun
from tests.reliability.tally import TALLY

EXPECTED = yaml.safe_load(
    (Path(__file__).parents[1] / "fixtures" / "hostile" / "expected_outcomes.yaml").read_text()
)
GH = "/greenhouse/v1/boards/{}/jobs"


def test_every_fault_route_has_an_expected_outcome() -> None:
    assert set(EXPECTED) == {f.token for f in FAULTS}


@pytest.mark.parametrize("token", sorted(EXPECTED))
def test_a_fault_ends_its_board_as_expected(hostile_run: HostileRun, token: str) -> None:
    expected = EXPECTED[token]
    board = hostile_run.board(token)
    assert board["outcome"] == expected["outcome"], board
    if "reason" in expected:
        assert board["error"] and re.search(expected["reason"], board["error"]), board["error"]
    else:
        assert board["error"] is None, board["error"]
    if "status" in expected:
        assert board["http_status"] == expected["status"]
    assert hostile_run.server.fault_hits.get(token, 0) == expected["hits"]
    assert board["postings"] == expected["postings"]
    assert board["dropped"] == 0
    assert board["complete"] is (expected["outcome"] in ("ok", "empty"))
    assert (board["file"] is not None) is (expected["postings"] > 0)

    # the warehouse says the same: one source_health row for the board in this crawl
    rows = hostile_run.query(
        "select outcome, error, is_complete, is_capped, postings, consecutive_failures "
        "from marts.source_health where board = ? and run_id = ?",
        [token, hostile_run.manifest["run_id"]],
    )
    failed = 0 if board["complete"] else 1
    assert rows == [
        (
            board["outcome"],
            board["error"],
            board["complete"],
            board["capped"],
            board["postings"],
            failed,
        )
    ]
    TALLY.fault(token)


def test_the_run_completes_and_healthy_boards_land_in_full(hostile_run: HostileRun) -> None:
    summary = hostile_run.summary
    assert summary.published and summary.success, summary.failed_steps
    assert all(check.passed for check in summary.checks), summary.checks
    log = hostile_run.crawl_log
    assert "Error processing" not in log  # no item failed in an item pipeline
    # no callback raised: every fault and hostile input is handled, not crashed on (the
    # route whose answer the extractor refuses fails its board with a reason instead)
    crashed = re.findall(r"Spider error processing <\w+ ([^ >]+)", log)
    assert crashed == [], crashed
    for family, token in DEMO_BOARDS:
        payload = json.loads(hostile_run.server.board_file(family, token))
        jobs = payload if isinstance(payload, list) else payload["jobs"]
        board = hostile_run.board(token)
        assert (board["outcome"], board["postings"]) == ("ok", len(jobs)), board
        stored = hostile_run.query(
            "select count(*) from marts.postings where source = ? and board = ?", [family, token]
        )
        assert stored == [(len(jobs),)]


def test_retries_wait_as_the_server_asks(hostile_run: HostileRun) -> None:
    times = hostile_run.server.hit_times
    throttled = times["fault-429-then-ok"]
    assert throttled[1] - throttled[0] >= 0.9, "Retry-After: 1 was not honoured"
    unavailable = times["fault-503-then-ok"]
    assert unavailable[1] - unavailable[0] >= 0.04  # backoff base 0.05 s
    assert len(times["fault-429-tomorrow"]) == 1, "a Retry-After beyond the cap is not retried"


def test_a_wrong_charset_label_loses_no_text(hostile_run: HostileRun) -> None:
    for token in ("charset-latin1-as-utf8", "charset-utf8-as-latin1"):
        raw = hostile_run.raw_lines(token)
        assert {r["title"] for r in raw} == {f"{CHARSET_TITLE} 1", f"{CHARSET_TITLE} 2"}
        assert {r["location_raw"] for r in raw} == {CHARSET_PLACE}
        stored = hostile_run.query(
            "select distinct title, location_raw from marts.postings where board = ? "
            "order by title",
            [token],
        )
        assert stored == [(f"{CHARSET_TITLE} {i}", CHARSET_PLACE) for i in (1, 2)]


def test_refused_redirects_and_addresses_are_never_fetched(hostile_run: HostileRun) -> None:
    server = hostile_run.server
    # the redirect targets serve a real board: only the policy stopped the crawler
    assert dict(server.elsewhere.hits) == {}, "the other port (or its robots.txt) was fetched"
    assert server.hits[GH.format("gridwise-demo")] == 1, "localhost was followed to the board"
    assert "public-name-private-address" not in server.fault_hits
    # a redirect on the same site is followed
    assert server.fault_hits["redirect-same-site-target"] == 1


def test_a_capped_board_closes_nothing_but_keeps_what_it_saw(hostile_run: HostileRun) -> None:
    board = hostile_run.board("fault-same-page-forever")
    assert board["capped"] and board["pages"] == 5
    assert len(hostile_run.raw_lines("fault-same-page-forever")) == 25  # every page kept raw
    stored = hostile_run.query(
        "select count(*), count(*) filter (where closed_at is null) from marts.postings "
        "where board = 'fault-same-page-forever'"
    )
    assert stored == [(5, 5)]


def test_a_site_that_opts_out_in_robots_txt_is_not_crawled(board_server, tmp_path: Path) -> None:
    """docs/security.md: disallowing unheard-bot in robots.txt opts a site out."""
    robots = "User-agent: unheard-bot\nDisallow: /greenhouse/v1/boards/opted-out/\n"
    board_server.script("/robots.txt", Scripted(200, robots, {"Content-Type": "text/plain"}))
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "company": name,
                "family": "greenhouse",
                "token": token,
                "url": board_server.url_for("greenhouse", token),
            }
            for name, token in (("Opted Out", "opted-out"), ("Gridwise", "gridwise-demo"))
        ],
    )
    manifest = run_crawl(sources, tmp_path / "raw")
    opted_out = board_outcome(manifest, "opted-out")
    assert (opted_out["outcome"], opted_out["retryable"], opted_out["complete"]) == (
        "refused",
        False,
        False,
    )
    assert "robots.txt" in opted_out["error"]
    assert board_server.hits[GH.format("opted-out")] == 0  # never asked
    assert board_outcome(manifest, "gridwise-demo")["outcome"] == "ok"
    TALLY.fault("robots.txt opt-out")
