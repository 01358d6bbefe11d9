"""Run the taggers in bulk: posting tags per new content version, company tags per company.

Posting tags follow content: a version is tagged once, so a daily run only tags what
changed; a run with other role or skill rules than the tags were made with (an upgrade)
tags every version again. Company tags follow the company's current postings, because
the evidence (its "about us" text) moves with them: a company is tagged again when its
inputs changed (the postings whose texts the sector tagger reads, the registry's hints,
the taxonomy files or the taggers' code), and keeps its tags otherwise.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines import tagging
from pipelines.cleaning import currencies
from pipelines.tagging.prominence import classify_prominence
from pipelines.tagging.role_family import classify_role
from pipelines.tagging.sector import tag_company_sector
from pipelines.tagging.sectors import is_important_problem
from pipelines.tagging.skills import TAXONOMY_DIR, SkillMatcher
from pipelines.transforms import database
from pipelines.transforms.database import (
    balanced_batch_rows,
    map_batches,
    stream_batches,
    transaction,
)

BATCH_ROWS = 2_000  # small enough that the batches in flight (two per worker) stay small
COMPANY_BATCH_ROWS = 200  # companies, each with up to TEXTS_PER_COMPANY texts
TEXTS_PER_COMPANY = 25
# Where to tag: posting tags cost ~0.5 ms CPU a version, company tags ~0.5 ms a sampled text.
# Once cleaning has started the worker forkserver (database.workers_are_warm), two workers
# beat this process, which would first load the taxonomies (~0.9 s CPU): a daily run's
# 2,946 new versions took 0.87 s wall in two warm workers against 1.82 s here. Before it
# has, the server's ~2 s warm-up costs more than tagging a few batches here.
COLD_MIN_BATCHES = 4  # up to 3 batches (6,000 versions) in this process
IN_PROCESS_COMPANY_TEXTS = 250  # ~10 companies
COLD_IN_PROCESS_COMPANY_TEXTS = 4_000  # ~160 companies

ROLE_SCHEMA = pa.schema(
    [
        ("content_hash", pa.string()),
        ("role_family", pa.string()),
        ("is_ml_role", pa.bool_()),
        ("role_basis", pa.string()),
        ("role_evidence", pa.string()),
    ]
)
SKILL_SCHEMA = pa.schema(
    [
        ("content_hash", pa.string()),
        ("skill", pa.string()),
        ("category", pa.string()),
        ("evidence", pa.string()),
    ]
)
COMPANY_SCHEMA = pa.schema(
    [
        ("company", pa.string()),
        ("sector", pa.string()),
        ("sector_secondary", pa.string()),
        ("sector_basis", pa.string()),
        ("sector_evidence", pa.string()),
        ("is_important_problem", pa.bool_()),
        ("prominence", pa.string()),
        ("prominence_basis", pa.string()),
        ("prominence_evidence", pa.string()),
    ]
)

# Versions are appended, so the scan starts at the first untagged row (a daily run reads
# only its new texts; DuckDB pushes the rowid bound into the scan). No ORDER BY: a sort
# would materialize every pending text before the first batch streams out.
PENDING_VERSIONS = """
with first_pending as (
    select min(v.rowid) as first_rowid
    from staging.stg_posting_versions as v
    anti join tags.version_roles as r using (content_hash)
)

select v.content_hash, v.title, v.department, v.team, v.description_text
from staging.stg_posting_versions as v
anti join tags.version_roles as r using (content_hash)
where v.rowid >= (select first_rowid from first_pending)
"""


def tag_pending_versions(con: duckdb.DuckDBPyConnection) -> int:
    """Role family, ML flag and skills for every version not tagged yet (every version,
    when forget_stale_version_tags finds the rules changed)."""
    SkillMatcher.load()  # a broken taxonomy fails here, in this process, as before
    forget_stale_version_tags(con)
    tagged = 0
    # streamed in equal batches, tagged in worker processes (in batch order), inserted per batch
    pending = con.execute(f"select count(*) from ({PENDING_VERSIONS})").fetchall()[0][0]
    with stream_batches(con, PENDING_VERSIONS, balanced_batch_rows(pending, BATCH_ROWS)) as batches:
        min_batches = 2 if database.workers_are_warm() else COLD_MIN_BATCHES
        for roles, skills in map_batches(tag_batch, batches, min_batches=min_batches):
            con.register("role_batch", roles)
            con.register("skill_batch", skills)
            con.execute("insert into tags.version_roles by name select * from role_batch")
            con.execute("insert into tags.version_skills by name select * from skill_batch")
            con.unregister("role_batch")
            con.unregister("skill_batch")
            tagged += roles.num_rows
    return tagged


def tag_batch(batch: pa.RecordBatch) -> tuple[pa.Table, pa.Table]:
    """Roles and skills of one Arrow batch of versions (runs in a worker process)."""
    matcher = SkillMatcher.load()
    roles, skills = [], []
    for row in batch.to_pylist():
        role = classify_role(row["title"], row["department"], row["team"], row["description_text"])
        roles.append(
            {
                "content_hash": row["content_hash"],
                "role_family": role.role_family,
                "is_ml_role": role.is_ml_role,
                "role_basis": role.basis,
                "role_evidence": role.evidence,
            }
        )
        text = " \n".join(t for t in (row["title"], row["description_text"]) if t)
        skills.extend(
            {
                "content_hash": row["content_hash"],
                "skill": hit.skill,
                "category": hit.category,
                "evidence": hit.evidence,
            }
            for hit in matcher.match(text)
        )
    return (
        pa.Table.from_pylist(roles, schema=ROLE_SCHEMA),
        pa.Table.from_pylist(skills, schema=SKILL_SCHEMA),
    )


# What the sector tagger reads of a posting, as `unheard eval` gives it: the title on its
# own line, a blank line, then the description (the titles' mix is evidence too).
SECTOR_TEXT = "concat(coalesce(p.title, ''), chr(10), chr(10), p.description_text)"

# The postings whose texts are a company's sector evidence: TEXTS_PER_COMPANY of its open
# postings, longest-standing first (then, for a company with none open, its latest ones).
# Long-standing postings keep the sample stable from day to day: a new posting does not
# push one out, so a daily run re-tags a company only when one of the sampled texts
# changed or closed. Ranked on the light columns (a window carrying every posting's text
# sorted all of them: 1M postings, ~5 GB through a sort). A company none of whose postings
# has a description (a board that lists titles only) is tagged from its titles alone: its
# sample is its postings as they are (`unheard eval --titles-only` measures that case);
# a company with some text keeps to the postings that have it, so titles alone never dilute
# the share of postings its "About us" paragraphs are found in.
RANKED_POSTINGS = """
with postings as (
    select
        company,
        posting_key,
        is_open,
        first_seen_at,
        last_seen_at,
        description_text is not null as has_text
    from core.core_postings
),

eligible as (
    select *
    from postings
    qualify has_text or not bool_or(has_text) over (partition by company)
)

select
    company,
    posting_key,
    row_number() over (
        partition by company
        order by is_open desc, if(is_open, first_seen_at, null) asc nulls last,
            last_seen_at desc, posting_key
    ) as n
from eligible
"""

# Each company's inputs now: the hash of everything its tags are computed from (the sampled
# texts themselves, not the versions' content hashes: a changed location or salary leaves
# the sector evidence as it was), whether they are those its current tags were computed
# from, and, for a company to tag, its evidence. The texts are read once (a scan of every
# posting's text, most of this query's time), hashed for every company and kept for the
# companies to tag only.
NEXT_INPUTS = f"""
create or replace temp table company_tag_inputs_next as
with ranked as ({RANKED_POSTINGS}),

sampled_texts as (
    select r.company, r.n, {SECTOR_TEXT} as sector_text
    from ranked as r
    join core.core_postings as p using (posting_key)
    where r.n <= {TEXTS_PER_COMPANY}
),

inputs as (
    select
        c.company,
        c.homepage,
        c.sector_hint,
        c.prominence_hint,
        md5(concat_ws(chr(31),
            $taggers, coalesce(c.homepage, chr(0)), coalesce(c.sector_hint, chr(0)),
            coalesce(c.prominence_hint, chr(0)),
            coalesce(string_agg(md5(t.sector_text), ',' order by t.n), '')
        )) as inputs_hash,
        list(t.sector_text order by t.n) filter (where t.n <= {TEXTS_PER_COMPANY}) as texts
    from core.core_companies as c
    left join sampled_texts as t on t.company = c.company
    group by c.company, c.homepage, c.sector_hint, c.prominence_hint
),

tagged_from as (
    select o.company, o.inputs_hash
    from tags.company_tag_inputs as o
    semi join tags.company_tags as t using (company)
)

select
    i.company,
    i.inputs_hash,
    f.company is not null as is_unchanged,
    i.homepage,
    i.sector_hint,
    i.prominence_hint,
    if(f.company is null, i.texts, null) as texts
from inputs as i
left join tagged_from as f using (company, inputs_hash)
"""

# The evidence of the companies to tag (up to TEXTS_PER_COMPANY texts each), kept by
# NEXT_INPUTS.
COMPANY_EVIDENCE = """
select company, homepage, sector_hint, prominence_hint, texts
from temp.company_tag_inputs_next
where not is_unchanged
order by company
"""


def tag_companies(con: duckdb.DuckDBPyConnection) -> int:
    """Sector (registry hint, else inferred from the company's postings) and prominence.

    A company whose inputs are those its tags were computed from keeps its tags; the others
    are tagged, their evidence (up to 25 texts each) streaming in batches to worker
    processes (tagged in this process when there are few texts: see IN_PROCESS_COMPANY_TEXTS).
    The table is rewritten whole, in company order, with every company of
    core.core_companies; tags.company_tag_inputs keeps the inputs it was computed from."""
    con.register("no_tags", COMPANY_SCHEMA.empty_table())
    con.execute("create table if not exists tags.company_tags as select * from no_tags")
    con.unregister("no_tags")
    con.execute(
        "create table if not exists tags.company_tag_inputs (company varchar, inputs_hash varchar)"
    )
    # a temp table: the texts kept for the companies to tag are neither compressed nor
    # checkpointed into the warehouse, and the evidence streams from this connection (nothing
    # is written while it streams)
    con.execute(NEXT_INPUTS, {"taggers": taggers_fingerprint()})
    companies, texts = con.execute(
        "select count(*), coalesce(sum(len(texts)), 0) "
        "from temp.company_tag_inputs_next where not is_unchanged"
    ).fetchall()[0]
    warm = database.workers_are_warm()
    in_process = IN_PROCESS_COMPANY_TEXTS if warm else COLD_IN_PROCESS_COMPANY_TEXTS
    workers = 1 if texts <= in_process else database.WORKERS
    # four batches a worker or more, so that the workers share the companies evenly
    batch_rows = max(1, min(COMPANY_BATCH_ROWS, -(-companies // (4 * workers))))
    tables = []
    batches = con.sql(COMPANY_EVIDENCE).to_arrow_reader(batch_rows)
    tables.extend(map_batches(tag_company_batch, batches, workers=workers))
    tagged = pa.concat_tables(tables) if tables else COMPANY_SCHEMA.empty_table()
    con.register("company_batch", tagged)
    con.execute(
        """
        create or replace table tags.company_tags as
        select * from (
            select t.*
            from tags.company_tags as t
            semi join temp.company_tag_inputs_next as n
                on n.company = t.company and n.is_unchanged
            union all
            select * from company_batch
        )
        order by company
        """
    )
    con.unregister("company_batch")
    con.execute(
        "create or replace table tags.company_tag_inputs as "
        "select company, inputs_hash from temp.company_tag_inputs_next"
    )
    con.execute("drop table temp.company_tag_inputs_next")
    return con.execute("select count(*) from tags.company_tags").fetchall()[0][0]


# What posting tags are computed from besides a version's own fields: the role and skill
# taxonomies and the code that reads them (the skill tagger also reads the currency codes).
VERSION_TAGGER_FILES = (
    TAXONOMY_DIR / "role_families.yaml",
    TAXONOMY_DIR / "skills.yaml",
    Path(tagging.__file__).parent / "role_family.py",
    Path(tagging.__file__).parent / "skills.py",
    Path(currencies.__file__),
)


@cache
def version_taggers_fingerprint() -> str:
    """A hash of VERSION_TAGGER_FILES: other rules, other posting tags."""
    digest = hashlib.sha256()
    for path in VERSION_TAGGER_FILES:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def forget_stale_version_tags(con: duckdb.DuckDBPyConnection) -> bool:
    """Drop every version's tags when they were made with other role or skill rules than
    these (`tags.version_taggers` keeps the fingerprint they were made with; a warehouse
    from before it has none, so its tags count as stale): every version is then pending,
    and the warehouse says what the rules now say, not what they said when each version
    was first seen. Returns whether tags were dropped."""
    con.execute("create table if not exists tags.version_taggers (fingerprint varchar)")
    current = version_taggers_fingerprint()
    stored = {f for (f,) in con.execute("select fingerprint from tags.version_taggers").fetchall()}
    if stored == {current}:
        return False
    tagged = con.execute("select count(*) from tags.version_roles").fetchall()[0][0]
    with transaction(con):
        if tagged:
            con.execute("delete from tags.version_roles")
            con.execute("delete from tags.version_skills")
        con.execute("delete from tags.version_taggers")
        con.execute("insert into tags.version_taggers values (?)", [current])
    return bool(tagged)


# Modules of the tagging package that no tag is computed with: the evaluation harness and
# the optional embedding backup, which only the evaluation uses. A change to them must not
# tag every company again.
NOT_TAGGER_CODE = frozenset({"evaluation.py", "sector_embeddings.py"})


@cache
def taggers_fingerprint() -> str:
    """A hash of what company tags are computed from besides the data: the taxonomy files
    and the taggers' code in the tagging package (a change to either tags every company
    again)."""
    files = sorted(p for p in Path(TAXONOMY_DIR).rglob("*") if p.is_file())
    code = Path(tagging.__file__).parent.glob("*.py")
    files += sorted(p for p in code if p.name not in NOT_TAGGER_CODE)
    digest = hashlib.sha256(f"texts per company: {TEXTS_PER_COMPANY}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def tag_company_batch(batch: pa.RecordBatch) -> pa.Table:
    """Sector and prominence of one Arrow batch of companies (runs in a worker process)."""
    rows = []
    for company in batch.to_pylist():
        sector = tag_company_sector(
            company["company"], company["sector_hint"], company["texts"] or []
        )
        prominence = classify_prominence(
            company["company"], company["homepage"], company["prominence_hint"]
        )
        rows.append(
            {
                "company": company["company"],
                "sector": sector.primary,
                "sector_secondary": sector.secondary,
                "sector_basis": sector.basis,
                "sector_evidence": sector.evidence,
                "is_important_problem": is_important_problem(sector.primary, sector.secondary),
                "prominence": prominence.prominence,
                "prominence_basis": prominence.basis,
                "prominence_evidence": prominence.evidence,
            }
        )
    return pa.Table.from_pylist(rows, schema=COMPANY_SCHEMA)
