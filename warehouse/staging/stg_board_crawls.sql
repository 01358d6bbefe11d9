-- One row per board per crawl run: its outcome, and whether it counts as a complete crawl
-- (only a complete crawl can close postings).
with source as (
    select * from raw.board_crawls
),

final as (
    select
        run_id,
        crawled_at,
        source,
        board,
        source || ':' || board as board_key,
        company,
        homepage,
        sector_hint,
        prominence_hint,
        outcome,
        is_complete,
        is_retryable,
        error,
        http_status,
        requests,
        pages,
        postings,
        dropped,
        is_capped
    from source
)

select * from final
