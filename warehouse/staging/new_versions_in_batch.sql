-- The versions of raw_postings_batch not stored yet, with everything the cleaning reads:
-- one row per content hash (a posting listed twice in one crawl), the first crawled, then
-- the first read. raw_postings_batch marks the rows whose content hash was stored when it
-- was made (is_stored, their version columns null).
-- The choice is made on the light columns and the chosen rows are fetched by row id:
-- sorting whole rows by hash (distinct on) moved every row's HTML through the sort.
with new_rows as (
    select
        rowid as row_id,
        row_number() over (partition by content_hash order by crawled_at, rowid) as rank
    from raw_postings_batch
    where not is_stored
),

chosen as (
    select row_id from new_rows where rank = 1
)

select
    content_hash, posting_key, crawled_at as first_observed_at, title, apply_url,
    location_raw, country_raw, remote_raw, department, team, employment_type_raw, seniority_raw,
    description_html, description_is_escaped, posted_at_raw, updated_at_raw,
    salary_stated, salary_text
from raw_postings_batch
where rowid in (select row_id from chosen)
