"""Resources: where the data lives and how crawls run. Settings come from the environment
(`UNHEARD_DATA_DIR`, `UNHEARD_SOURCES`) so the same definitions serve the CLI, the UI and
the tests; tests pass explicit values instead."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from pipelines.paths import DEFAULT_SOURCES, SOURCES_ENV, DataPaths
from pipelines.transforms import database
from spiders.crawl import RAW_LAKE_WRITE_FAILED, crawl_command, new_run_id, parse_timestamp_arg
from spiders.registry import RegistryError, load_sources


class WarehouseResource(dg.ConfigurableResource):
    """The run's DuckDB build file, the published warehouse, and the single-writer lock.

    The lock is taken when a run starts using the warehouse and held until it ends, so a
    second run waits (up to `lock_wait_s`) instead of writing over the first.
    """

    data_dir: str = ""  # empty: $UNHEARD_DATA_DIR, else ./data
    lock_wait_s: float = 900.0

    _lock: contextlib.ExitStack | None = PrivateAttr(default=None)

    @property
    def paths(self) -> DataPaths:
        return DataPaths.at(self.data_dir or None).ensure()

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        stack = contextlib.ExitStack()
        stack.enter_context(database.writer_lock(self.paths, wait_s=self.lock_wait_s))
        self._lock = stack

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def duckdb(self) -> DuckDBResource:
        """The build file as a dagster-duckdb resource, for code that wants its API."""
        return DuckDBResource(database=str(self.paths.build_warehouse))

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with database.connect_build(self.paths) as con:
            yield con

    def reset_build(self, from_published: bool = True) -> Path:
        return database.reset_build(self.paths, from_published=from_published)

    def publish(self) -> Path:
        return database.publish(self.paths)


class CrawlerResource(dg.ConfigurableResource):
    """Runs the Scrapy crawl in its own process (Scrapy's reactor cannot restart in one)."""

    sources_file: str = ""  # empty: $UNHEARD_SOURCES, else spiders/sources.yaml
    scrapy_settings: dict[str, str] = {}

    def resolved_sources(self, override: str | None = None) -> Path:
        return Path(override or self.sources_file or os.environ.get(SOURCES_ENV) or DEFAULT_SOURCES)

    def crawl(
        self,
        context: dg.AssetExecutionContext,
        raw_root: Path,
        *,
        crawled_at: str | None = None,
        sources: str | None = None,
        families: list[str] | None = None,
        boards: list[str] | None = None,
    ) -> dict[str, Any]:
        sources_file = self.resolved_sources(sources)
        try:
            registered = load_sources(sources_file)
        except RegistryError as error:
            # a broken registry is not transient: fail at once, without retries
            raise dg.Failure(str(error), allow_retries=False) from None
        if unknown := sorted(set(boards or ()) - {source.token for source in registered}):
            raise dg.Failure(f"boards {unknown} are not in {sources_file}", allow_retries=False)
        moment = parse_timestamp_arg(crawled_at)
        run_id = new_run_id(moment)
        # conditional requests: an unchanged board answers 304 against this cache next run
        settings = {
            "UNHEARD_HTTP_CACHE_DIR": raw_root.parent / "http_cache",
            **self.scrapy_settings,
        }
        command = crawl_command(
            sources_file,
            raw_root,
            run_id=run_id,
            crawled_at=moment.isoformat(),
            families=families or [],
            boards=boards or [],
            settings=settings,
        )
        try:
            dg.PipesSubprocessClient().run(command=command, context=context)
        except Exception as error:
            if _exit_status(error) == RAW_LAKE_WRITE_FAILED:
                # a full disk (or a read-only mount) is still full 30 s later: the retry
                # policy would only crawl every board again to fail the same way
                raise dg.Failure(
                    f"the crawl could not write the raw lake at {raw_root} (no space left "
                    "on the device, or a read-only mount; the crawl's log says which). "
                    "Nothing of it was kept: free space and run again",
                    allow_retries=False,
                ) from error
            raise
        manifest_file = raw_root / "manifests" / f"{run_id}.json"
        if not manifest_file.exists():
            raise dg.Failure(
                f"the crawl wrote no manifest {manifest_file} (command: {' '.join(command)})"
            )
        return json.loads(manifest_file.read_text(encoding="utf-8"))


def _exit_status(error: Exception) -> int | None:
    """The crawl's exit status, read from Dagster Pipes' "External execution process failed
    with code N": its error class is not public API, so the message is matched (if it ever
    changes, the crawl is merely retried, as any failed crawl is)."""
    match = re.search(r"process failed with code (-?\d+)", str(error))
    return int(match.group(1)) if match else None
