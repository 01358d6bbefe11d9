"""Personio: `GET /<company>/xml?language=en` (the real host is `<company>.jobs.personio.de`),
from `personio/<company>.xml`, the feed as the real site sends it."""

from __future__ import annotations

import re

from pipelines.demo.fixture_server import BoardServer, Scripted, not_found

FEED = re.compile(r"^/(?P<token>[^/]+)/xml/?$")


def url_for(base: str, token: str) -> str:
    return f"{base}/{token}/xml"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = FEED.match(path)
    content = server.board_file("personio", match["token"], "xml") if match else None
    if content is None:
        return not_found()
    return Scripted(200, content, {"Content-Type": "text/xml; charset=utf-8"})
