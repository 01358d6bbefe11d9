"""A board file of the raw lake that cannot be read back whole (truncated, damaged, deleted)
must neither close the board's postings nor stop the load: its crawl is recorded as an
incomplete `unreadable` one whose error names the file, and every other board loads.

DuckDB reads a zstd file cut short as no rows, without an error; before this check such a
board looked like a complete crawl that listed nothing, and closed all of its postings."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from pipelines.transforms import cleaner, raw_loader
from spiders import raw_lake
from spiders.raw_lake import board_file, write_manifest
from tests.unit.test_raw_loader import line
from warehouse import read_sql

RUN, DAY = "20261101T060000Z-u", "2026-11-01"


def write_lake(raw: Path, postings: dict[str, int]) -> dict[str, Path]:
    """One crawl run: `postings[board]` lines per board file, and a manifest that lists
    them as the crawler does (`postings`, `dropped`)."""
    entries, paths = [], {}
    for board, count in postings.items():
        path = board_file(raw, "greenhouse", DAY, RUN, board)
        path.parent.mkdir(parents=True, exist_ok=True)
        with raw_lake.zstd.open(path, "wb") as handle:
            for job in range(count):
                handle.write(json.dumps(line(RUN, "01", board, str(job), board)).encode() + b"\n")
        paths[board] = path
        entries.append(
            {
                "source": "greenhouse",
                "board": board,
                "outcome": "ok",
                "complete": True,
                "postings": count,
                "dropped": 0,
                "file": str(path.relative_to(raw)),
            }
        )
    write_manifest(
        raw, RUN, {"run_id": RUN, "crawled_at": f"{DAY}T06:00:00+00:00", "boards": entries}
    )
    return paths


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def not_zstd(path: Path) -> None:
    path.write_bytes(b"this is not a zstd stream")


def malformed_line(path: Path) -> None:
    lines = [json.dumps(line(RUN, "01", "acme", str(job), "acme")).encode() for job in range(3)]
    lines.insert(1, b'{"source": "greenhouse", "board": broken')
    with raw_lake.zstd.open(path, "wb") as handle:
        handle.write(b"\n".join(lines) + b"\n")


def delete(path: Path) -> None:
    path.unlink()


DAMAGE = {
    "truncated": (truncate, "is truncated or damaged"),
    "not zstd": (not_zstd, "cannot be read (IO Error"),
    "malformed line": (malformed_line, "cannot be read (Invalid Input Error: Malformed JSON"),
    "deleted": (delete, "is missing"),
}


def load(raw: Path) -> tuple[duckdb.DuckDBPyConnection, raw_loader.LoadReport]:
    con = duckdb.connect()
    con.execute(read_sql("schema.sql"))
    with cleaner.VersionCleaner(con) as sink:
        return con, raw_loader.load_pending_runs(con, raw, sink)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_board_file_that_cannot_be_read_whole_is_an_unreadable_crawl(
    tmp_path: Path, damage: str
) -> None:
    raw = tmp_path / "raw"
    paths = write_lake(raw, {"acme": 3, "bolt": 2})  # both in one group of files
    spoil, why = DAMAGE[damage]
    spoil(paths["acme"])

    con, report = load(raw)

    (message,) = report.unreadable
    assert str(paths["acme"]) in message and why in message
    assert "of the 3 postings its manifest lists" in message
    crawls = con.execute(
        "select board, outcome, is_complete, is_retryable, error from raw.board_crawls "
        "order by board"
    ).fetchall()
    assert crawls == [
        ("acme", "unreadable", False, False, message),
        ("bolt", "ok", True, None, None),
    ]
    # the other board of the group loaded whole, and the run counts as loaded
    observed = con.execute(
        "select board, count(*) from staging.stg_observations group by board"
    ).fetchall()
    assert dict(observed).get("bolt") == 2 and dict(observed).get("acme", 0) < 3
    assert raw_loader.pending_manifests(con, raw) == []


def test_files_read_whole_are_complete_crawls(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_lake(raw, {"acme": 3, "bolt": 2})
    con, report = load(raw)
    assert report.unreadable == []
    assert con.execute(
        "select count(*) filter (where outcome = 'ok' and is_complete) from raw.board_crawls"
    ).fetchall() == [(2,)]


def test_postings_the_crawler_dropped_are_not_missing_from_the_file(tmp_path: Path) -> None:
    """`postings` counts what the board listed, `dropped` what validation kept out of the
    file: a file with postings less dropped lines is whole."""
    manifest = {
        "boards": [
            {"source": "lever", "board": "a", "postings": 5, "dropped": 2, "file": "a.jsonl.zst",
             "outcome": "ok", "complete": True},
            {"source": "lever", "board": "b", "postings": 5, "dropped": 1, "file": "b.jsonl.zst",
             "outcome": "ok", "complete": True},
            {"source": "lever", "board": "c", "postings": 0, "file": None,
             "outcome": "error", "complete": False, "error": "HTTP 500"},
        ]
    }  # fmt: skip
    lines = {("lever", "a"): 3, ("lever", "b"): 3}
    marked = raw_loader.unreadable_boards(manifest, lines, tmp_path)["boards"]
    assert [(b["board"], b["outcome"], b["complete"]) for b in marked] == [
        ("a", "ok", True),
        ("b", raw_loader.UNREADABLE, False),
        ("c", "error", False),  # a failed crawl wrote no file: left as it was
    ]
    assert "gave back 3 of the 4 postings" in marked[1]["error"]
    assert manifest["boards"][1]["outcome"] == "ok"  # the manifest read is not changed


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('{"run_id": "r", "crawled_at": "2026-1', "Unterminated string"),
        ("[]", "a JSON list, not an object"),
        ('{"run_id": "r", "boards": []}', "no crawled_at"),
        (b"\xff\xfe", "can't decode"),
    ],
)
def test_a_manifest_that_is_not_one_is_an_error_naming_it(
    tmp_path: Path, content: str | bytes, why: str
) -> None:
    raw = tmp_path / "raw"
    write_lake(raw, {"acme": 1})
    bad = raw / "manifests" / "20261102T060000Z-v.json"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(raw_lake.RawLakeReadError) as error:
        raw_lake.read_manifests(raw)
    assert str(bad) in str(error.value) and why in str(error.value)
