-- The increment of core/core_posting_latest.sql: each posting's latest observation, from the
-- table as it was and the observations loaded since (`new_observations`). The latest of a
-- union is the latest of the latest, so this gives the rows the whole model would, while
-- reading one crawl instead of every crawl ever loaded.
with candidates as (
    select posting_key, source, board, company, source_job_id, url, content_hash, observed_at
    from core.core_posting_latest
    union all
    select posting_key, source, board, company, source_job_id, url, content_hash, observed_at
    from new_observations
),

final as (
    select distinct on (posting_key)
        posting_key, source, board, company, source_job_id, url, content_hash, observed_at
    from candidates
    order by posting_key, observed_at desc, content_hash
)

select * from final
