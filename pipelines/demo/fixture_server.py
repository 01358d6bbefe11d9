"""A local web server that answers like the real job-board APIs, for the demo and the tests.

Routes mirror each family's real path under a family prefix (`/<family>/<real path>`), e.g.

    /greenhouse/v1/boards/<token>/jobs          body of boards-api.greenhouse.io
    /lever/v0/postings/<site>?skip=&limit=      paged slices of a Lever array
    /ashby/posting-api/job-board/<org>          body of api.ashbyhq.com

Each family's API is imitated by a module `pipelines/demo/fake_apis/<family>.py` with
`url_for(base, token)` and `answer(server, path, query, body) -> Scripted`; board content
lives in files `<boards_dir>/<family>/<token>.<ext>` (a missing file is a 404).
Tests can script exact answers for a path (status, headers, body), consumed in order,
to stage 429s, malformed bodies and the like. Bound to 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import threading
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

DEMO_BOARDS = Path(__file__).resolve().parent / "boards"


def fake_api(family: str) -> ModuleType | None:
    """The module imitating a family's API, or None when there is none."""
    if not family.isidentifier():
        return None
    try:
        return importlib.import_module(f"pipelines.demo.fake_apis.{family}")
    except ModuleNotFoundError:
        return None


@dataclass
class Scripted:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)


class BoardServer:
    """Start with `with BoardServer() as server:`; `server.url_for(family, token)`."""

    def __init__(self, boards_dirs: Iterable[Path] = (DEMO_BOARDS,), port: int = 0) -> None:
        self.boards_dirs = [Path(d) for d in boards_dirs]
        self.scripted: dict[str, deque[Scripted]] = defaultdict(deque)
        self.hits: dict[str, int] = defaultdict(int)
        self.not_modified: dict[str, int] = defaultdict(int)  # 304s answered, by path
        self.requested: list[str] = []  # every request's path and query, in arrival order
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url_for(self, family: str, token: str) -> str:
        module = fake_api(family)
        if module is None:
            raise KeyError(f"no fake API for board family {family!r}")
        return module.url_for(f"{self.base_url}/{family}", token)

    def script(self, path: str, *answers: Scripted) -> None:
        """Answer the next requests for `path` (no query string) with these, in order."""
        with self._lock:
            self.scripted[path].extend(answers)

    def start(self) -> BoardServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> BoardServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling ---------------------------------------------------------------
    def answer(self, path: str, query: dict[str, list[str]], body: bytes = b"") -> Scripted:
        with self._lock:
            self.hits[path] += 1
            if self.scripted.get(path):
                return self.scripted[path].popleft()
        if path == "/robots.txt":
            return Scripted(200, "User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        family, _, rest = path.lstrip("/").partition("/")
        module = fake_api(family)
        if module is not None:
            return module.answer(self, "/" + rest, query, body)
        return not_found()

    def board_file(self, family: str, token: str, ext: str = "json") -> bytes | None:
        """The stored content of a board, from the first boards folder that has it."""
        if not token or "/" in token or ".." in token:
            return None
        for folder in self.boards_dirs:
            candidate = folder / family / f"{token}.{ext}"
            if candidate.is_file():
                return candidate.read_bytes()
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                with server._lock:
                    server.requested.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body_in = self.rfile.read(length) if length else b""
                answer = server.answer(parts.path, parse_qs(parts.query), body_in)
                body = answer.body.encode("utf-8") if isinstance(answer.body, str) else answer.body
                headers = {"Content-Type": "application/json", **answer.headers}
                status = answer.status
                if status == 200 and "ETag" not in headers:
                    # like real boards behind a CDN: a validator, and 304 when it still holds
                    headers["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
                    if self.headers.get("If-None-Match") == headers["ETag"]:
                        status, body = 304, b""
                        with server._lock:
                            server.not_modified[parts.path] += 1
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815 - Workday lists by POST

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # quiet: tests and the demo print their own summaries

        return Handler


def json_answer(payload: object, status: int = 200) -> Scripted:
    return Scripted(
        status, json.dumps(payload), {"Content-Type": "application/json; charset=utf-8"}
    )


def not_found() -> Scripted:
    return Scripted(404, '{"error": "not found"}', {"Content-Type": "application/json"})


def demo_sources_yaml(server: BoardServer, registry: Path) -> str:
    """The demo registry with every board's `url` pointed at this server."""
    import yaml

    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    for entry in document["sources"]:
        entry["url"] = server.url_for(entry["family"], entry["token"])
    return yaml.safe_dump(document, sort_keys=False)
