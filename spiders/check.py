"""Which registered boards are alive? One cheap request per board, one outcome per board.

    python -m spiders.check --sources spiders/sources.yaml --out health.json [--set NAME=VALUE]

Each board gets the cheapest request that says whether it exists and has postings (the
list without descriptions, or one row and a total), through the crawl's own manners
(robots.txt, User-Agent, AutoThrottle, retries that honour Retry-After). The answer is one
outcome per board:

    ok (with count) · empty · missing (404/410, unknown token) · refused (401/403, robots.txt)
    · throttled (429 after retries) · error (with the reason)

`throttled` and `error` are retryable, the others are not. The JSON list of results goes to
--out; stderr gets one summary line and nothing else. `render_check_report` turns the
results into a table for people.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameters, url_query_cleaner

from spiders.boards.base import RETRYABLE_OUTCOMES, outcome_for_status
from spiders.registry import Source, load_sources

# non-2xx answers reach the callback after retries; 3xx are still followed
PROBE_STATUSES = list(range(400, 600))
OUTCOMES = ("ok", "empty", "missing", "refused", "throttled", "error")

CountFn = Callable[[Response], tuple[int, bool]]  # (count, exact) or ValueError


@dataclass(frozen=True)
class Probe:
    url: str
    count: CountFn
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


# -- one probe per family ------------------------------------------------------------------
def probe_for(source: Source) -> Probe:
    """The cheapest request for a board; ValueError when the registry entry cannot say."""
    from spiders.boards import (
        ashby,
        greenhouse,
        lever,
        personio,
        recruitee,
        smartrecruiters,
        workable,
    )

    family = source.family
    if family == "greenhouse":
        url = url_query_cleaner(
            source.url or greenhouse.API.format(token=source.token), ["content"], remove=True
        )
        return Probe(url, _count_list("jobs"))
    if family == "lever":
        url = source.url or lever.API.format(token=source.token)
        # without `limit` Lever answers every posting with its text: one row says enough
        return Probe(add_or_replace_parameters(url, {"mode": "json", "limit": "1"}), _count_lever)
    if family == "smartrecruiters":
        url = source.url or smartrecruiters.API.format(token=source.token)
        return Probe(
            add_or_replace_parameters(url, {"limit": "1", "offset": "0"}),
            _count_total("totalFound"),
        )
    if family == "ashby":
        url = url_query_cleaner(
            source.url or ashby.API.format(token=source.token), ["includeCompensation"], remove=True
        )
        return Probe(url, _count_list("jobs"))
    if family == "workable":
        url = url_query_cleaner(
            source.url or workable.API.format(token=source.token), ["details"], remove=True
        )
        return Probe(url, _count_list("jobs"))
    if family == "recruitee":
        return Probe(source.url or recruitee.API.format(token=source.token), _count_list("offers"))
    if family == "personio":
        url = source.url or personio.API.format(token=source.token)
        return Probe(add_or_replace_parameters(url, {"language": "en"}), _count_personio)
    if family == "workday":
        from spiders.extract.workday import parse_token

        search = {"appliedFacets": {}, "limit": 1, "offset": 0, "searchText": ""}
        return Probe(
            f"{parse_token(source.token).api_base(source.url)}/jobs",
            _count_total("total"),
            method="POST",
            body=json.dumps(search).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
    if family in ("schemaorg", "rss"):
        if not source.url:
            raise ValueError(f"a {family} board needs a url")
        return Probe(source.url, _count_feed if family == "rss" else _count_careers_page)
    raise ValueError(f"no probe for board family {family!r}")


def _json(response: Response) -> Any:
    try:
        return json.loads(response.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"malformed JSON: {error}") from None


def _count_list(key: str) -> CountFn:
    def count(response: Response) -> tuple[int, bool]:
        payload = _json(response)
        rows = payload.get(key) if isinstance(payload, dict) else None
        if not isinstance(rows, list):
            raise ValueError(f"answer has no '{key}' list")
        return len(rows), True

    return count


def _count_total(key: str) -> CountFn:
    def count(response: Response) -> tuple[int, bool]:
        payload = _json(response)
        total = payload.get(key) if isinstance(payload, dict) else None
        if isinstance(total, bool) or not isinstance(total, int):
            raise ValueError(f"answer has no '{key}' number")
        return total, True

    return count


def _count_lever(response: Response) -> tuple[int, bool]:
    payload = _json(response)
    if not isinstance(payload, list):
        raise ValueError("answer is not a JSON array")
    return len(payload), not payload  # one row shown means "one or more"


def _count_personio(response: Response) -> tuple[int, bool]:
    from spiders.extract.personio import parse_feed

    return len(parse_feed(response.body)), True


def _count_feed(response: Response) -> tuple[int, bool]:
    from spiders.extract.rss import parse_feed

    root = parse_feed(response.body)
    entries = [
        e
        for e in root.iter()
        if isinstance(e.tag, str) and e.tag.split("}")[-1] in ("item", "entry")
    ]
    has_next = any(e.get("rel") == "next" for e in root.iter("{http://www.w3.org/2005/Atom}link"))
    return len(entries), not has_next


def _count_careers_page(response: Response) -> tuple[int, bool]:
    """Postings on the page plus job links (or job URLs in a sitemap): a lower bound."""
    from scrapy.utils.sitemap import Sitemap

    from spiders.extract.schemaorg import find_job_postings, is_sitemap, looks_like_job_path

    body = response.body
    if is_sitemap(body):
        sitemap = Sitemap(body)
        if sitemap.type == "sitemapindex":
            return sum(1 for _ in sitemap), False  # child sitemaps: alive, count unknown
        return sum(1 for e in sitemap if looks_like_job_path(e.get("loc", ""))), False
    if not isinstance(response, TextResponse):
        raise ValueError(f"not a web page ({response.headers.get('Content-Type', b'')!r})")
    host = urlsplit(response.url).netloc
    links = {
        url.split("#", 1)[0]
        for href in response.css("a::attr(href)").getall()
        if (url := response.urljoin(href.strip())).startswith("http")
        and urlsplit(url).netloc == host
        and looks_like_job_path(url)
    }
    return len(find_job_postings(body, response.url, response.encoding)) + len(links), False


# -- the spider ------------------------------------------------------------------------------
class SourcesCheckSpider(scrapy.Spider):
    """Probes every board it is given, whatever its family; yields nothing, records results."""

    name = "sources_check"
    custom_settings = {"ITEM_PIPELINES": {}}

    def __init__(self, sources: Iterable[Source] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = list(sources)
        self.results: dict[str, dict[str, Any]] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            try:
                probe = probe_for(source)
            except ValueError as error:
                self.record(source, None, "error", reason=str(error))
                continue
            yield scrapy.Request(
                probe.url,
                method=probe.method,
                body=probe.body,
                headers=probe.headers,
                callback=self.parse_probe,
                errback=self.probe_failed,
                dont_filter=True,
                meta={"source": source, "probe": probe, "handle_httpstatus_list": PROBE_STATUSES},
            )

    def parse_probe(self, response: Response) -> None:
        source: Source = response.meta["source"]
        probe: Probe = response.meta["probe"]
        if not 200 <= response.status < 300:
            outcome = outcome_for_status(response.status)
            self.record(
                source, probe.url, outcome, status=response.status, reason=f"HTTP {response.status}"
            )
            return
        try:
            count, exact = probe.count(response)
        except ValueError as error:
            self.record(source, probe.url, "error", status=response.status, reason=str(error))
            return
        self.record(
            source,
            probe.url,
            "ok" if count else "empty",
            status=response.status,
            count=count,
            exact=exact,
        )

    def probe_failed(self, failure: Failure) -> None:
        request = failure.request
        source: Source = request.meta["source"]
        probe: Probe = request.meta["probe"]
        if failure.check(IgnoreRequest):
            self.record(source, probe.url, "refused", reason=f"{failure.getErrorMessage()}")
            return
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        unknown_host = failure.check(DNSLookupError) or "resolve" in failure.type.__name__.lower()
        if unknown_host and source.token.split("/")[0].lower() in request.url.lower():
            # the token names the host ({token}.recruitee.com): no such host, no such board
            self.record(source, probe.url, "missing", reason=reason)
            return
        self.record(source, probe.url, "error", reason=reason)

    def record(
        self,
        source: Source,
        url: str | None,
        outcome: str,
        *,
        status: int | None = None,
        count: int | None = None,
        exact: bool | None = None,
        reason: str | None = None,
    ) -> None:
        self.results[source.key] = {
            "family": source.family,
            "board": source.token,
            "company": source.company,
            "url": url,
            "outcome": outcome,
            "count": count,
            "count_exact": exact,
            "retryable": outcome in RETRYABLE_OUTCOMES,
            "http_status": status,
            "reason": reason,
            "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def check(sources: list[Source], overrides: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Probe every source once (in this process: Scrapy's reactor runs once per process)."""
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.set("LOG_LEVEL", "CRITICAL", priority="project")  # stderr is for the summary
    settings.update(overrides or {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SourcesCheckSpider)
    process.crawl(crawler, sources=sources)
    process.start()
    spider: SourcesCheckSpider = crawler.spider  # type: ignore[assignment]
    results = []
    for source in sources:
        result = spider.results.get(source.key)
        if result is None:  # never answered: the crawl ended without a word about it
            spider.record(source, None, "error", reason="no answer before the crawl ended")
            result = spider.results[source.key]
        results.append(result)
    return sorted(results, key=lambda r: (r["family"], r["board"]))


# -- the report ------------------------------------------------------------------------------
def summary_line(results: list[dict[str, Any]]) -> str:
    counts = Counter(r["outcome"] for r in results)
    parts = [f"{counts[o]} {o}" for o in OUTCOMES if counts[o]]
    retryable = sum(1 for r in results if r["retryable"])
    return f"checked {len(results)} boards: {', '.join(parts) or 'nothing'} ({retryable} retryable)"


def render_check_report(results: list[dict[str, Any]]) -> str:
    """A table people can read: family, board, company, outcome, count, retryable, reason."""
    headers = ("family", "board", "company", "outcome", "count", "retryable", "reason")
    rows = [
        (
            r["family"],
            r["board"],
            r["company"],
            r["outcome"],
            _count_text(r),
            "yes" if r["retryable"] else "no",
            _shorten(r.get("reason") or "", 70),
        )
        for r in results
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=False)]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (headers, tuple("-" * w for w in widths), *rows)
    ]
    return "\n".join([*lines, "", summary_line(results)])


def _count_text(result: dict[str, Any]) -> str:
    count = result.get("count")
    if count is None:
        return ""
    return f"{count}+" if result.get("count_exact") is False and count else str(count)


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spiders.check",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sources", required=True, help="sources registry YAML")
    parser.add_argument("--out", required=True, help="where to write the JSON results")
    parser.add_argument("--family", action="append", default=[], help="only these families")
    parser.add_argument("--board", action="append", default=[], help="only these board tokens")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a Scrapy setting"
    )
    args = parser.parse_args(argv)

    from spiders.crawl import select_sources

    sources = select_sources(load_sources(args.sources), args.family, args.board)
    overrides = dict(item.split("=", 1) for item in args.set)
    results = check(sources, overrides) if sources else []
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(out)
    print(summary_line(results), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
