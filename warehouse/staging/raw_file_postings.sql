-- How many postings the raw-lake files $files give back, reading them as
-- raw_postings_batch.sql does (the load's check for a file that cannot be read through).
select count(*) as postings
from read_json(
    $files,
    format = 'newline_delimited',
    compression = 'auto_detect',
    columns = {source: 'varchar', board: 'varchar'}
)
