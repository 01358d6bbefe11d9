-- Pairs of postings on different boards that may be the same role: same company, same
-- title (level included), same place. Blocking keys keep this cheap; the text comparison
-- that decides happens on these pairs only.
with postings as (
    select
        posting_key,
        source,
        source || ':' || board as board_key,
        first_seen_at,
        -- legal suffixes and punctuation do not make a different company
        trim(regexp_replace(
            regexp_replace(lower(company), '[^a-z0-9 ]', ' ', 'g'),
            '\b(inc|llc|ltd|limited|gmbh|corp|corporation|co|sa|ag|bv|plc|demo)\b', '', 'g'
        )) as company_key,
        -- the whole title, not its root: "Engineer II" and "Engineer III" are two roles
        lower(trim(regexp_replace(title, '\s+', ' ', 'g'))) as title_key,
        lower(coalesce(city, location_raw, '')) || '|' || coalesce(country_code, '') as place_key
    from core.core_postings
    where title is not null
),

pairs as (
    select
        a.posting_key as left_key,
        b.posting_key as right_key,
        a.source as left_source,
        b.source as right_source,
        a.first_seen_at as left_first_seen_at,
        b.first_seen_at as right_first_seen_at
    from postings as a
    join postings as b
        on a.company_key = b.company_key
        and a.title_key = b.title_key
        and a.place_key = b.place_key
        and a.board_key <> b.board_key
        and a.posting_key < b.posting_key
)

select * from pairs
