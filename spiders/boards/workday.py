"""Workday careers sites: list by POST with offset paging until `total`, then one detail
request per posting for its description, bounded by `UNHEARD_WORKDAY_MAX_DETAILS`.

Workday answers `total` on the first page only (later pages say 0), so the first page's
total is carried along. Postings beyond the detail cap, and postings whose detail request
fails, are still yielded from their list data with the reason in `raw.detail_error`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import JsonRequest, Response

from spiders.boards.list_then_detail import ListThenDetailSpider
from spiders.extract.workday import WorkdaySite, extract_posting, list_entries, parse_token, total
from spiders.items import PostingItem
from spiders.registry import Source


class WorkdaySpider(ListThenDetailSpider):
    name = "workday"
    family = "workday"
    list_entries = staticmethod(list_entries)
    extract_posting = staticmethod(extract_posting)
    page_size = 20  # the CxS API refuses larger pages
    custom_settings = {"UNHEARD_WORKDAY_MAX_DETAILS": 200}  # detail requests per board

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.details_requested: dict[str, int] = {s.token: 0 for s in self.sources}

    @property
    def page_limit(self) -> int:
        return self.settings.getint("UNHEARD_WORKDAY_PAGE_SIZE", self.page_size)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            try:
                parse_token(source.token)
            except ValueError as error:
                self.outcomes[source.token].fail("error", str(error))
                continue
            yield self.board_request(source, self.first_request(source))

    def api_base(self, source: Source) -> str:
        site: WorkdaySite = parse_token(source.token)
        return site.api_base(source.url)

    def first_request(self, source: Source) -> scrapy.Request:
        return self.page_request(source, 0, None)

    def page_request(self, source: Source, offset: int, known_total: int | None) -> JsonRequest:
        body = {"appliedFacets": {}, "limit": self.page_limit, "offset": offset, "searchText": ""}
        return JsonRequest(
            f"{self.api_base(source)}/jobs",
            data=body,
            callback=self.parse_page,
            cb_kwargs={"offset": offset, "known_total": known_total},
        )

    def detail_request(self, source: Source, entry: dict[str, Any]) -> scrapy.Request:
        request = scrapy.Request(
            f"{self.api_base(source)}{entry['externalPath']}",
            headers={"Accept": "application/json"},
            callback=self.parse_detail,
            cb_kwargs={"entry": entry},
        )
        self.details_requested[source.token] += 1
        return self.board_request(source, request).replace(errback=self.detail_failed)

    def parse_page(
        self, response: Response, offset: int, known_total: int | None
    ) -> Iterator[scrapy.Request | PostingItem]:
        source: Source = response.meta["source"]
        page = self.list_page(response)
        if page is None:
            return
        payload, entries, summaries = page
        outcome = self.outcomes[source.token]
        max_details = self.settings.getint("UNHEARD_WORKDAY_MAX_DETAILS")
        for summary in self.take(source, summaries):
            if self.details_requested[source.token] < max_details:
                yield self.detail_request(source, summary.raw)
            else:
                outcome.capped = True
                reason = f"not requested: UNHEARD_WORKDAY_MAX_DETAILS={max_details} reached"
                yield from self.without_detail(source, summary.raw, reason, "detail_skipped")
        board_total = known_total if known_total is not None else total(payload)
        next_offset = offset + len(entries)
        if entries and self.more_to_fetch(source, next_offset, board_total):
            yield self.board_request(source, self.page_request(source, next_offset, board_total))
