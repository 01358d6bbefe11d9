"""Ingest: crawl the registered boards into the raw lake."""

import dagster as dg

from pipelines.assets.metadata import markdown_table
from pipelines.resources import CrawlerResource, WarehouseResource


class CrawlConfig(dg.Config):
    """What to crawl and when the crawl counts as having happened."""

    as_of: str | None = None  # ISO timestamp; default now (backfills and replays set it)
    sources: str | None = None  # another registry file
    families: list[str] = []  # only these board families
    boards: list[str] = []  # only these board tokens


@dg.asset(
    group_name="ingest",
    kinds={"scrapy"},
    owners=["team:data-engineering"],
    retry_policy=dg.RetryPolicy(max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL),
)
def raw_postings(
    context: dg.AssetExecutionContext,
    config: CrawlConfig,
    crawler: CrawlerResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Every registered board crawled once by the Scrapy spiders, written to the raw lake
    (`raw/source=…/date=…/run=…`) with a manifest of per-board outcomes. Failed boards are
    outcomes, not failures of this asset."""
    paths = warehouse.paths
    manifest = crawler.crawl(
        context, paths.raw, crawled_at=config.as_of, sources=config.sources,
        families=config.families, boards=config.boards,
    )
    boards = manifest["boards"]
    failed = [b for b in boards if not b["complete"]]
    for board in failed:
        context.log.warning(f"board {board['source']}:{board['board']} {board['outcome']}: {board['error']}")
    return dg.MaterializeResult(
        metadata={
            "run_id": manifest["run_id"],
            "crawled_at": manifest["crawled_at"],
            "postings": manifest["totals"]["postings"],
            "boards": len(boards),
            "boards_failed": len(failed),
            "manifest": dg.MetadataValue.path(str(paths.manifests / f"{manifest['run_id']}.json")),
            "outcomes": dg.MetadataValue.md(markdown_table(
                boards, ["source", "board", "outcome", "postings", "requests", "error"], limit=200
            )),
        }
    )
