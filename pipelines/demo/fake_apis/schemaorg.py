"""A company careers site with schema.org markup: static pages from `schemaorg/<site>/`.

    GET /<site>/                 schemaorg/<site>/index.html (the careers page)
    GET /<site>/<path>           schemaorg/<site>/<path> (a folder serves its index.html;
                                 a path without extension serves <path>.html)

Files may write `{{site}}` where the site's absolute address belongs (sitemaps list
absolute URLs, and the server's port is only known when it starts).
"""

from __future__ import annotations

from pathlib import Path

from pipelines.demo.fixture_server import BoardServer, Scripted

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


def url_for(base: str, token: str) -> str:
    return f"{base}/{token}/"


def answer(server: BoardServer, path: str, query: dict[str, list[str]], body: bytes) -> Scripted:
    token, _, rest = path.lstrip("/").partition("/")
    page = site_file(server, token, rest)
    if page is None:
        return Scripted(404, "<h1>Not found</h1>", {"Content-Type": "text/html; charset=utf-8"})
    site = f"{server.base_url}/schemaorg/{token}"
    content = page.read_bytes().replace(b"{{site}}", site.encode())
    content_type = CONTENT_TYPES.get(page.suffix, "application/octet-stream")
    return Scripted(200, content, {"Content-Type": content_type})


def site_file(server: BoardServer, token: str, rest: str) -> Path | None:
    if not token or ".." in token or ".." in rest.split("/"):
        return None
    for folder in server.boards_dirs:
        root = (folder / "schemaorg" / token).resolve()
        if not root.is_dir():
            continue
        candidate = (root / rest).resolve()
        if not candidate.is_relative_to(root):
            return None
        for option in (
            candidate,
            candidate / "index.html",
            candidate.with_name(candidate.name + ".html"),
        ):
            if option.is_file():
                return option
    return None
