-- One row per company across its boards, with the registry's latest hints.
with boards as (
    select distinct on (source, board)
        source, board, company, homepage, sector_hint, prominence_hint
    from staging.stg_board_crawls
    order by source, board, crawled_at desc
),

postings as (
    select company, min(first_seen_at) as first_seen_at
    from core.core_postings
    group by company
),

final as (
    select
        b.company,
        list(b.source || ':' || b.board order by b.source, b.board) as boards,
        any_value(b.homepage) filter (where b.homepage is not null) as homepage,
        any_value(b.sector_hint) filter (where b.sector_hint is not null) as sector_hint,
        any_value(b.prominence_hint) filter (where b.prominence_hint is not null)
            as prominence_hint,
        p.first_seen_at
    from boards as b
    left join postings as p using (company)
    group by b.company, p.first_seen_at
)

select * from final
