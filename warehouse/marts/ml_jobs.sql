-- marts.ml_jobs: the open machine-learning postings at companies working on important
-- problems, newest first. The question unheard exists to answer, as one table.
with postings as (
    select * from intermediate.postings_without_text
),

open_ml_postings_at_important_companies as (
    select *
    from postings
    where is_open
        and not is_unconfirmed
        and is_ml_role
        and is_important_problem
),

final as (
    select
        posting_key,
        company,
        title,
        url,
        sector,
        sector_secondary,
        prominence,
        role_family,
        seniority,
        experience_years_min,
        experience_years_max,
        degree_required,
        visa_sponsorship,
        location_raw,
        city,
        country_code,
        remote_type,
        remote_scope,
        employment_type,
        salary_min,
        salary_max,
        salary_currency,
        salary_period,
        salary_yearly_min,
        salary_yearly_max,
        skills,
        posted_at,
        first_seen_at
    from open_ml_postings_at_important_companies
    order by posted_at desc nulls last, first_seen_at desc, posting_key
)

select * from final
