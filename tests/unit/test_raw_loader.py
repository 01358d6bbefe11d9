"""The raw loader keeps the version columns (the heavy description_html) in its batch table
only for content hashes the warehouse has not stored yet, and hands each group's new versions
to the cleaning, which stores their sanitized HTML and text (the warehouse keeps no raw copy
of the HTML). Whatever the run and however its files are grouped, every new version must
still be stored and cleaned from its full text, and a daily load must store what a rebuild
from the lake stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from pipelines.cleaning.html_text import clean_description
from pipelines.transforms import cleaner, database, raw_loader
from spiders import raw_lake
from spiders.raw_lake import board_file, write_manifest
from warehouse import read_sql

# the columns hashed into content_hash, besides posting_key (raw_postings_batch.sql)
CONTENT = (
    "title", "location_raw", "country_raw", "remote_raw", "department", "team",
    "employment_type_raw", "description_html", "posted_at_raw", "salary_stated", "salary_text",
    "url", "seniority_raw",
)  # fmt: skip
# what staging.raw_posting_versions keeps of a version: its fields as the board sent them,
# without the description HTML, which the cleaning stores sanitized
VERSION_COLUMNS = (
    "posting_key", "first_observed_at", "title", "apply_url", "location_raw", "country_raw",
    "remote_raw", "department", "team", "employment_type_raw", "posted_at_raw",
    "updated_at_raw", "salary_stated", "salary_text",
)  # fmt: skip


def html(tag: str) -> str:
    return f"<p>{tag}</p>" + f"<div>{tag} " * 2000 + "</div>"  # ~10 KB, like a real posting


def line(run: str, day: str, board: str, job: str, text: str, **fields: Any) -> dict[str, Any]:
    return {
        "posting_key": f"greenhouse:{board}:{job}",
        "run_id": run,
        "crawled_at": f"2026-11-{day}T06:00:00+00:00",
        "source": "greenhouse",
        "board": board,
        "company": board.title(),
        "source_job_id": job,
        "url": f"https://boards.example/{board}/{job}",
        "title": f"Engineer {job}",
        "apply_url": f"https://boards.example/{board}/{job}/apply",
        "location_raw": "Berlin",
        "department": "R&D",
        "employment_type_raw": "full-time",
        "description_html": html(text),
        "description_is_escaped": False,
        "posted_at_raw": "2026-10-01",
        "updated_at_raw": f"2026-11-{day}",
        "salary_stated": {"min": 50000, "max": 70000, "currency": "EUR"} if job == "2" else None,
        "salary_text": "50-70k EUR" if job == "2" else None,
        **fields,
    }


def runs() -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Three daily crawls of two boards: unchanged postings, changed ones, a posting that
    goes back to a content stored before, and one a board lists twice in a crawl."""
    r1, r2, r3 = "20261101T060000Z-a", "20261102T060000Z-b", "20261103T060000Z-c"
    return [
        (r1, "01", [
            line(r1, "01", "acme", "1", "A1"),
            line(r1, "01", "acme", "2", "B1"),
            line(r1, "01", "bolt", "9", "Q1"),
        ]),
        (r2, "02", [
            line(r2, "02", "acme", "1", "A1"),  # stored: not stored again
            line(r2, "02", "acme", "2", "B2"),  # a new version among stored ones
            # the same new content twice in the batch: the version is the earlier line
            line(r2, "02", "acme", "3", "C1", crawled_at="2026-11-02T06:05:00+00:00",
                 updated_at_raw="later"),
            line(r2, "02", "acme", "3", "C1", updated_at_raw="earlier"),
            line(r2, "02", "bolt", "9", "Q1"),
        ]),
        (r3, "03", [
            line(r3, "03", "acme", "1", "A1"),
            line(r3, "03", "acme", "2", "B1"),  # back to a version stored on day 1
            line(r3, "03", "bolt", "9", "Q2"),
        ]),
    ]  # fmt: skip


def write_run(raw: Path, run: str, day: str, lines: list[dict[str, Any]]) -> list[str]:
    boards: dict[str, list[dict[str, Any]]] = {}
    for record in lines:
        boards.setdefault(record["board"], []).append(record)
    entries, files = [], []
    for board, records in boards.items():
        path = board_file(raw, "greenhouse", f"2026-11-{day}", run, board)
        path.parent.mkdir(parents=True, exist_ok=True)
        with raw_lake.zstd.open(path, "wb") as handle:
            for record in records:
                handle.write(json.dumps(record).encode() + b"\n")
        file = str(path.relative_to(raw))
        files.append(str(path))
        entries.append({"source": "greenhouse", "board": board, "outcome": "ok", "file": file})
    crawled_at = f"2026-11-{day}T06:00:00+00:00"
    write_manifest(raw, run, {"run_id": run, "crawled_at": crawled_at, "boards": entries})
    return files


def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(read_sql("schema.sql"))
    return con


def load(con: duckdb.DuckDBPyConnection, raw: Path) -> raw_loader.LoadReport:
    """load_pending_runs with the cleaning as its sink, as the staging asset runs it."""
    with cleaner.VersionCleaner(con) as sink:
        return raw_loader.load_pending_runs(con, raw, sink)


def expected_versions() -> set[tuple[Any, ...]]:
    """Each distinct content once, as its earliest line in the lake has it."""
    first: dict[tuple[Any, ...], dict[str, Any]] = {}
    for _, _, lines in runs():
        for record in sorted(lines, key=lambda r: r["crawled_at"]):
            content = (record["posting_key"], *(json.dumps(record.get(c)) for c in CONTENT))
            first.setdefault(content, record)
    return {
        tuple(
            json.dumps(r.get("crawled_at" if c == "first_observed_at" else c), sort_keys=True)
            for c in VERSION_COLUMNS
        )
        for r in first.values()
    }


def stored_versions(con: duckdb.DuckDBPyConnection) -> set[tuple[Any, ...]]:
    rows = con.execute(
        f"select {', '.join(VERSION_COLUMNS[:-2])}, salary_stated::varchar, salary_text, "
        "strftime(first_observed_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%S+00:00') "
        "from staging.raw_posting_versions"
    ).fetchall()
    by_column = [dict(zip((*VERSION_COLUMNS, "at"), row, strict=True)) for row in rows]
    return {
        tuple(
            json.dumps(
                r["at"]
                if c == "first_observed_at"
                else json.loads(r[c])
                if c == "salary_stated" and r[c] is not None
                else r[c],
                sort_keys=True,
            )
            for c in VERSION_COLUMNS
        )
        for r in by_column
    }


def observations(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """(run, board, job, the text of its cleaned version) per observation."""
    return con.execute(
        "select right(o.run_id, 1), o.board, o.source_job_id, left(v.description_text, 2) "
        "from staging.stg_observations as o "
        "join staging.stg_posting_versions as v using (content_hash, posting_key) "
        "where o.url = 'https://boards.example/' || o.board || '/' || o.source_job_id "
        "order by o.run_id, o.posting_key"
    ).fetchall()


@pytest.mark.parametrize("group_bytes", [raw_loader.GROUP_BYTES, 1])
def test_every_new_version_keeps_its_text_daily_or_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group_bytes: int
) -> None:
    # group_bytes 1: each board file is its own group (a batch table of its own)
    monkeypatch.setattr(raw_loader, "GROUP_BYTES", group_bytes)
    raw = tmp_path / "raw"
    daily = warehouse()
    reports = []
    for run, day, lines in runs():
        write_run(raw, run, day, lines)
        reports.append(load(daily, raw))
    rebuilt = warehouse()
    rebuild = load(rebuilt, raw)

    assert [(r.observations, r.new_versions) for r in reports] == [(3, 3), (4, 2), (3, 1)]
    assert (rebuild.observations, rebuild.new_versions) == (10, 6)
    assert stored_versions(daily) == expected_versions()
    assert len(expected_versions()) == 6
    for con in (daily, rebuilt):
        assert stored_versions(con) == expected_versions()
        # each version cleaned once, from its whole HTML (every text is as long as A1's)
        assert con.execute(
            "select count(*), count(distinct content_hash), min(length(description_text)), "
            "max(length(description_text)) from staging.stg_posting_versions"
        ).fetchall() == [(6, 6, *[len(clean_description(html("A1")).text or "")] * 2)]
        assert con.execute(
            "select count(*) from staging.raw_posting_versions "
            "anti join staging.stg_posting_versions using (content_hash, posting_key)"
        ).fetchall() == [(0,)]
        # every observation's version has its posting's text
        assert observations(con) == [
            ("a", "acme", "1", "A1"), ("a", "acme", "2", "B1"), ("a", "bolt", "9", "Q1"),
            ("b", "acme", "1", "A1"), ("b", "acme", "2", "B2"), ("b", "acme", "3", "C1"),
            ("b", "bolt", "9", "Q1"),
            ("c", "acme", "1", "A1"), ("c", "acme", "2", "B1"), ("c", "bolt", "9", "Q2"),
        ]  # fmt: skip
    assert daily.execute(
        "select updated_at_raw from staging.raw_posting_versions "
        "where posting_key = 'greenhouse:acme:3'"
    ).fetchall() == [("earlier",)]
    tables = "select table_name from duckdb_tables() where table_name = 'raw_postings_batch'"
    assert daily.execute(tables).fetchall() == []


def file_warehouse(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path, Path]:
    """A warehouse file with the schema checkpointed, its WAL's path, and a lake of runs()."""
    database = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(database))
    con.execute(read_sql("schema.sql"))
    con.execute("checkpoint")
    raw = tmp_path / "raw"
    for run, day, lines in runs():
        write_run(raw, run, day, lines)
    return con, database.with_name(database.name + ".wal"), raw


def test_a_load_leaves_nothing_in_the_write_ahead_log(tmp_path: Path) -> None:
    # the cleaning that follows appends every version's text; checkpointed together with
    # the loaded versions, that took the 100k rebuild ~5 s longer (load_pending_runs)
    con, wal, raw = file_warehouse(tmp_path)
    assert load(con, raw).new_versions == 6
    assert not wal.exists() or wal.stat().st_size == 0
    assert con.execute("select count(*) from staging.raw_posting_versions").fetchall() == [(6,)]
    assert con.execute("select count(*) from staging.stg_posting_versions").fetchall() == [(6,)]


def test_the_cleaning_leaves_only_whole_row_groups(tmp_path: Path) -> None:
    # After a checkpoint DuckDB appends into a new row group, so a checkpoint at any row count
    # but a whole row group's left a partly filled one; a later checkpoint merged them all and
    # rewrote the table (56-104 s at 1M versions). A database attached with row groups of 2,048
    # rows shows it on 5,000 versions, handed to the cleaning in four loads of 1,250.
    con = duckdb.connect()
    con.execute(f"attach '{tmp_path / 'warehouse.duckdb'}' as build (row_group_size 2048)")
    con.execute("use build")
    con.execute(read_sql("schema.sql"))
    con.execute("set checkpoint_threshold = '300MB'")
    versions = con.sql(
        "select md5(i::varchar) as content_hash, 'greenhouse:acme:' || i as posting_key, "
        "timestamptz '2026-11-01 06:00:00+00' as first_observed_at, 'Engineer ' || i as title, "
        "'<p>Role ' || i || '</p>' as description_html from range(5000) as r(i)"
    ).to_arrow_table()
    with cleaner.VersionCleaner(con, expected=5000) as sink:
        assert sink.row_group == 2048
        written = [
            sink.start(versions.slice(start, 1250).to_batches())() for start in range(0, 5000, 1250)
        ]
    assert written == [1250] * 4
    row_groups = (
        "select row_group_id, sum(count) from pragma_storage_info('staging.stg_posting_versions') "
        "where column_path = '[0]' {} group by row_group_id order by row_group_id"
    )
    # each row group was checkpointed when it filled; the rest waits in the WAL
    assert con.execute(row_groups.format("and persistent")).fetchall() == [(0, 2048), (1, 2048)]
    con.execute("checkpoint")
    assert con.execute(row_groups.format("")).fetchall() == [(0, 2048), (1, 2048), (2, 904)]
    # the caller's WAL limit is back (as DuckDB prints it: 300 MB is "286.1 MiB", and set
    # again from that text "286.0 MiB")
    setting = "select current_setting('checkpoint_threshold')"
    assert con.execute(setting).fetchall()[0][0].startswith("286.")


def test_a_cleaned_batch_is_cut_where_a_row_group_fills() -> None:
    table = pa.table({"n": list(range(10))})
    parts = list(cleaner.row_group_parts(table, appended=5, row_group=4))
    assert [part["n"].to_pylist() for part in parts] == [[0, 1, 2], [3, 4, 5, 6], [7, 8, 9]]
    assert [p.num_rows for p in cleaner.row_group_parts(table, 0, 128)] == [10]


def first_day_loaded(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A warehouse with the first of runs() loaded, and the lake it came from."""
    raw = tmp_path / "raw"
    con = warehouse()
    run, day, lines = runs()[0]
    write_run(raw, run, day, lines)
    load(con, raw)
    return con, raw


def test_the_batch_holds_version_columns_only_for_versions_not_stored(tmp_path: Path) -> None:
    con, raw = first_day_loaded(tmp_path)
    r2, d2, lines2 = runs()[1]
    files = write_run(raw, r2, d2, lines2)
    con.execute(read_sql("staging/raw_postings_batch.sql"), {"files": files})
    rows = con.execute(
        "select posting_key, left(description_html, 9), title, url is not null "
        "from raw_postings_batch order by posting_key, crawled_at"
    ).fetchall()
    assert rows == [
        ("greenhouse:acme:1", None, None, True),  # stored: light columns only
        ("greenhouse:acme:2", "<p>B2</p>", "Engineer 2", True),
        ("greenhouse:acme:3", "<p>C1</p>", "Engineer 3", True),
        ("greenhouse:acme:3", "<p>C1</p>", "Engineer 3", True),
        ("greenhouse:bolt:9", None, None, True),
    ]


def observed_hashes(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        "select run_id, posting_key, content_hash from staging.stg_observations order by all"
    ).fetchall()


def test_a_cached_fingerprint_gives_the_content_hash_without_md5(tmp_path: Path) -> None:
    # what the load reads for a posting whose fields it has seen: the cache, not an md5 of
    # the fields (an entry pointing elsewhere, which only a collision could make, is taken)
    con, raw = first_day_loaded(tmp_path)
    r2, d2, lines2 = runs()[1]
    cached = con.execute(
        "select posting_key, content_hash from staging.version_fingerprints order by all"
    ).fetchall()
    assert cached == [(key, content) for _, key, content in observed_hashes(con)]
    other = dict(cached)["greenhouse:bolt:9"]
    con.execute(
        "update staging.version_fingerprints set content_hash = ? "
        "where posting_key = 'greenhouse:acme:1'",
        [other],
    )
    write_run(raw, r2, d2, lines2)
    load(con, raw)
    day2 = {key: content for run, key, content in observed_hashes(con) if run == r2}
    assert day2["greenhouse:acme:1"] == other  # acme:1 came unchanged: its md5 was not taken
    assert day2["greenhouse:bolt:9"] == other


def test_a_warehouse_without_cached_fingerprints_loads_the_same(tmp_path: Path) -> None:
    # written before the cache existed, or under a DuckDB whose hash() differs: every
    # posting's content hash comes from its md5 again, and the cache fills
    raw = tmp_path / "raw"
    cached, bare = warehouse(), warehouse()
    for run, day, lines in runs():
        write_run(raw, run, day, lines)
        load(cached, raw)
        bare.execute("delete from staging.version_fingerprints")
        load(bare, raw)
        filled = bare.execute("select count(*) from staging.version_fingerprints").fetchall()
        assert filled == [(len({line["posting_key"] for line in lines}),)]
    assert observed_hashes(bare) == observed_hashes(cached)
    assert stored_versions(bare) == stored_versions(cached) == expected_versions()


def test_groups_grow_when_few_of_their_postings_are_new_versions() -> None:
    base = raw_loader.GROUP_BYTES
    assert raw_loader.next_group_bytes(17_000, 17_000) == base  # a rebuild: all new
    assert raw_loader.next_group_bytes(1_000, 250) == 4 * base
    # a daily crawl (3% new): as large as allowed, never unbounded
    assert raw_loader.next_group_bytes(100_000, 2_946) == raw_loader.MAX_GROUP_GROWTH * base
    assert raw_loader.next_group_bytes(100_000, 0) == raw_loader.MAX_GROUP_GROWTH * base
    assert raw_loader.next_group_bytes(0, 0) == base  # an empty group says nothing


def test_a_group_takes_files_up_to_its_budget_and_at_least_one(tmp_path: Path) -> None:
    files = []
    for name, size in (("a", 40), ("b", 40), ("c", 40), ("d", 200)):
        (tmp_path / name).write_bytes(b"x" * size)
        files.append(str(tmp_path / name))
    group, rest = raw_loader._next_group(files, 80)
    assert (group, rest) == (files[:2], files[2:])
    group, rest = raw_loader._next_group(rest, 10)  # one file even over the budget
    assert (group, rest) == (files[2:3], files[3:])
    assert raw_loader._next_group(files, 10_000) == (files, [])


def test_the_worker_server_starts_early_only_for_a_large_crawl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a crawl of 60,000 postings brings the cleaning more than one batch of new versions
    # (workers); a small one is cleaned in this process, where an idle server only costs
    raw, run = tmp_path / "raw", "20261101T060000Z-a"
    boards = [
        {"source": "greenhouse", "board": "acme", "outcome": "ok", "postings": 40_000},
        {"source": "greenhouse", "board": "bolt", "outcome": "ok", "postings": 20_000},
        {"source": "greenhouse", "board": "gone", "outcome": "http_error", "postings": None},
    ]
    write_manifest(
        raw, run, {"run_id": run, "crawled_at": "2026-11-01T06:00:00+00:00", "boards": boards}
    )
    con = warehouse()
    started: list[bool] = []
    monkeypatch.setattr(cleaner, "start_workers", lambda: started.append(True))
    postings = raw_loader.pending_postings(con, raw)
    assert postings == 60_000
    monkeypatch.setattr(cleaner, "EARLY_WORKERS_POSTINGS", 60_001)
    assert not cleaner.start_workers_early(postings)
    assert started == []
    monkeypatch.setattr(cleaner, "EARLY_WORKERS_POSTINGS", 60_000)
    assert cleaner.start_workers_early(postings)
    assert started == [True]
    # once the run is loaded, nothing is pending
    con.execute(
        "insert into raw.crawl_runs values (?, '2026-11-01 06:00:00+00', null, null, now(), '{}')",
        [run],
    )
    assert raw_loader.pending_postings(con, raw) == 0
    assert not cleaner.start_workers_early(raw_loader.pending_postings(con, raw))


def test_the_warehouse_keeps_no_raw_copy_of_the_html(tmp_path: Path) -> None:
    # the board's HTML is in the raw lake; the warehouse stores it sanitized, once
    con = warehouse()
    columns = (
        "select column_name from duckdb_columns() where schema_name = 'staging' "
        "and table_name = 'raw_posting_versions'"
    )
    assert not {c for (c,) in con.execute(columns).fetchall()} & set(database.RAW_HTML_COLUMNS)
    # a warehouse made before loses the columns (and keeps its rows) when a build starts
    old = duckdb.connect()
    old.execute("create schema staging")
    old.execute(
        "create table staging.raw_posting_versions (content_hash varchar, posting_key varchar, "
        "description_html varchar, description_is_escaped boolean, salary_text varchar)"
    )
    old.execute("insert into staging.raw_posting_versions values ('h', 'k', '<p>x</p>', 0, 's')")
    assert database.drop_raw_html(old) == ["description_html", "description_is_escaped"]
    assert old.execute("select * from staging.raw_posting_versions").fetchall() == [("h", "k", "s")]
    assert database.drop_raw_html(old) == []


def test_a_warehouse_made_before_employment_basis_gets_it_filled() -> None:
    old = duckdb.connect()
    old.execute("create schema staging")
    old.execute(
        "create table staging.stg_posting_versions (content_hash varchar, employment_type varchar)"
    )
    old.execute("insert into staging.stg_posting_versions values ('a', 'INTERN'), ('b', null)")
    added = database.add_missing_columns(old)
    assert added == [
        "staging.stg_posting_versions.employment_basis",
        "staging.stg_posting_versions.seniority_raw",  # (raw_posting_versions: not there)
        "staging.stg_posting_versions.experience_years_min",
        "staging.stg_posting_versions.experience_years_max",
        "staging.stg_posting_versions.experience_raw",
        "staging.stg_posting_versions.degree_required",
        "staging.stg_posting_versions.degree_raw",
        "staging.stg_posting_versions.visa_sponsorship",
        "staging.stg_posting_versions.visa_sponsorship_raw",
    ]
    rows = old.execute(
        "select content_hash, employment_basis from staging.stg_posting_versions order by 1"
    ).fetchall()
    assert rows == [("a", "stated"), ("b", None)]  # before, only the board's field set a type
    assert database.add_missing_columns(old) == []


class FailingSink:
    """The cleaning failing on the second group of board files it is handed."""

    def __init__(self, sink: cleaner.VersionCleaner) -> None:
        self.sink, self.calls = sink, 0

    def batch_rows(self, versions: int) -> int:
        return self.sink.batch_rows(versions)

    def start(self, batches: Any) -> Any:
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("the cleaning failed")
        return self.sink.start(batches)


def test_a_run_counts_as_loaded_only_once_all_its_groups_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(raw_loader, "GROUP_BYTES", 1)  # each board file its own group
    raw = tmp_path / "raw"
    run, day, lines = runs()[0]
    write_run(raw, run, day, lines)
    con = warehouse()
    with cleaner.VersionCleaner(con) as sink, pytest.raises(RuntimeError, match="failed"):
        raw_loader.load_pending_runs(con, raw, FailingSink(sink))
    assert con.execute("select count(*) from raw.crawl_runs").fetchall() == [(0,)]
    # the run is still pending; its first group was stored (a build file, then discarded)
    assert [m["run_id"] for m in raw_loader.pending_manifests(con, raw)] == [run]
    assert con.execute("select count(*) from raw.board_crawls").fetchall() == [(0,)]


def counted_pools(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The worker pools started from now on (database.worker_pool, counted)."""
    pools: list[Any] = []
    started = database.worker_pool

    def counted(workers: int | None = None) -> Any:
        pools.append(started(workers))
        return pools[-1]

    monkeypatch.setattr(database, "worker_pool", counted)
    return pools


def test_the_cleaning_keeps_one_pool_of_workers_for_all_the_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a new worker copies the forkserver's pages as it touches them: a pool per group of
    # board files cost the 100k rebuild ~5 s CPU
    monkeypatch.setattr(raw_loader, "GROUP_BYTES", 1)  # each board file its own group
    monkeypatch.setattr(cleaner, "BATCH_ROWS", 1)  # each version its own batch
    monkeypatch.setattr(database, "WORKERS", 2)
    pools = counted_pools(monkeypatch)
    raw = tmp_path / "raw"
    for run, day, lines in runs():
        write_run(raw, run, day, lines)
    con = warehouse()
    assert load(con, raw).new_versions == 6
    # two groups brought two new versions each (two batches), and a pool started once
    assert len(pools) == 1
    assert con.execute("select count(*) from staging.stg_posting_versions").fetchall() == [(6,)]
    assert observations(con)[:3] == [
        ("a", "acme", "1", "A1"),
        ("a", "acme", "2", "B1"),
        ("a", "bolt", "9", "Q1"),
    ]
    with pytest.raises(RuntimeError):  # and it was shut down with the load
        pools[0].submit(print)


class RecordingSink:
    """The cleaning, with each group's start and finish written down, and how many runs were
    recorded as loaded when each group finished."""

    def __init__(self, sink: cleaner.VersionCleaner, con: duckdb.DuckDBPyConnection) -> None:
        self.sink, self.con = sink, con
        self.events: list[tuple[str, int, int]] = []

    def batch_rows(self, versions: int) -> int:
        return self.sink.batch_rows(versions)

    def start(self, batches: Any) -> Any:
        group = sum(1 for event in self.events if event[0] == "start") + 1
        self.events.append(("start", group, self.runs_recorded()))
        finish = self.sink.start(batches)

        def recorded_finish() -> int:
            written = finish()
            self.events.append(("finish", group, self.runs_recorded()))
            return written

        return recorded_finish

    def runs_recorded(self) -> int:
        return self.con.execute("select count(*) from raw.crawl_runs").fetchall()[0][0]


def test_a_group_is_cleaned_while_the_group_before_it_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the workers clean group k+1 while this process stores group k's cleaned rows and reads
    # the next group: each group starts before the one before it finishes, and a run is
    # recorded only after its last group finished
    monkeypatch.setattr(raw_loader, "GROUP_BYTES", 1)  # each board file its own group
    monkeypatch.setattr(database, "WORKERS", 2)
    raw = tmp_path / "raw"
    run, day, lines = runs()[0]
    write_run(raw, run, day, lines)  # two boards: two groups with new versions
    con = warehouse()
    with cleaner.VersionCleaner(con) as sink:
        recording = RecordingSink(sink, con)
        assert raw_loader.load_pending_runs(con, raw, recording).new_versions == 3
    assert recording.events == [
        ("start", 1, 0),
        ("start", 2, 0),
        ("finish", 1, 0),
        ("finish", 2, 0),
    ]
    assert con.execute("select count(*) from raw.crawl_runs").fetchall() == [(1,)]
    assert observations(con) == [
        ("a", "acme", "1", "A1"),
        ("a", "acme", "2", "B1"),
        ("a", "bolt", "9", "Q1"),
    ]


@pytest.mark.parametrize("warm", [False, True])
def test_a_single_batch_goes_to_the_workers_once_their_server_is_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: bool
) -> None:
    # this process shares its GIL with the GX import running in the background: the 100k
    # day's first group (one batch) took 2.1 s here against ~0.4 s in a worker; with no
    # server started (a small crawl), the batch stays here and no server is started for it
    monkeypatch.setattr(database, "WORKERS", 2)
    monkeypatch.setattr(database, "_workers_started", warm)
    pools = counted_pools(monkeypatch)
    raw = tmp_path / "raw"
    run, day, lines = runs()[0]
    write_run(raw, run, day, lines[2:])  # one posting: one batch
    con = warehouse()
    assert load(con, raw).new_versions == 1
    assert len(pools) == (1 if warm else 0)
    assert observations(con) == [("a", "bolt", "9", "Q1")]


def test_a_transaction_commits_its_block_or_rolls_it_back() -> None:
    con = warehouse()
    run = "insert into raw.crawl_runs (run_id, crawled_at, loaded_at) values (?, now(), now())"
    with database.transaction(con):
        con.execute(run, ["kept"])
    with pytest.raises(ValueError), database.transaction(con):
        con.execute(run, ["undone"])
        raise ValueError("the block failed")
    assert con.execute("select run_id from raw.crawl_runs").fetchall() == [("kept",)]


# the content hash as raw_postings_batch.sql computed it before the level field existed
HASH_BEFORE_LEVELS = """
    select posting_key, md5(concat_ws(chr(31),
        posting_key, coalesce(title, '∅'), coalesce(location_raw, '∅'),
        coalesce(country_raw, '∅'), coalesce(remote_raw, '∅'), coalesce(department, '∅'),
        coalesce(team, '∅'), coalesce(employment_type_raw, '∅'),
        coalesce(description_html, '∅'), coalesce(posted_at_raw, '∅'),
        coalesce(salary_stated::varchar, '∅'), coalesce(salary_text, '∅'), coalesce(url, '∅')
    )) from raw_postings_batch order by all
"""


def test_a_posting_without_a_level_keeps_its_content_hash(tmp_path: Path) -> None:
    # seniority_raw came after the lake began: a version without it must hash as before, or
    # an upgrade would make every stored posting look changed
    run, day, lines = runs()[0]
    files = write_run(tmp_path / "raw", run, day, lines)
    con = warehouse()
    con.execute(read_sql("staging/raw_postings_batch.sql"), {"files": files})
    now = con.execute(
        "select posting_key, content_hash from raw_postings_batch order by all"
    ).fetchall()
    assert now == con.execute(HASH_BEFORE_LEVELS).fetchall()
    # a level the board states is part of the version
    leveled = [{**lines[0], "seniority_raw": "Entry level"}]
    files = write_run(tmp_path / "raw2", run, day, leveled)
    con.execute(read_sql("staging/raw_postings_batch.sql"), {"files": files})
    ((key, content),) = con.execute(
        "select posting_key, content_hash from raw_postings_batch"
    ).fetchall()
    assert key == lines[0]["posting_key"] and content != dict(now)[key]
