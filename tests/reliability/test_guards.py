"""The redirect and address policy of `spiders.guards`, unit by unit (the end-to-end crawl
of the hostile server exercises it over HTTP): what counts as the same site, which hosts
are public, and what each middleware does with a request or answer."""

from __future__ import annotations

import asyncio
import json

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from spiders import guards
from spiders.guards import (
    AddressGuardMiddleware,
    JsonCharsetMiddleware,
    PolicyRefusal,
    RedirectGuardMiddleware,
    RedirectLoop,
    is_public_host,
    origin_of,
    parse_overrides,
    same_site,
)
from spiders.registry import Source

SOURCE = Source(company="Acme", family="greenhouse", token="acme")


@pytest.mark.parametrize(
    "start, target, same",
    [
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b?x=1", True),
        ("http://127.0.0.1:8000/a", "http://localhost:8000/a", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.2:8000/a", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8001/a", False),
        ("http://jobs.acme.com/", "https://jobs.acme.com/", True),  # upgrade, default ports
        ("https://jobs.acme.com/", "http://jobs.acme.com/", False),  # downgrade
        ("http://jobs.acme.com:8080/", "https://jobs.acme.com:8443/", False),
        ("https://acme.com/careers", "https://www.acme.com/careers", True),  # www. ignored
        ("https://ACME.com./careers", "https://acme.com/jobs", True),  # case, trailing dot
        ("https://acme.com/", "https://careers.acme.com/", False),  # a sub-domain is another host
        ("https://acme.com/", "https://acme.com.evil.example/", False),
        ("https://acme.com/", "https://acme.com@evil.example/", False),  # userinfo trick
        ("https://acme.com/", "https://evil.example/?https://acme.com/", False),
        ("http://[::1]:8000/", "http://[::1]:8000/x", True),
        ("https://acme.com:443/", "https://acme.com/", True),  # explicit default port
    ],
)
def test_same_site(start: str, target: str, same: bool) -> None:
    assert same_site(origin_of(start), origin_of(target)) is same


@pytest.mark.parametrize(
    "host, public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("[::1]", False),
        ("localhost", False),
        ("api.localhost", False),
        ("intranet", False),
        ("hr.corp", False),
        ("jobs.internal", False),
        ("printer.local", False),
        ("8.8.8.8", True),
        ("2606:4700::1111", True),
        ("boards-api.greenhouse.io", True),
        ("jobs.acme.com", True),
    ],
)
def test_public_hosts(host: str, public: bool) -> None:
    assert is_public_host(host) is public


def test_fixed_dns_answers_parse_like_curl_resolve() -> None:
    assert parse_overrides("a.example=1.2.3.4, B.example=10.0.0.1|::1,bad") == {
        "a.example": ["1.2.3.4"],
        "b.example": ["10.0.0.1", "::1"],
    }


def crawler(**settings: str):  # noqa: ANN201
    return get_crawler(settings_dict=settings)


def redirect(request: Request, location: str, status: int = 302) -> Response:
    return Response(request.url, status=status, headers={"Location": location}, request=request)


def test_redirect_guard_refuses_other_sites_and_loops_and_lets_the_rest_through() -> None:
    guard = RedirectGuardMiddleware(crawler())
    request = Request("http://127.0.0.1:8000/jobs", meta={"source": SOURCE})
    with pytest.raises(PolicyRefusal, match="refused"):
        guard.process_response(request, redirect(request, "http://localhost:8000/jobs"))
    with pytest.raises(PolicyRefusal, match="169.254.169.254"):
        guard.process_response(request, redirect(request, "http://169.254.169.254/latest/"))
    with pytest.raises(PolicyRefusal):  # protocol-relative to another host
        guard.process_response(request, redirect(request, "//evil.example/jobs"))
    same = redirect(request, "/jobs?page=2", 301)
    assert guard.process_response(request, same) is same
    hop = request.replace(
        url="http://127.0.0.1:8000/jobs?page=2",
        meta={"source": SOURCE, "redirect_urls": [request.url]},
    )
    with pytest.raises(RedirectLoop, match="redirect loop"):
        guard.process_response(hop, redirect(hop, "/jobs"))
    # a status the spider handles itself, and a non-redirect answer, pass untouched
    handled = request.replace(meta={"source": SOURCE, "handle_httpstatus_list": [302]})
    answer = redirect(handled, "http://evil.example/")
    assert guard.process_response(handled, answer) is answer
    assert RedirectLoop.board_outcome == "error" and PolicyRefusal.board_outcome == "blocked"


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Fixed DNS for the address guard, without a reactor."""
    answers: dict[str, list[str]] = {}

    async def in_thread(resolve, host):  # noqa: ANN001, ANN202
        return list(resolve(host))

    monkeypatch.setattr(guards, "_in_thread", in_thread)
    monkeypatch.setattr(guards, "system_resolver", lambda host: answers.get(host, []))
    return answers


def check(middleware: AddressGuardMiddleware, request: Request) -> None:
    asyncio.run(middleware.process_request(request))


def test_a_public_source_never_reaches_a_private_address(resolver) -> None:  # noqa: ANN001
    resolver.update(
        {
            "jobs.acme.com": ["93.184.216.34"],
            "rebind.acme.com": ["93.184.216.34", "10.0.0.7"],  # one private answer is enough
            "www.acme.com": ["127.0.0.1"],
        }
    )
    guard = AddressGuardMiddleware(crawler())
    check(guard, Request("https://jobs.acme.com/jobs", meta={"source": SOURCE}))
    with pytest.raises(PolicyRefusal, match="10.0.0.7"):
        check(guard, Request("https://rebind.acme.com/jobs", meta={"source": SOURCE}))
    # a redirect on the same site to a name that resolves to loopback
    redirected = Request(
        "https://www.acme.com/jobs",
        meta={"source": SOURCE, "redirect_urls": ["https://acme.com/jobs"]},
    )
    with pytest.raises(PolicyRefusal, match="127.0.0.1"):
        check(guard, redirected)
    # robots.txt (no source) redirected from a public host to the metadata address
    robots = Request(
        "http://169.254.169.254/robots.txt",
        meta={"redirect_urls": ["https://jobs.acme.com/robots.txt"]},
    )
    with pytest.raises(PolicyRefusal, match="169.254.169.254"):
        check(guard, robots)
    # a redirect that left the site by another path (meta refresh) is refused too
    refreshed = Request(
        "https://evil.example/",
        meta={"source": SOURCE, "redirect_urls": ["https://jobs.acme.com/jobs"]},
    )
    with pytest.raises(PolicyRefusal, match="refused"):
        check(guard, refreshed)


def test_a_private_source_is_not_resolved_and_an_unresolvable_name_is_left_to_fail(
    resolver,  # noqa: ANN001
) -> None:
    guard = AddressGuardMiddleware(crawler())
    check(guard, Request("http://127.0.0.1:9/jobs", meta={"source": SOURCE}))
    check(guard, Request("http://intranet/jobs", meta={"source": SOURCE}))
    check(guard, Request("https://no-such-name.acme.com/", meta={"source": SOURCE}))


def test_fixed_answers_come_from_the_setting(resolver) -> None:  # noqa: ANN001
    guard = AddressGuardMiddleware(crawler(UNHEARD_GUARD_RESOLVE="jobs.acme.com=192.168.0.2"))
    with pytest.raises(PolicyRefusal, match="192.168.0.2"):
        check(guard, Request("https://jobs.acme.com/", meta={"source": SOURCE}))


LATIN = {"jobs": [{"id": 1, "title": "Ingénieur données", "location": {"name": "Zürich"}}]}
WINDOWS = {"jobs": [{"id": 2, "title": "“Data” Engineer – Köln", "location": None}]}


@pytest.mark.parametrize(
    "board, encoding, label, repaired",
    [
        (LATIN, "latin-1", "utf-8", True),
        (WINDOWS, "cp1252", "utf-8", True),
        (LATIN, "latin-1", "iso-8859-1", True),
        (LATIN, "latin-1", None, True),
        (WINDOWS, "utf-8", "iso-8859-1", False),
        (WINDOWS, "utf-8", "utf-8", False),
    ],
)
def test_json_that_is_not_utf8_is_read_as_what_it_is(
    board: dict, encoding: str, label: str | None, repaired: bool
) -> None:
    body = json.dumps(board, ensure_ascii=False).encode(encoding)
    request = Request("http://127.0.0.1/jobs")
    content_type = "application/json" + (f"; charset={label}" if label else "")
    response = TextResponse(
        request.url, body=body, request=request, headers={"Content-Type": content_type}
    )
    answer = JsonCharsetMiddleware(crawler()).process_response(request, response)
    assert (answer is not response) is repaired
    assert json.loads(answer.body) == board
    if repaired:
        assert answer.headers[b"X-Unheard-Transcoded-From"]


def test_html_and_utf16_answers_are_left_alone() -> None:
    request = Request("http://127.0.0.1/")
    page = HtmlResponse(
        request.url,
        body="<p>Zürich</p>".encode("latin-1"),
        request=request,
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    middleware = JsonCharsetMiddleware(crawler())
    assert middleware.process_response(request, page) is page
    utf16 = TextResponse(
        request.url,
        body='{"a": "é"}'.encode("utf-16"),
        request=request,
        headers={"Content-Type": "application/json"},
    )
    assert middleware.process_response(request, utf16) is utf16
