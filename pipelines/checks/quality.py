"""Quality gates: one Great Expectations suite per layer, run as a blocking asset check.

A failing blocking expectation fails its check, and Dagster then skips everything
downstream, including `published_warehouse`: bad data never reaches readers.
"""

import dagster as dg

from pipelines.assets.core import core_postings
from pipelines.assets.marts import marts
from pipelines.assets.metadata import markdown_table
from pipelines.assets.staging import stg_postings
from pipelines.checks.gx_suites import (
    SuiteOutcome,
    data_docs_index,
    load_suite,
    record,
    validate,
)
from pipelines.resources import WarehouseResource


def _check_result(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    suite_name: str,
    layer: str,
) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        outcome: SuiteOutcome = validate(con, suite_name, docs_root=warehouse.paths.quality)
        quarantined = record(
            con, outcome, context.run.run_id, layer, load_suite(suite_name)["row_key"]
        )
    rows = [
        {
            "expectation": o.expectation,
            "column": o.column,
            "success": o.success,
            "blocking": o.blocking,
            "unexpected": o.unexpected_count,
        }
        for o in outcome.outcomes
    ]
    failed = outcome.failed_blocking
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{len(outcome.outcomes)} expectations, {len(failed)} blocking failed, "
            f"{len(outcome.failed_warnings)} warnings"
        ),
        metadata={
            "expectations": len(outcome.outcomes),
            "blocking_failures": dg.MetadataValue.json(
                [f"{o.expectation}({o.column}): {o.unexpected_count}" for o in failed]
            ),
            "rows_quarantined": quarantined,
            "results": dg.MetadataValue.md(markdown_table(rows, limit=50)),
            "data_docs": dg.MetadataValue.path(str(data_docs_index(warehouse.paths.quality))),
        },
    )


@dg.asset_check(asset=stg_postings, blocking=True, name="stg_postings_meet_staging_suite")
def stg_postings_meet_staging_suite(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """Keys present and unique per crawl, codes within their closed sets, URLs well formed."""
    return _check_result(context, warehouse, "staging", "staging")


@dg.asset_check(asset=core_postings, blocking=True, name="core_postings_meet_core_suite")
def core_postings_meet_core_suite(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """One row per posting; first seen ≤ last seen; closed after first seen."""
    return _check_result(context, warehouse, "core", "core")


@dg.asset_check(asset=marts, blocking=True, name="mart_postings_meet_marts_suite")
def mart_postings_meet_marts_suite(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """The SQL contract: unique keys, every tag within its TAXONOMY code set."""
    return _check_result(context, warehouse, "marts", "marts")


QUALITY_CHECKS = [
    stg_postings_meet_staging_suite,
    core_postings_meet_core_suite,
    mart_postings_meet_marts_suite,
]
