"""The safety net behind every extractor: a page whose callback raises (an extractor bug
no fault route provokes any more, now that extractors tolerate wrong JSON types) fails its
own board as "error", so a crawl that read nothing never counts as complete and never
closes the board's postings; other boards keep their outcomes."""

from __future__ import annotations

from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from spiders.boards.lever import LeverSpider
from spiders.guards import CallbackErrorMiddleware
from spiders.registry import Source


def page(source: Source) -> TextResponse:
    url = f"https://api.lever.co/v0/postings/{source.token}?mode=json"
    request = Request(url, meta={"source": source})
    return TextResponse(url, body=b"[]", encoding="utf-8", request=request)


def test_a_callback_that_raises_fails_its_board_only() -> None:
    broken, healthy = (Source(company=t, family="lever", token=t) for t in ("broken", "healthy"))
    crawler = get_crawler(LeverSpider)
    crawler.spider = LeverSpider.from_crawler(crawler, sources=[broken, healthy])
    middleware = CallbackErrorMiddleware.from_crawler(crawler)

    assert middleware.process_spider_exception(page(broken), TypeError("not iterable")) is None

    outcomes = {token: o.as_dict() for token, o in crawler.spider.outcomes.items()}
    assert outcomes["broken"]["outcome"] == "error"
    assert outcomes["broken"]["complete"] is False  # so nothing of the board is closed
    assert outcomes["broken"]["error"].startswith("TypeError while reading https://")
    assert outcomes["healthy"]["outcome"] == "empty"  # untouched: no failure recorded
