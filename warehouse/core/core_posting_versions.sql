-- materialized: incremental_observations
-- increment: core/increments/core_posting_versions.sql
-- (A daily run folds the day's observations into the table with the increment file
-- instead of reading every observation ever loaded: observation_increments.py. This
-- file is the definition, and builds the table whole on a rebuild.)
-- One row per version of a posting's content: when it was first and last seen that way.
with observations as (
    select * from staging.stg_observations
),

spans as (
    select
        posting_key,
        content_hash,
        min(observed_at) as valid_from,
        max(observed_at) as last_seen_at,
        count(*) as times_seen
    from observations
    group by posting_key, content_hash
),

final as (
    select
        *,
        row_number() over (partition by posting_key order by valid_from, content_hash) as version,
        lead(valid_from) over (partition by posting_key order by valid_from, content_hash) as valid_to
    from spans
)

select * from final
