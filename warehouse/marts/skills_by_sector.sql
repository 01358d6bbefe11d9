-- marts.skills_by_sector: per sector, the skills machine-learning postings ask for most
-- (every ML posting ever seen, open or closed, each counted once per skill), and how many of
-- those postings name it only as their company does in every posting (marts.company_skills).
with postings as (
    select * from intermediate.postings_without_text
),

posting_skills as (
    select * from tags.posting_skills
),

company_wide_skills as (
    select company, skill from marts.company_skills where is_company_wide
),

ml_postings as (
    select posting_key, company, sector
    from postings
    where is_ml_role
),

ml_postings_per_sector as (
    select sector, count(*) as sector_ml_postings
    from ml_postings
    group by sector
),

skill_counts as (
    select
        p.sector,
        s.skill,
        any_value(s.category) as category,
        count(distinct p.posting_key) as postings,
        count(distinct p.posting_key) filter (where w.company is not null)
            as company_wide_postings
    from ml_postings as p
    join posting_skills as s using (posting_key)
    left join company_wide_skills as w on w.company = p.company and w.skill = s.skill
    group by p.sector, s.skill
),

final as (
    select
        c.sector,
        rank() over (partition by c.sector order by c.postings desc) as rank,
        c.skill,
        c.category,
        c.postings,
        c.postings / t.sector_ml_postings as share,
        t.sector_ml_postings,
        c.company_wide_postings
    from skill_counts as c
    join ml_postings_per_sector as t on t.sector is not distinct from c.sector
    order by c.sector nulls last, rank, c.skill
)

select * from final
