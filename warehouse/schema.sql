-- Base tables that runs append to. Everything else is rebuilt from these by the layer models.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists tags;
create schema if not exists marts;
create schema if not exists quality;

-- one row per crawl run whose manifest was loaded
create table if not exists raw.crawl_runs (
    run_id varchar primary key,
    crawled_at timestamptz not null,
    finished_at timestamptz,
    sources_file varchar,
    loaded_at timestamptz not null,
    manifest json
);

-- one row per board per crawl run: what happened to it
create table if not exists raw.board_crawls (
    run_id varchar not null,
    crawled_at timestamptz not null,
    source varchar not null,
    board varchar not null,
    company varchar,
    homepage varchar,
    sector_hint varchar,
    prominence_hint varchar,
    outcome varchar not null,
    is_complete boolean not null,
    is_retryable boolean,
    error varchar,
    http_status integer,
    requests integer,
    pages integer,
    postings integer,
    dropped integer,
    is_capped boolean,
    raw_file varchar,
    primary key (run_id, source, board)
);

-- one row per board per `unheard sources check`
create table if not exists raw.source_checks (
    check_file varchar not null,
    checked_at timestamptz not null,
    source varchar not null,
    board varchar not null,
    company varchar,
    url varchar,
    outcome varchar not null,
    posting_count integer,
    count_exact boolean,
    is_retryable boolean,
    http_status integer,
    reason varchar
);

-- one light row per posting per crawl it was seen in
create table if not exists staging.stg_observations (
    run_id varchar not null,
    observed_at timestamptz not null,
    posting_key varchar not null,
    source varchar not null,
    board varchar not null,
    company varchar,
    source_job_id varchar not null,
    url varchar,
    content_hash varchar not null
);

-- The three tables of posting versions below hold one row per content_hash but declare no
-- PRIMARY KEY: with a key, every checkpoint rewrote the whole table of posting text (3,000
-- rows appended to 100k: 13 s with the key, 0.3 s without; benchmarks/README.md). Their
-- writers append only hashes the table lacks (anti joins), and the staging and tags suites
-- (warehouse/suites) check the uniqueness on a projection of the key.

-- one row per distinct content of a posting, its fields as the board sent them (parsed into
-- stg_posting_versions). The board's own description HTML is not kept here: the load hands it
-- to the cleaning, which stores the sanitized HTML and the text, and the raw lake keeps the
-- original (storing it again cost the 100k rebuild ~8 s and a fifth of the file;
-- benchmarks/README.md, fifteenth pass). database.RAW_HTML_COLUMNS drops it from older files.
create table if not exists staging.raw_posting_versions (
    content_hash varchar not null,
    posting_key varchar not null,
    first_observed_at timestamptz not null,
    title varchar,
    apply_url varchar,
    location_raw varchar,
    country_raw varchar,
    remote_raw varchar,
    department varchar,
    team varchar,
    employment_type_raw varchar,
    posted_at_raw varchar,
    updated_at_raw varchar,
    salary_stated json,
    salary_text varchar,
    seniority_raw varchar  -- last: added after the others (database.ADDED_COLUMNS)
);

-- A cache of content hashes for the load (staging/raw_postings_batch.sql): a posting's
-- version fields under DuckDB's 64-bit hash(), with the md5 content hash they were found to
-- have. A daily crawl sends ~97% of its postings unchanged; their md5, over ~8 KB of HTML
-- each, was ~15% of the day's load. A row is added for every version the load sees without
-- one (new ones, and those stored before this table existed). The md5 stays the version's
-- identity: a fingerprint that no longer matches (DuckDB may change hash() between
-- versions) only sends the posting back to md5. Keyed by posting as well, so two postings'
-- fingerprints can never collide.
create table if not exists staging.version_fingerprints (
    fingerprint ubigint not null,
    posting_key varchar not null,
    content_hash varchar not null
);

-- the typed, cleaned form of each raw version (written by the Python cleaning parsers)
create table if not exists staging.stg_posting_versions (
    content_hash varchar not null,
    posting_key varchar not null,
    title varchar,
    title_root varchar,
    seniority varchar,
    seniority_basis varchar,
    department varchar,
    team varchar,
    apply_url varchar,
    description_html varchar,
    description_text varchar,
    description_flags varchar[],
    posted_at timestamptz,
    posted_at_raw varchar,
    posted_at_flag varchar,
    updated_at timestamptz,
    employment_type varchar,
    employment_type_raw varchar,
    location_raw varchar,
    city varchar,
    region varchar,
    country_code varchar,
    places struct(city varchar, region varchar, country_code varchar)[],
    remote_type varchar,
    remote_basis varchar,
    remote_scope varchar[],
    salary_min double,
    salary_max double,
    salary_currency varchar,
    salary_period varchar,
    salary_basis varchar,
    salary_raw varchar,
    salary_yearly_min double,
    salary_yearly_max double,
    salary_flag varchar,
    -- last, where a warehouse made before them got them (database.ADDED_COLUMNS): stated
    -- (the board's field), parsed (the title: "(Contract)", an intern) or inferred (the
    -- text); NULL with no type
    employment_basis varchar,
    seniority_raw varchar,  -- the board's level field as sent ("Mid-Senior level")
    -- the years of experience the text asks for (cleaning/experience.py): "3-5 years of
    -- experience" is 3 and 5, "5+ years" 5 and NULL; the words read beside them
    experience_years_min tinyint,
    experience_years_max tinyint,
    experience_raw varchar,
    -- the lowest degree the text requires (cleaning/degrees.py): bachelor, master or
    -- doctorate ("MS or PhD" is master; "PhD preferred" requires none); the statement read
    degree_required varchar,
    degree_raw varchar,
    -- whether the text says it sponsors work visas (cleaning/visa.py): true, false, or NULL
    -- when it says nothing or says both; the statements read
    visa_sponsorship boolean,
    visa_sponsorship_raw varchar
);

-- how many versions each release's cleaning rules cleaned (cleaner.cleaning_fingerprint):
-- 'unknown' for the versions of a warehouse built before this table; a rebuild starts it
-- empty and cleans every version with the rules of the day
create table if not exists staging.version_cleaners (
    fingerprint varchar,
    versions bigint,
    cleaned_at timestamptz
);

-- cross-source merges (rewritten by pipelines/transforms/dedup.py on every build)
create table if not exists core.posting_merges (
    kept_key varchar,
    merged_key varchar,
    reason varchar,
    text_similarity double
);

-- posting-level tags, one row per version (tags follow content)
create table if not exists tags.version_roles (
    content_hash varchar not null,
    role_family varchar,
    is_ml_role boolean,
    role_basis varchar,
    role_evidence varchar
);

create table if not exists tags.version_skills (
    content_hash varchar not null,
    skill varchar not null,
    category varchar,
    evidence varchar
);

-- the role and skill rules the version tags were made with (tagger.version_taggers_fingerprint):
-- other rules, and every version is tagged again
create table if not exists tags.version_taggers (
    fingerprint varchar
);

-- quality results and quarantined rows, kept across runs
create table if not exists quality.validation_results (
    run_id varchar,
    validated_at timestamptz,
    layer varchar,
    suite varchar,
    expectation varchar,
    column_name varchar,
    success boolean,
    blocking boolean,
    unexpected_count bigint,
    element_count bigint,
    details json
);

create table if not exists quality.quarantine (
    run_id varchar,
    layer varchar,
    row_key varchar,
    expectation varchar,
    column_name varchar,
    value varchar,
    quarantined_at timestamptz
);

-- the crawl runs whose rows passed a `new_runs_only` suite (pipelines/checks/gx_suites.py):
-- later builds do not validate those rows again
create table if not exists quality.validated_runs (
    suite varchar not null,
    run_id varchar not null,
    validated_at timestamptz not null
);
