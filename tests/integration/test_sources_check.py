"""`python -m spiders.check`: one cheap probe per board, one outcome per board."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipelines.demo.fixture_server import Scripted, json_answer
from spiders.check import render_check_report
from tests.conftest import PROJECT_ROOT, write_sources

PERSONIO_XML = """<?xml version="1.0" encoding="UTF-8"?>
<workzag-jobs>
  <position><id>301</id><name>Data Scientist (m/w/d)</name><office>Kassel</office></position>
  <position><id>302</id><name>Elektroniker (m/w/d)</name><office>Kassel</office></position>
</workzag-jobs>
"""


def entry(family: str, token: str, url: str, company: str | None = None) -> dict:
    return {"company": company or token.title(), "family": family, "token": token, "url": url}


def run_check(sources: Path, out: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "spiders.check", "--sources", str(sources), "--out", str(out)]
    for setting in (
        "AUTOTHROTTLE_START_DELAY=0",
        "DOWNLOAD_DELAY=0",
        "UNHEARD_RETRY_BACKOFF_BASE=0.1",
        "RETRY_TIMES=3",
    ):
        command += ["--set", setting]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


def test_every_board_gets_one_outcome(board_server, tmp_path: Path) -> None:
    base = board_server.base_url
    bodies: dict[str, bytes] = {}
    answer = board_server.answer

    def recording(path, query, body=b""):
        bodies[path] = body
        return answer(path, query, body)

    board_server.answer = recording
    gh = board_server.url_for
    board_server.script("/greenhouse/v1/boards/locked-board/jobs", Scripted(403, "Forbidden"))
    board_server.script(
        "/greenhouse/v1/boards/busy-board/jobs",
        *[Scripted(429, '{"error": "rate limited"}') for _ in range(4)],
    )
    sr_path = "/smartrecruiters/v1/companies/ProbeCo/postings"
    board_server.script(
        sr_path,
        json_answer(
            {"offset": 0, "limit": 1, "totalFound": 37, "content": [{"id": "744000012345"}]}
        ),
    )
    wd_path = "/workday/probeco.wd5/wday/cxs/probeco/External/jobs"
    board_server.script(wd_path, json_answer({"total": 212, "jobPostings": [{"title": "x"}]}))
    board_server.script(
        "/personio/probe-gmbh/xml", Scripted(200, PERSONIO_XML, {"Content-Type": "text/xml"})
    )
    board_server.script("/recruitee/probe-bv/api/offers/", json_answer({"offers": []}))
    board_server.script("/workable/probe-ltd", json_answer({"name": "Probe", "jobs": [{}]}))
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            entry("greenhouse", "gridwise-demo", gh("greenhouse", "gridwise-demo")),
            entry("greenhouse", "quiet-co-op", gh("greenhouse", "quiet-co-op")),
            entry("greenhouse", "locked-board", gh("greenhouse", "locked-board")),
            entry("greenhouse", "busy-board", gh("greenhouse", "busy-board")),
            entry("greenhouse", "truncated-board", gh("greenhouse", "truncated-board")),
            entry("ashby", "no-such-board", gh("ashby", "no-such-board")),
            entry("lever", "furrow-labs-demo", gh("lever", "furrow-labs-demo")),
            entry("smartrecruiters", "ProbeCo", f"{base}{sr_path}"),
            entry("workday", "probeco.wd5/External", f"{base}/workday/probeco.wd5"),
            entry("personio", "probe-gmbh", f"{base}/personio/probe-gmbh/xml"),
            entry("recruitee", "probe-bv", f"{base}/recruitee/probe-bv/api/offers/"),
            entry("workable", "probe-ltd", f"{base}/workable/probe-ltd"),
            entry("rss", "fieldnotes-remote", gh("rss", "fieldnotes-remote")),
            entry("schemaorg", "tidewater-grid", gh("schemaorg", "tidewater-grid")),
            entry("greenhouse", "unreachable", "http://127.0.0.1:9/v1/boards/unreachable/jobs"),
        ],
    )
    out = tmp_path / "health.json"
    result = run_check(sources, out)

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "checked 15 boards" in result.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    by_board = {r["board"]: r for r in results}
    assert len(results) == len(by_board) == 15

    def summary(board: str) -> tuple:
        r = by_board[board]
        return r["outcome"], r["count"], r["retryable"], r["http_status"]

    gridwise = json.loads(board_server.board_file("greenhouse", "gridwise-demo"))
    assert summary("gridwise-demo") == ("ok", len(gridwise["jobs"]), False, 200)
    assert summary("quiet-co-op") == ("empty", 0, False, 200)
    assert summary("locked-board") == ("refused", None, False, 403)
    assert summary("busy-board") == ("throttled", None, True, 429)
    assert board_server.hits["/greenhouse/v1/boards/busy-board/jobs"] == 4  # after retries
    assert summary("truncated-board")[:3] == ("error", None, True)
    assert "malformed JSON" in by_board["truncated-board"]["reason"]
    assert summary("no-such-board") == ("missing", None, False, 404)
    assert summary("unreachable")[:3] == ("error", None, True)
    assert (
        "Connect" in by_board["unreachable"]["reason"]
        or "refused" in by_board["unreachable"]["reason"].lower()
    )

    # the cheapest request per family, and the count it can give
    lever = by_board["furrow-labs-demo"]
    assert (lever["outcome"], lever["count"], lever["count_exact"]) == ("ok", 1, False)
    assert "limit=1" in lever["url"] and "mode=json" in lever["url"]
    assert "content=" not in by_board["gridwise-demo"]["url"]
    assert summary("ProbeCo") == ("ok", 37, False, 200)
    assert summary("probeco.wd5/External") == ("ok", 212, False, 200)
    assert json.loads(bodies[wd_path])["limit"] == 1
    assert summary("probe-gmbh") == ("ok", 2, False, 200)
    assert summary("probe-bv") == ("empty", 0, False, 200)
    assert summary("probe-ltd") == ("ok", 1, False, 200)
    feed = by_board["fieldnotes-remote"]
    assert (feed["outcome"], feed["count"], feed["count_exact"]) == ("ok", 3, False)  # page 2
    assert summary("tidewater-grid") == ("ok", 5, False, 200)  # five distinct job links
    assert all(r["checked_at"].endswith("+00:00") for r in results)

    report = render_check_report(results)
    lines = report.splitlines()
    assert lines[0].split() == [
        "family",
        "board",
        "company",
        "outcome",
        "count",
        "retryable",
        "reason",
    ]
    assert any("furrow-labs-demo" in line and " 1+ " in line for line in lines)
    assert lines[-1].startswith("checked 15 boards: 8 ok, 2 empty, 1 missing, 1 refused,")
    assert lines[-1].endswith("(3 retryable)")


def test_report_of_nothing() -> None:
    assert render_check_report([]).splitlines()[-1] == "checked 0 boards: nothing (0 retryable)"
