-- Append one light row per posting per crawl (a board that repeats an id within one crawl
-- counts once).
insert into staging.stg_observations
with batch as (
    select * from raw_postings_batch
),

deduplicated as (
    select distinct on (run_id, posting_key)
        run_id, crawled_at as observed_at, posting_key, source, board, company,
        source_job_id, url, content_hash
    from batch
    order by run_id, posting_key, content_hash
)

select * from deduplicated
