"""Workable: `GET /api/v1/widget/accounts/<slug>[?details=true]` from `workable/<slug>.json`.

The board file is the answer with `details=true`; without it, like the real widget API,
the jobs come without their `description`.
"""

from __future__ import annotations

import json
import re

from pipelines.demo.fixture_server import BoardServer, Scripted, json_answer, not_found

LIST = re.compile(r"^/api/v1/widget/accounts/(?P<token>[^/]+)/?$")
DETAIL_FIELDS = ("description", "requirements", "benefits")


def url_for(base: str, token: str) -> str:
    return f"{base}/api/v1/widget/accounts/{token}"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = LIST.match(path)
    content = server.board_file("workable", match["token"]) if match else None
    if content is None:
        return not_found()
    if query.get("details", ["false"])[0] == "true":
        return Scripted(200, content, {"Content-Type": "application/json; charset=utf-8"})
    account = json.loads(content)
    account["jobs"] = [
        {k: v for k, v in job.items() if k not in DETAIL_FIELDS} for job in account.get("jobs", [])
    ]
    return json_answer(account)
