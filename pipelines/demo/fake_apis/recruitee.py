"""Recruitee: `GET /<slug>/api/offers/` (the real host is `<slug>.recruitee.com`), from
`recruitee/<slug>.json`, the body as the real API sends it."""

from __future__ import annotations

import re

from pipelines.demo.fixture_server import BoardServer, Scripted, not_found

LIST = re.compile(r"^/(?P<token>[^/]+)/api/offers/?$")


def url_for(base: str, token: str) -> str:
    return f"{base}/{token}/api/offers/"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = LIST.match(path)
    content = server.board_file("recruitee", match["token"]) if match else None
    if content is None:
        return not_found()
    return Scripted(200, content, {"Content-Type": "application/json; charset=utf-8"})
