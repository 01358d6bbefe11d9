"""Jobs: the whole pipeline, from a crawl to a published warehouse."""

from __future__ import annotations

import dagster as dg

full_pipeline_job = dg.define_asset_job(
    name="full_pipeline_job",
    selection=dg.AssetSelection.all(),
    description="Crawl every registered board, then staging → core → tags → marts → checks → publish.",
    tags={"unheard/pipeline": "full"},
)
