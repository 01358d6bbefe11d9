"""Run one past tick of the daily schedule from the CLI, the way the UI's "Test schedule →
Launch" does: evaluate `daily_pipeline_schedule` for that tick and run exactly what it asks
for, tagged with the schedule's name, so the schedule's page and the Runs list show it.

`unheard demo` uses it to leave yesterday's scheduled run in a fresh data dir: a first-time
user sees in the UI what a day of operation looks like. In production the daemon
(`dagster-daemon run`) launches every tick itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg

# a daemon-launched run carries this tag; the schedule's page lists runs by it
SCHEDULE_NAME_TAG = "dagster/schedule_name"
SCHEDULE_NAME = "daily_pipeline_schedule"


def _schedule() -> dg.ScheduleDefinition:
    from pipelines.definitions import defs

    return defs.resolve_schedule_def(SCHEDULE_NAME)


def latest_tick_before_today(now: datetime | None = None) -> datetime:
    """The schedule's last tick before today began in its time zone ("yesterday's run" for a
    daily cron; the last one before today for sparser crons)."""
    # private, but it is the iterator the scheduler itself uses: DST and cron edge cases
    # stay Dagster's
    from dagster._utils.schedules import reverse_cron_string_iterator

    schedule = _schedule()
    zone = ZoneInfo(schedule.execution_timezone or "UTC")
    today = (now.astimezone(zone) if now else datetime.now(zone)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    end = (today - timedelta(seconds=1)).timestamp()
    return next(reverse_cron_string_iterator(end, schedule.cron_schedule, str(zone)))


def scheduled_request(tick: datetime) -> dg.RunRequest:
    """What the schedule asks for at `tick` (one request: every family, crawl as of the tick)."""
    schedule = _schedule()
    data = schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=tick))
    if data.skip_message or not data.run_requests:
        raise RuntimeError(f"{SCHEDULE_NAME} skipped the tick {tick}: {data.skip_message}")
    [request] = data.run_requests
    return request
