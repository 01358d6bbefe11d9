"""Every mart exports to Parquet and CSV from the published warehouse, row for row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.checks.quality import QUALITY_CHECKS
from pipelines.definitions import ASSETS
from pipelines.demo.fixture_server import DEMO_BOARDS, BoardServer
from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.paths import DataPaths
from pipelines.resources import CrawlerResource, WarehouseResource
from pipelines.transforms.database import connect_published
from pipelines.transforms.export import export_marts
from tests.conftest import FAST_CRAWL
from warehouse import MART_MODELS

MARTS = [name for schema, name, _ in MART_MODELS if schema == "marts"]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo crawled once, published; opened read-only as a reader would."""
    root = tmp_path_factory.mktemp("export")
    with BoardServer([DEMO_BOARDS]) as server:
        sources = write_demo_sources(server, DEMO_REGISTRY, root / "sources.yaml")
        result = dg.materialize(
            [*ASSETS, *QUALITY_CHECKS],
            resources={
                "warehouse": WarehouseResource(data_dir=str(root / "data"), lock_wait_s=5),
                "crawler": CrawlerResource(sources_file=str(sources), scrapy_settings=FAST_CRAWL),
            },
            run_config={"ops": {"raw_postings": {"config": {"as_of": "2026-11-20T06:00:00Z"}}}},
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
        )
    assert result.success
    con = connect_published(DataPaths.at(root / "data"))
    yield con
    con.close()


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_parquet_export_writes_every_mart_with_its_rows_and_types(published, tmp_path) -> None:
    out = tmp_path / "parquet"
    paths = export_marts(published, "parquet", out)
    assert paths == [out / f"{mart}.parquet" for mart in MARTS]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no leftovers
    reader = duckdb.connect()
    for mart, path in zip(MARTS, paths, strict=True):
        rows = count(published, f"select count(*) from marts.{mart}")
        # the demo runs no `unheard sources check`, so that mart alone may be empty
        assert rows > 0 or mart == "source_checks", f"marts.{mart} is empty in the demo"
        assert count(reader, f"select count(*) from read_parquet('{path}')") == rows
        exported = reader.execute(f"describe select * from read_parquet('{path}')").fetchall()
        original = published.execute(f"describe marts.{mart}").fetchall()
        assert [(c[0], c[1]) for c in exported] == [(c[0], c[1]) for c in original], mart
    # lists stay lists
    skills = reader.execute(
        f"select skills from read_parquet('{out / 'postings.parquet'}') where len(skills) > 0"
    ).fetchall()
    assert skills and all(isinstance(s[0], list) for s in skills)


def test_csv_export_writes_every_mart_with_lists_as_json(published, tmp_path) -> None:
    out = tmp_path / "csv"
    published.execute("set TimeZone = 'America/Denver'")
    try:
        paths = export_marts(published, "csv", out)
    finally:
        published.execute("reset TimeZone")
    assert paths == [out / f"{mart}.csv" for mart in MARTS]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    reader = duckdb.connect()
    for mart, path in zip(MARTS, paths, strict=True):
        rows = count(published, f"select count(*) from marts.{mart}")
        exported = f"read_csv('{path}', header = true, all_varchar = true)"
        assert count(reader, f"select count(*) from {exported}") == rows, mart
        columns = [c[0] for c in reader.execute(f"describe select * from {exported}").fetchall()]
        assert columns == [c[0] for c in published.execute(f"describe marts.{mart}").fetchall()]

    postings = f"read_csv('{out / 'postings.csv'}', header = true, all_varchar = true)"
    exported = dict(reader.execute(f"select posting_key, skills from {postings}").fetchall())
    original = dict(published.execute("select posting_key, skills from marts.postings").fetchall())
    assert {k: json.loads(v) for k, v in exported.items()} == original
    assert any(original.values())
    # timestamps as ISO 8601 in UTC, whatever the session's time zone
    first_seen = reader.execute(f"select first_seen_at from {postings} limit 1").fetchone()[0]
    assert first_seen == "2026-11-20T06:00:00.000000Z"


def test_export_rejects_an_unknown_format(published, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="json"):
        export_marts(published, "json", tmp_path)  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())
