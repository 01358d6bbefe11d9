"""Downloader middlewares that keep a crawl where its registry entry says it may go.

A registry entry names a board by URL (or by a token the spider turns into the family's
API URL). Nothing the *server* answers may move the crawler somewhere else:

* `RedirectGuardMiddleware` (before Scrapy's RedirectMiddleware sees a 3xx) refuses a
  redirect whose target is not the same site as the URL the spider asked for, and a
  redirect back to a URL already in the chain (a loop Scrapy's duplicate filter would
  otherwise drop without a word, leaving the board looking "empty").
* `AddressGuardMiddleware` (before robots.txt is fetched for a host) refuses, for a
  *public* source, any request whose host is or resolves to a loopback, private,
  link-local or otherwise non-global address — no SSRF through a registry entry or a
  redirect. It also re-checks redirects that did not come from a 3xx (meta refresh).
* `CallbackErrorMiddleware` (a spider middleware) fails a board as `error` when parsing
  its page raised, instead of letting it pass for an empty, complete crawl.
* `JsonCharsetMiddleware` repairs JSON answers whose bytes are not the UTF-8 that JSON
  must be (a Latin-1 body labelled UTF-8): they are decoded as the declared charset when
  it is not UTF-8, else Windows-1252, and re-encoded as UTF-8 — no posting lost to a
  wrong header. UTF-8 bodies are always read as UTF-8, whatever the header says.

Same site (see docs/security.md): scheme, host and port equal, where hosts compare
case-insensitively without a trailing dot and with one leading `www.` ignored, and an
upgrade from http to https on the same host (default ports) counts as the same site.
A downgrade, another host, another port or another address is not.

A refused request ends its board with outcome `blocked` and the reason; nothing is
fetched from the refused target (not even its robots.txt).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from w3lib.url import safe_url_string

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# names that are never on the public internet (RFC 6761, RFC 8375, common intranet suffixes)
PRIVATE_SUFFIXES = (
    ".localhost",
    ".local",
    ".internal",
    ".intranet",
    ".lan",
    ".home.arpa",
    ".localdomain",
    ".corp",
)


class PolicyRefusal(IgnoreRequest):
    """A request the crawler refused to make; `board_outcome` is what its board records."""

    board_outcome = "blocked"


class RedirectLoop(PolicyRefusal):
    """A redirect back to a URL already visited in the same chain: the site's fault."""

    board_outcome = "error"


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        default = DEFAULT_PORTS.get(self.scheme)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")


def origin_of(url: str) -> Origin:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:  # a port out of range: no site can match it
        port = -1
    return Origin(scheme, host, port)


def _bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def same_site(start: Origin, target: Origin) -> bool:
    """Whether a redirect from `start` to `target` stays on the declared site."""
    if _bare(start.host) != _bare(target.host):
        return False
    if (start.scheme, start.port) == (target.scheme, target.port):
        return True
    # http → https on the default ports is the same site, more safely; the reverse is not
    return (start.scheme, start.port, target.scheme, target.port) == ("http", 80, "https", 443)


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_global


def is_public_host(host: str) -> bool:
    """Whether a registry host names the public internet (an operator who registers
    127.0.0.1 or an intranet name has declared a private source)."""
    address = ip_literal(host)
    if address is not None:
        return is_public_address(address)
    name = host.rstrip(".").lower()
    if not name or "." not in name or name == "localhost":
        return False
    return not name.endswith(PRIVATE_SUFFIXES)


Resolver = Callable[[str], Iterable[str]]


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def parse_overrides(value: str | None) -> dict[str, list[str]]:
    """`host=ip[|ip],host2=ip` (like curl --resolve): fixed answers, for tests and pinning."""
    overrides: dict[str, list[str]] = {}
    for entry in (value or "").split(","):
        host, sep, addresses = entry.strip().partition("=")
        if sep and host:
            overrides[host.strip().lower()] = [a.strip() for a in addresses.split("|") if a.strip()]
    return overrides


def chain_start(request: Request) -> str:
    """The URL the spider asked for, before any redirect."""
    urls = request.meta.get("redirect_urls") or []
    return urls[0] if urls else request.url


def off_site_reason(start_url: str, target_url: str) -> str | None:
    start, target = origin_of(start_url), origin_of(target_url)
    if same_site(start, target):
        return None
    return (
        f"redirect from {start} to {target} refused: a board may not be redirected off the "
        f"site it is registered on ({target_url}); register the new URL if the board moved"
    )


class RedirectGuardMiddleware:
    """Check a 3xx's Location before RedirectMiddleware follows it (priority above 600)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if (
            response.status not in REDIRECT_STATUSES
            or not location
            or request.meta.get("dont_redirect", False)
            or response.status in request.meta.get("handle_httpstatus_list", ())
            or request.meta.get("handle_httpstatus_all", False)
        ):
            return response
        if location.startswith(b"//"):
            location = urlsplit(request.url).scheme.encode() + b":" + location
        target = urljoin(request.url, safe_url_string(location))
        if urlsplit(target).scheme not in ("http", "https"):
            return response  # RedirectMiddleware does not follow these either
        seen = [*request.meta.get("redirect_urls", []), request.url]
        if _without_fragment(target) in {_without_fragment(u) for u in seen}:
            self._stat("guards/redirect_loop")
            raise RedirectLoop(
                f"redirect loop: {request.url} sends back to {target} "
                f"(after {len(seen) - 1} redirect(s))"
            )
        reason = off_site_reason(chain_start(request), target)
        if reason is not None and request.meta.get("source") is not None:
            self._stat("guards/redirect_off_site")
            logger.warning("%s", reason)
            raise PolicyRefusal(reason)
        return response

    def _stat(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


class AddressGuardMiddleware:
    """Refuse requests of public sources to non-public addresses (priority below 100, so
    before robots.txt is fetched), and redirects that left the site by any other path.

    Settings: UNHEARD_GUARD_RESOLVE (fixed `host=ip` answers, for tests and pinning).
    """

    def __init__(self, crawler: Crawler, resolver: Resolver | None = None) -> None:
        self.crawler = crawler
        overrides = parse_overrides(crawler.settings.get("UNHEARD_GUARD_RESOLVE"))
        self.resolver = resolver or _with_overrides(overrides, system_resolver)
        self._addresses: dict[str, list[str] | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        start = chain_start(request)
        if request.meta.get("source") is not None and request.meta.get("redirect_urls"):
            reason = off_site_reason(start, request.url)
            if reason is not None:
                self._stat("guards/redirect_off_site")
                raise PolicyRefusal(reason)
        if not is_public_host(origin_of(start).host):
            return None  # a private source (loopback demo, intranet): declared as such
        host = origin_of(request.url).host
        addresses = await self._resolve(host)
        bad = [a for a in addresses or [] if not _public_text(a)]
        if bad:
            self._stat("guards/private_address")
            raise PolicyRefusal(
                f"{host} resolves to {', '.join(bad)}, which is not a public address: a public "
                f"source may not reach loopback, private or link-local addresses ({request.url})"
            )
        return None

    async def _resolve(self, host: str) -> list[str] | None:
        if host in self._addresses:
            return self._addresses[host]
        if ip_literal(host) is not None:
            addresses: list[str] | None = [host.strip("[]")]
        else:
            addresses = await _in_thread(self.resolver, host)
        self._addresses[host] = addresses
        return addresses

    def _stat(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


class JsonCharsetMiddleware:
    """Make a JSON answer's bytes UTF-8 when they are not (priority below 590, so after
    decompression). Bodies that are valid UTF-8 are left alone whatever their label."""

    FALLBACKS = ("cp1252", "latin-1")

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonCharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        body = response.body
        if not body or not _looks_like_json(response):
            return response
        if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
            return response  # UTF-16/32: json.loads detects these itself
        try:
            body.decode("utf-8")
            return response
        except UnicodeDecodeError:
            pass
        declared = _declared_charset(response)
        for encoding in ([declared] if declared and not _is_utf8(declared) else []) + list(
            self.FALLBACKS
        ):
            try:
                text = body.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("guards/json_transcoded")
            logger.warning(
                "%s: JSON body is not UTF-8 (labelled %s); read as %s",
                response.url,
                declared or "nothing",
                encoding,
            )
            headers = response.headers.copy()
            headers[b"Content-Type"] = b"application/json; charset=utf-8"
            headers[b"X-Unheard-Transcoded-From"] = encoding.encode()
            if isinstance(response, TextResponse):
                return response.replace(
                    body=text.encode("utf-8"), headers=headers, encoding="utf-8"
                )
            return response.replace(body=text.encode("utf-8"), headers=headers)
        return response  # unreachable in practice: latin-1 decodes any bytes


class CallbackErrorMiddleware:
    """A spider middleware: a board whose page made a callback raise (an extractor meeting a
    posting shape it does not expect) fails as `error`, with the exception as the reason.

    Without it the board would end with no failure and no postings: "empty" and complete,
    and a complete crawl that lists nothing closes every posting the board had. Scrapy still
    logs the exception with its traceback."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest | HttpError):
            return None
        source = response.meta.get("source")
        outcomes = getattr(self.crawler.spider, "outcomes", None)
        if source is None or not isinstance(outcomes, dict) or source.token not in outcomes:
            return None
        outcomes[source.token].fail(
            "error",
            f"{type(exception).__name__} while reading {response.url}: {exception}",
            response.status,
        )
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("guards/callback_error")
        return None


def _looks_like_json(response: Response) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    if b"json" in content_type:
        return True
    return response.body.lstrip()[:1] in (b"{", b"[")


def _declared_charset(response: Response) -> str | None:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None


def _is_utf8(charset: str) -> bool:
    return charset.replace("_", "-").lower() in ("utf-8", "utf8")


def _public_text(address: str) -> bool:
    parsed = ip_literal(address.split("%", 1)[0])
    return parsed is not None and is_public_address(parsed)


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _with_overrides(overrides: dict[str, list[str]], fallback: Resolver) -> Resolver:
    def resolve(host: str) -> list[str]:
        if host.lower() in overrides:
            return overrides[host.lower()]
        return list(fallback(host))

    return resolve


async def _in_thread(resolver: Resolver, host: str) -> list[str] | None:
    """Resolve without blocking the reactor; None when the name does not resolve (the
    download then fails on its own, as the board's error)."""
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet.threads import deferToThread

    try:
        return list(await maybe_deferred_to_future(deferToThread(resolver, host)))
    except (OSError, UnicodeError):
        return None
