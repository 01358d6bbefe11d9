"""Tags: what each posting is (role family, ML flag, skills) and who each company is
(sector, prominence), each with its basis and evidence."""

import dagster as dg

from pipelines.assets.core import core_postings
from pipelines.assets.metadata import count, preview
from pipelines.resources import WarehouseResource
from pipelines.transforms.database import run_models
from pipelines.transforms.tagger import tag_companies, tag_pending_versions
from warehouse import TAG_MODELS


@dg.asset(
    deps=[core_postings],
    group_name="tags",
    kinds={"duckdb"},
    owners=["team:data-engineering"],
)
def posting_tags(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Role family and ML flag (`tags.version_roles`) and skills (`tags.posting_skills`) for
    every posting version not tagged before."""
    with warehouse.connect() as con:
        tagged = tag_pending_versions(con)
        counts = run_models(con, TAG_MODELS)
        versions = count(con, "select * from tags.version_roles")
        sample = preview(
            con,
            "select role_family, count(*) as versions, count(*) filter (where is_ml_role) as ml "
            "from tags.version_roles group by 1 order by 2 desc",
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": versions,
            "versions_tagged": tagged,
            **counts,
            "role_families": sample,
        }
    )


@dg.asset(
    deps=[core_postings],
    group_name="tags",
    kinds={"duckdb"},
    owners=["team:data-engineering"],
)
def company_tags(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Sector (registry hint, else inferred from the company's own postings), the
    important-problem flag, and prominence, per company (`tags.company_tags`)."""
    with warehouse.connect() as con:
        companies = tag_companies(con)
        sample = preview(
            con,
            "select company, sector, sector_basis, is_important_problem, prominence "
            "from tags.company_tags order by company",
            limit=20,
        )
    return dg.MaterializeResult(metadata={"dagster/row_count": companies, "preview": sample})
