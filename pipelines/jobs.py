"""Jobs: the whole pipeline, from a crawl to a published warehouse; and the alert a failing
board raises."""

import dagster as dg

full_pipeline_job = dg.define_asset_job(
    name="full_pipeline_job",
    selection=dg.AssetSelection.all(),
    description=(
        "Crawl the boards of the run's families (the schedule: all, in one run), then "
        "staging → core → tags → marts → checks → publish."
    ),
    tags={"unheard/pipeline": "full"},
)

warehouse_build_job = dg.define_asset_job(
    name="warehouse_build_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("raw_postings"),
    description=(
        "Load crawl runs already in the raw lake (backfills, replays, rebuilds) through to publish."
    ),
    tags={"unheard/pipeline": "build"},
)


class BoardHealthAlertConfig(dg.Config):
    """What `board_health_sensor` found: one line per board, and the crawl it looked at."""

    alert: str  # board_failing | postings_dropped
    crawl_run_id: str
    reasons: list[str]


@dg.op(tags={"unheard/alert": "true"})
def board_health_alert(context: dg.OpExecutionContext, config: BoardHealthAlertConfig) -> None:
    """Log every reason and fail, so the alert is a red run in the run list (with its tags,
    which a notifier or a run-failure sensor can route on)."""
    for reason in config.reasons:
        context.log.error(f"unheard/alert={config.alert}: {reason}")
    raise dg.Failure(
        description=f"{config.alert} after crawl {config.crawl_run_id}: "
        + "; ".join(config.reasons),
        metadata={
            "alert": config.alert,
            "crawl_run_id": config.crawl_run_id,
            "reasons": dg.MetadataValue.json(config.reasons),
        },
        allow_retries=False,
    )


@dg.job(tags={"unheard/pipeline": "alert"})
def alert_job() -> None:
    """Raised by `board_health_sensor`: a board failed three crawls in a row, or a board's
    open postings fell by more than half against its last complete crawl."""
    board_health_alert()
