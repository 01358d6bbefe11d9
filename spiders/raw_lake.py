"""The raw lake: append-only zstd-compressed JSON lines, partitioned by source, crawl date
and run.

    raw/source=<family>/date=<YYYY-MM-DD>/run=<run_id>/<board>.jsonl.zst
    raw/manifests/<run_id>.json

A file is written under a `.partial` name and renamed only when complete, and a run counts
only once its manifest exists (written last, atomically), so a killed crawl leaves nothing
a later run would read as complete.

A line is one record as compact JSON in UTF-8. Files are zstd level 1: compressing is much
of the crawl's CPU and decompressing most of the warehouse load's. On ~20 KB posting lines
zstd 1 wrote 3.4x faster than gzip 1, 24% smaller, and DuckDB read them 1.8x faster
(benchmarks/README.md). Lakes written before (`.jsonl.gz`, gzip) are read as they are:
`open_board_file` and the warehouse load take either.

A write that fails (a full disk, a read-only mount) is not a board's problem but the run's:
the writer stops writing, removes its partial files and records the failure in
`write_failures()`; the crawl then writes no manifest, so nothing of the run is published.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import os
import re
import shutil
import sys
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import IO, Any

import orjson

if sys.version_info >= (3, 14):
    from compression import zstd
else:  # the standard library's zstd module, backported (Scrapy depends on it too)
    from backports import zstd

PARTIAL_SUFFIX = ".partial"
BOARD_FILE_SUFFIX = ".jsonl.zst"
# what earlier versions wrote; still read, never written
LEGACY_SUFFIX = ".jsonl.gz"
COMPRESS_LEVEL = 1
# the types orjson and json.dumps write alike (floats: when finite); a record holding
# anything else is written by json.dumps, as every record used to be
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})

# every raw-lake write failure in this process (one crawl per process): the crawl checks it
_WRITE_FAILURES: list[str] = []


class RawLakeWriteError(OSError):
    """The raw lake could not be written (e.g. no space left): the run is not published."""


class RawLakeReadError(ValueError):
    """A file of the raw lake that a load needs cannot be read (a damaged manifest)."""


def write_failures() -> list[str]:
    return list(_WRITE_FAILURES)


def _describe(error: OSError, path: Path) -> str:
    return f"cannot write the raw lake at {path}: {error.strerror or error}"


def safe_name(token: str) -> str:
    """A board token as a file name: path separators and odd characters replaced."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", token)


def board_file(raw_root: Path, family: str, date: str, run_id: str, board: str) -> Path:
    return (
        raw_root
        / f"source={family}"
        / f"date={date}"
        / f"run={run_id}"
        / f"{safe_name(board)}{BOARD_FILE_SUFFIX}"
    )


def open_board_file(path: Path) -> IO[bytes]:
    """A published board file for reading, as bytes: zstd (`.jsonl.zst`) or, written by
    an earlier version, gzip (`.jsonl.gz`)."""
    if path.name.endswith(LEGACY_SUFFIX):
        return gzip.open(path, "rb")
    return zstd.open(path, "rb")


def board_files(raw_root: Path) -> list[Path]:
    """Every published board file under `raw_root` (partial files excluded), sorted."""
    return sorted(
        p for suffix in (BOARD_FILE_SUFFIX, LEGACY_SUFFIX) for p in raw_root.rglob(f"*{suffix}")
    )


def manifest_path(raw_root: Path, run_id: str) -> Path:
    return raw_root / "manifests" / f"{run_id}.json"


class RawLakeWriter:
    """Writes each board's items to its own partial file; `close()` publishes them."""

    def __init__(self, raw_root: Path, run_id: str, date: str) -> None:
        self.raw_root = raw_root
        self.run_id = run_id
        self.date = date
        self._open: dict[tuple[str, str], tuple[Path, IO[bytes]]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self.failed: str | None = None

    def write(self, record: dict[str, Any]) -> None:
        if self.failed is not None:
            return  # the run is lost already: do not keep writing to a full disk
        key = (record["source"], record["board"])
        opened = self._open.get(key)  # the board's path is built once, when its file opens
        try:
            if opened is None:
                final = board_file(self.raw_root, key[0], self.date, self.run_id, key[1])
                final.parent.mkdir(parents=True, exist_ok=True)
                partial = final.with_name(final.name + PARTIAL_SUFFIX)
                # held open across items and closed in close(): one handle per board file
                handle = zstd.open(partial, "wb", level=COMPRESS_LEVEL)  # noqa: SIM115
                opened = self._open[key] = (final, handle)
                self.counts[key] = 0
            opened[1].write(encode_line(record))
        except OSError as error:
            self._fail(error, board_file(self.raw_root, key[0], self.date, self.run_id, key[1]))
            return
        self.counts[key] += 1

    def close(self) -> dict[tuple[str, str], Path]:
        """Flush, fsync and rename every partial file; return the published paths.

        After a failed write nothing more is renamed and the partial files are removed."""
        published: dict[tuple[str, str], Path] = {}
        if self.failed is not None:
            self._discard()
            return published
        for key, (final, handle) in list(self._open.items()):
            partial = final.with_name(final.name + PARTIAL_SUFFIX)
            try:
                handle.close()
                _fsync(partial)
                os.replace(partial, final)
            except OSError as error:
                del self._open[key]
                partial.unlink(missing_ok=True)
                self._fail(error, final)
                return {}
            del self._open[key]
            published[key] = final
        return published

    def _fail(self, error: OSError, path: Path) -> None:
        self.failed = _describe(error, path)
        _WRITE_FAILURES.append(self.failed)
        self._discard()

    def _discard(self) -> None:
        for final, handle in self._open.values():
            with contextlib.suppress(OSError):
                handle.close()
            final.with_name(final.name + PARTIAL_SUFFIX).unlink(missing_ok=True)
        self._open.clear()


def encode_line(record: dict[str, Any]) -> bytes:
    """One raw-lake line: the record as compact JSON in UTF-8, then a newline.

    orjson writes nearly every record (several times faster than json.dumps, which was a
    quarter of the crawl's CPU). The records it would write differently, or refuse, are
    written by json.dumps exactly as before: a NaN or infinite float (orjson writes null;
    json keeps NaN / Infinity, which DuckDB reads), a lone surrogate (orjson refuses it;
    `_utf8` makes it U+FFFD), a non-str key or an int beyond 64 bits (refused), and any
    value not of a plain JSON type (a dataclass becomes a dict, anything else its str()).
    Both give the same keys in the same order with the same values; only a float's spelling
    may differ (1e16 / 1e+16), never its value."""
    if _plain_json(record):
        try:
            return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError:
            pass
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return _utf8(line) + b"\n"


def _plain_json(value: Any) -> bool:
    """Only dicts, lists, tuples, str, int, bool, None and finite floats, all the way down
    (exact types: a subclass may serialize differently). NaN and infinities do come from
    boards: Python's json reads `NaN`, `Infinity` and `1e999`."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())  # keys: orjson refuses any but str
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind not in _JSON_SCALARS or (kind is float and not math.isfinite(item)):
            return False
    return True


def _json_default(value: Any) -> Any:
    # as records were made before: dataclasses.asdict() of the item, then default=str
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


def _utf8(line: str) -> bytes:
    """UTF-8 bytes of a line. A board can send a lone surrogate escape ("\\ud800"), which
    no UTF-8 file (nor DuckDB's JSON reader) can hold: it becomes U+FFFD, so the posting is
    kept instead of failing the item (or, escaped, the whole run's load)."""
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError:
        fixed = line.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return fixed.encode("utf-8", "replace")


def write_manifest(raw_root: Path, run_id: str, manifest: dict[str, Any]) -> Path:
    """Atomically write the run manifest: the marker that the run's files are complete.

    Raises RawLakeWriteError, leaving no partial manifest, when it cannot be written."""
    path = manifest_path(raw_root, run_id)
    tmp = path.with_name(path.name + PARTIAL_SUFFIX)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(
            json.dumps(manifest, indent=2, sort_keys=True, default=str), encoding="utf-8"
        )
        _fsync(tmp)
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise RawLakeWriteError(_describe(error, path)) from error
    return path


def discard_run(raw_root: Path, run_id: str) -> None:
    """Remove the files of a run that will have no manifest (nothing could ever read them)."""
    for folder in raw_root.glob(f"source=*/date=*/run={run_id}"):
        shutil.rmtree(folder, ignore_errors=True)


def read_manifests(raw_root: Path) -> list[dict[str, Any]]:
    """Every complete run's manifest, oldest crawl first. A manifest that is not one (not
    JSON, or without its run id, crawl time and boards) raises RawLakeReadError naming it:
    skipped, its run would later load out of crawl order, or never."""
    folder = raw_root / "manifests"
    manifests = [_read_manifest(p) for p in folder.glob("*.json")] if folder.exists() else []
    return sorted(manifests, key=lambda m: (m["crawled_at"], m["run_id"]))


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError(f"a JSON {type(manifest).__name__}, not an object")
        missing = [k for k in ("run_id", "crawled_at", "boards") if k not in manifest]
        if missing:
            raise ValueError(f"no {', '.join(missing)}")
    except (ValueError, UnicodeDecodeError) as error:
        raise RawLakeReadError(
            f"the crawl manifest {path} cannot be read ({error}): restore it, or move it out of "
            f"{path.parent} to leave that crawl out of the warehouse"
        ) from None
    return manifest


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
