-- Cache the content hash of every posting of the batch that came without a cached one
-- (staging.version_fingerprints, schema.sql says why): new versions, and versions stored
-- before the cache existed or under another DuckDB's hash(). Every content hash of the batch
-- is in staging.raw_posting_versions once the batch's new versions are (same transaction).
insert into staging.version_fingerprints
select distinct fingerprint, posting_key, content_hash
from raw_postings_batch
where not is_fingerprinted
