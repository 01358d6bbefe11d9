"""RSS / Atom job feeds: one feed per board, following RFC 5005 `rel="next"` pages."""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from spiders.boards.base import BoardSpider
from spiders.extract.rss import extract_feed
from spiders.items import PostingItem
from spiders.registry import Source


class RssSpider(BoardSpider):
    name = "rss"
    family = "rss"

    def first_request(self, source: Source) -> scrapy.Request:
        if not source.url:
            raise ValueError(f"{source.key}: an rss board needs a url")
        return scrapy.Request(source.url, callback=self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[PostingItem | scrapy.Request]:
        source: Source = response.meta["source"]
        try:
            items, next_page = extract_feed(response.body, source, response.url)
        except ValueError as error:
            self.outcomes[source.token].fail("error", f"{error} ({response.url})", response.status)
            return
        yield from self.take(source, items)
        if next_page and next_page != response.url and self.within_page_cap(source):
            yield self.board_request(source, scrapy.Request(next_page, callback=self.parse_feed))
