-- marts.source_health: one row per board per crawl run — what the crawl got, how many runs
-- in a row the board has now failed, and how its posting count moved against the last
-- crawl that completed.
with board_crawls as (
    select * from raw.board_crawls
),

failure_streaks as (
    select
        *,
        -- every complete crawl starts a new streak (gaps and islands): the running count of
        -- complete crawls numbers the streak each crawl belongs to
        count(*) filter (where is_complete) over (
            partition by source, board order by crawled_at, run_id
            rows between unbounded preceding and current row
        ) as streak_id
    from board_crawls
),

with_history as (
    select
        *,
        count(*) filter (where not is_complete) over (
            partition by source, board, streak_id order by crawled_at, run_id
            rows between unbounded preceding and current row
        ) as consecutive_failures,
        last_value(case when is_complete then postings end ignore nulls) over (
            partition by source, board order by crawled_at, run_id
            rows between unbounded preceding and 1 preceding
        ) as previous_postings
    from failure_streaks
),

final as (
    select
        run_id,
        crawled_at,
        source,
        board,
        company,
        outcome,
        is_complete,
        is_retryable,
        error,
        http_status,
        requests,
        pages,
        postings,
        dropped,
        is_capped,
        consecutive_failures,
        previous_postings,
        -- only a complete crawl's count is comparable; a failed one would read as a collapse
        case when is_complete then postings - previous_postings end as postings_change
    from with_history
    order by crawled_at desc, source, board
)

select * from final
