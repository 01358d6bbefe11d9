-- materialized: view
-- intermediate.crawl_weeks: every ISO week (Monday to Monday, UTC) from the week of the first
-- crawl to the week of the last, with the instant it ends.
with crawl_runs as (
    select * from raw.crawl_runs
),

crawl_span as (
    select
        date_trunc('week', min(crawled_at) at time zone 'UTC')::date as first_week,
        date_trunc('week', max(crawled_at) at time zone 'UTC')::date as last_week
    from crawl_runs
),

final as (
    select
        week_start::date as week_start,
        -- the instant the week ends (next Monday 00:00 UTC), as a timestamp with time zone
        (week_start + interval 7 day) at time zone 'UTC' as week_end_at
    from crawl_span,
        generate_series(first_week, last_week, interval 7 day) as weeks(week_start)
)

select * from final
