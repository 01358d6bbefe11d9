"""Load complete crawl runs from the raw lake into the warehouse, oldest first.

Only runs with a manifest count (a killed crawl has none); a run already in
`raw.crawl_runs` is skipped, so loading is idempotent and a rebuild from an empty
warehouse replays the whole lake in crawl order. Each new version's HTML goes straight from
the load's batch to the cleaning (a `VersionSink`), which stores it sanitized with its
text: the warehouse keeps no second copy of what the raw lake holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from pipelines.transforms.database import transaction
from spiders.raw_lake import read_manifests
from warehouse import read_sql

BOARD_COLUMNS = (
    "run_id",
    "crawled_at",
    "source",
    "board",
    "company",
    "homepage",
    "sector_hint",
    "prominence_hint",
    "outcome",
    "is_complete",
    "is_retryable",
    "error",
    "http_status",
    "requests",
    "pages",
    "postings",
    "dropped",
    "is_capped",
    "raw_file",
)


# The outcome of a board whose raw file holds fewer postings than its manifest lists: the
# crawl went well, but what it wrote cannot be read back whole (a truncated or damaged
# file, or one deleted since). Like any failed crawl it closes none of the board's postings.
UNREADABLE = "unreadable"


@dataclass
class LoadReport:
    runs_loaded: list[str]
    observations: int
    new_versions: int
    # one message per board file that could not be read whole, naming the file
    unreadable: list[str] = field(default_factory=list)


def pending_manifests(con: duckdb.DuckDBPyConnection, raw_root: Path) -> list[dict[str, Any]]:
    loaded = {row[0] for row in con.execute("select run_id from raw.crawl_runs").fetchall()}
    return [m for m in read_manifests(raw_root) if m["run_id"] not in loaded]


def pending_postings(con: duckdb.DuckDBPyConnection, raw_root: Path) -> int:
    """The postings that the crawl runs not loaded yet list, by their manifests' board counts."""
    manifests = pending_manifests(con, raw_root)
    return sum(board.get("postings") or 0 for m in manifests for board in m["boards"])


class VersionSink(Protocol):
    """Where the load hands the new versions of each group of board files: the cleaning
    (cleaner.VersionCleaner), which writes staging.stg_posting_versions."""

    def batch_rows(self, versions: int) -> int:
        """The rows per Arrow batch to hand over `versions` new versions in."""
        ...

    def start(self, batches: Sequence[pa.RecordBatch]) -> Callable[[], int]:
        """Start storing these new versions (new_versions_in_batch.sql's columns); the call
        it returns finishes that and says how many rows it wrote."""
        ...


def load_pending_runs(
    con: duckdb.DuckDBPyConnection, raw_root: Path, sink: VersionSink
) -> LoadReport:
    report = LoadReport([], 0, 0)
    for manifest in pending_manifests(con, raw_root):
        observations, versions = load_run(con, raw_root, manifest, sink, report.unreadable)
        report.runs_loaded.append(manifest["run_id"])
        report.observations += observations
        report.new_versions += versions
    if report.runs_loaded:
        # what the load and the cleaning appended is checkpointed with the load, so the
        # steps after it start from an empty write-ahead log
        con.execute("checkpoint")
    return report


def load_run(
    con: duckdb.DuckDBPyConnection,
    raw_root: Path,
    manifest: dict[str, Any],
    sink: VersionSink,
    unreadable: list[str] | None = None,
) -> tuple[int, int]:
    """Load one run group by group of board files: each group's observations and new
    versions in one transaction, then its new versions through `sink`. The run is recorded
    (raw.crawl_runs, raw.board_crawls) after its last group, so a run counts as loaded only
    when all of it is. A failure leaves the groups before it in the build file, which the
    next run discards: every run starts from the published warehouse (database.reset_build).
    A board file that yields fewer postings than the manifest lists is recorded as an
    `unreadable` crawl (see `unreadable_boards`) and its message appended to `unreadable`."""
    files = [str(raw_root / b["file"]) for b in manifest["boards"] if b.get("file")]
    files = [f for f in files if Path(f).exists()]
    observations = versions = 0
    lines: dict[tuple[str, str], int] = {}  # postings read back, by (source, board)
    broken: dict[str, str] = {}  # files that cannot be read at all -> why
    # board files in groups: the batch table holds the HTML of every new version, on a
    # first load or a rebuild every posting's, and would grow with the run (1M postings:
    # ~7 GB); a board's postings are all in its one file and posting keys name their
    # board, so per-group results add up exactly (and a version stored by one group is
    # never in another's batch)
    budget = GROUP_BYTES
    stored: Callable[[], int] | None = None  # the last group's versions, still being stored
    while files:
        group, files = _next_group(files, budget)
        try:
            seen, new = _load_group(con, group, sink, lines)
        except (duckdb.IOException, duckdb.InvalidInputException):
            # a file that cannot be decompressed or parsed fails its whole group: find it,
            # and load the group without it (it is then an unreadable board below)
            broken.update(_unreadable_files(con, group))
            group = [f for f in group if f not in broken]
            seen, new = _load_group(con, group, sink, lines) if group else (0, [])
        rows = sum(batch.num_rows for batch in new)
        observations, versions = observations + seen, versions + rows
        budget = next_group_bytes(seen, rows)
        # this group's versions are started before the last group's are finished: the
        # cleaning's workers stay busy while this process stores and reads
        started = _started(sink, new, rows)
        if stored is not None:
            stored()
        stored = started
    if stored is not None:
        stored()
    manifest = unreadable_boards(manifest, lines, raw_root, broken)
    if unreadable is not None:
        unreadable += [b["error"] for b in manifest["boards"] if b["outcome"] == UNREADABLE]
    with transaction(con):
        con.execute(
            "insert into raw.crawl_runs values (?, ?, ?, ?, ?, ?)",
            [
                manifest["run_id"],
                manifest["crawled_at"],
                manifest.get("finished_at"),
                manifest.get("sources_file"),
                datetime.now(UTC),
                json.dumps(manifest),
            ],
        )
        con.register("board_crawls_batch", _board_table(manifest))
        con.execute("insert into raw.board_crawls select * from board_crawls_batch")
        con.unregister("board_crawls_batch")
    return observations, versions


def unreadable_boards(
    manifest: dict[str, Any],
    lines: dict[tuple[str, str], int],
    raw_root: Path,
    broken: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest with every board whose file gave back fewer postings than it lists
    (`postings` less `dropped`) marked as an incomplete `unreadable` crawl, its error naming
    the file (and, from `broken`, why it could not be read at all). DuckDB reads a truncated
    zstd file as no rows, without an error: taken as written, such a board would close
    every posting it holds."""
    broken = broken or {}
    boards = []
    for board in manifest["boards"]:
        written = (board.get("postings") or 0) - (board.get("dropped") or 0)
        read = lines.get((board["source"], board["board"]), 0)
        if board.get("file") and read < written:
            path = raw_root / board["file"]
            why = (
                f"cannot be read ({broken[str(path)]})"
                if str(path) in broken
                else "is missing"
                if not path.exists()
                else "is truncated or damaged"
            )
            board = {
                **board,
                "outcome": UNREADABLE,
                "complete": False,
                "retryable": False,
                "error": f"raw file {path} {why}: it gave back {read} of the {written} "
                f"postings its manifest lists, so this crawl closes none of the board's postings",
            }
        boards.append(board)
    return {**manifest, "boards": boards}


def _unreadable_files(con: duckdb.DuckDBPyConnection, files: list[str]) -> dict[str, str]:
    """Each of `files` that DuckDB cannot read through, with its error's first line."""
    broken = {}
    for file in files:
        try:
            con.execute(read_sql("staging/raw_file_postings.sql"), {"files": [file]}).fetchall()
        except (duckdb.IOException, duckdb.InvalidInputException) as error:
            broken[file] = str(error).strip().splitlines()[0]
    return broken


def _load_group(
    con: duckdb.DuckDBPyConnection,
    files: list[str],
    sink: VersionSink,
    lines: dict[tuple[str, str], int],
) -> tuple[int, list[pa.RecordBatch]]:
    """One group of board files in one transaction: its observations and its new versions'
    fields are stored; the new versions come back whole, as Arrow batches for `sink`. The
    postings read are counted into `lines` by (source, board)."""
    with transaction(con):
        con.execute(read_sql("staging/raw_postings_batch.sql"), {"files": files})
        per_board = "select source, board, count(*) from raw_postings_batch group by all"
        for source, board, count in con.execute(per_board).fetchall():
            lines[(source, board)] = lines.get((source, board), 0) + count
        # an insert returns its row count: one observation per posting of the run
        seen = _inserted(con, read_sql("staging/stg_observations.sql"))
        con.execute(read_sql("staging/version_fingerprints.sql"))
        count = "select count(distinct content_hash) from raw_postings_batch where not is_stored"
        rows = con.execute(count).fetchall()[0][0]
        new: list[pa.RecordBatch] = []
        if rows:
            query = read_sql("staging/new_versions_in_batch.sql")
            new = list(con.sql(query).to_arrow_reader(sink.batch_rows(rows)))
        con.execute("drop table raw_postings_batch")
        if new:
            con.register("new_versions", pa.Table.from_batches(new))
            _inserted(con, read_sql("staging/raw_posting_versions.sql"))
            con.unregister("new_versions")
    return seen, new


def _started(sink: VersionSink, new: list[pa.RecordBatch], rows: int) -> Callable[[], int] | None:
    """The sink started on a group's `rows` new versions; the call that finishes it checks
    that all of them were written."""
    if not rows:
        return None
    finish = sink.start(new)

    def finished() -> int:
        if (written := finish()) != rows:
            raise RuntimeError(f"the cleaning wrote {written} of {rows} new versions")
        return written

    return finished


def _inserted(con: duckdb.DuckDBPyConnection, insert: str) -> int:
    return con.execute(insert).fetchall()[0][0]


# compressed bytes of board files per batch when every posting is a new version: ~17k
# postings of ~22 KB JSON lines, a few hundred MB once parsed; enough files per batch that
# DuckDB reads them on all threads
GROUP_BYTES = 64 * 1024 * 1024
# A daily crawl is mostly versions already stored, whose batch rows carry no HTML: after a
# group with a small share of new versions the next one may be up to this many times larger.
# Fewer groups read the files on all threads for longer and scan the stored hashes fewer
# times: the 100k benchmark's day loaded in 6.3-6.6 s as one group against 7.6 s as six.
# The bound matters when a group turns out all new after a mostly stored one: its batch
# then holds up to this many groups' HTML (DuckDB spills beyond its memory limit).
MAX_GROUP_GROWTH = 8


def next_group_bytes(observations: int, new_versions: int) -> int:
    """The next group's size, from the share of new versions in the last one: what the batch
    table holds of the HTML stays about what a group of new versions only would hold."""
    share = new_versions / observations if observations else 1.0
    return int(GROUP_BYTES * min(MAX_GROUP_GROWTH, 1 / max(share, 1 / MAX_GROUP_GROWTH)))


def _next_group(files: list[str], budget: int) -> tuple[list[str], list[str]]:
    """The first files up to `budget` compressed bytes (at least one), and the rest."""
    size = 0
    for taken, file in enumerate(files):
        if taken and size >= budget:
            return files[:taken], files[taken:]
        size += Path(file).stat().st_size
    return files, []


def _board_table(manifest: dict[str, Any]) -> pa.Table:
    rows = [
        {
            "run_id": manifest["run_id"],
            "crawled_at": datetime.fromisoformat(manifest["crawled_at"]),
            "source": b["source"],
            "board": b["board"],
            "company": b.get("company"),
            "homepage": b.get("homepage"),
            "sector_hint": b.get("sector"),
            "prominence_hint": b.get("prominence"),
            "outcome": b["outcome"],
            "is_complete": bool(b.get("complete")),
            "is_retryable": b.get("retryable"),
            "error": b.get("error"),
            "http_status": b.get("http_status"),
            "requests": b.get("requests"),
            "pages": b.get("pages"),
            "postings": b.get("postings"),
            "dropped": b.get("dropped"),
            "is_capped": b.get("capped"),
            "raw_file": b.get("file"),
        }
        for b in manifest["boards"]
    ]
    schema = pa.schema(
        [
            ("run_id", pa.string()),
            ("crawled_at", pa.timestamp("us", tz="UTC")),
            ("source", pa.string()),
            ("board", pa.string()),
            ("company", pa.string()),
            ("homepage", pa.string()),
            ("sector_hint", pa.string()),
            ("prominence_hint", pa.string()),
            ("outcome", pa.string()),
            ("is_complete", pa.bool_()),
            ("is_retryable", pa.bool_()),
            ("error", pa.string()),
            ("http_status", pa.int32()),
            ("requests", pa.int32()),
            ("pages", pa.int32()),
            ("postings", pa.int32()),
            ("dropped", pa.int32()),
            ("is_capped", pa.bool_()),
            ("raw_file", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def load_pending_checks(con: duckdb.DuckDBPyConnection, raw_root: Path) -> int:
    """Load `unheard sources check` results (raw/checks/*.json) not loaded yet."""
    folder = raw_root / "checks"
    if not folder.is_dir():
        return 0
    loaded = {
        row[0]
        for row in con.execute("select distinct check_file from raw.source_checks").fetchall()
    }
    rows = []
    for path in sorted(folder.glob("*.json")):
        if path.name in loaded:
            continue
        for result in json.loads(path.read_text(encoding="utf-8")):
            rows.append(
                {
                    "check_file": path.name,
                    "checked_at": datetime.fromisoformat(result["checked_at"]),
                    "source": result["family"],
                    "board": result["board"],
                    "company": result.get("company"),
                    "url": result.get("url"),
                    "outcome": result["outcome"],
                    "posting_count": result.get("count"),
                    "count_exact": result.get("count_exact"),
                    "is_retryable": result.get("retryable"),
                    "http_status": result.get("http_status"),
                    "reason": result.get("reason"),
                }
            )
    if rows:
        schema = pa.schema(
            [
                ("check_file", pa.string()),
                ("checked_at", pa.timestamp("us", tz="UTC")),
                ("source", pa.string()),
                ("board", pa.string()),
                ("company", pa.string()),
                ("url", pa.string()),
                ("outcome", pa.string()),
                ("posting_count", pa.int32()),
                ("count_exact", pa.bool_()),
                ("is_retryable", pa.bool_()),
                ("http_status", pa.int32()),
                ("reason", pa.string()),
            ]
        )
        con.register("checks_batch", pa.Table.from_pylist(rows, schema=schema))
        con.execute("insert into raw.source_checks by name select * from checks_batch")
        con.unregister("checks_batch")
    return len(rows)
