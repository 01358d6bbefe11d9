-- The postings of a batch of raw-lake files, as a temp table with each version's content hash.
-- $files: the board files of complete crawl runs not loaded yet.
-- The version columns (description_html: ~8 KB a row) are kept only where the content hash is
-- not in staging.raw_posting_versions yet, the rows new_versions_in_batch.sql picks: a daily
-- crawl sends ~97% of its postings unchanged, and holding their text was over a third of the load.
-- is_stored marks those rows; new_versions_in_batch.sql picks from the others.
-- The content hash of a posting whose fields' fingerprint is in staging.version_fingerprints
-- is taken from there (is_fingerprinted); version_fingerprints.sql adds the others'.
create or replace temp table raw_postings_batch as
with source as (
    select *
    from read_json(
        $files,
        format = 'newline_delimited',
        compression = 'auto_detect',  -- by extension: .jsonl.zst, or .jsonl.gz (older lakes)
        columns = {
            posting_key: 'varchar', run_id: 'varchar', crawled_at: 'timestamptz',
            source: 'varchar', board: 'varchar', company: 'varchar', source_job_id: 'varchar',
            url: 'varchar', title: 'varchar', apply_url: 'varchar', location_raw: 'varchar',
            country_raw: 'varchar', remote_raw: 'varchar', department: 'varchar', team: 'varchar',
            employment_type_raw: 'varchar', seniority_raw: 'varchar', description_html: 'varchar',
            description_is_escaped: 'boolean', posted_at_raw: 'varchar', updated_at_raw: 'varchar',
            salary_stated: 'json', salary_text: 'varchar'
        }
    )
),

fingerprinted as (
    -- the same fields as the content hash below, under DuckDB's hash(): ~a tenth of md5's cost.
    -- seniority_raw (added later) counts only when present, so older fingerprints still hold.
    select
        *,
        xor(
            hash(
                posting_key, title, location_raw, country_raw, remote_raw, department, team,
                employment_type_raw, description_html, posted_at_raw, salary_stated::varchar,
                salary_text, url
            ),
            if(seniority_raw is null, 0::ubigint, hash(seniority_raw))
        ) as fingerprint
    from source
),

known as (
    select fingerprinted.*, cached.content_hash as cached_hash
    from fingerprinted
    left join staging.version_fingerprints as cached using (fingerprint, posting_key)
),

hashed as (
    select
        * exclude (cached_hash),
        cached_hash is not null as is_fingerprinted,
        -- what identifies a version: the posting and everything a reader would see change;
        -- updated_at alone is not a content change. Computed only where the fingerprint is
        -- not cached (DuckDB evaluates coalesce's second argument for those rows alone).
        coalesce(cached_hash, md5(concat_ws(chr(31),
            posting_key, coalesce(title, '∅'), coalesce(location_raw, '∅'),
            coalesce(country_raw, '∅'), coalesce(remote_raw, '∅'), coalesce(department, '∅'),
            coalesce(team, '∅'), coalesce(employment_type_raw, '∅'),
            coalesce(description_html, '∅'), coalesce(posted_at_raw, '∅'),
            coalesce(salary_stated::varchar, '∅'), coalesce(salary_text, '∅'), coalesce(url, '∅'),
            -- last and not coalesced: concat_ws skips a NULL, so a posting without a level
            -- keeps the content hash it had before this field existed
            seniority_raw
        ))) as content_hash
    from known
),

marked as (
    -- a join, not IN: IN hashes every stored hash for each batch, a cost that grows with
    -- the warehouse (0.15 s CPU a batch cheaper at 100k versions, 0.4 s dearer at 5M); the
    -- join hashes the batch rows and filters the scan of stored hashes with them. (A hash
    -- stored twice would repeat a row here, which both inserts deduplicate.)
    select
        hashed.*,
        stored.content_hash is not null as is_stored
    from hashed
    left join (select content_hash from staging.raw_posting_versions) as stored using (content_hash)
)

select * replace (
    if(is_stored, null, title) as title,
    if(is_stored, null, apply_url) as apply_url,
    if(is_stored, null, location_raw) as location_raw,
    if(is_stored, null, country_raw) as country_raw,
    if(is_stored, null, remote_raw) as remote_raw,
    if(is_stored, null, department) as department,
    if(is_stored, null, team) as team,
    if(is_stored, null, employment_type_raw) as employment_type_raw,
    if(is_stored, null, seniority_raw) as seniority_raw,
    if(is_stored, null, description_html) as description_html,
    if(is_stored, null, description_is_escaped) as description_is_escaped,
    if(is_stored, null, posted_at_raw) as posted_at_raw,
    if(is_stored, null, updated_at_raw) as updated_at_raw,
    if(is_stored, null, salary_stated) as salary_stated,
    if(is_stored, null, salary_text) as salary_text
)
from marked
