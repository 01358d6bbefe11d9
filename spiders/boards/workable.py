"""Workable accounts: one widget request per board answers every job with its description."""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response
from w3lib.url import add_or_replace_parameter

from spiders.boards.base import BoardSpider
from spiders.extract.workable import extract_jobs
from spiders.items import PostingItem
from spiders.registry import Source

API = "https://apply.workable.com/api/v1/widget/accounts/{token}"


class WorkableSpider(BoardSpider):
    name = "workable"
    family = "workable"

    def first_request(self, source: Source) -> scrapy.Request:
        url = source.url or API.format(token=source.token)
        return scrapy.Request(
            add_or_replace_parameter(url, "details", "true"), callback=self.parse_board
        )

    def parse_board(self, response: Response) -> Iterator[PostingItem]:
        source: Source = response.meta["source"]
        payload = self.load_json(response)
        if payload is None:
            return
        try:
            items = extract_jobs(payload, source)
        except ValueError as error:
            self.outcomes[source.token].fail("error", f"{error} ({response.url})", response.status)
            return
        yield from self.take(source, items)
