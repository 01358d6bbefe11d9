-- Append the new versions of a batch (new_versions_in_batch.sql, registered as
-- new_versions), their fields as the board sent them; their HTML goes to the cleaning.
insert into staging.raw_posting_versions by name
select * exclude (description_html, description_is_escaped)
from new_versions
