-- Raw versions the cleaning parsers have not typed yet.
-- No ORDER BY: sorting would materialize every pending version's HTML before the first batch
-- streams out; the scan order (insertion order) is just as deterministic.
select r.*
from staging.raw_posting_versions as r
anti join staging.stg_posting_versions as s using (content_hash)
