-- materialized: incremental_observations
-- increment: core/increments/core_posting_lifecycle.sql
-- (A daily run folds the day's observations into the table with the increment file
-- instead of reading every observation ever loaded: observation_increments.py. This
-- file is the definition, and builds the table whole on a rebuild.)
-- Each posting's life: first seen, last seen, closed (missing from a *complete* crawl of its
-- board after it was last seen), and how often it came back after being gone.
with observations as (
    select distinct posting_key, source, board, observed_at
    from staging.stg_observations
),

complete_crawls as (
    select source, board, crawled_at
    from staging.stg_board_crawls
    where is_complete
),

seen_span as (
    select
        posting_key,
        any_value(source) as source,
        any_value(board) as board,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        count(*) as times_seen
    from observations
    group by posting_key
),

-- the first complete crawl of the board after the posting was last seen closes it
first_crawl_after_last_seen as (
    select s.posting_key, c.crawled_at as closed_at
    from seen_span as s
    asof join complete_crawls as c
        on s.source = c.source and s.board = c.board and c.crawled_at > s.last_seen_at
),

-- a complete crawl between two sightings means it was gone and came back
next_sighting as (
    select
        posting_key,
        source,
        board,
        observed_at,
        lead(observed_at) over (partition by posting_key order by observed_at) as next_observed_at
    from observations
),

gaps as (
    select n.posting_key, n.next_observed_at as reopened_at
    from next_sighting as n
    asof join complete_crawls as c
        on n.source = c.source and n.board = c.board and c.crawled_at > n.observed_at
    where n.next_observed_at is not null and c.crawled_at < n.next_observed_at
),

reopenings as (
    select posting_key, count(*) as times_reopened, max(reopened_at) as last_reopened_at
    from gaps
    group by posting_key
),

final as (
    select
        s.posting_key,
        s.first_seen_at,
        s.last_seen_at,
        f.closed_at,
        f.closed_at is null as is_open,
        s.times_seen,
        coalesce(r.times_reopened, 0) as times_reopened,
        r.last_reopened_at
    from seen_span as s
    left join first_crawl_after_last_seen as f using (posting_key)
    left join reopenings as r using (posting_key)
)

select * from final
