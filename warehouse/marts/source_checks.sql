-- marts.source_checks: one row per board per `unheard sources check` — does the board exist
-- and have postings — with how many checks in a row it has now failed.
with checks as (
    select * from raw.source_checks
),

ranked as (
    select
        *,
        outcome not in ('ok', 'empty') as is_failure,
        -- a success starts a new streak: number the streaks by the successes so far
        count(*) filter (where outcome in ('ok', 'empty')) over (
            partition by source, board order by checked_at, check_file
            rows between unbounded preceding and current row
        ) as streak_id
    from checks
),

final as (
    select
        check_file,
        checked_at,
        source,
        board,
        company,
        url,
        outcome,
        posting_count,
        count_exact,
        is_retryable,
        http_status,
        reason,
        count(*) filter (where is_failure) over (
            partition by source, board, streak_id order by checked_at, check_file
            rows between unbounded preceding and current row
        ) as consecutive_failures
    from ranked
)

select * from final
