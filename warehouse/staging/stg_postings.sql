-- One typed row per posting observation: the light observation joined to its cleaned version.
with observations as (
    select * from staging.stg_observations
),

versions as (
    select * from staging.stg_posting_versions
),

final as (
    select
        o.run_id,
        o.observed_at,
        o.posting_key,
        o.source,
        o.board,
        o.company,
        o.source_job_id,
        o.url,
        o.content_hash,
        v.* exclude (content_hash, posting_key)
    from observations as o
    join versions as v using (content_hash)
)

select * from final
