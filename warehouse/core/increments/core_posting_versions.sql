-- The increment of core/core_posting_versions.sql: each version's span from the table as it
-- was and the observations loaded since (`new_observations`, all later than every
-- observation folded before: pipelines/transforms/observation_increments.py checks it).
-- A version's first sighting is then its old one, its last the new one, and its count the
-- sum; versions are numbered again over the merged spans, as the whole model does.
with previous as (
    select posting_key, content_hash, valid_from, last_seen_at, times_seen
    from core.core_posting_versions
),

new_spans as (
    select
        posting_key,
        content_hash,
        min(observed_at) as valid_from,
        max(observed_at) as last_seen_at,
        count(*) as times_seen
    from new_observations
    group by posting_key, content_hash
),

spans as (
    select
        posting_key,
        content_hash,
        coalesce(p.valid_from, n.valid_from) as valid_from,
        coalesce(n.last_seen_at, p.last_seen_at) as last_seen_at,
        coalesce(p.times_seen, 0) + coalesce(n.times_seen, 0) as times_seen
    from previous as p
    full join new_spans as n using (posting_key, content_hash)
),

final as (
    select
        *,
        row_number() over (partition by posting_key order by valid_from, content_hash) as version,
        lead(valid_from) over (partition by posting_key order by valid_from, content_hash) as valid_to
    from spans
)

select * from final
