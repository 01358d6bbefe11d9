"""A board server that misbehaves on purpose: one board (route) per fault, and boards whose
postings carry hostile content. For the reliability tests, and to try by hand:

    python -m pipelines.demo.hostile_server            # prints a registry, serves until ^C

Every route answers in a real family's API format (Greenhouse, Lever or Ashby), under the
same paths as `BoardServer`, so the real spiders crawl it. `FAULTS` lists the routes with
the outcome each one must leave on its board; `BAD_INPUTS` lists the hostile postings and
the board that carries each one. Faults that `Scripted` cannot express (a connection reset
mid-body, a body that trickles, a body with no length) are answers of their own types,
written by this server's request handler.

Bound to 127.0.0.1 only. A second plain `BoardServer` on another port (`elsewhere`) is the
target of the cross-port redirect, so following that redirect *would* succeed: only the
crawler's redirect policy (`spiders.guards`) stops it.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import socket
import struct
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from pipelines.demo.fixture_server import DEMO_BOARDS, BoardServer, Scripted, json_answer

GREENHOUSE_LIST = "/greenhouse/v1/boards/{token}/jobs"
# a registry host that *looks* public but resolves (by the guard's fixed answers) to loopback
PUBLIC_LOOKING_HOST = "careers.hostile-board.example"


# -- answers Scripted cannot express -------------------------------------------------------
@dataclass
class Reset:
    """Headers announcing the whole body, half of it, then a TCP reset."""

    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Trickle:
    """Headers announcing the whole body, then a few bytes at a time, slower than any
    sensible download timeout (stops when the client gives up, or after `max_s`)."""

    body: bytes
    bytes_per_tick: int = 4
    tick_s: float = 0.25
    max_s: float = 30.0


@dataclass
class Unsized:
    """A body of `size` bytes with no Content-Length, streamed until the client hangs up
    (how an oversize answer arrives when the server does not announce it)."""

    size: int
    chunk: int = 64 * 1024


@dataclass
class Sized:
    """A body of `size` bytes *announced* in Content-Length and streamed in chunks."""

    size: int
    chunk: int = 64 * 1024


Answer = Scripted | Reset | Trickle | Unsized | Sized


# -- the catalogue ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Fault:
    token: str  # the board token, which is also the route
    family: str
    what: str
    outcome: str  # the board's outcome in the manifest after the crawl
    postings: int = 0  # postings the board lists when it does answer


FAULTS: tuple[Fault, ...] = (
    Fault("fault-500", "greenhouse", "500 on every request", "error"),
    Fault("fault-429-then-ok", "greenhouse", "429 with Retry-After: 1, then the board", "ok", 2),
    Fault("fault-429-tomorrow", "greenhouse", "429 with Retry-After: 86400", "throttled"),
    Fault("fault-503-then-ok", "greenhouse", "503 once, then the board", "ok", 2),
    Fault(
        "fault-reset-mid-body", "greenhouse", "connection reset half-way through the body", "error"
    ),
    Fault("fault-trickle", "greenhouse", "a body slower than the download timeout", "error"),
    Fault("fault-oversize", "greenhouse", "a body over the size cap, announced", "error"),
    Fault(
        "fault-oversize-unsized", "greenhouse", "a body over the size cap, not announced", "error"
    ),
    Fault("fault-gzip-truncated", "greenhouse", "gzip cut off half-way", "error"),
    Fault("fault-json-truncated", "greenhouse", "JSON cut off half-way", "error"),
    Fault("fault-html-for-json", "greenhouse", "an HTML error page from the JSON API", "error"),
    Fault("charset-latin1-as-utf8", "greenhouse", "a Latin-1 body labelled UTF-8", "ok", 2),
    Fault("charset-utf8-as-latin1", "greenhouse", "a UTF-8 body labelled Latin-1", "ok", 2),
    Fault("fault-redirect-loop", "greenhouse", "a redirect loop A -> B -> A", "error"),
    Fault(
        "redirect-to-localhost",
        "greenhouse",
        "a redirect to another host name (localhost)",
        "blocked",
    ),
    Fault(
        "redirect-to-127-0-0-2",
        "greenhouse",
        "a redirect to another address (127.0.0.2)",
        "blocked",
    ),
    Fault("redirect-to-other-port", "greenhouse", "a redirect to another port", "blocked"),
    Fault(
        "redirect-to-metadata",
        "greenhouse",
        "a redirect to the cloud metadata address 169.254.169.254",
        "blocked",
    ),
    Fault(
        "redirect-same-site", "greenhouse", "a redirect to another path on the same site", "ok", 2
    ),
    Fault(
        "public-name-private-address",
        "greenhouse",
        "a public-looking registry host that resolves to loopback",
        "blocked",
    ),
    Fault("fault-empty", "greenhouse", "a board with no postings", "empty"),
    Fault("fault-same-page-forever", "lever", "the same page whatever the offset", "capped", 5),
    Fault(
        "fault-extractor-crash",
        "lever",
        "an answer the extractor refuses: Lever's v1 {data: [...]} object, not the array",
        "error",
    ),
)
FAULTS_BY_TOKEN = {f.token: f for f in FAULTS}


@dataclass(frozen=True)
class BadInput:
    name: str
    family: str
    board: str
    job_ids: tuple[str, ...]  # the postings that carry it (two for duplicate ids)


HOSTILE_HTML_BOARD = "hostile-html"  # greenhouse
HOSTILE_TEXT_BOARD = "hostile-text"  # greenhouse
HOSTILE_PAY_BOARD = "hostile-pay"  # ashby
HOSTILE_PLACES_BOARD = "hostile-places"  # lever

SCRIPT = "<p>Build forecasting models.</p><script>alert('pwned')</script><p>Apply today.</p>"
ONERROR = '<p>Our team</p><img src="x" onerror="alert(document.cookie)"><p>grows.</p>'
JS_LINK = (
    '<p>Apply <a href="javascript:alert(1)">here</a> or '
    '<a href="JaVaScRiPt:alert(2)">there</a>.</p>'
)
IFRAME = '<p>Watch:</p><iframe src="https://evil.example/phish"></iframe><p>Thanks.</p>'
CSS = (
    '<style>body{background:url("javascript:alert(1)")}</style>'
    '<div style="width: expression(alert(1)); background:url(javascript:alert(2))">Pay well.</div>'
)
NUL_TITLE = "Data\x00 Engineer\x00"
NUL_HTML = "<p>Line one\x00</p><p>Line\x00 two</p>"
EMOJI_RTL_TITLE = "مهندس تعلم الآلة 🚀🤖 \u202eevil.exe\u202c"
EMOJI_RTL_HTML = "<p>נשמח לשמוע ממך 🌍 — \u202bטקסט מימין לשמאל\u202c 👩🏽‍🔬</p>"
SQL_TITLES = ("'; drop table marts.postings; --", "Robert'); DROP TABLE raw.crawl_runs;--")


def big_description(size: int = 2 * 1024 * 1024) -> str:
    paragraph = "<p>We model grid load with gradient boosting and physics-informed nets. </p>"
    return paragraph * (size // len(paragraph) + 1)


def many_places(count: int = 10_000) -> list[str]:
    return [f"Town {i}, Region {i % 97}" for i in range(count)]


def _gh_job(job_id: int, title: str, content: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": job_id,
        "title": title,
        "content": html.escape(content),  # Greenhouse entity-escapes its HTML
        "location": {"name": "Oslo, Norway"},
        "updated_at": "2026-11-01T10:00:00-04:00",
        "first_published": "2026-10-01T10:00:00-04:00",
        **extra,
    }


def hostile_boards(
    description_bytes: int = 2 * 1024 * 1024, places: int = 10_000
) -> tuple[dict[tuple[str, str], bytes], list[BadInput]]:
    """The boards carrying hostile postings, as served bytes, and the catalogue of inputs."""
    inputs: list[BadInput] = []
    html_jobs: list[dict[str, Any]] = []
    for offset, (name, content) in enumerate(
        [
            ("script-tag", SCRIPT),
            ("onerror-attribute", ONERROR),
            ("javascript-link", JS_LINK),
            ("iframe", IFRAME),
            ("css-expression", CSS),
            ("nul-bytes", NUL_HTML),
            ("2mb-description", big_description(description_bytes)),
            ("emoji-and-rtl", EMOJI_RTL_HTML),
        ]
    ):
        job_id = 9100 + offset
        title = {"nul-bytes": NUL_TITLE, "emoji-and-rtl": EMOJI_RTL_TITLE}.get(
            name, f"Grid Analyst {offset}"
        )
        html_jobs.append(_gh_job(job_id, title, content))
        inputs.append(BadInput(name, "greenhouse", HOSTILE_HTML_BOARD, (str(job_id),)))

    text_jobs = [
        _gh_job(9200, SQL_TITLES[0], "<p>Quoting matters.</p>"),
        _gh_job(9201, SQL_TITLES[1], "<p>Little Bobby Tables.</p>"),
        _gh_job(9202, "Field Technician", "<p>First copy of a repeated id.</p>"),
        _gh_job(9202, "Field Technician (again)", "<p>Second copy of a repeated id.</p>"),
        # a lone UTF-16 surrogate escape: valid JSON syntax, not valid Unicode
        _gh_job(9203, "Analyst \ud800 Lone", "<p>Half a character: \udc00.</p>"),
    ]
    inputs.append(
        BadInput("sql-looking-titles", "greenhouse", HOSTILE_TEXT_BOARD, ("9200", "9201"))
    )
    inputs.append(
        BadInput("duplicate-ids-in-one-page", "greenhouse", HOSTILE_TEXT_BOARD, ("9202",))
    )
    inputs.append(BadInput("lone-surrogate", "greenhouse", HOSTILE_TEXT_BOARD, ("9203",)))

    def ashby_job(
        job_id: str,
        title: str,
        *,
        salary: dict[str, Any] | None = None,
        summary: str | None = None,
        published: str = "2026-10-01T09:00:00.000+00:00",
    ) -> dict[str, Any]:
        compensation: dict[str, Any] = {}
        if salary is not None:
            compensation["summaryComponents"] = [{"compensationType": "Salary", **salary}]
        if summary is not None:
            compensation["scrapeableCompensationSalarySummary"] = summary
        return {
            "id": job_id,
            "title": title,
            "location": "Berlin, Germany",
            "employmentType": "FullTime",
            "publishedAt": published,
            "descriptionHtml": "<p>Hostile pay and dates.</p>",
            "compensation": compensation,
            "isListed": True,
        }

    pay_jobs = [
        ashby_job("pay-one-dollar", "Analyst One", summary="$1"),
        ashby_job("pay-billion-hourly", "Analyst Billion", summary="$1,000,000,000/hr"),
        ashby_job(
            "pay-negative",
            "Analyst Negative",
            salary={
                "minValue": -50000,
                "maxValue": 90000,
                "currencyCode": "USD",
                "interval": "1 YEAR",
            },
        ),
        ashby_job(
            "pay-min-over-max",
            "Analyst Inverted",
            salary={
                "minValue": 200000,
                "maxValue": 100000,
                "currencyCode": "USD",
                "interval": "1 YEAR",
            },
        ),
        ashby_job("date-1970", "Analyst Epoch", published="1970-01-01T00:00:00.000+00:00"),
        ashby_job("date-2100", "Analyst Future", published="2100-01-01T00:00:00.000+00:00"),
        # an ordinary Indonesian salary (about 15k USD) whose figures are large numbers
        ashby_job(
            "pay-large-units",
            "Analyst Rupiah",
            salary={
                "minValue": 200_000_000,
                "maxValue": 300_000_000,
                "currencyCode": "IDR",
                "interval": "1 YEAR",
            },
        ),
    ]
    for name, job_id in [
        ("salary-$1", "pay-one-dollar"),
        ("salary-$1,000,000,000/hr", "pay-billion-hourly"),
        ("salary-negative", "pay-negative"),
        ("salary-min-greater-than-max", "pay-min-over-max"),
        ("date-1970", "date-1970"),
        ("date-2100", "date-2100"),
        ("salary-in-large-units", "pay-large-units"),
    ]:
        inputs.append(BadInput(name, "ashby", HOSTILE_PAY_BOARD, (job_id,)))

    lever_postings = [
        {
            "id": "places-10000",
            "text": "Grid Data Scientist",
            "categories": {
                "location": "Town 0, Region 0",
                "allLocations": many_places(places),
                "commitment": "Full-time",
            },
            "description": "<p>Anywhere at all.</p>",
            "createdAt": 1790000000000,
            "workplaceType": "hybrid",
        }
    ]
    inputs.append(BadInput(f"{places}-locations", "lever", HOSTILE_PLACES_BOARD, ("places-10000",)))
    # fields of the wrong JSON type: the posting keeps what it can, its page is not lost
    lever_postings.append(
        {
            "id": "wrong-json-types",
            "text": "Grid Analyst (odd shapes)",
            "categories": "Oslo, Norway",  # a string where an object belongs
            "lists": True,  # a boolean where a list belongs
            "salaryRange": ["competitive"],  # a list where an object belongs
            "description": "<p>Fields of the wrong JSON type.</p>",
            "createdAt": 1790000000000,
        }
    )
    inputs.append(
        BadInput("wrong-json-types", "lever", HOSTILE_PLACES_BOARD, ("wrong-json-types",))
    )

    boards = {
        ("greenhouse", HOSTILE_HTML_BOARD): json.dumps({"jobs": html_jobs}).encode(),
        ("greenhouse", HOSTILE_TEXT_BOARD): json.dumps({"jobs": text_jobs}).encode(),
        ("ashby", HOSTILE_PAY_BOARD): json.dumps({"jobs": pay_jobs}).encode(),
        ("lever", HOSTILE_PLACES_BOARD): json.dumps(lever_postings).encode(),
    }
    return boards, inputs


def small_board(
    token: str, count: int, *, title: str = "Grid Engineer", location: str = "Oslo, Norway"
) -> dict[str, Any]:
    """A healthy Greenhouse board: `count` postings with ids unique to this token."""
    base = 10_000 + (sum(map(ord, token)) % 900) * 100
    return {
        "jobs": [
            _gh_job(
                base + i,
                f"{title} {i + 1}",
                f"<p>{title} work at {token}.</p>",
                location={"name": location},
            )
            for i in range(count)
        ]
    }


def fault_job_ids(fault: Fault) -> list[str]:
    """The ids a fault's board lists when it answers (its postings must all be stored)."""
    if fault.family == "lever":
        return [f"same-page-{i}" for i in range(fault.postings)]
    if fault.token == "redirect-same-site":
        return [str(j["id"]) for j in small_board("redirect-same-site-target", 2)["jobs"]]
    return [str(j["id"]) for j in small_board(fault.token, fault.postings)["jobs"]]


# -- the server -------------------------------------------------------------------------------
class HostileServer(BoardServer):
    """`BoardServer` plus the fault routes of `FAULTS` and the hostile boards.

    `oversize_bytes` is the size of the oversize answers (50 MiB by default; tests lower it
    together with the crawler's DOWNLOAD_MAXSIZE to stay fast)."""

    def __init__(
        self,
        boards_dirs: Iterable[Path] = (DEMO_BOARDS,),
        port: int = 0,
        *,
        oversize_bytes: int = 50 * 1024 * 1024,
        description_bytes: int = 2 * 1024 * 1024,
        places: int = 10_000,
    ) -> None:
        super().__init__(boards_dirs, port)
        self.oversize_bytes = oversize_bytes
        self.generated, self.bad_inputs = hostile_boards(description_bytes, places)
        self.elsewhere = BoardServer(boards_dirs)  # the target of the cross-port redirect
        self.fault_hits: dict[str, int] = defaultdict(int)
        self.hit_times: dict[str, list[float]] = defaultdict(list)
        self.routes: dict[str, Callable[[HostileServer, dict[str, list[str]], int], Answer]] = dict(
            _ROUTES
        )

    # lifecycle: the second server lives and dies with this one
    def start(self) -> HostileServer:
        self.elsewhere.start()
        super().start()
        return self

    def stop(self) -> None:
        super().stop()
        self.elsewhere.stop()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def elsewhere_port(self) -> int:
        return self.elsewhere._httpd.server_address[1]

    def board_file(self, family: str, token: str, ext: str = "json") -> bytes | None:
        generated = self.generated.get((family, token))
        return generated if generated is not None else super().board_file(family, token, ext)

    def url_of(self, fault: Fault) -> str:
        url = self.url_for(fault.family, fault.token)
        if fault.token == "public-name-private-address":
            url = url.replace("127.0.0.1", PUBLIC_LOOKING_HOST)
        return url

    def sources(
        self,
        *,
        faults: Iterable[Fault] = FAULTS,
        hostile: bool = True,
        demo: Iterable[tuple[str, str]] = (),
    ) -> list[dict[str, Any]]:
        """Registry entries: one per fault route, the hostile boards, and demo boards."""
        entries = [
            {
                "company": f"Fault {f.token}",
                "family": f.family,
                "token": f.token,
                "url": self.url_of(f),
                "homepage": "hostile.example",
            }
            for f in faults
        ]
        if hostile:
            entries += [
                {
                    "company": f"Hostile {token}",
                    "family": family,
                    "token": token,
                    "url": self.url_for(family, token),
                    "homepage": "hostile.example",
                }
                for family, token in self.generated
            ]
        entries += [
            {
                "company": f"Demo {token}",
                "family": family,
                "token": token,
                "url": self.url_for(family, token),
            }
            for family, token in demo
        ]
        return entries

    @staticmethod
    def guard_resolve() -> str:
        """The address guard's fixed DNS answers (UNHEARD_GUARD_RESOLVE) this server needs."""
        return f"{PUBLIC_LOOKING_HOST}=127.0.0.1"

    # -- routing ----------------------------------------------------------------------------
    def answer(self, path: str, query: dict[str, list[str]], body: bytes = b"") -> Answer:
        token = _route_token(path)
        if token in getattr(self, "routes", {}):
            with self._lock:
                self.fault_hits[token] += 1
                self.hit_times[token].append(time.monotonic())
                hit = self.fault_hits[token]
            return self.routes[token](self, query, hit)
        return super().answer(path, query, body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        base = super()._handler()
        server = self

        class HostileHandler(base):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = self.path.split("?", 1)[0]
                if _route_token(path) not in server.routes:
                    return super().do_GET()
                from urllib.parse import parse_qs, urlsplit

                answer = server.answer(path, parse_qs(urlsplit(self.path).query))
                # the client hanging up is what these faults provoke
                with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
                    write_answer(self, answer)
                return None

            do_POST = do_GET  # noqa: N815

        return HostileHandler


def _route_token(path: str) -> str | None:
    parts = path.strip("/").split("/")
    if len(parts) == 5 and parts[:3] == ["greenhouse", "v1", "boards"] and parts[4] == "jobs":
        return parts[3]
    if len(parts) == 4 and parts[:3] == ["lever", "v0", "postings"]:
        return parts[3]
    return None


def write_answer(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
    """Write one answer, including the kinds `Scripted` cannot express."""
    if isinstance(answer, Scripted):
        body = answer.body.encode("utf-8") if isinstance(answer.body, str) else answer.body
        handler.send_response(answer.status)
        headers = {"Content-Type": "application/json", **answer.headers}
        for name, value in headers.items():
            handler.send_header(name, value)
        if "Content-Length" not in answer.headers:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    elif isinstance(answer, Reset):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body[: len(answer.body) // 2])
        handler.wfile.flush()
        # SO_LINGER 0: close() sends RST instead of FIN, as a crashed proxy would
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.rfile.close()  # the socket closes for real only when its file objects do
        handler.connection.close()
        handler.close_connection = True
    elif isinstance(answer, Trickle):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        deadline = time.monotonic() + answer.max_s
        for start in range(0, len(answer.body), answer.bytes_per_tick):
            if time.monotonic() > deadline:
                break
            handler.wfile.write(answer.body[start : start + answer.bytes_per_tick])
            handler.wfile.flush()
            time.sleep(answer.tick_s)
    elif isinstance(answer, Unsized | Sized):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if isinstance(answer, Sized):
            handler.send_header("Content-Length", str(answer.size))
        handler.send_header("Connection", "close")
        handler.end_headers()
        for chunk in _filler(answer.size, answer.chunk):
            handler.wfile.write(chunk)
        handler.close_connection = True


def _filler(size: int, chunk: int) -> Iterator[bytes]:
    head = b'{"jobs": [], "padding": "'
    tail = b'"}'
    yield head
    left = size - len(head) - len(tail)
    while left > 0:
        n = min(chunk, left)
        yield b"x" * n
        left -= n
    yield tail


# -- one function per fault route -----------------------------------------------------------
def _board(server: HostileServer, token: str, count: int) -> Scripted:
    return json_answer(small_board(token, count))


def _status(status: int, body: str = '{"error": "no"}', **headers: str) -> Scripted:
    return Scripted(status, body, {"Content-Type": "application/json", **headers})


def _other_site(server: HostileServer, host: str, port: int) -> Scripted:
    target = f"http://{host}:{port}{GREENHOUSE_LIST.format(token='gridwise-demo')}?content=true"
    return Scripted(302, "", {"Location": target})


CHARSET_TITLE, CHARSET_PLACE = "Ingénieur données", "Zürich, Schweiz"


def _charset(token: str, text_encoding: str, label: str) -> Callable[..., Answer]:
    def route(server: HostileServer, query: dict[str, list[str]], hit: int) -> Answer:
        board = small_board(token, 2, title=CHARSET_TITLE, location=CHARSET_PLACE)
        body = json.dumps(board, ensure_ascii=False).encode(text_encoding)
        return Scripted(200, body, {"Content-Type": f"application/json; charset={label}"})

    return route


def _token_board(token: str, count: int) -> Callable[..., Answer]:
    return lambda server, query, hit: _board(server, token, count)


_ROUTES: dict[str, Callable[[HostileServer, dict[str, list[str]], int], Answer]] = {
    "fault-500": lambda s, q, hit: _status(500, '{"error": "internal"}'),
    "fault-429-then-ok": lambda s, q, hit: (
        _status(429, '{"error": "slow down"}', **{"Retry-After": "1"})
        if hit == 1
        else _board(s, "fault-429-then-ok", 2)
    ),
    "fault-429-tomorrow": lambda s, q, hit: _status(429, "{}", **{"Retry-After": "86400"}),
    "fault-503-then-ok": lambda s, q, hit: (
        _status(503, '{"error": "maintenance"}') if hit == 1 else _board(s, "fault-503-then-ok", 2)
    ),
    "fault-reset-mid-body": lambda s, q, hit: Reset(
        json.dumps(small_board("fault-reset-mid-body", 40)).encode()
    ),
    "fault-trickle": lambda s, q, hit: Trickle(
        json.dumps(small_board("fault-trickle", 40)).encode()
    ),
    "fault-oversize": lambda s, q, hit: Sized(s.oversize_bytes),
    "fault-oversize-unsized": lambda s, q, hit: Unsized(s.oversize_bytes),
    "fault-gzip-truncated": lambda s, q, hit: Scripted(
        200,
        (lambda z: z[: len(z) // 2])(
            gzip.compress(json.dumps(small_board("fault-gzip-truncated", 40)).encode())
        ),
        {"Content-Type": "application/json", "Content-Encoding": "gzip"},
    ),
    "fault-json-truncated": lambda s, q, hit: Scripted(
        200,
        (lambda b: b[: len(b) // 2])(json.dumps(small_board("fault-json", 5)).encode()),
    ),
    "fault-html-for-json": lambda s, q, hit: Scripted(
        200,
        "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>",
        {"Content-Type": "application/json"},
    ),
    "charset-latin1-as-utf8": _charset("charset-latin1-as-utf8", "latin-1", "utf-8"),
    "charset-utf8-as-latin1": _charset("charset-utf8-as-latin1", "utf-8", "iso-8859-1"),
    "fault-redirect-loop": lambda s, q, hit: Scripted(
        302,
        "",
        {
            "Location": (
                GREENHOUSE_LIST.format(token="fault-redirect-loop")
                + ("?content=true" if "hop" in q else "?content=true&hop=1")
            )
        },
    ),
    "redirect-to-localhost": lambda s, q, hit: _other_site(s, "localhost", s.port),
    "redirect-to-127-0-0-2": lambda s, q, hit: _other_site(s, "127.0.0.2", s.elsewhere_port),
    "redirect-to-other-port": lambda s, q, hit: _other_site(s, "127.0.0.1", s.elsewhere_port),
    "redirect-to-metadata": lambda s, q, hit: Scripted(
        302, "", {"Location": "http://169.254.169.254/latest/meta-data/iam/"}
    ),
    "redirect-same-site": lambda s, q, hit: Scripted(
        302,
        "",
        {"Location": (GREENHOUSE_LIST.format(token="redirect-same-site-target") + "?content=true")},
    ),
    "redirect-same-site-target": _token_board("redirect-same-site-target", 2),
    "public-name-private-address": _token_board("public-name-private-address", 2),
    "fault-empty": lambda s, q, hit: json_answer({"jobs": []}),
    # A well-formed answer of another shape (the authenticated v1 API's envelope): the
    # extractor refuses to guess at it, so the board fails instead of listing nothing and
    # closing every posting it had. A field of a wrong type, by contrast, is tolerated
    # (the `wrong-json-types` bad input).
    "fault-extractor-crash": lambda s, q, hit: json_answer(
        {
            "data": [{"id": "enveloped-1", "text": "Enveloped Analyst"}],
            "hasNext": False,
        }
    ),
    "fault-same-page-forever": lambda s, q, hit: json_answer(
        [
            {
                "id": f"same-page-{i}",
                "text": f"Loop Analyst {i}",
                "categories": {"location": "Lisbon, Portugal", "commitment": "Full-time"},
                "description": "<p>The same page, again.</p>",
                "createdAt": 1790000000000,
            }
            for i in range(int((q.get("limit") or ["5"])[0]))
        ]
    ),
}


def main() -> int:
    import yaml

    with HostileServer() as server:
        print(
            f"# hostile boards at {server.base_url}; the address guard needs "
            f"UNHEARD_GUARD_RESOLVE={server.guard_resolve()}"
        )
        print(yaml.safe_dump({"sources": server.sources()}, sort_keys=False))
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
