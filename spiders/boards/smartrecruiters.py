"""SmartRecruiters companies: list pages by offset until `totalFound`, then one detail
request per posting for its description.

A posting whose detail request fails is still yielded from its list data, with the reason
in `raw.detail_error` and a `detail_failed/smartrecruiters` stat: never dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameters

from spiders.boards.base import BoardSpider
from spiders.extract.smartrecruiters import (
    extract_posting,
    extract_postings,
    list_entries,
    total_found,
)
from spiders.items import PostingItem
from spiders.registry import Source

API = "https://api.smartrecruiters.com/v1/companies/{token}/postings"


class SmartRecruitersSpider(BoardSpider):
    name = "smartrecruiters"
    family = "smartrecruiters"
    page_size = 100  # the API's maximum

    @property
    def page_limit(self) -> int:
        return self.settings.getint("UNHEARD_SMARTRECRUITERS_PAGE_SIZE", self.page_size)

    def list_url(self, source: Source) -> str:
        return source.url or API.format(token=source.token)

    def page_request(self, source: Source, offset: int) -> scrapy.Request:
        params = {"offset": str(offset), "limit": str(self.page_limit)}
        return scrapy.Request(
            add_or_replace_parameters(self.list_url(source), params),
            callback=self.parse_page,
            cb_kwargs={"offset": offset},
        )

    def detail_request(self, source: Source, entry: dict[str, Any]) -> scrapy.Request:
        scheme, host, path, _, _ = urlsplit(self.list_url(source))
        path = f"{path.rstrip('/')}/{quote(str(entry['id']).strip(), safe='')}"
        request = scrapy.Request(
            urlunsplit((scheme, host, path, "", "")),
            callback=self.parse_detail,
            cb_kwargs={"entry": entry},
        )
        return self.board_request(source, request).replace(errback=self.detail_failed)

    def first_request(self, source: Source) -> scrapy.Request:
        return self.page_request(source, 0)

    def parse_page(self, response: Response, offset: int) -> Iterator[scrapy.Request]:
        source: Source = response.meta["source"]
        payload = self.load_json(response)
        if payload is None:
            return
        try:
            entries = list_entries(payload)
            summaries = extract_postings(payload, source)
        except ValueError as error:
            self.outcomes[source.token].fail("error", f"{error} ({response.url})", response.status)
            return
        for summary in self.take(source, summaries):
            yield self.detail_request(source, summary.raw)
        next_offset = offset + len(entries)
        if entries and self.more_to_fetch(source, next_offset, total_found(payload)):
            yield self.board_request(source, self.page_request(source, next_offset))

    def more_to_fetch(self, source: Source, next_offset: int, board_total: int) -> bool:
        """True while the board has more postings and no per-board cap is reached."""
        if next_offset >= board_total:
            return False
        outcome = self.outcomes[source.token]
        if outcome.postings >= self.settings.getint("UNHEARD_MAX_POSTINGS_PER_BOARD"):
            outcome.capped = True
            return False
        return self.within_page_cap(source)

    def parse_detail(self, response: Response, entry: dict[str, Any]) -> Iterator[PostingItem]:
        source: Source = response.meta["source"]
        try:
            detail = json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as error:
            yield from self.without_detail(
                source, entry, f"malformed JSON from {response.url}: {error}"
            )
            return
        if not isinstance(detail, dict):
            yield from self.without_detail(
                source, entry, f"detail is not an object ({response.url})"
            )
            return
        if item := extract_posting(entry, source, detail):
            yield item

    def detail_failed(self, failure: Failure) -> Iterator[PostingItem]:
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            reason = f"HTTP {response.status} from {response.url}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()} ({request.url})"
        yield from self.without_detail(request.meta["source"], request.cb_kwargs["entry"], reason)

    def without_detail(
        self, source: Source, entry: dict[str, Any], reason: str
    ) -> Iterator[PostingItem]:
        """The posting from its list data alone, counted under a named stat, never dropped."""
        self.crawler.stats.inc_value(f"detail_failed/{self.family}")
        self.logger.warning("posting detail failed on %s: %s", source.key, reason)
        if item := extract_posting(entry, source, detail_error=reason):
            yield item
