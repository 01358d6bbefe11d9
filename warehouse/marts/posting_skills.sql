-- marts.posting_skills: one row per skill a posting asks for, with the words that matched.
with postings as (
    select posting_key from intermediate.postings_without_text
),

skills as (
    select * from tags.posting_skills
),

final as (
    select s.posting_key, s.skill, s.category, s.evidence
    from skills as s
    semi join postings as p using (posting_key)
)

select * from final
