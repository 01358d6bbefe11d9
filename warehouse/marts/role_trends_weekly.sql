-- marts.role_trends_weekly: per ISO week (Monday to Sunday, UTC), company sector and role
-- family, how many postings appeared, closed and stood open, and how long the postings that
-- closed that week had been open. Weeks run from the first crawl to the last; every
-- (sector, role family) pair ever seen appears in every week, with zeros where nothing
-- happened. An unconfirmed posting counts as open only through the weeks that ended by its
-- board's last complete crawl.
with weeks as (
    select * from intermediate.crawl_weeks
),

postings as (
    select * from intermediate.posting_weeks
),

sector_roles as (
    select sector, role_family, bool_or(is_ml) as is_ml_role
    from postings
    group by all
),

spine as (
    select w.week_start, w.week_end_at, r.sector, r.role_family, r.is_ml_role
    from weeks as w
    cross join sector_roles as r
),

new_per_week as (
    select first_seen_week as week_start, sector, role_family, count(*) as new_postings
    from postings
    group by all
),

closed_per_week as (
    select
        closed_week as week_start,
        sector,
        role_family,
        count(*) as closed_postings,
        median(days_open) as median_days_open
    from postings
    where closed_at is not null
    group by all
),

open_at_week_end as (
    select w.week_start, p.sector, p.role_family, count(*) as open_postings
    from weeks as w
    -- two plain inequalities let DuckDB use a range join
    join postings as p
        on p.first_seen_at < w.week_end_at
        and p.open_until >= w.week_end_at
    group by all
),

final as (
    select
        s.week_start,
        isoyear(s.week_start) as iso_year,
        week(s.week_start) as iso_week,
        s.sector,
        s.role_family,
        s.is_ml_role,
        coalesce(n.new_postings, 0) as new_postings,
        coalesce(c.closed_postings, 0) as closed_postings,
        coalesce(o.open_postings, 0) as open_postings,
        c.median_days_open
    from spine as s
    left join new_per_week as n
        on n.week_start = s.week_start
        and n.sector is not distinct from s.sector
        and n.role_family is not distinct from s.role_family
    left join closed_per_week as c
        on c.week_start = s.week_start
        and c.sector is not distinct from s.sector
        and c.role_family is not distinct from s.role_family
    left join open_at_week_end as o
        on o.week_start = s.week_start
        and o.sector is not distinct from s.sector
        and o.role_family is not distinct from s.role_family
    order by s.week_start, s.sector nulls last, s.role_family nulls last
)

select * from final
