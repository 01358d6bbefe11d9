-- marts.company_skills: per company, each skill its postings name and in how many of them.
-- A skill named in nearly all of a company's postings, its sales and recruiting ones too,
-- comes from the text the company repeats in each (its "About us", its stack), not from
-- what one role asks for: such a skill is company-wide (the report shows it once per
-- company, not on every role).
with postings as (
    select posting_key, company from intermediate.postings_without_text
),

skills as (
    select * from marts.posting_skills
),

company_postings as (
    select company, count(*) as company_postings
    from postings
    group by company
),

postings_naming_each_skill as (
    select p.company, s.skill, any_value(s.category) as category, count(*) as postings
    from skills as s
    join postings as p using (posting_key)
    group by p.company, s.skill
),

final as (
    select
        n.company,
        n.skill,
        n.category,
        n.postings,
        c.company_postings,
        n.postings / c.company_postings as share,
        -- at least 5 postings, so that two roles sharing a skill are not "every posting"
        c.company_postings >= 5 and n.postings >= 0.8 * c.company_postings as is_company_wide
    from postings_naming_each_skill as n
    join company_postings as c using (company)
    order by n.company, n.postings desc, n.skill
)

select * from final
