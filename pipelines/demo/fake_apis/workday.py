"""Workday: the CxS endpoints of `<tenant>.wd<N>.myworkdayjobs.com`, under `/<tenant>.wd<N>`
(standing in for the host, which `url_for` returns as the board's base URL):

    POST /<tenant>.wd<N>/wday/cxs/<tenant>/<site>/jobs       {"limit", "offset", ...}
    GET  /<tenant>.wd<N>/wday/cxs/<tenant>/<site><externalPath>

from `workday/<tenant>.wd<N>_<site>.json` (the token with "/" as "_"), which holds the list
entries and each posting's detail answer by external path:
`{"jobPostings": [<entry>, ...], "details": {"<externalPath>": <detail answer>, ...}}`.
Like the real API, `total` is only stated on the first page (later pages say 0) and a
`limit` above 20 or a body that is not JSON is a 400.
"""

from __future__ import annotations

import json
import re

from pipelines.demo.fixture_server import BoardServer, Scripted, json_answer, not_found

SITE = r"^/(?P<host>(?P<tenant>[^/.]+)\.wd\d+)/wday/cxs/(?P=tenant)/(?P<site>[^/]+)"
LIST = re.compile(SITE + r"/jobs$")
DETAIL = re.compile(SITE + r"(?P<external>/job/.+)$")
MAX_LIMIT = 20


def url_for(base: str, token: str) -> str:
    host = token.split("/", 1)[0]
    return f"{base}/{host}"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = LIST.match(path) or DETAIL.match(path)
    content = server.board_file("workday", f"{match['host']}_{match['site']}") if match else None
    if content is None:
        return not_found()
    board = json.loads(content)
    if "external" in match.groupdict():
        detail = board.get("details", {}).get(match["external"])
        return json_answer(detail) if detail is not None else not_found()
    try:
        search = json.loads(body or b"{}")
        offset, limit = int(search.get("offset", 0)), int(search.get("limit", MAX_LIMIT))
    except (ValueError, TypeError, AttributeError):
        return json_answer({"errorCode": "HTTP_400", "message": "Bad request"}, 400)
    if limit > MAX_LIMIT or limit < 1 or offset < 0:
        return json_answer({"errorCode": "HTTP_400", "message": "Invalid limit"}, 400)
    postings = board.get("jobPostings", [])
    return json_answer(
        {
            "total": len(postings) if offset == 0 else 0,
            "jobPostings": postings[offset : offset + limit],
            "facets": [],
        }
    )
