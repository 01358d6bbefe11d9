"""Retries wait before trying again: exponential backoff, or the server's Retry-After.

Also the response-size cap: an answer over DOWNLOAD_MAXSIZE is a recorded board error.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from pipelines.demo.fixture_server import Scripted
from spiders.middlewares import backoff_delay, retry_after_seconds
from tests.conftest import board_outcome, run_crawl, write_sources

GH = "/greenhouse/v1/boards/{}/jobs"


def record_hit_times(server) -> dict[str, list[float]]:
    """Wrap the server's answer() to note when each path was asked for."""
    times: dict[str, list[float]] = defaultdict(list)
    answer = server.answer

    def timed(path, query, body=b""):
        times[path].append(time.monotonic())
        return answer(path, query, body)

    server.answer = timed
    return times


def greenhouse(server, token: str) -> dict:
    return {
        "company": token.title(),
        "family": "greenhouse",
        "token": token,
        "url": server.url_for("greenhouse", token),
    }


def throttled(retry_after: str | None = None, status: int = 429) -> Scripted:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Scripted(status, '{"error": "slow down"}', headers)


def test_retries_honour_retry_after_and_back_off(board_server, tmp_path: Path) -> None:
    times = record_hit_times(board_server)
    board_server.script(GH.format("gridwise-demo"), throttled("1"))
    board_server.script(GH.format("ferrous-vision-demo"), throttled(status=503))
    board_server.script(GH.format("always-throttled"), *[throttled() for _ in range(4)])
    board_server.script(GH.format("come-back-tomorrow"), throttled("86400"))
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            greenhouse(board_server, "gridwise-demo"),
            greenhouse(board_server, "ferrous-vision-demo"),
            greenhouse(board_server, "always-throttled"),
            greenhouse(board_server, "come-back-tomorrow"),
        ],
    )
    manifest = run_crawl(
        sources,
        tmp_path / "raw",
        settings={
            "UNHEARD_RETRY_BACKOFF_BASE": "0.1",
            "RETRY_TIMES": "3",
            "UNHEARD_RETRY_MAX_DELAY": "5",
            "UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS": "0",
        },
    )

    # 429 + Retry-After: 1, then 200: the board is ok, and the retry waited the second
    patient = board_outcome(manifest, "gridwise-demo")
    assert patient["outcome"] == "ok" and patient["postings"] > 0
    first, second = times[GH.format("gridwise-demo")]
    assert second - first >= 0.95  # the backoff alone would have waited 0.1 s

    # the wait blocks nothing: another board was retried and done meanwhile
    assert times[GH.format("ferrous-vision-demo")][-1] < second

    # 503 without Retry-After, then 200: ok after one backoff
    recovered = board_outcome(manifest, "ferrous-vision-demo")
    assert recovered["outcome"] == "ok" and board_server.hits[GH.format("ferrous-vision-demo")] == 2

    # always 429: RETRY_TIMES retries, each wait twice the one before, then throttled
    hopeless = board_outcome(manifest, "always-throttled")
    assert (hopeless["outcome"], hopeless["http_status"], hopeless["retryable"]) == (
        "throttled",
        429,
        True,
    )
    hits = times[GH.format("always-throttled")]
    assert len(hits) == 4
    gaps = [later - earlier for earlier, later in zip(hits, hits[1:], strict=False)]
    assert gaps[0] >= 0.09 and gaps[1] >= 0.19 and gaps[2] >= 0.39

    # Retry-After beyond UNHEARD_RETRY_MAX_DELAY: no early retry, throttled at once
    tomorrow = board_outcome(manifest, "come-back-tomorrow")
    assert tomorrow["outcome"] == "throttled" and tomorrow["retryable"] is True
    assert board_server.hits[GH.format("come-back-tomorrow")] == 1


def test_oversize_answer_is_a_recorded_board_error(board_server, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.yaml", [greenhouse(board_server, "gridwise-demo")])
    manifest = run_crawl(sources, tmp_path / "raw", settings={"DOWNLOAD_MAXSIZE": "4096"})
    outcome = board_outcome(manifest, "gridwise-demo")
    assert outcome["outcome"] == "error" and outcome["retryable"] is True
    assert "max size" in outcome["error"] and outcome["postings"] == 0


def test_retry_after_forms_and_backoff_growth() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(" 7 ") == 7.0
    assert (
        retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now)
        == 30.0
    )
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0.0  # past
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert [backoff_delay(n, 2.0, 60.0) for n in (1, 2, 3, 4, 5, 6)] == [2, 4, 8, 16, 32, 60]
