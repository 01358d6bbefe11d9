"""Greenhouse: `GET /v1/boards/<token>/jobs[?content=true]` from `greenhouse/<token>.json`."""

from __future__ import annotations

import re

from pipelines.demo.fixture_server import BoardServer, Scripted, not_found

LIST = re.compile(r"^/v1/boards/(?P<token>[^/]+)/jobs$")


def url_for(base: str, token: str) -> str:
    return f"{base}/v1/boards/{token}/jobs"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = LIST.match(path)
    content = server.board_file("greenhouse", match["token"]) if match else None
    if content is None:
        return not_found()
    return Scripted(200, content, {"Content-Type": "application/json; charset=utf-8"})
