"""The unheard Dagster code location: every asset, check, job and schedule, gathered once."""

from __future__ import annotations

import dagster as dg

from pipelines.assets.core import core_postings
from pipelines.assets.ingest import raw_postings
from pipelines.assets.marts import marts
from pipelines.assets.publish import published_warehouse
from pipelines.assets.report import ml_jobs_report
from pipelines.assets.staging import stg_postings
from pipelines.assets.tags import company_tags, posting_tags
from pipelines.checks.quality import QUALITY_CHECKS
from pipelines.jobs import alert_job, full_pipeline_job, warehouse_build_job
from pipelines.resources import CrawlerResource, WarehouseResource
from pipelines.schedules import daily_pipeline_schedule
from pipelines.sensors import board_health_sensor

ASSETS = [
    raw_postings,
    stg_postings,
    core_postings,
    posting_tags,
    company_tags,
    marts,
    published_warehouse,
    ml_jobs_report,
]

defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=QUALITY_CHECKS,
    jobs=[full_pipeline_job, warehouse_build_job, alert_job],
    schedules=[daily_pipeline_schedule],
    sensors=[board_health_sensor],
    resources={"warehouse": WarehouseResource(), "crawler": CrawlerResource()},
    # one process per run: the warehouse has one writer, and start-up stays ~2 s
    executor=dg.in_process_executor,
)
