"""Lever: `GET /v0/postings/<site>?mode=json&skip=&limit=`, pages cut from `lever/<site>.json`."""

from __future__ import annotations

import json
import re

from pipelines.demo.fixture_server import BoardServer, Scripted, json_answer, not_found

LIST = re.compile(r"^/v0/postings/(?P<token>[^/]+)$")


def url_for(base: str, token: str) -> str:
    return f"{base}/v0/postings/{token}"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = LIST.match(path)
    content = server.board_file("lever", match["token"]) if match else None
    if content is None:
        return not_found()
    postings = json.loads(content)
    skip = int(query.get("skip", ["0"])[0])
    limit = int(query.get("limit", [str(len(postings) or 1)])[0])
    return json_answer(postings[skip : skip + limit])
