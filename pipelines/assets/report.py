"""The report: one self-contained HTML page, "where to work in ML", from the published warehouse."""

import dagster as dg

from pipelines.assets.publish import published_warehouse
from pipelines.report import build_report, report_counts, report_path
from pipelines.resources import WarehouseResource
from pipelines.transforms.database import connect_published


@dg.asset(
    deps=[published_warehouse],
    group_name="report",
    kinds={"html"},
    owners=["team:analytics"],
)
def ml_jobs_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """`<data-dir>/report/index.html`: the unheard companies hiring for ML in each
    important-problem sector with their open roles, charts of ML hiring, skills and pay,
    what changed since the last run and the data quality at a glance. One file that works
    offline (the chart JavaScript is inlined), with filters that need no server."""
    paths = warehouse.paths
    out = report_path(paths)
    con = connect_published(paths)
    try:
        build_report(con, out)
        counts = report_counts(con)
    finally:
        con.close()
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(out)),
            "url": dg.MetadataValue.url(out.resolve().as_uri()),
            "size_bytes": out.stat().st_size,
            **counts,
        }
    )
