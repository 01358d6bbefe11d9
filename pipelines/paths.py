"""Where a deployment keeps its state: everything lives under one data directory.

Layout (default `./data`, overridable with `--data-dir` or `UNHEARD_DATA_DIR`):

    raw/source=<family>/date=<YYYY-MM-DD>/run=<run_id>/<board>.jsonl.zst  the raw lake
    raw/manifests/<run_id>.json       one per crawl
    raw/checks/<time>.json            one per `unheard sources check`
    warehouse/unheard.duckdb          the published warehouse
    warehouse/build.duckdb            the file a run writes
    dagster/                          Dagster instance (DAGSTER_HOME)
    quality/gx/                       the GX project: validation results and Data Docs
    report/index.html                 the HTML report
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "UNHEARD_DATA_DIR"
SOURCES_ENV = "UNHEARD_SOURCES"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = PROJECT_ROOT / "spiders" / "sources.yaml"


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory: the explicit argument, else $UNHEARD_DATA_DIR, else ./data."""
    value = explicit or os.environ.get(DATA_DIR_ENV) or "data"
    return Path(value).expanduser().resolve()


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def at(cls, explicit: str | os.PathLike | None = None) -> DataPaths:
        return cls(resolve_data_dir(explicit))

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def manifests(self) -> Path:
        return self.raw / "manifests"

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    @property
    def published_warehouse(self) -> Path:
        return self.warehouse_dir / "unheard.duckdb"

    @property
    def build_warehouse(self) -> Path:
        return self.warehouse_dir / "build.duckdb"

    @property
    def writer_lock(self) -> Path:
        return self.warehouse_dir / "writer.lock"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    @property
    def quality(self) -> Path:
        return self.root / "quality"

    @property
    def http_cache(self) -> Path:
        return self.root / "http_cache"

    def ensure(self) -> DataPaths:
        for folder in (
            self.raw,
            self.manifests,
            self.warehouse_dir,
            self.dagster_home,
            self.quality,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self
