-- marts.unheard_companies: companies outside the famous names, ranked by how many machine-
-- learning roles they have open, with what share of their hiring is ML and what it pays.
with companies as (
    select * from marts.companies
),

postings as (
    select * from intermediate.postings_without_text
),

not_household_companies as (
    select *
    from companies
    -- a company without a prominence tag is not known to be famous: it stays
    where prominence is distinct from 'household'
),

open_ml_salaries as (
    select
        company,
        min(salary_yearly_min) as salary_yearly_min,
        max(salary_yearly_max) as salary_yearly_max,
        count(distinct salary_currency) as salary_currencies,
        any_value(salary_currency) as a_salary_currency
    from postings
    where is_open
        and not is_unconfirmed
        and is_ml_role
        and salary_currency is not null
        and (salary_yearly_min is not null or salary_yearly_max is not null)
    group by company
),

ranked as (
    select
        rank() over (order by c.open_ml_postings desc) as rank,
        c.company,
        c.sector,
        c.sector_secondary,
        c.is_important_problem,
        c.prominence,
        c.open_postings,
        c.open_ml_postings,
        c.open_ml_postings / nullif(c.open_postings, 0) as ml_share,
        c.first_seen_at,
        -- amounts are only comparable within one currency (no FX): a range that mixed
        -- currencies would be money without a currency, so it is unknown (NULL)
        case when s.salary_currencies = 1 then s.salary_yearly_min end as salary_yearly_min,
        case when s.salary_currencies = 1 then s.salary_yearly_max end as salary_yearly_max,
        case when s.salary_currencies = 1 then s.a_salary_currency end as salary_currency,
        c.boards
    from not_household_companies as c
    left join open_ml_salaries as s using (company)
),

final as (
    select *
    from ranked
    order by rank, ml_share desc nulls last, company
)

select * from final
