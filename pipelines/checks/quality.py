"""Quality gates: one Great Expectations suite per layer, run as a blocking asset check.

A failing blocking expectation fails its check, and Dagster then skips everything
downstream, including `published_warehouse`: bad data never reaches readers.
"""

import json
from typing import Any

import dagster as dg
import duckdb

from pipelines.assets.core import core_postings
from pipelines.assets.marts import marts
from pipelines.assets.metadata import markdown_table
from pipelines.assets.staging import stg_postings
from pipelines.assets.tags import posting_tags
from pipelines.checks.gx_suites import (
    SuiteOutcome,
    data_docs_index,
    load_suite,
    record,
    render_data_docs_index,
    validate,
)
from pipelines.resources import WarehouseResource
from pipelines.transforms.cleaner import versions_cleaned_by_other_rules
from pipelines.transforms.raw_loader import UNREADABLE

# The GX checks, one per layer, in the order a run reaches them.
GX_CHECKS = {
    "staging": "stg_postings_meet_staging_suite",
    "core": "core_postings_meet_core_suite",
    "tags": "version_tags_meet_tags_suite",
    "marts": "mart_postings_meet_marts_suite",
}


def later_gx_check_planned(context: dg.AssetCheckExecutionContext, layer: str) -> bool:
    """Whether this run goes on to a GX check of a later layer: the run's selected checks,
    or, when it selected none by name, its job's checks on the selected assets (all of them
    when it selected no asset by name either)."""
    planned = context.run.asset_check_selection
    if planned is None:
        try:
            planned = context.job_def.asset_layer.asset_graph.asset_check_keys
        except AttributeError:  # a Dagster without this path: render the index, as before
            return False
        if context.run.asset_selection:
            planned = {k for k in planned if k.asset_key in context.run.asset_selection}
    names = {key.name for key in planned}
    layers = list(GX_CHECKS)
    return any(GX_CHECKS[later] in names for later in layers[layers.index(layer) + 1 :])


def _check_result(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    suite_names: tuple[str, ...],
    layer: str,
) -> dg.AssetCheckResult:
    """Run the layer's suites; the check passes when every blocking expectation of each did.
    The Data Docs index is rendered once a run: by its last GX check, or by a check that
    fails (the run stops there)."""
    outcomes: list[SuiteOutcome] = []
    quarantined = 0
    docs = warehouse.paths.quality
    with warehouse.connect() as con:
        for suite_name in suite_names:
            outcome = validate(con, suite_name, docs_root=docs, render_index=False)
            quarantined += record(
                con, outcome, context.run.run_id, layer, load_suite(suite_name)["row_key"]
            )
            outcomes.append(outcome)
    if not all(o.passed for o in outcomes) or not later_gx_check_planned(context, layer):
        render_data_docs_index(docs, outcomes[-1])
    expectations = [o for outcome in outcomes for o in outcome.outcomes]
    rows = [
        {
            "expectation": o.expectation,
            "column": o.column,
            "success": o.success,
            "blocking": o.blocking,
            "unexpected": o.unexpected_count,
        }
        for o in expectations
    ]
    failed = [o for outcome in outcomes for o in outcome.failed_blocking]
    warnings = [o for outcome in outcomes for o in outcome.failed_warnings]
    return dg.AssetCheckResult(
        passed=all(outcome.passed for outcome in outcomes),
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{len(expectations)} expectations, {len(failed)} blocking failed, "
            f"{len(warnings)} warnings"
        ),
        metadata={
            "expectations": len(expectations),
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
    """Keys present and unique per crawl, codes within their closed sets, URLs well formed
    (the rows of the crawl runs this build loaded); one row per content version in the
    staging tables of versions."""
    return _check_result(context, warehouse, ("staging", "staging_versions"), "staging")


@dg.asset_check(asset=core_postings, blocking=True, name="core_postings_meet_core_suite")
def core_postings_meet_core_suite(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """One row per posting; first seen ≤ last seen; closed after first seen."""
    return _check_result(context, warehouse, ("core",), "core")


@dg.asset_check(asset=posting_tags, blocking=True, name="version_tags_meet_tags_suite")
def version_tags_meet_tags_suite(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """One role tag per content version (tags.version_roles has no primary key)."""
    return _check_result(context, warehouse, ("tags",), "tags")


@dg.asset_check(asset=marts, blocking=True, name="mart_postings_meet_marts_suite")
def mart_postings_meet_marts_suite(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """The SQL contract: unique keys, every tag within its TAXONOMY code set."""
    return _check_result(context, warehouse, ("marts",), "marts")


COLLAPSED_BOARDS = """
with complete as (
    select
        source, board, run_id, crawled_at, postings,
        lag(postings) over (partition by source, board order by crawled_at, run_id) as previous,
        row_number() over (partition by source, board order by crawled_at desc, run_id desc) as n
    from raw.board_crawls
    where is_complete
)
select source, board, previous, postings
from complete
where n = 1 and previous >= $min_previous and postings < previous * $keep_share
order by source, board
"""


def _record_warning(
    con: duckdb.DuckDBPyConnection,
    context: dg.AssetCheckExecutionContext,
    name: str,
    suite: str,
    column: str | None,
    failures: int,
    elements: int | None = None,
    details: list[str] | None = None,
) -> None:
    """One row of quality.validation_results for a warning check on staging."""
    con.execute(
        "insert into quality.validation_results values "
        "(?, now(), 'staging', ?, ?, ?, ?, false, ?, ?, ?::json)",
        [
            context.run.run_id,
            suite,
            name,
            column,
            not failures,
            failures,
            elements,
            None if details is None else json.dumps(details),
        ],
    )


def _warning(
    context: dg.AssetCheckExecutionContext,
    findings: list[str],
    all_well: str,
    metadata: dict[str, Any],
) -> dg.AssetCheckResult:
    """A warning check's result: each finding logged and listed, or what holds."""
    for finding in findings:
        context.log.warning(finding)
    return dg.AssetCheckResult(
        passed=not findings,
        severity=dg.AssetCheckSeverity.WARN,
        description="; ".join(findings) or all_well,
        metadata=metadata,
    )


@dg.asset_check(asset=stg_postings, blocking=False, name="board_posting_counts_did_not_collapse")
def board_posting_counts_did_not_collapse(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """No board's latest complete crawl lists less than half of what its previous complete
    crawl listed (a board that went from 40 postings to 0 is named here). A warning: the
    board may really have closed its roles, or changed its API."""
    with warehouse.connect() as con:
        rows = con.execute(COLLAPSED_BOARDS, {"min_previous": 10, "keep_share": 0.5}).fetchall()
        _record_warning(
            con, context, "board_posting_counts_did_not_collapse", "board_counts", "postings",
            len(rows), details=[f"{s}:{b} {p} -> {n}" for s, b, p, n in rows],
        )  # fmt: skip
    collapsed = [
        f"{source}:{board} went from {before} to {now} postings"
        for source, board, before, now in rows
    ]
    return _warning(
        context,
        collapsed,
        "every board kept at least half of its postings",
        {"collapsed_boards": dg.MetadataValue.json(collapsed)},
    )


UNREADABLE_BOARDS = """
with latest as (
    select
        source, board, run_id, outcome, error,
        row_number() over (partition by source, board order by crawled_at desc, run_id desc) as n
    from raw.board_crawls
)
select source, board, run_id, error
from latest
where n = 1 and outcome = $unreadable
order by source, board
"""


@dg.asset_check(asset=stg_postings, blocking=False, name="board_files_were_read_whole")
def board_files_were_read_whole(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """Every board's latest crawl file gave back all the postings its manifest lists. A file
    cut short or damaged is loaded as a failed crawl that closes nothing (so no data is
    lost), but its board is not confirmed until a later crawl reads whole: a warning, named
    by file, until then."""
    with warehouse.connect() as con:
        rows = con.execute(UNREADABLE_BOARDS, {"unreadable": UNREADABLE}).fetchall()
        _record_warning(
            con, context, "board_files_were_read_whole", "board_files", "raw_file", len(rows),
            details=[error for *_, error in rows],
        )  # fmt: skip
    unreadable = [
        f"{source}:{board} (crawl {run_id}): {error}" for source, board, run_id, error in rows
    ]
    return _warning(
        context,
        unreadable,
        "every board's latest crawl file was read whole",
        {"unreadable_boards": dg.MetadataValue.json(unreadable)},
    )


@dg.asset_check(
    asset=stg_postings, blocking=False, name="posting_versions_were_cleaned_by_these_rules"
)
def posting_versions_were_cleaned_by_these_rules(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """Every stored posting version was cleaned by this release's cleaning rules (HTML,
    salary, location, title). A version is cleaned once, when first seen: after an upgrade
    the older ones keep the older readings until `unheard build --rebuild` cleans them again
    from the raw lake. A warning: the run publishes."""
    with warehouse.connect() as con:
        stale = versions_cleaned_by_other_rules(con)
        total = con.execute("select count(*) from staging.stg_posting_versions").fetchall()[0][0]
        _record_warning(
            con, context, "posting_versions_were_cleaned_by_these_rules", "cleaning_rules",
            None, stale, elements=total,
        )  # fmt: skip
    findings = [
        f"{stale} of {total} posting versions were cleaned by other cleaning rules than this "
        "release's: `unheard build --rebuild` cleans them again from the raw lake"
    ]
    return _warning(
        context,
        findings if stale else [],
        f"all {total} posting versions were cleaned by these rules",
        {"versions_cleaned_by_other_rules": stale, "versions": total},
    )


QUALITY_CHECKS = [
    stg_postings_meet_staging_suite,
    board_posting_counts_did_not_collapse,
    board_files_were_read_whole,
    posting_versions_were_cleaned_by_these_rules,
    core_postings_meet_core_suite,
    version_tags_meet_tags_suite,
    mart_postings_meet_marts_suite,
]
