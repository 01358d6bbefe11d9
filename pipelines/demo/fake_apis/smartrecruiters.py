"""SmartRecruiters: `GET /v1/companies/<id>/postings?offset=&limit=` and the detail call
`GET /v1/companies/<id>/postings/<postingId>`, from `smartrecruiters/<id>.json`.

The board file holds the list entries and each posting's detail answer:
`{"content": [<list entry>, ...], "details": {"<postingId>": <detail answer>, ...}}`;
list pages are sliced from `content` and say `offset`, `limit` and `totalFound` like the
real API (default limit 10, at most 100). A posting without a stored detail is a 404.
"""

from __future__ import annotations

import json
import re

from pipelines.demo.fixture_server import BoardServer, Scripted, json_answer, not_found

LIST = re.compile(r"^/v1/companies/(?P<token>[^/]+)/postings/?$")
DETAIL = re.compile(r"^/v1/companies/(?P<token>[^/]+)/postings/(?P<posting>[^/]+)$")
DEFAULT_LIMIT, MAX_LIMIT = 10, 100


def url_for(base: str, token: str) -> str:
    return f"{base}/v1/companies/{token}/postings"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = LIST.match(path) or DETAIL.match(path)
    content = server.board_file("smartrecruiters", match["token"]) if match else None
    if content is None:
        return not_found()
    board = json.loads(content)
    if "posting" in match.groupdict():
        detail = board.get("details", {}).get(match["posting"])
        return json_answer(detail) if detail is not None else not_found()
    postings = board.get("content", [])
    offset = max(int(query.get("offset", ["0"])[0]), 0)
    limit = min(max(int(query.get("limit", [str(DEFAULT_LIMIT)])[0]), 1), MAX_LIMIT)
    return json_answer(
        {
            "offset": offset,
            "limit": limit,
            "totalFound": len(postings),
            "content": postings[offset : offset + limit],
        }
    )
