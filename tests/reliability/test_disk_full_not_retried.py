"""A crawl that fails because the disk is full fails once, clearly: the ingest asset's
retry policy (30 s, then 90 s) would only crawl every board again into the same full disk.
Uses a tmpfs mount (skipped where mounting is not permitted)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.assets.ingest import raw_postings
from pipelines.paths import DataPaths
from pipelines.resources import CrawlerResource, WarehouseResource
from tests.conftest import FAST_CRAWL, one_board_sources
from tests.reliability.conftest import tmpfs
from tests.reliability.tally import TALLY

GRIDWISE = "/greenhouse/v1/boards/gridwise-demo/jobs"


def fill(folder: Path) -> None:
    """Write zeros into `folder` until its filesystem has no block left."""
    with (folder / "filler").open("wb") as filler, pytest.raises(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()


def test_a_crawl_into_a_full_disk_fails_once_without_retries(board_server, tmp_path: Path) -> None:
    sources = one_board_sources(
        tmp_path / "sources.yaml", board_server, "Gridwise", "greenhouse", "gridwise-demo"
    )
    paths = DataPaths.at(tmp_path / "data").ensure()
    with tmpfs(paths.raw, 256 * 1024):
        paths.ensure()  # the mount hid the raw lake's folders
        fill(paths.raw)
        result = dg.materialize(
            [raw_postings],
            resources={
                "warehouse": WarehouseResource(data_dir=str(paths.root), lock_wait_s=5),
                "crawler": CrawlerResource(sources_file=str(sources), scrapy_settings=FAST_CRAWL),
            },
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
        )

    events = [event.event_type_value for event in result.all_events]
    assert not result.success
    assert "STEP_UP_FOR_RETRY" not in events, "a full disk was retried"
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    error = failure.step_failure_data.error
    assert error is not None and "could not write the raw lake" in error.message
    assert failure.step_failure_data.user_failure_data is not None  # a dagster.Failure
    assert board_server.hits[GRIDWISE] == 1, "the board was crawled more than once"
    TALLY.fault("disk full while crawling is not retried")
