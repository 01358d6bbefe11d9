-- marts.companies: one row per company, with its tags and how much it is hiring.
with companies as (
    select * from core.core_companies
),

tags as (
    select * from tags.company_tags
),

postings as (
    select
        company,
        count(*) filter (where is_open and not is_unconfirmed) as open_postings,
        count(*) filter (where is_open and not is_unconfirmed and is_ml_role) as open_ml_postings
    from intermediate.postings_without_text
    group by company
),

final as (
    select
        c.company,
        c.boards,
        c.homepage,
        t.sector,
        t.sector_secondary,
        t.is_important_problem,
        t.prominence,
        coalesce(p.open_postings, 0) as open_postings,
        coalesce(p.open_ml_postings, 0) as open_ml_postings,
        c.first_seen_at,
        t.sector_basis,
        t.sector_evidence,
        t.prominence_basis,
        t.prominence_evidence
    from companies as c
    left join tags as t using (company)
    left join postings as p using (company)
)

select * from final
