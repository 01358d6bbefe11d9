"""Publish: make the validated build the warehouse readers see, atomically."""

import dagster as dg

from pipelines.assets.marts import MARTS_FRESHNESS, marts
from pipelines.assets.metadata import preview
from pipelines.resources import WarehouseResource
from pipelines.transforms.database import connect_published


@dg.asset(
    deps=[marts],
    group_name="publish",
    kinds={"duckdb"},
    owners=["team:data-engineering"],
    freshness_policy=MARTS_FRESHNESS,
)
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The warehouse file readers open (`unheard sql`, the duckdb CLI, notebooks). Runs only
    when every blocking quality check upstream passed; swapped in with an atomic rename, so
    a reader sees the previous state or this one, never a mix (one connecting at the instant
    of the rename too, through `connect_published`)."""
    path = warehouse.publish()
    con = connect_published(warehouse.paths)  # what readers now see
    try:
        postings, open_ml = con.execute(
            "select count(*), count(*) filter (where is_open and is_ml_role) from marts.postings"
        ).fetchall()[0]
        companies = preview(
            con,
            "select company, sector, prominence, open_ml_postings, open_postings "
            "from marts.companies order by open_ml_postings desc, company",
        )
    finally:
        con.close()
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "size_bytes": path.stat().st_size,
            "dagster/row_count": postings,
            "open_ml_postings": open_ml,
            "top_companies": companies,
        }
    )
