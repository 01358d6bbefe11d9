"""Lever boards: paged with skip/limit until a short page, within the per-board caps."""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response
from w3lib.url import add_or_replace_parameters

from spiders.boards.base import BoardSpider
from spiders.extract.lever import extract_postings
from spiders.items import PostingItem
from spiders.registry import Source

API = "https://api.lever.co/v0/postings/{token}"


class LeverSpider(BoardSpider):
    name = "lever"
    family = "lever"
    page_size = 100

    def page_request(self, source: Source, skip: int) -> scrapy.Request:
        url = source.url or API.format(token=source.token)
        params = {"mode": "json", "skip": str(skip), "limit": str(self.page_limit)}
        return scrapy.Request(
            add_or_replace_parameters(url, params),
            callback=self.parse_page,
            cb_kwargs={"skip": skip},
        )

    @property
    def page_limit(self) -> int:
        return self.settings.getint("UNHEARD_LEVER_PAGE_SIZE", self.page_size)

    def first_request(self, source: Source) -> scrapy.Request:
        return self.page_request(source, 0)

    def parse_page(self, response: Response, skip: int) -> Iterator[PostingItem | scrapy.Request]:
        source: Source = response.meta["source"]
        page = self.read_answer(
            response, lambda payload: (payload, extract_postings(payload, source))
        )
        if page is None:
            return
        payload, items = page
        yield from self.take(source, items)
        if len(payload) >= self.page_limit and self.within_page_cap(source):
            yield self.board_request(source, self.page_request(source, skip + len(payload)))
