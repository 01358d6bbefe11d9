"""Greenhouse, from `greenhouse/<token>.json` (the list answer with `content=true`):

    GET /v1/boards/<token>/jobs[?content=true]                 the list
    GET /v1/boards/<token>/jobs/<id>[?pay_transparency=true]   one job, as the list has it

The real list never carries pay; the single-job call adds `pay_input_ranges` when asked
with `pay_transparency=true`. A board file may give a job a `pay_input_ranges` key: it is
kept out of the list answer and served only by the single-job call.
"""

from __future__ import annotations

import json
import re

from pipelines.demo.fixture_server import BoardServer, Scripted, json_answer, not_found

LIST = re.compile(r"^/v1/boards/(?P<token>[^/]+)/jobs$")
JOB = re.compile(r"^/v1/boards/(?P<token>[^/]+)/jobs/(?P<job_id>[^/]+)$")
PAY = "pay_input_ranges"


def url_for(base: str, token: str) -> str:
    return f"{base}/v1/boards/{token}/jobs"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    if match := LIST.match(path):
        content = server.board_file("greenhouse", match["token"])
        if content is None:
            return not_found()
        if PAY.encode() in content:
            board = json.loads(content)
            for job in board.get("jobs") or []:
                job.pop(PAY, None)
            return json_answer(board)
        return Scripted(200, content, {"Content-Type": "application/json; charset=utf-8"})
    if match := JOB.match(path):
        return single_job(server, match["token"], match["job_id"], query)
    return not_found()


def single_job(
    server: BoardServer, token: str, job_id: str, query: dict[str, list[str]]
) -> Scripted:
    content = server.board_file("greenhouse", token)
    if content is None:
        return not_found()
    try:
        jobs = json.loads(content).get("jobs") or []
    except ValueError:
        return Scripted(500, '{"error": "internal error"}')
    job = next((j for j in jobs if isinstance(j, dict) and str(j.get("id")) == job_id), None)
    if job is None:
        return not_found()
    job = dict(job)
    pay = job.pop(PAY, None)
    if query.get("pay_transparency", [""])[0] == "true" and pay is not None:
        job[PAY] = pay
    return json_answer(job)
