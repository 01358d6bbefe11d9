"""Ingest: crawl the registered boards into the raw lake, partitioned by board family."""

import warnings
from collections import defaultdict
from typing import Any

import dagster as dg

from pipelines.assets.metadata import markdown_table
from pipelines.partitions import BOARD_FAMILIES, board_family_partitions
from pipelines.resources import CrawlerResource, WarehouseResource

# BackfillPolicy is beta in Dagster 1.13; its warning would print on every CLI command
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

OUTCOME_COLUMNS = ["source", "board", "company", "outcome", "postings", "requests", "error"]


class CrawlConfig(dg.Config):
    """What to crawl and when the crawl counts as having happened. The run's partitions
    (board families) say which families; `families` and `boards` narrow that further."""

    as_of: str | None = None  # ISO timestamp; default now (backfills and replays set it)
    sources: str | None = None  # another registry file
    families: list[str] = []  # only these of the run's families
    boards: list[str] = []  # only these board tokens (re-crawl one board)


@dg.asset(
    group_name="ingest",
    kinds={"scrapy"},
    owners=["team:data-engineering"],
    partitions_def=board_family_partitions,
    # a run over many families is one crawl in one Scrapy process, not one run per family
    backfill_policy=dg.BackfillPolicy.single_run(),
    # a crawl fails as a whole only when its process dies (a dead board is an outcome):
    # transient, so retry after 30 s, then 90 s (exponential backoff)
    retry_policy=dg.RetryPolicy(max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL),
)
def raw_postings(
    context: dg.AssetExecutionContext,
    config: CrawlConfig,
    crawler: CrawlerResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Every registered board of the run's families crawled once by the Scrapy spiders,
    written to the raw lake (`raw/source=…/date=…/run=…`) with a manifest of per-board
    outcomes. Failed boards are outcomes, not failures of this asset: each family's
    partition shows its boards' outcomes."""
    if unknown := sorted(set(config.families) - set(BOARD_FAMILIES)):
        # a typo would crawl nothing and still write a run; it fails the same way each retry
        raise dg.Failure(
            f"families {unknown} are not board families ({', '.join(BOARD_FAMILIES)})",
            allow_retries=False,
        )
    partitions = _run_families(context)
    partitioned = context.has_partition_key_range or context.has_partition_key
    families = [f for f in partitions if not config.families or f in config.families]
    paths = warehouse.paths
    manifest = crawler.crawl(
        context,
        paths.raw,
        crawled_at=config.as_of,
        sources=config.sources,
        # every family: no filter, so boards of families without a spider are reported too;
        # asked only for families without a spider: those, which the crawl reports as such
        families=[] if set(families) == set(BOARD_FAMILIES) else families or config.families,
        boards=config.boards,
    )
    boards = manifest["boards"]
    for board in boards:
        if not board["complete"]:
            context.log.warning(
                f"board {board['source']}:{board['board']} {board['outcome']}: {board['error']}"
            )
    context.add_asset_metadata(
        {
            "run_id": manifest["run_id"],
            "crawled_at": manifest["crawled_at"],
            "manifest": dg.MetadataValue.path(str(paths.manifests / f"{manifest['run_id']}.json")),
            "families_in_run": dg.MetadataValue.json(families),
        }
    )
    if not partitioned:  # one event for the whole crawl
        context.add_asset_metadata(_family_metadata(boards, crawled=True))
        return dg.MaterializeResult()
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for board in boards:
        by_family[board["source"]].append(board)
    for family in partitions:  # each family's partition shows its own boards
        context.add_asset_metadata(
            _family_metadata(by_family[family], crawled=family in families),
            partition_key=family,
        )
    return dg.MaterializeResult()


def _run_families(context: dg.AssetExecutionContext) -> list[str]:
    """The families this run covers: its partition, its partition range, or (a run started
    without partitions, e.g. `dg.materialize` in a test) all of them."""
    if context.has_partition_key_range or context.has_partition_key:
        return list(context.partition_keys)
    return list(BOARD_FAMILIES)


def _family_metadata(boards: list[dict[str, Any]], *, crawled: bool) -> dict[str, Any]:
    failed = [b for b in boards if not b["complete"]]
    return {
        "crawled": crawled,
        "dagster/row_count": sum(b["postings"] for b in boards),
        "postings": sum(b["postings"] for b in boards),
        "boards": len(boards),
        "boards_failed": len(failed),
        "failed_boards": dg.MetadataValue.json([f"{b['board']}: {b['outcome']}" for b in failed]),
        "outcomes": dg.MetadataValue.md(markdown_table(boards, OUTCOME_COLUMNS, limit=200)),
    }
