"""Marts: the tables and views people query (`marts.*`), a stable contract."""

from datetime import timedelta

import dagster as dg

from pipelines.assets.metadata import preview
from pipelines.assets.tags import company_tags, posting_tags
from pipelines.resources import WarehouseResource
from pipelines.transforms.database import run_models
from pipelines.transforms.dictionary import apply_comments
from warehouse import MART_MODELS

# the run is daily: what readers query is late after 26 h and stale after 50 h (two missed
# runs); the UI shows the asset's freshness from these
MARTS_FRESHNESS = dg.FreshnessPolicy.time_window(
    warn_window=timedelta(hours=26), fail_window=timedelta(hours=50)
)


@dg.asset(
    deps=[posting_tags, company_tags],
    group_name="marts",
    kinds={"duckdb", "greatexpectations"},  # validated by a GX suite
    owners=["team:analytics"],
    freshness_policy=MARTS_FRESHNESS,
)
def marts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """`marts.postings` (one row per posting ever seen, with life and tags; a view over
    `intermediate.postings_without_text` that adds each posting's text) and
    `marts.companies` (one row per company, with tags and open ML postings)."""
    with warehouse.connect() as con:
        counts = run_models(con, MART_MODELS)
        apply_comments(con)  # the data dictionary, visible to the duckdb CLI
        sample = preview(
            con,
            "select company, title, sector, role_family, country_code, remote_type, salary_min, "
            "salary_max from marts.postings where is_open order by is_ml_role desc, posted_at desc",
        )
    return dg.MaterializeResult(
        metadata={"dagster/row_count": counts["marts.postings"], **counts, "preview": sample}
    )
