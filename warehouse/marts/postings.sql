-- marts.postings: one row per posting ever seen, with its life and its tags.
with postings as (
    select * from core.core_postings
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

final as (
    select
        p.posting_key,
        p.source,
        p.board,
        p.source_job_id,
        p.company,
        p.title,
        p.url,
        p.description_text,
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
        p.salary_basis,
        p.salary_raw,
        p.salary_yearly_min,
        p.salary_yearly_max,
        p.seniority_basis,
        r.role_basis,
        r.role_evidence,
        c.sector_basis,
        p.posted_at_raw,
        p.versions,
        p.times_reopened
    from postings as p
    left join roles as r using (content_hash)
    left join skills as s using (posting_key)
    left join companies as c using (company)
)

select * from final
