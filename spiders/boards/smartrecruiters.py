"""SmartRecruiters companies: list pages by offset until `totalFound`, then one detail
request per posting for its description (spiders.boards.list_then_detail).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from w3lib.url import add_or_replace_parameters

from spiders.boards.list_then_detail import ListThenDetailSpider
from spiders.extract.smartrecruiters import extract_posting, list_entries, total_found
from spiders.registry import Source

API = "https://api.smartrecruiters.com/v1/companies/{token}/postings"


class SmartRecruitersSpider(ListThenDetailSpider):
    name = "smartrecruiters"
    family = "smartrecruiters"
    list_entries = staticmethod(list_entries)
    extract_posting = staticmethod(extract_posting)
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
        page = self.list_page(response)
        if page is None:
            return
        payload, entries, summaries = page
        for summary in self.take(source, summaries):
            yield self.detail_request(source, summary.raw)
        next_offset = offset + len(entries)
        if entries and self.more_to_fetch(source, next_offset, total_found(payload)):
            yield self.board_request(source, self.page_request(source, next_offset))
