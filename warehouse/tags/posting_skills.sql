-- The skills each posting's latest version asks for, with the words that matched.
with postings as (
    select posting_key, content_hash from core.core_postings
),

skills as (
    select * from tags.version_skills
),

final as (
    select p.posting_key, s.skill, s.category, s.evidence
    from postings as p
    join skills as s using (content_hash)
)

select * from final
