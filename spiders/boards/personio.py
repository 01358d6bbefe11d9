"""Personio job pages: one XML feed per board lists every position with its descriptions."""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response
from w3lib.url import add_or_replace_parameter

from spiders.boards.base import BoardSpider
from spiders.extract.personio import extract_positions, parse_feed
from spiders.items import PostingItem
from spiders.registry import Source

API = "https://{token}.jobs.personio.de/xml"


class PersonioSpider(BoardSpider):
    name = "personio"
    family = "personio"

    def first_request(self, source: Source) -> scrapy.Request:
        url = source.url or API.format(token=source.token)
        return scrapy.Request(
            add_or_replace_parameter(url, "language", "en"), callback=self.parse_board
        )

    def parse_board(self, response: Response) -> Iterator[PostingItem]:
        source: Source = response.meta["source"]
        try:
            positions = parse_feed(response.body)
        except ValueError as error:
            self.outcomes[source.token].fail(
                "error", f"malformed XML from {response.url}: {error}", response.status
            )
            return
        yield from self.take(source, extract_positions(positions, source))
