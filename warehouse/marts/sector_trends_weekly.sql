-- marts.sector_trends_weekly: per ISO week (Monday to Sunday, UTC) and company sector, how
-- many postings appeared, closed and stood open, the ML share of them, and how long the
-- postings that closed that week had been open: marts.role_trends_weekly summed over role
-- families. Weeks run from the first crawl to the last; a sector appears in every one of
-- them, with zeros where nothing happened. An unconfirmed posting (its board not read whole
-- for a week) counts as open only through the weeks that ended by its board's last complete
-- crawl: after that, whether it is open is unknown.
with role_trends as (
    select * from marts.role_trends_weekly
),

postings as (
    select * from intermediate.posting_weeks
),

-- a median does not add up over role families: taken from the postings themselves
closed_per_week as (
    select closed_week as week_start, sector, median(days_open) as median_days_open
    from postings
    where closed_at is not null
    group by all
),

sector_weeks as (
    select
        week_start,
        iso_year,
        iso_week,
        sector,
        sum(new_postings)::bigint as new_postings,
        sum(closed_postings)::bigint as closed_postings,
        sum(open_postings)::bigint as open_postings,
        coalesce(sum(new_postings) filter (where is_ml_role), 0)::bigint as new_ml_postings,
        coalesce(sum(open_postings) filter (where is_ml_role), 0)::bigint as open_ml_postings
    from role_trends
    group by all
),

final as (
    select s.*, c.median_days_open
    from sector_weeks as s
    left join closed_per_week as c
        on c.week_start = s.week_start and c.sector is not distinct from s.sector
    order by s.week_start, s.sector nulls last
)

select * from final
