-- materialized: view
-- (A view, not a table: as a table it copied every posting's HTML and text, which
-- staging.stg_posting_versions already holds, and that copy was the slowest write of a
-- rebuild at 1M postings. Readers see the same rows; queries that do not select the text
-- never read it.)
-- One row per real posting: its latest version, its life, and where it was merged.
with latest_observation as (
    select * from core.core_posting_latest
),

versions as (
    select * from staging.stg_posting_versions
),

lifecycle as (
    select * from core.core_posting_lifecycle
),

version_counts as (
    select posting_key, count(*) as versions
    from core.core_posting_versions
    group by posting_key
),

final as (
    select
        o.posting_key,
        o.source,
        o.board,
        o.source_job_id,
        o.company,
        o.url,
        o.content_hash,
        v.* exclude (content_hash, posting_key),
        l.first_seen_at,
        l.last_seen_at,
        l.closed_at,
        l.is_open,
        l.times_seen,
        l.times_reopened,
        c.versions
    from latest_observation as o
    join versions as v on v.content_hash = o.content_hash
    join lifecycle as l on l.posting_key = o.posting_key
    join version_counts as c on c.posting_key = o.posting_key
)

select * from final
