"""Yesterday on the demo boards: one more role was open, and was filled overnight.

`unheard demo` replays yesterday's scheduled run before its own; serving this state to the
first crawl gives the second one something to notice (a closed posting in `core_postings`'
metadata, in the report's "what changed" and in `marts.postings.closed_at`)."""

from __future__ import annotations

import json

from pipelines.demo.fixture_server import BoardServer, json_answer

BOARD = "clinica-scribe-demo"
LIKE_TITLE = "Machine Learning Intern"  # the filled role was the same internship's spring cohort
FILLED_OVERNIGHT = {
    "id": "0d3f1c52-6a1e-4c0b-9d7e-2f5b8a9c1e44",
    "title": "Machine Learning Intern (Spring Cohort)",
    "publishedAt": "2026-10-01T16:00:00.000+00:00",
}


def serve_yesterday(server: BoardServer) -> None:
    """The next request for the board gets yesterday's listing; later ones today's."""
    board = json.loads(server.board_file("ashby", BOARD) or b"{}")
    like = next(job for job in board["jobs"] if job["title"] == LIKE_TITLE)
    filled = {
        **like,
        **FILLED_OVERNIGHT,
        "jobUrl": f"https://jobs.ashbyhq.com/{BOARD}/{FILLED_OVERNIGHT['id']}",
        "applyUrl": f"https://jobs.ashbyhq.com/{BOARD}/{FILLED_OVERNIGHT['id']}/application",
    }
    server.script(
        f"/ashby/posting-api/job-board/{BOARD}",
        json_answer({**board, "jobs": [*board["jobs"], filled]}),
    )
