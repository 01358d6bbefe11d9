"""The README's commands, run as a user would: `unheard demo`, then `unheard sql`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dagster as dg

from tests.conftest import PROJECT_ROOT, run_unheard

unheard = run_unheard


def demo_posting_count() -> int:
    boards = PROJECT_ROOT / "pipelines" / "demo" / "boards"
    total = 0
    for path in boards.glob("*/*.json"):
        payload = json.loads(path.read_text())
        total += len(payload["jobs"] if isinstance(payload, dict) else payload)
    return total


def test_demo_then_sql_then_the_run_is_in_dagster_history(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    demo = unheard("demo", "--data-dir", str(data_dir))
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    # yesterday's scheduled run, then the demo's own: every check passed in both
    checks = re.findall(r"checks: (\d+)/(\d+) passed", demo.stdout)
    assert len(checks) == 2 and all(passed == total for passed, total in checks), demo.stdout
    assert f"published: {data_dir / 'warehouse' / 'unheard.duckdb'}" in demo.stdout
    assert demo.stdout.count('unheard sql "') == 3
    for source in ("greenhouse", "lever", "ashby"):
        assert source in demo.stdout

    # every posting on the boards is open; the role filled overnight is closed
    count = unheard(
        "sql",
        "select count(*) filter (where is_open) as open, count(*) filter (where not is_open)"
        " as closed from marts.postings",
        "--format",
        "json",
        env={"UNHEARD_DATA_DIR": str(data_dir)},
    )
    assert count.returncode == 0, count.stderr
    assert json.loads(count.stdout) == [{"open": demo_posting_count(), "closed": 1}]

    table = unheard(
        "sql",
        "select source, count(*) as n from marts.postings group by 1 order by 1",
        "--data-dir",
        str(data_dir),
    )
    assert table.returncode == 0 and "greenhouse" in table.stdout and "(3 rows)" in table.stdout
    csv_out = unheard(
        "sql", "select 1 as a, 'x,y' as b", "--format", "csv", "--data-dir", str(data_dir)
    )
    assert csv_out.stdout.splitlines() == ["a,b", '1,"x,y"']

    # SQL runs read-only: writes are refused and the warehouse is unchanged
    write = unheard("sql", "drop table marts.postings", "--data-dir", str(data_dir))
    assert write.returncode == 1 and "read-only" in write.stderr.lower()

    # an export to a folder that cannot be made is an error naming it, not a traceback
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    export = unheard("export", "--out", str(blocked / "exports"), "--data-dir", str(data_dir))
    assert export.returncode == 1 and "Traceback" not in export.stderr
    assert f"error: cannot write the export to {blocked / 'exports'}" in export.stderr

    # both runs are in the data dir's Dagster instance, the demo's the latest publish
    with dg.DagsterInstance.from_config(str(data_dir / "dagster")) as instance:
        runs = [record.dagster_run for record in instance.get_run_records()]  # newest first
        assert [r.tags.get("unheard/trigger") for r in runs] == ["demo", "schedule"]
        assert runs[1].tags["dagster/schedule_name"] == "daily_pipeline_schedule"
        run = runs[0]
        assert run.status == dg.DagsterRunStatus.SUCCESS
        published = instance.get_latest_materialization_event(dg.AssetKey("published_warehouse"))
        assert published is not None and published.run_id == run.run_id


def test_sql_without_a_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    result = unheard("sql", "select 1", "--data-dir", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert "no published warehouse" in result.stderr and "unheard demo" in result.stderr


def test_build_with_nothing_to_build_is_a_clear_error(tmp_path: Path) -> None:
    # a mistyped --data-dir: no crawl and no warehouse there, and none is made
    data_dir = tmp_path / "typo"
    result = unheard("build", "--data-dir", str(data_dir))
    assert result.returncode == 2
    assert f"nothing to build in {data_dir}" in result.stderr and "unheard crawl" in result.stderr
    assert not data_dir.exists()


def test_a_family_or_board_not_in_the_registry_is_a_clear_error(tmp_path: Path) -> None:
    from pipelines.demo.registry import DEMO_REGISTRY

    data_dir = tmp_path / "data"
    for command in ("crawl", "run"):
        for option, value in (("--family", "lveer"), ("--board", "gridwise")):
            result = unheard(
                command, option, value, "--sources", str(DEMO_REGISTRY), "--data-dir", str(data_dir)
            )
            assert result.returncode == 2, (command, option, result.stderr)
            assert f"error: {option} '{value}': not in {DEMO_REGISTRY}" in result.stderr
    assert "lever" in result.stderr or "gridwise-demo" in result.stderr  # what it has instead
    assert not (data_dir / "raw" / "manifests").exists()  # no empty run was written


def test_bad_registry_is_a_clear_error(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {company: Acme, family: lever}\n")
    result = unheard("run", "--sources", str(sources), "--data-dir", str(tmp_path / "data"))
    assert result.returncode != 0
    assert str(sources) in result.stderr and "field 'token'" in result.stderr
