"""Recruitee careers sites: one request per board answers every published offer.

The default endpoint carries the board slug in its host (`{slug}.recruitee.com`); a
registry `url` replaces it whole (companies on their own careers domain).
"""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from spiders.boards.base import BoardSpider
from spiders.extract.recruitee import extract_offers
from spiders.items import PostingItem
from spiders.registry import Source

API = "https://{token}.recruitee.com/api/offers/"


class RecruiteeSpider(BoardSpider):
    name = "recruitee"
    family = "recruitee"

    def first_request(self, source: Source) -> scrapy.Request:
        url = source.url or API.format(token=source.token)
        return scrapy.Request(url, callback=self.parse_board)

    def parse_board(self, response: Response) -> Iterator[PostingItem]:
        source: Source = response.meta["source"]
        payload = self.load_json(response)
        if payload is None:
            return
        try:
            items = extract_offers(payload, source)
        except ValueError as error:
            self.outcomes[source.token].fail("error", f"{error} ({response.url})", response.status)
            return
        yield from self.take(source, items)
