-- The postings of a batch of raw-lake files, as a temp table with each version's content hash.
-- $files: the board files of complete crawl runs not loaded yet.
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
            employment_type_raw: 'varchar', description_html: 'varchar',
            description_is_escaped: 'boolean', posted_at_raw: 'varchar', updated_at_raw: 'varchar',
            salary_stated: 'json', salary_text: 'varchar'
        }
    )
),

hashed as (
    select
        *,
        -- what identifies a version: the posting and everything a reader would see change;
        -- updated_at alone is not a content change
        md5(concat_ws(chr(31),
            posting_key, coalesce(title, '∅'), coalesce(location_raw, '∅'),
            coalesce(country_raw, '∅'), coalesce(remote_raw, '∅'), coalesce(department, '∅'),
            coalesce(team, '∅'), coalesce(employment_type_raw, '∅'),
            coalesce(description_html, '∅'), coalesce(posted_at_raw, '∅'),
            coalesce(salary_stated::varchar, '∅'), coalesce(salary_text, '∅'), coalesce(url, '∅')
        )) as content_hash
    from source
)

select * from hashed
