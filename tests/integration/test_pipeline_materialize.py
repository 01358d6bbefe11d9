"""Materialize every Dagster asset into a temporary data dir and check what the marts say."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.checks.gx_suites import data_docs_index
from pipelines.checks.quality import QUALITY_CHECKS
from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.paths import DataPaths
from tests.conftest import materialize_pipeline


def indexed_runs(index: Path, suite: str) -> set[str]:
    """The run times of a suite's results the Data Docs index links to."""
    html = index.read_text(encoding="utf-8")
    return set(re.findall(rf"validations/{suite}/[^/\"]+/([0-9T.]+Z)/", html))


def refreshed(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """The core asset's `refreshed` metadata: how each folded core model was brought up to date."""
    (event,) = result.asset_materializations_for_node("core_postings")
    return event.metadata["refreshed"].value


def query(data_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(DataPaths.at(data_dir).published_warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def demo_sources(board_server, tmp_path: Path) -> Path:
    return write_demo_sources(board_server, DEMO_REGISTRY, tmp_path / "sources.yaml")


def demo_counts(board_server) -> dict[str, int]:
    counts = {}
    for family, key in (("greenhouse", "jobs"), ("ashby", "jobs"), ("lever", None)):
        for path in (Path("pipelines/demo/boards") / family).glob("*.json"):
            payload = json.loads(path.read_text())
            counts[family] = counts.get(family, 0) + len(payload[key] if key else payload)
    return counts


def test_materialize_all_assets_builds_published_marts(
    board_server, demo_sources, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    result = materialize_pipeline(data_dir, demo_sources, "2026-11-20T06:00:00Z")
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    assert len(result.get_asset_check_evaluations()) == len(QUALITY_CHECKS)
    docs = data_docs_index(DataPaths.at(data_dir).quality)
    # the index, rendered once by the run's last check, lists the run's result of every suite
    for suite in ("staging", "staging_versions", "core", "tags", "marts"):
        assert len(indexed_runs(docs, suite)) == 1, suite

    # every demo posting is in the mart, per source, once
    per_source = dict(query(data_dir, "select source, count(*) from marts.postings group by 1"))
    assert per_source == demo_counts(board_server)
    assert query(data_dir, "select count(distinct posting_key) = count(*) from marts.postings") == [
        (True,)
    ]

    # lifecycle from the as-of crawl time; all open after one crawl
    assert query(
        data_dir,
        "select min(first_seen_at) = max(first_seen_at), bool_and(is_open), "
        "count(closed_at) from marts.postings",
    ) == [(True, True, 0)]
    first_seen = query(data_dir, "select any_value(first_seen_at) from marts.postings")[0][0]
    assert first_seen.isoformat().startswith("2026-11-20T06:00:00")

    # the registry's hints reach the companies mart
    hints = dict(
        query(data_dir, "select company, sector from marts.companies where sector is not null")
    )
    assert hints.get("Gridwise Analytics (demo)") == "energy"
    assert query(
        data_dir, "select prominence from marts.companies where company like 'MegaMart%'"
    ) == [("household",)]

    # staging cleaned text and kept structured Ashby salaries as stated
    assert query(
        data_dir,
        "select count(*) from marts.postings where description_text like '%&lt;%' "
        "or description_text like '%<p>%'",
    ) == [(0,)]
    stated = query(
        data_dir,
        "select count(*) from marts.postings where source = 'ashby' "
        "and salary_basis = 'stated' and salary_min > 0",
    )
    assert stated[0][0] > 0


def test_second_crawl_closes_missing_postings_and_failed_board_closes_nothing(
    board_server, demo_sources, tmp_path: Path
) -> None:
    from pipelines.demo.fixture_server import Scripted

    data_dir = tmp_path / "data"
    first = materialize_pipeline(data_dir, demo_sources, "2026-11-20T06:00:00Z")
    assert first.success
    assert set(refreshed(first).values()) == {"whole"}

    # next day: one Greenhouse job gone from gridwise, and the Ashby board of clinica fails
    gridwise = json.loads(board_server.board_file("greenhouse", "gridwise-demo"))
    removed = gridwise["jobs"].pop(0)
    board_server.script(
        "/greenhouse/v1/boards/gridwise-demo/jobs",
        Scripted(200, json.dumps(gridwise), {"Content-Type": "application/json"}),
    )
    board_server.script(
        "/ashby/posting-api/job-board/clinica-scribe-demo", *[Scripted(500, "oops")] * 5
    )
    second = materialize_pipeline(data_dir, demo_sources, "2026-11-21T06:00:00Z")
    assert second.success
    # the staging preview shows the day's rows (the ones just loaded)
    (staged,) = second.asset_materializations_for_node("stg_postings")
    preview_rows = staged.metadata["preview"].value.splitlines()[2:]
    assert preview_rows and all("demo" in row for row in preview_rows)
    # the core models folded in the day's observations (the closing below comes from that)
    assert refreshed(second) == {
        "core.core_posting_versions": "folded",
        "core.core_posting_latest": "folded",
        "core.core_posting_lifecycle": "folded",
    }

    (core,) = second.asset_materializations_for_node("core_postings")
    postings = query(data_dir, "select count(*) from core.core_postings")[0][0]
    assert (
        core.metadata["new_postings"].value,
        core.metadata["closed_postings"].value,
        core.metadata["open_postings"].value,
    ) == (0, 1, postings - 1)

    closed = query(
        data_dir, "select source_job_id, closed_at from marts.postings where closed_at is not null"
    )
    assert [(row[0], row[1].isoformat()[:19]) for row in closed] == [
        (str(removed["id"]), "2026-11-21T06:00:00")
    ]
    clinica_open = query(
        data_dir,
        "select bool_and(is_open), max(last_seen_at) from marts.postings "
        "where board = 'clinica-scribe-demo'",
    )
    assert clinica_open[0][0] is True
    assert clinica_open[0][1].isoformat().startswith("2026-11-20")


def test_failing_blocking_check_keeps_the_previous_warehouse(
    board_server, demo_sources, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    assert materialize_pipeline(data_dir, demo_sources, "2026-11-20T06:00:00Z").success
    published = DataPaths.at(data_dir).published_warehouse
    before = published.read_bytes()

    # a board whose postings carry an employment type outside... no: a URL that is not a URL
    bad = json.loads(board_server.board_file("ashby", "megamart-demo"))
    bad["jobs"][0]["id"] = "id with spaces"
    board_server.script("/ashby/posting-api/job-board/megamart-demo", Scripted_json(bad))
    result = materialize_pipeline(data_dir, demo_sources, "2026-11-21T06:00:00Z")
    evaluations = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert evaluations["stg_postings_meet_staging_suite"] is False
    assert not result.asset_materializations_for_node("published_warehouse")
    # the failing check ended the run, so it rendered the Data Docs index: both runs' results
    docs = data_docs_index(DataPaths.at(data_dir).quality)
    assert len(indexed_runs(docs, "staging")) == 2
    assert len(indexed_runs(docs, "core")) == 1
    assert published.read_bytes() == before
    quarantined = (
        duckdb.connect(str(DataPaths.at(data_dir).build_warehouse), read_only=True)
        .execute("select layer, expectation, row_key from quality.quarantine")
        .fetchall()
    )
    assert (
        "staging",
        "expect_column_values_to_match_regex",
        "ashby:megamart-demo:id with spaces",
    ) in quarantined


def Scripted_json(payload: object):  # noqa: N802 - reads like the class it builds
    from pipelines.demo.fixture_server import json_answer

    return json_answer(payload)


def test_a_board_that_collapses_is_a_warning_naming_it(
    board_server, demo_sources, tmp_path: Path
) -> None:
    from pipelines.demo.fixture_server import json_answer

    data_dir = tmp_path / "data"
    assert materialize_pipeline(data_dir, demo_sources, "2026-11-20T06:00:00Z").success
    board_server.script("/lever/v0/postings/furrow-labs-demo", json_answer([]))
    result = materialize_pipeline(data_dir, demo_sources, "2026-11-21T06:00:00Z")
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    collapse = evaluations["board_posting_counts_did_not_collapse"]
    assert collapse.passed is False
    assert collapse.severity == dg.AssetCheckSeverity.WARN
    assert "lever:furrow-labs-demo went from 12 to 0 postings" in collapse.description
    # a warning, not a gate: the run still publishes, and the board's postings are closed
    assert result.asset_materializations_for_node("published_warehouse")
    closed = query(
        data_dir,
        "select count(*) from marts.postings "
        "where board = 'furrow-labs-demo' and closed_at is not null",
    )
    assert closed == [(12,)]


def test_a_board_no_longer_crawled_leaves_its_postings_unconfirmed_after_a_week(
    demo_sources: Path, tmp_path: Path
) -> None:
    """Nothing closes the postings of a board removed from the registry (or failing every
    day): after a week of crawls without a complete one they are marked unconfirmed and
    leave marts.ml_jobs and the companies' open counts, while is_open keeps its meaning."""
    import yaml

    data_dir = tmp_path / "data"
    assert materialize_pipeline(data_dir, demo_sources, "2026-11-20T06:00:00Z").success
    registry = yaml.safe_load(demo_sources.read_text())
    registry["sources"] = [s for s in registry["sources"] if s["token"] != "gridwise-demo"]
    without_gridwise = tmp_path / "without_gridwise.yaml"
    without_gridwise.write_text(yaml.safe_dump(registry, sort_keys=False))

    def gridwise() -> tuple:
        return query(
            data_dir,
            "select bool_and(is_open), bool_and(is_unconfirmed), min(board_confirmed_at)::date, "
            "(select open_postings from marts.companies where company = any_value(p.company)), "
            "(select count(*) from marts.ml_jobs where posting_key like 'greenhouse:gridwise%') "
            "from marts.postings as p where board = 'gridwise-demo'",
        )[0]

    assert gridwise()[:2] == (True, False) and gridwise()[3] > 0 and gridwise()[4] > 0
    # five days without it: still within the week, still confirmed
    assert materialize_pipeline(data_dir, without_gridwise, "2026-11-25T06:00:00Z").success
    assert gridwise()[:3] == (True, False, date(2026, 11, 20))
    # eight days: open (nothing closed it) but unconfirmed, and out of the answers
    assert materialize_pipeline(data_dir, without_gridwise, "2026-11-28T06:00:00Z").success
    assert gridwise() == (True, True, date(2026, 11, 20), 0, 0)
    others = query(
        data_dir,
        "select count(*) filter (where is_unconfirmed), count(*) filter (where is_open) "
        "from marts.postings where board <> 'gridwise-demo'",
    )[0]
    assert others[0] == 0 and others[1] > 0
    # the weekly trends count them open only in weeks that ended by 2026-11-20: none here
    weekly_open = query(
        data_dir,
        "select week_start, sum(open_postings)::int from marts.sector_trends_weekly "
        "group by 1 order by 1",
    )
    gridwise_count, all_open = query(
        data_dir,
        "select count(*) filter (where board = 'gridwise-demo'), count(*) filter (where is_open) "
        "from marts.postings",
    )[0]
    assert [week for week, _ in weekly_open] == [date(2026, 11, 16), date(2026, 11, 23)]
    assert [n for _, n in weekly_open] == [all_open - gridwise_count] * 2
