-- The increment of core/core_posting_lifecycle.sql: the table as it was, folded with the
-- observations loaded since (`new_observations`). It is used only when every new
-- observation is later than every observation folded before and no complete crawl was
-- added among them (pipelines/transforms/observation_increments.py checks both, and builds
-- the whole model otherwise). Then the old rows' spans and gaps stand, and what is new is
-- each posting's new sightings and the gaps between its last sighting and them.
with previous as (
    select * from core.core_posting_lifecycle
),

new_sightings as (
    select distinct posting_key, source, board, observed_at
    from new_observations
),

-- each posting's board: a posting key names one board
boards as (
    select posting_key, source, board
    from core.core_posting_latest
),

complete_crawls as (
    select source, board, crawled_at
    from staging.stg_board_crawls
    where is_complete
),

new_spans as (
    select
        posting_key,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        count(*) as times_seen
    from new_sightings
    group by posting_key
),

-- the sightings between which a gap can be new: the last one before, then the new ones
sightings as (
    select posting_key, source, board, observed_at
    from new_sightings
    union all
    select p.posting_key, b.source, b.board, p.last_seen_at
    from previous as p
    join boards as b using (posting_key)
    semi join new_spans as n using (posting_key)
),

next_sighting as (
    select
        posting_key,
        source,
        board,
        observed_at,
        lead(observed_at) over (partition by posting_key order by observed_at) as next_observed_at
    from sightings
),

new_gaps as (
    select n.posting_key, n.next_observed_at as reopened_at
    from next_sighting as n
    asof join complete_crawls as c
        on n.source = c.source and n.board = c.board and c.crawled_at > n.observed_at
    where n.next_observed_at is not null and c.crawled_at < n.next_observed_at
),

new_reopenings as (
    select posting_key, count(*) as times_reopened, max(reopened_at) as last_reopened_at
    from new_gaps
    group by posting_key
),

spans as (
    select
        posting_key,
        coalesce(p.first_seen_at, n.first_seen_at) as first_seen_at,
        coalesce(n.last_seen_at, p.last_seen_at) as last_seen_at,
        coalesce(p.times_seen, 0) + coalesce(n.times_seen, 0) as times_seen,
        coalesce(p.times_reopened, 0) + coalesce(r.times_reopened, 0) as times_reopened,
        coalesce(r.last_reopened_at, p.last_reopened_at) as last_reopened_at
    from previous as p
    full join new_spans as n using (posting_key)
    left join new_reopenings as r using (posting_key)
),

-- as in the whole model: the first complete crawl of the board after the last sighting
first_crawl_after_last_seen as (
    select s.posting_key, c.crawled_at as closed_at
    from spans as s
    join boards as b using (posting_key)
    asof join complete_crawls as c
        on b.source = c.source and b.board = c.board and c.crawled_at > s.last_seen_at
),

final as (
    select
        s.posting_key,
        s.first_seen_at,
        s.last_seen_at,
        f.closed_at,
        f.closed_at is null as is_open,
        s.times_seen,
        s.times_reopened,
        s.last_reopened_at
    from spans as s
    left join first_crawl_after_last_seen as f using (posting_key)
)

select * from final
