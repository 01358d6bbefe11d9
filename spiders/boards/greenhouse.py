"""Greenhouse boards: one request per board answers every job with its content.

The list never carries pay. For postings that look like ML / data work and state no pay,
the single-job call (`.../jobs/<id>?pay_transparency=true`) may add `pay_input_ranges`;
at most UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS such calls per board. Each posting is yielded
exactly once, with or without the pay the lookup found.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from spiders.boards.base import OneAnswerBoardSpider
from spiders.extract.greenhouse import extract_jobs, looks_relevant, pay_range, single_job_url
from spiders.items import PostingItem
from spiders.registry import Source

# non-2xx single-job answers reach parse_pay (the posting still goes out); 3xx still redirect
PAY_LOOKUP_STATUSES = list(range(400, 600))


class GreenhouseSpider(OneAnswerBoardSpider):
    name = "greenhouse"
    family = "greenhouse"
    api = "https://boards-api.greenhouse.io/v1/boards/{token}/jobs"
    query = {"content": "true"}
    extract = staticmethod(extract_jobs)

    def parse_board(self, response: Response) -> Iterator[PostingItem | scrapy.Request]:
        source: Source = response.meta["source"]
        items = self.board_items(response)
        if items is None:
            return
        lookups_left = self.settings.getint("UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS", 50)
        for item in self.take(source, items):
            if item.salary_stated is None and lookups_left > 0 and looks_relevant(item):
                lookups_left -= 1
                yield self.pay_request(source, item, response.url)
            else:
                yield item

    def pay_request(self, source: Source, item: PostingItem, list_url: str) -> scrapy.Request:
        request = scrapy.Request(
            single_job_url(list_url, item.source_job_id),
            callback=self.parse_pay,
            cb_kwargs={"item": item},
            meta={"handle_httpstatus_list": PAY_LOOKUP_STATUSES},
            dont_filter=True,  # the posting rides on this request: it must not be dropped
        )
        return self.board_request(source, request).replace(errback=self.pay_lookup_failed)

    def parse_pay(self, response: Response, item: PostingItem) -> Iterator[PostingItem]:
        job = None
        if response.status == 200:
            try:
                job = json.loads(response.body)
            except (ValueError, UnicodeDecodeError):
                job = None
        pay = pay_range(job) if isinstance(job, dict) else None
        if pay is not None:
            item.salary_stated = pay
            item.raw = {**item.raw, "pay_input_ranges": job["pay_input_ranges"]}
            self.crawler.stats.inc_value("greenhouse/pay_lookup/found")
        elif response.status == 200 and isinstance(job, dict):
            self.crawler.stats.inc_value("greenhouse/pay_lookup/no_pay")
        else:
            self.crawler.stats.inc_value(f"greenhouse/pay_lookup/failed/{response.status}")
        yield item

    def pay_lookup_failed(self, failure: Failure) -> Iterator[PostingItem]:
        # a failed lookup costs the posting its pay, never the posting itself
        self.crawler.stats.inc_value(f"greenhouse/pay_lookup/failed/{failure.type.__name__}")
        yield failure.request.cb_kwargs["item"]
