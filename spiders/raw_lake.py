"""The raw lake: append-only gzipped JSON lines, partitioned by source, crawl date and run.

    raw/source=<family>/date=<YYYY-MM-DD>/run=<run_id>/<board>.jsonl.gz
    raw/manifests/<run_id>.json

A file is written under a `.partial` name and renamed only when complete, and a run counts
only once its manifest exists (written last, atomically), so a killed crawl leaves nothing
a later run would read as complete.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from typing import IO, Any

PARTIAL_SUFFIX = ".partial"


def safe_name(token: str) -> str:
    """A board token as a file name: path separators and odd characters replaced."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", token)


def board_file(raw_root: Path, family: str, date: str, run_id: str, board: str) -> Path:
    return (
        raw_root
        / f"source={family}"
        / f"date={date}"
        / f"run={run_id}"
        / f"{safe_name(board)}.jsonl.gz"
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

    def write(self, record: dict[str, Any]) -> None:
        key = (record["source"], record["board"])
        if key not in self._open:
            final = board_file(self.raw_root, key[0], self.date, self.run_id, key[1])
            final.parent.mkdir(parents=True, exist_ok=True)
            partial = final.with_name(final.name + PARTIAL_SUFFIX)
            # held open across items and closed in close(): one handle per board file
            self._open[key] = (final, gzip.open(partial, "wb", compresslevel=5))  # noqa: SIM115
            self.counts[key] = 0
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
        self._open[key][1].write(line.encode("utf-8") + b"\n")
        self.counts[key] += 1

    def close(self) -> dict[tuple[str, str], Path]:
        """Flush, fsync and rename every partial file; return the published paths."""
        published: dict[tuple[str, str], Path] = {}
        for key, (final, handle) in self._open.items():
            handle.close()
            partial = final.with_name(final.name + PARTIAL_SUFFIX)
            _fsync(partial)
            os.replace(partial, final)
            published[key] = final
        self._open.clear()
        return published


def write_manifest(raw_root: Path, run_id: str, manifest: dict[str, Any]) -> Path:
    """Atomically write the run manifest: the marker that the run's files are complete."""
    path = manifest_path(raw_root, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + PARTIAL_SUFFIX)
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, path)
    return path


def read_manifests(raw_root: Path) -> list[dict[str, Any]]:
    """Every complete run's manifest, oldest crawl first."""
    folder = raw_root / "manifests"
    manifests = (
        [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")]
        if folder.exists()
        else []
    )
    return sorted(manifests, key=lambda m: (m["crawled_at"], m["run_id"]))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
