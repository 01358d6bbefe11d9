"""Any careers site with schema.org JobPosting markup (JSON-LD or microdata).

A board is a start URL: a careers page or an XML sitemap. From a page the spider follows
links on the same host whose path looks like a job (/job, /careers/, /positions/,
/vacancies/) and further listing pages (the start page's path with another query); from a
sitemap, the `<loc>` URLs that look like jobs (all of them when the sitemap itself is the
board's URL or looks like a jobs sitemap). Every fetched page counts against
UNHEARD_MAX_PAGES_PER_BOARD, and every page is searched for JobPosting markup. A followed
link that answers 404/410 is a stale link (counted in stats), not a dead board; the start
URL's answer and any other failure decide the board's outcome as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from spiders.boards.base import BoardSpider
from spiders.extract.schemaorg import extract_postings, is_sitemap, looks_like_job_path
from spiders.items import PostingItem
from spiders.registry import Source

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    port = urlsplit(url).port
    host = host.removeprefix("www.")
    return f"{host}:{port}" if port else host


class SchemaOrgSpider(BoardSpider):
    name = "schemaorg"
    family = "schemaorg"

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - BoardSpider's own
        super().__init__(*args, **kwargs)
        self.visited: dict[str, set[str]] = {s.token: set() for s in self.sources}
        self.yielded: dict[str, set[str]] = {s.token: set() for s in self.sources}

    def first_request(self, source: Source) -> scrapy.Request:
        if not source.url:
            raise ValueError(f"{source.key}: a schemaorg board needs a url")
        self.visited[source.token].add(canonicalize_url(source.url))
        return scrapy.Request(source.url, callback=self.parse_page)

    def follow(self, source: Source, url: str) -> scrapy.Request | None:
        """A request for another page of this board, unless seen or over the page cap."""
        key = canonicalize_url(url)
        visited = self.visited[source.token]
        if key in visited:
            return None
        if len(visited) >= self.settings.getint("UNHEARD_MAX_PAGES_PER_BOARD"):
            self.outcomes[source.token].capped = True
            return None
        visited.add(key)
        request = self.board_request(source, scrapy.Request(url, callback=self.parse_page))
        return request.replace(errback=self.page_failed)

    def page_failed(self, failure: Failure) -> None:
        """A followed link that is gone (404/410) is a stale link, not a dead board."""
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            self.crawler.stats.inc_value("schemaorg/stale_link")
            return
        self.on_error(failure)

    def parse_page(self, response: Response) -> Iterator[PostingItem | scrapy.Request]:
        source: Source = response.meta["source"]
        body = _maybe_gunzip(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        if is_sitemap(body):
            yield from self.take(source, [])  # a page read, no postings on it
            yield from self.parse_sitemap(source, response.url, body)
            return
        if not isinstance(response, TextResponse):
            yield from self.take(source, [])
            return
        items = extract_postings(response.body, response.url, source, response.encoding)
        seen = self.yielded[source.token]
        fresh = [i for i in items if i.source_job_id not in seen]
        seen.update(i.source_job_id for i in fresh)
        yield from self.take(source, fresh)
        yield from self.follow_links(source, response)

    def parse_sitemap(self, source: Source, url: str, body: bytes) -> Iterator[scrapy.Request]:
        sitemap = Sitemap(body)
        locs = [entry["loc"] for entry in sitemap if entry.get("loc")]
        locs = [loc for loc in locs if site_of(loc) == site_of(source.url or url)]
        if sitemap.type == "sitemapindex":
            wanted = [loc for loc in locs if _looks_like_jobs_sitemap(loc)] or locs
        elif url == source.url or _looks_like_jobs_sitemap(url):
            wanted = locs
        else:
            wanted = [loc for loc in locs if looks_like_job_path(loc)]
        for loc in wanted:
            if (request := self.follow(source, loc)) is not None:
                yield request

    def follow_links(self, source: Source, response: TextResponse) -> Iterator[scrapy.Request]:
        start = urlsplit(source.url or response.url)
        for href in response.css("a::attr(href)").getall():
            href = href.strip()
            if not href or href.lower().startswith(SKIPPED_SCHEMES):
                continue
            url = response.urljoin(href)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or site_of(url) != site_of(start.geturl()):
                continue
            listing_page = parts.path == start.path and parts.query and parts.query != start.query
            if not (looks_like_job_path(url) or listing_page):
                continue
            if (request := self.follow(source, url)) is not None:
                yield request


def _looks_like_jobs_sitemap(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return any(word in path for word in ("job", "career", "position", "vacanc", "opening"))


def _maybe_gunzip(body: bytes, max_size: int) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return gunzip(body, max_size=max_size)
    except (OSError, ValueError):
        return body
