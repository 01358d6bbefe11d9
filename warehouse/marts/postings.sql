-- materialized: view
-- marts.postings: one row per posting ever seen, with its life and its tags
-- (intermediate.postings_without_text), and its latest description, joined by version from
-- staging.stg_posting_versions, which stores each version's text once.
with postings as (
    select * from intermediate.postings_without_text
),

versions as (
    select content_hash, description_text from staging.stg_posting_versions
),

final as (
    -- the columns in the contract's order: the text after the url, as before it was a view
    select
        p.posting_key, p.source, p.board, p.source_job_id, p.company, p.title, p.url,
        v.description_text,
        p.* exclude (posting_key, source, board, source_job_id, company, title, url, content_hash)
    from postings as p
    left join versions as v using (content_hash)
)

select * from final
