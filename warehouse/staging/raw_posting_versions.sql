-- Append each content version not seen before (heavy text is stored once per version).
-- raw_postings_batch has the version columns of every row whose content hash was not stored
-- when it was made (null elsewhere), so whichever row distinct on picks has them.
insert into staging.raw_posting_versions
with batch as (
    select * from raw_postings_batch
),

new_versions as (
    select distinct on (content_hash)
        content_hash, posting_key, crawled_at as first_observed_at, title, apply_url,
        location_raw, country_raw, remote_raw, department, team, employment_type_raw,
        description_html, description_is_escaped, posted_at_raw, updated_at_raw,
        salary_stated, salary_text
    from batch
    anti join staging.raw_posting_versions using (content_hash)
    order by content_hash, crawled_at
)

select * from new_versions
