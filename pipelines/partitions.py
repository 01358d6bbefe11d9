"""Partitions: crawls are partitioned by board family, so one failed family can be re-crawled
from the UI without crawling the others.

The daily run covers every family in one run (and one Scrapy process): it carries a
partition *range* from the first family to the last, and `raw_postings` (whose backfill
policy is a single run) reads `context.partition_keys`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from spiders.registry import Family

# the board families the registry accepts, each with a spider (test_spider_families.py);
# taken from the registry, not from the spiders, so that loading the Dagster definitions does
# not import Scrapy
BOARD_FAMILIES: list[str] = sorted(get_args(Family))

board_family_partitions = dg.StaticPartitionsDefinition(BOARD_FAMILIES)


def family_range_tags(families: Iterable[str] = ()) -> dict[str, str]:
    """Run tags that make one run cover `families` (default: all) as a partition range.

    A range is contiguous in partition order, so for families that are not neighbours it
    covers the ones between too; `CrawlConfig.families` then narrows what is crawled.
    Families without a spider have no partition and are left to the crawl to report.
    """
    positions = sorted(BOARD_FAMILIES.index(f) for f in set(families) if f in BOARD_FAMILIES)
    if not positions:
        positions = [0, len(BOARD_FAMILIES) - 1]
    return {
        ASSET_PARTITION_RANGE_START_TAG: BOARD_FAMILIES[positions[0]],
        ASSET_PARTITION_RANGE_END_TAG: BOARD_FAMILIES[positions[-1]],
    }
