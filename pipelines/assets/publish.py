"""Publish: make the validated build the warehouse readers see, atomically."""

import dagster as dg

from pipelines.assets.marts import MARTS_FRESHNESS, marts
from pipelines.resources import WarehouseResource


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
    a reader sees the previous state or this one, never a mix."""
    path = warehouse.publish()
    return dg.MaterializeResult(
        metadata={"path": dg.MetadataValue.path(str(path)), "size_bytes": path.stat().st_size}
    )
