-- materialized: incremental_observations
-- increment: core/increments/core_posting_latest.sql
-- (A daily run folds the day's observations into the table with the increment file
-- instead of reading every observation ever loaded: observation_increments.py. This
-- file is the definition, and builds the table whole on a rebuild.)
-- One row per posting: its observation in the latest crawl that listed it (which content,
-- under which company and URL). A table, built once per run, because core.core_postings is
-- a view that many steps of a run read (companies, dedup, checks, tags, marts): picking the
-- latest of every posting's observations inside the view cost each of those reads ~1.5 s
-- at 200k observations, and the observations grow by a whole crawl a day.
with observations as (
    select * from staging.stg_observations
),

final as (
    select distinct on (posting_key)
        posting_key, source, board, company, source_job_id, url, content_hash, observed_at
    from observations
    order by posting_key, observed_at desc, content_hash
)

select * from final
