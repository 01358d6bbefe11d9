"""Jobs: the whole pipeline, from a crawl to a published warehouse."""

from __future__ import annotations

import dagster as dg

full_pipeline_job = dg.define_asset_job(
    name="full_pipeline_job",
    selection=dg.AssetSelection.all(),
    description="Crawl every registered board, then staging → core → tags → marts → checks → publish.",
    tags={"unheard/pipeline": "full"},
)

warehouse_build_job = dg.define_asset_job(
    name="warehouse_build_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("raw_postings"),
    description="Load crawl runs already in the raw lake (backfills, replays, rebuilds) through to publish.",
    tags={"unheard/pipeline": "build"},
)
