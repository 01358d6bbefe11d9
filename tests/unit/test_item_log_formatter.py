"""The per-item "Scraped from" log line is built only when the crawl logs at DEBUG."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from spiders.boards.lever import LeverSpider
from spiders.pipelines import ItemLogFormatter


def crawl_settings(level: str | int | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    if level is not None:
        settings.set("LOG_LEVEL", level, priority="cmdline")
    return settings


def formatter(level: str | int) -> ItemLogFormatter:
    return ItemLogFormatter.from_crawler(SimpleNamespace(settings=crawl_settings(level)))


def spider() -> LeverSpider:
    lever = LeverSpider()
    lever.crawler = SimpleNamespace(settings=crawl_settings())
    return lever


def test_the_crawl_uses_it() -> None:
    assert crawl_settings().get("LOG_FORMATTER") == "spiders.pipelines.ItemLogFormatter"


@pytest.mark.parametrize("level", ["WARNING", "INFO", logging.ERROR])
def test_above_debug_no_item_line_is_built(level: str | int) -> None:
    assert formatter(level).scraped({"a": 1}, None, spider()) is None


@pytest.mark.parametrize("level", ["DEBUG", "debug", logging.DEBUG])
def test_at_debug_the_item_line_is_scrapys(level: str | int) -> None:
    logged = formatter(level).scraped({"a": 1}, None, spider())
    assert logged is not None and logged["level"] == logging.DEBUG
    assert logged["args"]["item"] == {"a": 1}


def test_dropped_items_are_still_logged() -> None:
    assert formatter("WARNING").dropped({"a": 1}, ValueError("x"), None, spider()) is not None
