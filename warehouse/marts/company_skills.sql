-- marts.company_skills: per company, each skill its postings name and in how many of them.
-- A skill named in nearly all of a company's postings, its sales, support and recruiting
-- ones too, comes from the text the company repeats in each (its "About us", its stack),
-- not from what one role asks for: such a skill is company-wide (the report shows it once
-- per company, not on every role). A company that lists only ML and data roles has no
-- company-wide skills: its roles may all ask for the same thing.
with postings as (
    select posting_key, company, role_family = 'other' as is_outside_data_roles
    from intermediate.postings_without_text
),

skills as (
    select * from marts.posting_skills
),

company_postings as (
    select
        company,
        count(*) as company_postings,
        count(*) filter (where is_outside_data_roles) as outside_data_roles
    from postings
    group by company
),

postings_naming_each_skill as (
    select
        p.company,
        s.skill,
        any_value(s.category) as category,
        count(*) as postings,
        count(*) filter (where p.is_outside_data_roles) as outside_data_roles
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
        n.outside_data_roles / nullif(c.outside_data_roles, 0) as share_outside_data_roles,
        -- at least 5 postings and 3 outside ML and data roles, so that a few roles sharing
        -- a skill are not "every posting"
        c.company_postings >= 5
            and c.outside_data_roles >= 3
            and n.postings >= 0.8 * c.company_postings
            and n.outside_data_roles >= 0.8 * c.outside_data_roles as is_company_wide
    from postings_naming_each_skill as n
    join company_postings as c using (company)
    order by n.company, n.postings desc, n.skill
)

select * from final
