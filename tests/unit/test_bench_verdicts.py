"""The benchmark's verdicts (benchmarks/bench_pipeline.py `evaluate`), on a saved result."""

import copy
import json
from pathlib import Path

import pytest

from benchmarks.bench_pipeline import TARGET_MEMORY, evaluate

RESULT = Path(__file__).parents[2] / "benchmarks/results/2026-11-26-1m-day-d87d724.json"


@pytest.fixture
def report() -> dict:
    return json.loads(RESULT.read_text())


def day_memory(report: dict) -> list[dict]:
    return [v for v in evaluate(report) if v["target"].startswith("peak memory < 4 GiB in the day")]


def test_the_day_at_the_largest_size_is_held_to_the_memory_target(report) -> None:
    (verdict,) = day_memory(report)
    assert verdict["pass"]
    assert "2.79 GiB as steps, 3.11 GiB as `unheard build`" in verdict["value"]
    over = copy.deepcopy(report)
    over["incremental"]["scheduled_run"]["peak_rss_bytes"] = TARGET_MEMORY + 1
    (verdict,) = day_memory(over)
    assert not verdict["pass"] and verdict["why"]
    # the rebuild's own memory verdict does not see the day
    rebuild = [v for v in evaluate(over) if v["target"] == "peak memory < 4 GiB (N=1,000,000)"]
    assert [v["pass"] for v in rebuild] == [True]


def test_a_day_at_a_smaller_size_than_the_largest_rebuild_gets_no_memory_verdict(report) -> None:
    smaller = copy.deepcopy(report)
    smaller["incremental"]["n"] = 100_000
    assert day_memory(smaller) == []
