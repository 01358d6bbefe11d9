"""Run one crawl of the registry in this process and write its manifest.

Scrapy's reactor cannot restart inside one interpreter, so Dagster (and the tests) start
this module as a subprocess:

    python -m spiders.crawl --sources spiders/sources.yaml --raw-root data/raw \
        [--run-id ID] [--crawled-at ISO] [--family lever] [--board token]

It exits 0 whenever the manifest was written, even if boards failed: failures are
outcomes in the manifest. Under Dagster Pipes it also reports the counts back. When the raw
lake cannot be written (no space left, a read-only mount) it writes no manifest, removes
the run's files and exits 5 with the reason: nothing of the run is published.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spiders.raw_lake import (
    RawLakeWriteError,
    board_file,
    discard_run,
    write_failures,
    write_manifest,
)
from spiders.registry import Source, load_sources

RAW_LAKE_WRITE_FAILED = 5  # exit status: the raw lake could not be written (e.g. disk full)


def new_run_id(crawled_at: datetime) -> str:
    return f"{crawled_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def parse_timestamp_arg(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def crawl_command(
    sources: str | Path,
    raw_root: str | Path,
    *,
    run_id: str | None = None,
    crawled_at: str | None = None,
    families: Iterable[str] = (),
    boards: Iterable[str] = (),
    settings: Mapping[str, object] | None = None,
) -> list[str]:
    """The command line that runs a crawl in a process of its own with this Python (Scrapy's
    reactor starts once per process): what Dagster, the CLI, the tests and the benchmark run."""
    command = [sys.executable, "-m", "spiders.crawl", "--sources", str(sources)]
    command += ["--raw-root", str(raw_root)]
    if run_id:
        command += ["--run-id", run_id]
    if crawled_at:
        command += ["--crawled-at", crawled_at]
    for family in families:
        command += ["--family", family]
    for board in boards:
        command += ["--board", board]
    for name, value in (settings or {}).items():
        command += ["--set", f"{name}={value}"]
    return command


def select_sources(sources: list[Source], families: list[str], boards: list[str]) -> list[Source]:
    return [
        s
        for s in sources
        if (not families or s.family in families)
        and (not boards or s.token in boards or s.key in boards)
    ]


def crawl(
    sources: list[Source],
    raw_root: Path,
    run_id: str,
    crawled_at: datetime,
    settings_overrides: dict[str, Any] | None = None,
    sources_file: str | None = None,
) -> dict[str, Any]:
    """Crawl every source once, write the raw lake files and the manifest; return it."""
    # Scrapy is imported here, by the crawl's own process: Dagster's code location imports
    # this module only for crawl_command, and Scrapy and Twisted were ~0.2 s of its start
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from spiders.boards import board_spiders
    from spiders.boards.base import BoardOutcome

    spiders = board_spiders()
    started = time.monotonic()
    date = crawled_at.strftime("%Y-%m-%d")
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.update(
        {
            "UNHEARD_RAW_ROOT": str(raw_root),
            "UNHEARD_RUN_ID": run_id,
            "UNHEARD_CRAWL_DATE": date,
            "UNHEARD_CRAWLED_AT": crawled_at.isoformat(),
            **(settings_overrides or {}),
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    crawlers = []
    for family, spider_cls in spiders.items():
        family_sources = [s for s in sources if s.family == family]
        if family_sources:
            crawler = process.create_crawler(spider_cls)
            crawlers.append(crawler)
            process.crawl(
                crawler, sources=family_sources, run_id=run_id, crawled_at=crawled_at.isoformat()
            )
    if crawlers:
        process.start()
    if failures := write_failures():
        # a board file is missing or incomplete: a manifest now would publish a partial run
        discard_run(raw_root, run_id)
        raise RawLakeWriteError("; ".join(dict.fromkeys(failures)))

    boards: list[dict[str, Any]] = []
    for crawler in crawlers:
        for token, outcome in crawler.spider.outcomes.items():
            entry = outcome.as_dict()
            path = board_file(raw_root, outcome.source.family, date, run_id, token)
            entry["file"] = str(path.relative_to(raw_root)) if path.exists() else None
            boards.append(entry)
    for source in sources:
        if source.family not in spiders:
            skipped = BoardOutcome(source)
            skipped.fail("error", f"no spider for board family {source.family!r} yet")
            boards.append({**skipped.as_dict(), "file": None})

    manifest = {
        "run_id": run_id,
        "crawled_at": crawled_at.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "duration_s": round(time.monotonic() - started, 3),
        "sources_file": sources_file,
        "boards": sorted(boards, key=lambda b: (b["source"], b["board"])),
        "totals": _totals(boards),
    }
    try:
        write_manifest(raw_root, run_id, manifest)
    except RawLakeWriteError:
        discard_run(raw_root, run_id)
        raise
    return manifest


def _totals(boards: list[dict[str, Any]]) -> dict[str, int]:
    totals: dict[str, int] = {"boards": len(boards), "postings": 0, "requests": 0}
    for board in boards:
        totals["postings"] += board["postings"]
        totals["requests"] += board["requests"]
        totals[f"outcome_{board['outcome']}"] = totals.get(f"outcome_{board['outcome']}", 0) + 1
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl", description=__doc__)
    parser.add_argument("--sources", required=True, help="sources registry YAML")
    parser.add_argument("--raw-root", required=True, help="the raw lake folder (data/raw)")
    parser.add_argument("--run-id", help="default: derived from --crawled-at")
    parser.add_argument("--crawled-at", help="ISO timestamp the crawl counts as (default: now)")
    parser.add_argument("--family", action="append", default=[], help="only these families")
    parser.add_argument("--board", action="append", default=[], help="only these board tokens")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a Scrapy setting"
    )
    args = parser.parse_args(argv)

    crawled_at = parse_timestamp_arg(args.crawled_at)
    run_id = args.run_id or new_run_id(crawled_at)
    sources = select_sources(load_sources(args.sources), args.family, args.board)
    overrides = dict(item.split("=", 1) for item in args.set)
    with _dagster_pipes() as pipes:
        try:
            manifest = crawl(
                sources, Path(args.raw_root), run_id, crawled_at, overrides, args.sources
            )
        except RawLakeWriteError as error:
            message = (
                f"error: crawl {run_id} not published: {error}. Nothing of this run was kept "
                "(no manifest); free space and crawl again"
            )
            print(message, file=sys.stderr)
            if pipes is not None:
                pipes.log.error(message)
            return RAW_LAKE_WRITE_FAILED
        totals = manifest["totals"]
        summary = f"crawl {run_id}: {totals['postings']} postings from {totals['boards']} boards"
        print(summary, file=sys.stderr)
        if pipes is not None:
            pipes.log.info(summary)
            for board in manifest["boards"]:
                if not board["complete"]:
                    name = f"{board['source']}:{board['board']}"
                    pipes.log.warning(f"board {name} {board['outcome']}: {board['error']}")
            pipes.report_custom_message({"run_id": run_id, "totals": totals})
    return 0


@contextlib.contextmanager
def _dagster_pipes() -> Iterator[Any]:
    """Under Dagster Pipes, a channel to report back through; otherwise None."""
    from dagster_pipes import DAGSTER_PIPES_CONTEXT_ENV_VAR, open_dagster_pipes

    if DAGSTER_PIPES_CONTEXT_ENV_VAR not in os.environ:
        yield None
        return
    with open_dagster_pipes() as pipes:
        yield pipes


if __name__ == "__main__":
    raise SystemExit(main())
