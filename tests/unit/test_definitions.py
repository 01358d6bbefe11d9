"""The Dagster code location loads, with its schedule, job and quality checks registered."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs


def test_definitions_load_with_schedule_and_checks() -> None:
    repository = defs.get_repository_def()
    assert repository.has_job("full_pipeline_job")
    schedule = defs.resolve_schedule_def("daily_pipeline_schedule")
    assert schedule.job_name == "full_pipeline_job"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    check_names = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {
        "stg_postings_meet_staging_suite",
        "core_postings_meet_core_suite",
        "mart_postings_meet_marts_suite",
    } <= check_names
    asset_keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "raw_postings",
        "stg_postings",
        "core_postings",
        "marts",
        "published_warehouse",
    } <= asset_keys


def test_every_asset_has_a_group_description_and_kind() -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name in {
            "ingest",
            "staging",
            "core",
            "tags",
            "marts",
            "publish",
            "quality",
            "report",
        }, key
        assert node.description, key
        assert node.kinds, key


def test_the_partitions_are_the_registry_families_and_each_has_a_spider() -> None:
    from typing import get_args

    from pipelines.partitions import BOARD_FAMILIES
    from spiders.boards import board_spiders
    from spiders.registry import Family

    assert sorted(get_args(Family)) == BOARD_FAMILIES
    assert sorted(board_spiders()) == BOARD_FAMILIES


def test_loading_the_definitions_does_not_import_scrapy() -> None:
    """The crawl runs in a process of its own: the code location (loaded by every run, the
    webserver and the daemon) only builds its command line."""
    import subprocess
    import sys

    probe = (
        "import sys, pipelines.definitions; print(sorted({'scrapy', 'twisted'} & set(sys.modules)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
