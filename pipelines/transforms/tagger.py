"""Run the taggers in bulk: posting tags per new content version, company tags per company.

Posting tags follow content: a version is tagged once, so a daily run only tags what
changed. Company tags are recomputed each run from the company's current postings,
because the evidence (its "about us" text) moves with them.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipelines.tagging.prominence import classify_prominence
from pipelines.tagging.role_family import classify_role
from pipelines.tagging.sector import tag_company_sector
from pipelines.tagging.sectors import is_important_problem
from pipelines.tagging.skills import SkillMatcher

BATCH_ROWS = 5_000
TEXTS_PER_COMPANY = 25

ROLE_SCHEMA = pa.schema([
    ("content_hash", pa.string()), ("role_family", pa.string()), ("is_ml_role", pa.bool_()),
    ("role_basis", pa.string()), ("role_evidence", pa.string()),
])
SKILL_SCHEMA = pa.schema([
    ("content_hash", pa.string()), ("skill", pa.string()), ("category", pa.string()),
    ("evidence", pa.string()),
])
COMPANY_SCHEMA = pa.schema([
    ("company", pa.string()), ("sector", pa.string()), ("sector_secondary", pa.string()),
    ("sector_basis", pa.string()), ("sector_evidence", pa.string()),
    ("is_important_problem", pa.bool_()), ("prominence", pa.string()),
    ("prominence_basis", pa.string()), ("prominence_evidence", pa.string()),
])

PENDING_VERSIONS = """
select v.content_hash, v.title, v.department, v.team, v.description_text
from staging.stg_posting_versions as v
anti join tags.version_roles as r using (content_hash)
order by v.content_hash
"""


def tag_pending_versions(con: duckdb.DuckDBPyConnection) -> int:
    """Role family, ML flag and skills for every version not tagged yet."""
    matcher = SkillMatcher.load()
    pending = con.sql(PENDING_VERSIONS).to_arrow_table()
    tagged = 0
    for batch in pending.to_batches(max_chunksize=BATCH_ROWS):
        roles, skills = [], []
        for row in batch.to_pylist():
            role = classify_role(row["title"], row["department"], row["team"], row["description_text"])
            roles.append({
                "content_hash": row["content_hash"], "role_family": role.role_family,
                "is_ml_role": role.is_ml_role, "role_basis": role.basis,
                "role_evidence": role.evidence,
            })
            text = " \n".join(t for t in (row["title"], row["description_text"]) if t)
            skills.extend(
                {"content_hash": row["content_hash"], "skill": hit.skill,
                 "category": hit.category, "evidence": hit.evidence}
                for hit in matcher.match(text)
            )
        con.register("role_batch", pa.Table.from_pylist(roles, schema=ROLE_SCHEMA))
        con.register("skill_batch", pa.Table.from_pylist(skills, schema=SKILL_SCHEMA))
        con.execute("insert into tags.version_roles by name select * from role_batch")
        con.execute("insert into tags.version_skills by name select * from skill_batch")
        con.unregister("role_batch")
        con.unregister("skill_batch")
        tagged += batch.num_rows
    return tagged


COMPANY_EVIDENCE = f"""
with ranked as (
    select
        company,
        description_text,
        row_number() over (partition by company order by last_seen_at desc, posting_key) as n
    from core.core_postings
    where description_text is not null
)
select
    c.company,
    c.homepage,
    c.sector_hint,
    c.prominence_hint,
    list(r.description_text order by r.n) filter (where r.n <= {TEXTS_PER_COMPANY}) as texts
from core.core_companies as c
left join ranked as r using (company)
group by all
order by c.company
"""


def tag_companies(con: duckdb.DuckDBPyConnection) -> int:
    """Sector (registry hint, else inferred from the company's postings) and prominence."""
    rows = []
    for company in con.sql(COMPANY_EVIDENCE).to_arrow_table().to_pylist():
        sector = tag_company_sector(company["company"], company["sector_hint"], company["texts"] or [])
        prominence = classify_prominence(
            company["company"], company["homepage"], company["prominence_hint"]
        )
        rows.append({
            "company": company["company"],
            "sector": sector.primary,
            "sector_secondary": sector.secondary,
            "sector_basis": sector.basis,
            "sector_evidence": sector.evidence,
            "is_important_problem": is_important_problem(sector.primary, sector.secondary),
            "prominence": prominence.prominence,
            "prominence_basis": prominence.basis,
            "prominence_evidence": prominence.evidence,
        })
    con.register("company_batch", pa.Table.from_pylist(rows, schema=COMPANY_SCHEMA))
    con.execute("create or replace table tags.company_tags as select * from company_batch")
    con.unregister("company_batch")
    return len(rows)
