-- marts.sector_trends_weekly: per ISO week (Monday to Sunday, UTC) and company sector, how
-- many postings appeared, closed and stood open, the ML share of them, and how long the
-- postings that closed that week had been open. Weeks run from the first crawl to the last;
-- a sector appears in every one of them, with zeros where nothing happened. An unconfirmed
-- posting (its board not read whole for a week) counts as open only through the weeks that
-- ended before its board's last complete crawl: after that, whether it is open is unknown.
with crawl_runs as (
    select * from raw.crawl_runs
),

postings as (
    select
        posting_key,
        sector,
        is_ml_role is true as is_ml,
        first_seen_at,
        closed_at,
        -- the last instant the posting is known to be open; infinity = open and confirmed
        coalesce(
            closed_at,
            if(is_unconfirmed, board_confirmed_at, 'infinity'::timestamptz)
        ) as open_until,
        date_trunc('week', first_seen_at at time zone 'UTC')::date as first_seen_week,
        date_trunc('week', closed_at at time zone 'UTC')::date as closed_week
    from intermediate.postings_without_text
),

crawl_span as (
    select
        date_trunc('week', min(crawled_at) at time zone 'UTC')::date as first_week,
        date_trunc('week', max(crawled_at) at time zone 'UTC')::date as last_week
    from crawl_runs
),

weeks as (
    select
        week_start::date as week_start,
        -- the instant the week ends (next Monday 00:00 UTC), as a timestamp with time zone
        (week_start + interval 7 day) at time zone 'UTC' as week_end_at
    from crawl_span,
        generate_series(first_week, last_week, interval 7 day) as weeks(week_start)
),

sectors as (
    select distinct sector from postings
),

week_sector_spine as (
    select w.week_start, w.week_end_at, s.sector
    from weeks as w
    cross join sectors as s
),

new_per_week as (
    select
        first_seen_week as week_start,
        sector,
        count(*) as new_postings,
        count(*) filter (where is_ml) as new_ml_postings
    from postings
    group by all
),

closed_per_week as (
    select
        closed_week as week_start,
        sector,
        count(*) as closed_postings,
        median(epoch(closed_at - first_seen_at) / 86400.0) as median_days_open
    from postings
    where closed_at is not null
    group by all
),

open_at_week_end as (
    select
        w.week_start,
        p.sector,
        count(*) as open_postings,
        count(*) filter (where p.is_ml) as open_ml_postings
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
        coalesce(n.new_postings, 0) as new_postings,
        coalesce(c.closed_postings, 0) as closed_postings,
        coalesce(o.open_postings, 0) as open_postings,
        coalesce(n.new_ml_postings, 0) as new_ml_postings,
        coalesce(o.open_ml_postings, 0) as open_ml_postings,
        c.median_days_open
    from week_sector_spine as s
    left join new_per_week as n
        on n.week_start = s.week_start and n.sector is not distinct from s.sector
    left join closed_per_week as c
        on c.week_start = s.week_start and c.sector is not distinct from s.sector
    left join open_at_week_end as o
        on o.week_start = s.week_start and o.sector is not distinct from s.sector
    order by s.week_start, s.sector nulls last
)

select * from final
