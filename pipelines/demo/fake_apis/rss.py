"""A job feed: `GET /<feed>.xml` from `rss/<feed>.xml` (RSS 2.0 or Atom, as written)."""

from __future__ import annotations

import re

from pipelines.demo.fixture_server import BoardServer, Scripted, not_found

FEED = re.compile(r"^/(?P<token>[^/]+)\.xml$")


def url_for(base: str, token: str) -> str:
    return f"{base}/{token}.xml"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    match = FEED.match(path)
    content = server.board_file("rss", match["token"], "xml") if match else None
    if content is None:
        return not_found()
    return Scripted(200, content, {"Content-Type": "application/rss+xml; charset=utf-8"})
