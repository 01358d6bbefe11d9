"""Item pipelines: validate each posting, then append it to the raw lake.

A dropped item is counted under a named stat (`drop_item/<reason>`) and against its board,
so the manifest says how many postings a board sent that did not make it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter

from spiders.items import PostingItem
from spiders.raw_lake import RawLakeWriter


class ValidatePostingPipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePostingPipeline:
        return cls(crawler.stats)

    def process_item(self, item: PostingItem, spider: Any = None) -> PostingItem:
        reason = None
        if not isinstance(item, PostingItem):
            reason = "not_a_posting"
        elif not item.source_job_id or not item.url:
            reason = "missing_identity"
        if reason:
            self.stats.inc_value(f"drop_item/{reason}")
            if isinstance(item, PostingItem) and spider is not None:
                spider.item_dropped(item.board)
            raise DropItem(reason)
        return item


class RawLakePipeline:
    """One writer per crawler process; files are published when the spider closes."""

    def __init__(self, raw_root: Path, run_id: str, date: str, crawled_at: str) -> None:
        self.writer = RawLakeWriter(raw_root, run_id, date)
        self.crawled_at = crawled_at
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler: Any) -> RawLakePipeline:
        settings = crawler.settings
        return cls(
            Path(settings.get("UNHEARD_RAW_ROOT")),
            settings.get("UNHEARD_RUN_ID"),
            settings.get("UNHEARD_CRAWL_DATE"),
            settings.get("UNHEARD_CRAWLED_AT"),
        )

    def process_item(self, item: PostingItem, spider: Any = None) -> PostingItem:
        record = item.to_record()  # shallow: serialized at once, never kept
        record["run_id"] = self.run_id
        record["crawled_at"] = self.crawled_at
        self.writer.write(record)
        return item

    def close_spider(self, spider: Any = None) -> None:
        self.writer.close()


class ItemLogFormatter(LogFormatter):
    """Scrapy's log lines, without the per-item "Scraped from" line when the crawl logs above
    DEBUG. Scrapy builds that DEBUG record for every posting (the root logger passes
    everything; only its handler filters by LOG_LEVEL), which then drops it."""

    def __init__(self, log_items: bool = True) -> None:
        self.log_items = log_items

    @classmethod
    def from_crawler(cls, crawler: Any) -> ItemLogFormatter:
        level = crawler.settings.get("LOG_LEVEL")
        if not isinstance(level, int):
            level = logging.getLevelName(str(level).upper())
        return cls(log_items=not isinstance(level, int) or level <= logging.DEBUG)

    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        return super().scraped(item, response, spider) if self.log_items else None
