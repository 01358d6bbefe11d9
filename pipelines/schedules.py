"""Schedules: the daily run. Cron and time zone come from the environment so an operator can
move it without code changes (`UNHEARD_SCHEDULE_CRON`, `UNHEARD_SCHEDULE_TIMEZONE`)."""

from __future__ import annotations

import os
from datetime import UTC

import dagster as dg

from pipelines.jobs import full_pipeline_job
from pipelines.partitions import family_range_tags


@dg.schedule(
    name="daily_pipeline_schedule",
    job=full_pipeline_job,
    cron_schedule=os.environ.get("UNHEARD_SCHEDULE_CRON", "0 6 * * *"),
    execution_timezone=os.environ.get("UNHEARD_SCHEDULE_TIMEZONE", "UTC"),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Crawl every board family in one run and publish, once a day.",
)
def daily_pipeline_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """One run over every family's partition: one crawl, one warehouse build, one publish.

    The crawl counts as happening at the tick, so a run that waited in the queue, a retried
    tick and a tick replayed later (`unheard demo` replays yesterday's) all record the
    day they belong to."""
    tick = context.scheduled_execution_time
    run_config = {}
    if tick is not None:
        as_of = tick.astimezone(UTC).isoformat()
        run_config = {"ops": {"raw_postings": {"config": {"as_of": as_of}}}}
    return dg.RunRequest(
        run_key=tick.isoformat() if tick else None,
        run_config=run_config,
        tags={"unheard/trigger": "schedule", **family_range_tags()},
    )
