"""The daily schedule asks for one run over every family; the board health sensor alerts on
a seeded history of crawl manifests (three failures in a row, a collapse) and stays quiet on
a healthy one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.partitions import BOARD_FAMILIES, board_family_partitions, family_range_tags
from pipelines.sensors import board_health_sensor

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
DAY = timedelta(days=1)
START = datetime(2026, 11, 1, 6, tzinfo=UTC)


def board(family: str, token: str, postings: int, outcome: str = "ok") -> dict[str, Any]:
    complete = outcome in ("ok", "empty")
    return {
        "source": family,
        "board": token,
        "company": f"{token} Inc",
        "outcome": outcome,
        "complete": complete,
        "postings": postings if complete else 0,
        "requests": 1,
        "error": None if complete else f"{outcome} from the board",
    }


class History:
    """Crawl manifests written one day apart into <data>/raw/manifests, as crawls write them."""

    def __init__(self, data_dir: Path) -> None:
        self.manifests = data_dir / "raw" / "manifests"
        self.manifests.mkdir(parents=True)
        self.count = 0

    def crawl(self, *boards: dict[str, Any]) -> str:
        crawled_at = START + self.count * DAY
        run_id = f"{crawled_at:%Y%m%dT%H%M%SZ}-{self.count:06x}"
        self.count += 1
        manifest = {
            "run_id": run_id,
            "crawled_at": crawled_at.isoformat(),
            "finished_at": (crawled_at + timedelta(minutes=5)).isoformat(),
            "boards": list(boards),
            "totals": {"boards": len(boards), "postings": sum(b["postings"] for b in boards)},
        }
        (self.manifests / f"{run_id}.json").write_text(json.dumps(manifest), encoding="utf-8")
        return run_id


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("UNHEARD_DATA_DIR", str(data_dir))
    return History(data_dir)


def evaluate(cursor: str | None = None) -> dg.SensorResult | dg.SkipReason:
    return board_health_sensor(dg.build_sensor_context(cursor=cursor))


# --- the schedule ---------------------------------------------------------------------


def test_schedule_requests_one_run_over_every_family() -> None:
    schedule = defs.resolve_schedule_def("daily_pipeline_schedule")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    tick = datetime(2026, 11, 26, 6, tzinfo=UTC)
    data = schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=tick))
    assert data.skip_message is None
    [request] = data.run_requests
    assert request.tags["unheard/trigger"] == "schedule"
    assert request.partition_key is None  # a range, not one family
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (
        BOARD_FAMILIES[0],
        BOARD_FAMILIES[-1],
    )
    assert request.run_key == tick.isoformat()
    # the crawl counts as happening at the tick, whenever the run actually starts
    assert request.run_config["ops"]["raw_postings"]["config"]["as_of"] == (
        "2026-11-26T06:00:00+00:00"
    )
    # the range the run covers is every family that has a spider
    keys = board_family_partitions.get_partition_keys_in_range(request.partition_key_range)
    assert keys == BOARD_FAMILIES
    assert {"greenhouse", "lever", "ashby"} <= set(keys)


def test_schedule_cron_and_time_zone_come_from_the_environment(monkeypatch) -> None:
    import importlib

    import pipelines.schedules as schedules

    monkeypatch.setenv("UNHEARD_SCHEDULE_CRON", "30 4 * * 1-5")
    monkeypatch.setenv("UNHEARD_SCHEDULE_TIMEZONE", "Europe/Berlin")
    try:
        moved = importlib.reload(schedules).daily_pipeline_schedule
        assert (moved.cron_schedule, moved.execution_timezone) == ("30 4 * * 1-5", "Europe/Berlin")
    finally:
        monkeypatch.undo()
        importlib.reload(schedules)


def test_family_range_tags_cover_the_families_asked_for() -> None:
    assert family_range_tags(["lever"]) == {RANGE_START: "lever", RANGE_END: "lever"}
    # not neighbours: the range spans them, CrawlConfig.families narrows the crawl
    tags = family_range_tags(["lever", "ashby"])
    assert (tags[RANGE_START], tags[RANGE_END]) == ("ashby", "lever")
    assert family_range_tags([]) == family_range_tags(BOARD_FAMILIES)


def test_full_pipeline_job_is_partitioned_by_family_and_the_build_job_is_not() -> None:
    assert defs.resolve_job_def("full_pipeline_job").partitions_def == board_family_partitions
    assert defs.resolve_job_def("warehouse_build_job").partitions_def is None
    raw = defs.resolve_assets_def("raw_postings")
    assert raw.backfill_policy == dg.BackfillPolicy.single_run()
    assert raw.op.retry_policy.backoff == dg.Backoff.EXPONENTIAL
    assert raw.op.retry_policy.max_retries >= 1


def test_marts_and_the_published_warehouse_declare_their_freshness() -> None:
    graph = defs.resolve_asset_graph()
    for name in ("marts", "published_warehouse"):
        policy = graph.get(dg.AssetKey(name)).freshness_policy
        assert policy is not None, name
        assert policy.warn_window.to_timedelta() == timedelta(hours=26)
        assert policy.fail_window.to_timedelta() == timedelta(hours=50)


# --- the sensor -----------------------------------------------------------------------


def test_three_failures_in_a_row_raise_an_alert_naming_the_board(history: History) -> None:
    history.crawl(board("lever", "steady", 12), board("greenhouse", "flaky", 20))
    history.crawl(board("lever", "steady", 12), board("greenhouse", "flaky", 0, "http_error"))
    history.crawl(board("lever", "steady", 13), board("greenhouse", "flaky", 0, "http_error"))
    last = history.crawl(board("lever", "steady", 13), board("greenhouse", "flaky", 0, "timeout"))

    result = evaluate()
    assert isinstance(result, dg.SensorResult)
    [request] = result.run_requests
    assert request.tags["unheard/alert"] == "board_failing"
    assert request.tags["unheard/boards"] == "greenhouse:flaky"
    assert request.tags["unheard/crawl_run"] == last
    assert request.run_key == f"{last}:board_failing"
    [reason] = request.run_config["ops"]["board_health_alert"]["config"]["reasons"]
    assert "greenhouse:flaky" in reason and "failed 3 crawls in a row" in reason
    assert "timeout" in reason
    # the cursor moves on: the same history is not judged twice
    again = evaluate(result.cursor)
    assert isinstance(again, dg.SkipReason)
    assert "no crawl finished since" in again.skip_message


def test_two_failures_in_a_row_are_not_yet_an_alert(history: History) -> None:
    history.crawl(board("greenhouse", "flaky", 0, "http_error"))  # an older streak, broken
    history.crawl(board("greenhouse", "flaky", 20))
    history.crawl(board("greenhouse", "flaky", 0, "http_error"))
    history.crawl(board("greenhouse", "flaky", 0, "http_error"))
    result = evaluate()
    assert isinstance(result, dg.SensorResult)
    assert not result.run_requests
    assert "1 boards healthy" in result.skip_reason.skip_message


def test_open_postings_dropping_by_more_than_half_raise_an_alert(history: History) -> None:
    history.crawl(board("ashby", "shrinking", 40), board("lever", "steady", 12))
    # a failed crawl in between is a failure, not a collapse, and does not reset the baseline
    history.crawl(board("ashby", "shrinking", 0, "http_error"), board("lever", "steady", 12))
    last = history.crawl(board("ashby", "shrinking", 19), board("lever", "steady", 11))

    result = evaluate()
    [request] = result.run_requests
    assert request.tags["unheard/alert"] == "postings_dropped"
    assert request.tags["unheard/boards"] == "ashby:shrinking"
    [reason] = request.run_config["ops"]["board_health_alert"]["config"]["reasons"]
    assert "19 open postings, down from 40" in reason and last in reason


def test_a_healthy_history_is_skipped(history: History) -> None:
    history.crawl(board("ashby", "a", 40), board("lever", "b", 12), board("lever", "c", 3))
    history.crawl(
        board("ashby", "a", 0, "http_error"), board("lever", "b", 12), board("lever", "c", 3)
    )
    # exactly half is not "more than half"; 3 → 0 is below the size a drop is judged from
    history.crawl(board("ashby", "a", 20), board("lever", "b", 8), board("lever", "c", 0, "empty"))
    result = evaluate()
    assert isinstance(result, dg.SensorResult)
    assert not result.run_requests
    assert "3 boards healthy" in result.skip_reason.skip_message
    assert result.cursor


def test_no_manifests_is_a_skip(history: History) -> None:
    result = evaluate()
    assert isinstance(result, dg.SkipReason)
    assert "no crawl manifests" in result.skip_message


def test_a_crawl_of_one_family_is_judged_on_that_familys_boards(history: History) -> None:
    history.crawl(board("greenhouse", "flaky", 0, "http_error"), board("lever", "steady", 12))
    history.crawl(board("greenhouse", "flaky", 0, "http_error"), board("lever", "steady", 12))
    first = evaluate()
    assert not first.run_requests
    # a re-crawl of lever alone: greenhouse:flaky has still failed only twice
    history.crawl(board("lever", "steady", 12))
    assert not evaluate(first.cursor).run_requests
    # the next greenhouse crawl fails a third time
    history.crawl(board("greenhouse", "flaky", 0, "http_error"))
    third = evaluate(first.cursor)
    assert [r.tags["unheard/boards"] for r in third.run_requests] == ["greenhouse:flaky"]


def test_alert_job_fails_visibly_with_the_reasons() -> None:
    job = defs.resolve_job_def("alert_job")
    reasons = ["greenhouse:flaky (Flaky Inc) failed 3 crawls in a row"]
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(
            run_config={
                "ops": {
                    "board_health_alert": {
                        "config": {
                            "alert": "board_failing",
                            "crawl_run_id": "run-1",
                            "reasons": reasons,
                        }
                    }
                }
            },
            tags={"unheard/alert": "board_failing", "unheard/boards": "greenhouse:flaky"},
            instance=instance,
            raise_on_error=False,
        )
        assert not result.success
        run = instance.get_run_by_id(result.run_id)
        assert run.tags["unheard/alert"] == "board_failing"
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "greenhouse:flaky" in failure.step_failure_data.error.message
