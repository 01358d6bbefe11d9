-- Raw versions the cleaning parsers have not typed yet.
select r.*
from staging.raw_posting_versions as r
anti join staging.stg_posting_versions as s using (content_hash)
order by r.content_hash
