-- materialized: view
-- intermediate.posting_weeks: each posting on the weekly timeline the trend marts count:
-- the ISO week (Monday 00:00 UTC) it appeared and closed in, how long it was open, and the
-- last instant it is known to be open (open_until). An unconfirmed posting (its board not
-- read whole for a week) is known open only until its board's last complete crawl.
with postings as (
    select * from intermediate.postings_without_text
),

final as (
    select
        posting_key,
        sector,
        role_family,
        is_ml_role is true as is_ml,
        first_seen_at,
        closed_at,
        -- infinity = open and confirmed
        coalesce(
            closed_at,
            if(is_unconfirmed, board_confirmed_at, 'infinity'::timestamptz)
        ) as open_until,
        date_trunc('week', first_seen_at at time zone 'UTC')::date as first_seen_week,
        date_trunc('week', closed_at at time zone 'UTC')::date as closed_week,
        epoch(closed_at - first_seen_at) / 86400.0 as days_open
    from postings
)

select * from final
