"""Crawls are partitioned by board family: materializing one family's partition crawls only
that family's boards, the unpartitioned layers downstream still build and publish, and a
crawl of one family never closes another family's postings. One run over every family (the
schedule's and the CLI's) is one crawl with a materialization per family."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from pipelines.assets.ingest import raw_postings
from pipelines.checks.quality import QUALITY_CHECKS
from pipelines.definitions import ASSETS
from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.partitions import BOARD_FAMILIES, family_range_tags
from pipelines.paths import DataPaths
from pipelines.resources import CrawlerResource, WarehouseResource
from tests.conftest import FAST_CRAWL

LEVER_BOARDS = {"civic-ledger-demo", "furrow-labs-demo"}


@pytest.fixture
def demo_sources(board_server, tmp_path: Path) -> Path:
    return write_demo_sources(board_server, DEMO_REGISTRY, tmp_path / "sources.yaml")


def resources(data_dir: Path, sources: Path) -> dict[str, Any]:
    return {
        "warehouse": WarehouseResource(data_dir=str(data_dir), lock_wait_s=5),
        "crawler": CrawlerResource(sources_file=str(sources), scrapy_settings=FAST_CRAWL),
    }


def crawl_config(as_of: str, **extra: Any) -> dict[str, Any]:
    return {"ops": {"raw_postings": {"config": {"as_of": as_of, **extra}}}}


def pipeline(
    data_dir: Path, sources: Path, instance: dg.DagsterInstance, as_of: str, **partitions: Any
) -> dg.ExecuteInProcessResult:
    """Every asset and check, for a partition (`partition_key=`) or a range (`tags=`)."""
    return dg.materialize(
        [*ASSETS, *QUALITY_CHECKS],
        resources=resources(data_dir, sources),
        run_config=crawl_config(as_of),
        instance=instance,
        raise_on_error=False,
        **partitions,
    )


def manifest_of(result: dg.ExecuteInProcessResult, data_dir: Path) -> dict[str, Any]:
    [run_id] = {
        m.metadata["run_id"].value for m in result.asset_materializations_for_node("raw_postings")
    }
    path = DataPaths.at(data_dir).manifests / f"{run_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def query(data_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(DataPaths.at(data_dir).published_warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_one_family_partition_crawls_only_that_family_and_publishes(
    demo_sources: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    instance = dg.DagsterInstance.ephemeral()

    def run(as_of: str, **partitions: Any) -> dg.ExecuteInProcessResult:
        return pipeline(data_dir, demo_sources, instance, as_of, **partitions)

    # 1. the lever partition: only lever's boards are crawled, and the warehouse publishes
    lever = run("2026-11-20T06:00:00Z", partition_key="lever")
    assert lever.success
    assert [m.partition for m in lever.asset_materializations_for_node("raw_postings")] == ["lever"]
    manifest = manifest_of(lever, data_dir)
    assert {(b["source"], b["board"]) for b in manifest["boards"]} == {
        ("lever", board) for board in LEVER_BOARDS
    }
    raw_families = {p.name for p in DataPaths.at(data_dir).raw.glob("source=*")}
    assert raw_families == {"source=lever"}
    [event] = lever.asset_materializations_for_node("raw_postings")
    assert event.metadata["boards"].value == 2
    assert event.metadata["boards_failed"].value == 0
    assert event.metadata["dagster/row_count"].value == manifest["totals"]["postings"] > 0
    assert "civic-ledger-demo" in event.metadata["outcomes"].value
    assert lever.asset_materializations_for_node("published_warehouse")
    assert query(data_dir, "select distinct source from marts.postings") == [("lever",)]

    # 2. one run over every family (the schedule's tags): one crawl, an event per family
    everything = run("2026-11-21T06:00:00Z", tags=family_range_tags())
    assert everything.success
    events = everything.asset_materializations_for_node("raw_postings")
    assert sorted(m.partition for m in events) == sorted(BOARD_FAMILIES)
    by_family = {m.partition: m.metadata for m in events}
    assert by_family["greenhouse"]["boards"].value == 2
    assert by_family["workday"]["boards"].value == 0  # no workday board in the demo registry
    assert len({m.metadata["run_id"].value for m in events}) == 1  # one crawl
    assert set(instance.get_materialized_partitions(dg.AssetKey("raw_postings"))) == set(
        BOARD_FAMILIES
    )
    sources = query(data_dir, "select distinct source from marts.postings order by 1")
    assert sources == [("ashby",), ("greenhouse",), ("lever",)]

    # 3. re-crawl lever alone a day later: greenhouse and ashby postings stay open, untouched
    again = run("2026-11-22T06:00:00Z", partition_key="lever")
    assert again.success
    seen = dict(
        query(
            data_dir,
            "select source, max(last_seen_at)::date::varchar || ' ' || bool_and(is_open)::varchar "
            "from marts.postings group by 1",
        )
    )
    assert seen == {
        "lever": "2026-11-22 true",
        "greenhouse": "2026-11-21 true",
        "ashby": "2026-11-21 true",
    }


def test_one_board_of_a_family_can_be_recrawled_alone(demo_sources: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = dg.materialize(
        [raw_postings],
        partition_key="lever",
        resources=resources(data_dir, demo_sources),
        run_config=crawl_config("2026-11-20T06:00:00Z", boards=["civic-ledger-demo"]),
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert [b["board"] for b in manifest_of(result, data_dir)["boards"]] == ["civic-ledger-demo"]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"boards": ["civic-ledger"]}, "['civic-ledger'] are not in"),
        ({"families": ["lveer"]}, "['lveer']"),
    ],
)
def test_a_board_or_family_to_crawl_that_does_not_exist_fails_the_step_naming_it(
    demo_sources: Path, tmp_path: Path, extra: dict[str, list[str]], named: str
) -> None:
    data_dir = tmp_path / "data"
    result = dg.materialize(
        [raw_postings],
        partition_key="lever",
        resources=resources(data_dir, demo_sources),
        run_config=crawl_config("2026-11-20T06:00:00Z", **extra),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert named in failure.event_specific_data.error.message
    assert not DataPaths.at(data_dir).manifests.exists() or not any(
        DataPaths.at(data_dir).manifests.iterdir()
    )  # nothing was crawled, no empty run written


def test_the_cli_runner_crawls_the_families_asked_for_in_one_partitioned_run(
    demo_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.runner import run_pipeline

    data_dir = tmp_path / "data"
    # run_pipeline points these at the data dir; monkeypatch puts them back afterwards
    monkeypatch.setenv("DAGSTER_HOME", str(data_dir / "dagster"))
    monkeypatch.setenv("UNHEARD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("UNHEARD_LOG_LEVEL", "ERROR")
    summary = run_pipeline(
        DataPaths.at(data_dir),
        sources=str(demo_sources),
        as_of="2026-11-20T06:00:00Z",
        families=["lever"],
        trigger="test",
    )
    assert summary.published, summary.failed_steps
    assert {b["source"] for b in summary.manifest["boards"]} == {"lever"}
    with dg.DagsterInstance.get() as instance:
        assert set(instance.get_materialized_partitions(dg.AssetKey("raw_postings"))) == {"lever"}
        run = instance.get_run_by_id(summary.run_id)
        assert run.tags["unheard/trigger"] == "test"
        assert run.tags["dagster/asset_partition_range_start"] == "lever"
