"""The DuckDB side of unheard: SQL models by layer, expectation suites, taxonomies as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WAREHOUSE_DIR = Path(__file__).resolve().parent
TAXONOMIES_DIR = WAREHOUSE_DIR / "taxonomies"
SUITES_DIR = WAREHOUSE_DIR / "suites"

# Models built as tables, in dependency order: (schema, name, file under warehouse/).
CORE_MODELS = (
    ("core", "core_posting_versions", "core/core_posting_versions.sql"),
    # latest before lifecycle: the lifecycle's increment reads each posting's board there
    ("core", "core_posting_latest", "core/core_posting_latest.sql"),
    ("core", "core_posting_lifecycle", "core/core_posting_lifecycle.sql"),
    ("core", "core_postings", "core/core_postings.sql"),
    ("core", "core_companies", "core/core_companies.sql"),
)
TAG_MODELS = (("tags", "posting_skills", "tags/posting_skills.sql"),)
MART_MODELS = (
    # every mart's posting columns but the text, which marts.postings (a view) adds by version
    ("intermediate", "postings_without_text", "intermediate/postings_without_text.sql"),
    ("marts", "postings", "marts/postings.sql"),
    ("marts", "companies", "marts/companies.sql"),
    ("marts", "posting_skills", "marts/posting_skills.sql"),
    ("marts", "company_skills", "marts/company_skills.sql"),
    ("marts", "ml_jobs", "marts/ml_jobs.sql"),
    ("marts", "unheard_companies", "marts/unheard_companies.sql"),
    ("intermediate", "crawl_weeks", "intermediate/crawl_weeks.sql"),
    ("intermediate", "posting_weeks", "intermediate/posting_weeks.sql"),
    ("marts", "role_trends_weekly", "marts/role_trends_weekly.sql"),
    ("marts", "sector_trends_weekly", "marts/sector_trends_weekly.sql"),
    ("marts", "skills_by_sector", "marts/skills_by_sector.sql"),
    ("marts", "source_health", "marts/source_health.sql"),
    ("marts", "source_checks", "marts/source_checks.sql"),
)
STAGING_VIEWS = (
    ("staging", "stg_board_crawls", "staging/stg_board_crawls.sql"),
    ("staging", "stg_postings", "staging/stg_postings.sql"),
)


def read_sql(relative: str) -> str:
    return (WAREHOUSE_DIR / relative).read_text(encoding="utf-8")


# libyaml's parser, which PyYAML's wheels include, reads the taxonomies, suites and registry
# 6-10x faster than the pure-Python one (~0.3 s a process that loads every taxonomy); the
# same documents, the same errors (yaml.YAMLError)
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, with libyaml's parser when PyYAML has it."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader: no Python objects
