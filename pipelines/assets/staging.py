"""Staging: typed, cleaned rows for every posting observation in the raw lake."""

import dagster as dg

from pipelines.assets.ingest import raw_postings
from pipelines.assets.metadata import count, preview
from pipelines.checks.gx_suites import start_gx_import
from pipelines.resources import WarehouseResource
from pipelines.transforms.cleaner import VersionCleaner, record_cleaning, start_workers_early
from pipelines.transforms.database import run_models
from pipelines.transforms.raw_loader import (
    load_pending_checks,
    load_pending_runs,
    pending_postings,
)
from warehouse import STAGING_VIEWS


class StagingConfig(dg.Config):
    """`rebuild`: start from an empty warehouse and replay the whole raw lake."""

    rebuild: bool = False


@dg.asset(
    deps=[raw_postings],
    group_name="staging",
    kinds={"duckdb", "greatexpectations"},  # validated by a GX suite
    owners=["team:data-engineering"],
)
def stg_postings(
    context: dg.AssetExecutionContext, config: StagingConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """One typed row per posting per crawl (`staging.stg_postings`): sanitized HTML and text,
    UTC dates, employment type, places and remote type, salary, title root and seniority.
    Starts the run's build file from the published warehouse and loads every complete crawl
    run of the raw lake not loaded yet, oldest first."""
    start_gx_import()  # the staging check needs GX next; import it while the load waits on I/O
    warehouse.reset_build(from_published=not config.rebuild)
    with warehouse.connect() as con:
        before = count(con, "select * from staging.stg_observations")
        expected = pending_postings(con, warehouse.paths.raw)
        start_workers_early(expected)  # they warm up while the load reads the first files
        with VersionCleaner(con, expected) as cleaner:
            report = load_pending_runs(con, warehouse.paths.raw, cleaner)
        checks = load_pending_checks(con, warehouse.paths.raw)
        cleaned = report.new_versions
        record_cleaning(con, cleaned)
        run_models(con, STAGING_VIEWS, kind="view")
        observations = count(con, "select * from staging.stg_observations")
        # the newest of this run's rows (or, when it loaded none, of the last ones), found by
        # rowid: ordering all of staging.stg_postings read every observation ever loaded
        first = before if observations > before else max(observations - 1_000, 0)
        sample = preview(
            con,
            "select o.posting_key, v.title, v.country_code, v.remote_type, v.employment_type, "
            "v.salary_min, v.salary_max, v.salary_currency "
            "from staging.stg_observations as o "
            "join staging.stg_posting_versions as v using (content_hash) "
            f"where o.rowid >= {first} order by o.observed_at desc, o.posting_key",
        )
    context.log.info(f"loaded {len(report.runs_loaded)} crawl runs, cleaned {cleaned} new versions")
    for message in report.unreadable:
        context.log.warning(message)
    return dg.MaterializeResult(
        metadata={
            "runs_loaded": dg.MetadataValue.json(report.runs_loaded),
            "observations_loaded": report.observations,
            "source_checks_loaded": checks,
            "unreadable_board_files": dg.MetadataValue.json(report.unreadable),
            "new_versions": cleaned,
            "dagster/row_count": observations,
            "preview": sample,
        }
    )
