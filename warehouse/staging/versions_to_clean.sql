-- Raw versions the cleaning parsers have not typed yet.
-- New versions are appended, so the scan starts at the first pending row: a daily run then
-- reads the HTML of its few new versions, not of every version ever loaded (DuckDB pushes
-- the rowid bound into the scan). No ORDER BY: a sort would materialize every pending
-- version's HTML before the first batch streams out; the scan order is as deterministic.
with first_pending as (
    select min(r.rowid) as first_rowid
    from staging.raw_posting_versions as r
    anti join staging.stg_posting_versions as s using (content_hash)
)

select r.*
from staging.raw_posting_versions as r
anti join staging.stg_posting_versions as s using (content_hash)
where r.rowid >= (select first_rowid from first_pending)
