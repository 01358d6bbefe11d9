"""Schedules: the daily run. Cron and time zone come from the environment so an operator can
move it without code changes (`UNHEARD_SCHEDULE_CRON`, `UNHEARD_SCHEDULE_TIMEZONE`)."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.jobs import full_pipeline_job

daily_pipeline_schedule = dg.ScheduleDefinition(
    name="daily_pipeline_schedule",
    job=full_pipeline_job,
    cron_schedule=os.environ.get("UNHEARD_SCHEDULE_CRON", "0 6 * * *"),
    execution_timezone=os.environ.get("UNHEARD_SCHEDULE_TIMEZONE", "UTC"),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={"unheard/trigger": "schedule"},
    description="Crawl and publish once a day.",
)
