-- memory_limit: model
-- intermediate.postings_without_text: every column of marts.postings but the description,
-- plus the version (content_hash) the description belongs to. marts.postings is a view that
-- adds the text from staging.stg_posting_versions, where each version's text is stored once:
-- a copy of every posting's text here was most of the marts step's time (at 100k postings
-- ~600 MB written by one thread each rebuild) and of its bytes, and a day rewrote it in place
-- for the postings whose version changed.
-- One row per posting ever seen, with its life and its tags. A role seen on two boards is one
-- row (the other listing is in also_listed_as; see core.posting_merges).
with merges as (
    select * from core.posting_merges
),

postings as (
    select p.*
    from core.core_postings as p
    anti join merges as m on m.merged_key = p.posting_key
),

other_listings as (
    select kept_key as posting_key, list(merged_key order by merged_key) as also_listed_as
    from merges
    group by kept_key
),

roles as (
    select * from tags.version_roles
),

skills as (
    select posting_key, list(skill order by skill) as skills
    from tags.posting_skills
    group by posting_key
),

companies as (
    select * from tags.company_tags
),

-- when each board's listing was last read whole: only a complete crawl can close a posting,
-- so an open posting is confirmed open as of that crawl and no later
board_confirmations as (
    select source, board, max(crawled_at) as board_confirmed_at
    from staging.stg_board_crawls
    where is_complete
    group by source, board
),

latest_crawl as (
    select max(crawled_at) as crawled_at from raw.crawl_runs
),

final as (
    select
        p.posting_key,
        p.source,
        p.board,
        p.source_job_id,
        p.company,
        p.title,
        p.url,
        p.location_raw,
        p.country_code,
        p.remote_type,
        p.employment_type,
        p.salary_min,
        p.salary_max,
        p.salary_currency,
        p.salary_period,
        p.posted_at,
        p.first_seen_at,
        p.last_seen_at,
        p.closed_at,
        p.is_open,
        r.role_family,
        r.is_ml_role,
        p.seniority,
        coalesce(s.skills, []::varchar[]) as skills,
        c.sector,
        c.sector_secondary,
        c.is_important_problem,
        c.prominence,
        -- provenance beside the contract columns
        p.title_root,
        p.department,
        p.team,
        p.city,
        p.region,
        p.remote_basis,
        p.remote_scope,
        p.employment_type_raw,
        p.employment_basis,
        p.salary_basis,
        p.salary_raw,
        p.salary_yearly_min,
        p.salary_yearly_max,
        p.salary_flag,
        p.seniority_basis,
        p.seniority_raw,
        p.experience_years_min,
        p.experience_years_max,
        p.experience_raw,
        p.degree_required,
        p.degree_raw,
        p.visa_sponsorship,
        p.visa_sponsorship_raw,
        r.role_basis,
        r.role_evidence,
        c.sector_basis,
        p.posted_at_raw,
        p.posted_at_flag,
        p.description_flags,
        p.versions,
        p.times_reopened,
        coalesce(b.board_confirmed_at, p.last_seen_at) as board_confirmed_at,
        -- open, but its board has not been read whole for a week of crawling (removed from
        -- the registry, or failing every day): nothing can close it, so whether the role is
        -- still open is unknown
        p.is_open
            and coalesce(b.board_confirmed_at, p.last_seen_at)
                < l.crawled_at - interval 7 days as is_unconfirmed,
        coalesce(o.also_listed_as, []::varchar[]) as also_listed_as,
        p.content_hash  -- the version: marts.postings takes its text by it
    from postings as p
    left join other_listings as o using (posting_key)
    left join roles as r using (content_hash)
    left join skills as s using (posting_key)
    left join companies as c using (company)
    left join board_confirmations as b on b.source = p.source and b.board = p.board
    cross join latest_crawl as l
)

select * from final
