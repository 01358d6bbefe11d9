"""A synthetic but realistic corpus for the pipeline benchmark, written as a raw lake.

Postings are sampled from the real Ashby captures in `../shared/realdata/ashby` (full HTML,
real titles, places and compensation; the demo boards under `pipelines/demo/boards` when
that folder is absent) and varied: new ids, invented companies and boards across three
board families (Ashby, Greenhouse with entity-escaped HTML, Lever with epoch-ms dates),
title variants, posting dates spread over a year, a company paragraph in each text. About
2% of companies also list part of their roles on a second board, so cross-source dedup has
real work. The files are exactly what `spiders.crawl` writes: one zstd-compressed JSON-lines file
per board under `raw/source=<family>/date=<d>/run=<id>/` plus the run manifest.

Everything is deterministic in (n, seed): `write_incremental_day` regenerates the same
boards and writes the next day's crawl, in which 2% of postings changed, 1% are new and 1%
are gone (closed).

    python -m benchmarks.corpus --n 10000 --data-dir /tmp/corpus [--incremental]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from spiders.raw_lake import COMPRESS_LEVEL, board_file, write_manifest, zstd
from warehouse.codes import SECTOR_CODES

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
DEMO_BOARDS = PROJECT_ROOT / "pipelines" / "demo" / "boards"

FAMILIES = (("ashby", 0.40), ("greenhouse", 0.35), ("lever", 0.25))
MEAN_BOARD_SIZE = 250
MIRROR_SHARE = 0.02  # companies that also list (part of) their roles on a second board
DAY0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
# the sector hints companies get: every code but `other`, or none (left to the tagger)
SECTORS = (*SECTOR_CODES[:-1], None, None, None)
PREFIXES = (
    "Grid",
    "Terra",
    "Helio",
    "Agri",
    "Medi",
    "Civic",
    "Ferro",
    "Aqua",
    "Volt",
    "Carbon",
    "Bio",
    "Geo",
    "Neuro",
    "Quanta",
    "Harvest",
    "Tidal",
    "Solar",
    "Atlas",
    "Nimbus",
    "Kestrel",
    "Boreal",
    "Cobalt",
    "Delta",
    "Ember",
    "Fathom",
    "Granite",
    "Lumen",
    "Meridian",
    "Orbit",
    "Pioneer",
    "Radiant",
    "Sable",
    "Verdant",
    "Zephyr",
)
SUFFIXES = (
    "wise",
    "works",
    "labs",
    "logic",
    "metrics",
    "scale",
    "sense",
    "flow",
    "forge",
    "path",
    "loop",
    "stack",
    "field",
    "grid",
    "mind",
    "point",
)
LEGAL = ("", "", "", " Inc", " GmbH", " Ltd", " Technologies", " Health", " Energy")
TITLE_PREFIXES = ("Senior ", "Staff ", "Lead ", "Junior ", "Principal ")
TITLE_SUFFIXES = (
    " II",
    " III",
    ", Platform",
    ", Applied Research",
    " (Remote)",
    " - EMEA",
    ", Growth",
    ", Data Platform",
)


@dataclass(frozen=True)
class Board:
    index: int
    family: str
    company: str
    token: str
    size: int
    homepage: str
    sector: str | None
    mirror_of: int | None = None  # index of the company's primary board


# -- base postings (real captures) ------------------------------------------------------
_BASE: list[dict[str, Any]] | None = None


def base_postings() -> list[dict[str, Any]]:
    """Canonical records (as the spiders write them) of every real posting with a text."""
    global _BASE
    if _BASE is None:
        _BASE = _real_ashby() if (REALDATA / "ashby").is_dir() else _demo_boards()
        if not _BASE:
            raise RuntimeError("no base postings: neither realdata nor demo boards found")
    return _BASE


def _records(items: list[Any]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        if not item.description_html or not item.title:
            continue
        record = item.to_record()
        record["raw"] = item.raw  # asdict() deep-copied it; the original is as good
        out.append(record)
    return out


def _real_ashby() -> list[dict[str, Any]]:
    from spiders.extract.ashby import extract_jobs
    from spiders.registry import Source

    records: list[dict[str, Any]] = []
    for path in sorted((REALDATA / "ashby").glob("*.json.gz")):
        with gzip.open(path, "rb") as handle:
            payload = orjson.loads(handle.read())
        org = path.name.removesuffix(".json.gz")
        source = Source(company=org, family="ashby", token=org.replace("%20", "-"))
        try:
            records.extend(_records(extract_jobs(payload, source)))
        except ValueError:
            continue
    return records


def _demo_boards() -> list[dict[str, Any]]:
    from spiders.extract import ashby, greenhouse, lever
    from spiders.registry import Source

    extractors = {
        "ashby": ashby.extract_jobs,
        "greenhouse": greenhouse.extract_jobs,
        "lever": lever.extract_postings,
    }
    records: list[dict[str, Any]] = []
    for family, extract in extractors.items():
        for path in sorted((DEMO_BOARDS / family).glob("*.json")):
            source = Source(company=path.stem, family=family, token=path.stem)
            items = extract(orjson.loads(path.read_bytes()), source)
            for record in _records(items):
                if record["description_is_escaped"]:  # keep base HTML unescaped
                    record["description_html"] = html.unescape(record["description_html"])
                    record["description_is_escaped"] = False
                records.append(record)
    return records


# -- boards ---------------------------------------------------------------------------
def plan_boards(n: int, seed: int = 1) -> list[Board]:
    """Boards whose sizes add up to exactly n postings."""
    rng = random.Random(f"{seed}:boards")
    boards: list[Board] = []
    left = n
    index = 0
    while left > 0:
        size = min(left, max(5, int(rng.expovariate(1 / MEAN_BOARD_SIZE))))
        family = rng.choices([f for f, _ in FAMILIES], [w for _, w in FAMILIES])[0]
        name = (
            f"{rng.choice(PREFIXES)}{rng.choice(SUFFIXES)}"
            f"{' ' + str(index) if index >= 500 else ''}{rng.choice(LEGAL)}"
        )
        slug = name.lower().replace(" ", "-")
        primary = Board(
            index, family, name, f"{slug}-{index}", size, f"{slug}.example", rng.choice(SECTORS)
        )
        boards.append(primary)
        left -= size
        index += 1
        if left > 0 and rng.random() < MIRROR_SHARE:
            other = rng.choice([f for f, _ in FAMILIES if f != family])
            mirror_size = min(left, max(1, size // 2))
            boards.append(
                Board(
                    index,
                    other,
                    name,
                    f"{slug}-{other}-{index}",
                    mirror_size,
                    primary.homepage,
                    primary.sector,
                    mirror_of=primary.index,
                )
            )
            left -= mirror_size
            index += 1
    return boards


def _job_id(family: str, rng: random.Random) -> str:
    if family == "greenhouse":
        return str(rng.randrange(4_000_000_000, 9_999_999_999))
    value = f"{rng.getrandbits(128):032x}"
    return f"{value[:8]}-{value[8:12]}-4{value[13:16]}-a{value[17:20]}-{value[20:]}"


def _posted_at(family: str, moment: datetime) -> str:
    if family == "lever":
        return str(int(moment.timestamp() * 1000))
    if family == "greenhouse":
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "-04:00"
    return moment.isoformat(timespec="milliseconds")


def _url(family: str, token: str, job_id: str) -> str:
    if family == "greenhouse":
        return f"https://job-boards.greenhouse.io/{token}/jobs/{job_id}"
    if family == "lever":
        return f"https://jobs.lever.co/{token}/{job_id}"
    return f"https://jobs.ashbyhq.com/{token}/{job_id}"


def _title(base: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(TITLE_PREFIXES) + base
    if roll < 0.45:
        return base + rng.choice(TITLE_SUFFIXES)
    return base


def board_postings(board: Board, seed: int, boards: list[Board]) -> list[dict[str, Any]]:
    """The day-0 postings of one board, as fields before serialization (no run fields)."""
    base = base_postings()
    rng = random.Random(f"{seed}:board:{board.index}")
    if board.mirror_of is not None:
        primary = board_postings(boards[board.mirror_of], seed, boards)
        out = []
        for posting in primary[: board.size]:
            job_id = _job_id(board.family, rng)
            out.append(
                {**posting, "source_job_id": job_id, "url": _url(board.family, board.token, job_id)}
            )
        return [_as_family(p, board) for p in out]
    intro = (
        f"<p><strong>About {html.escape(board.company)}</strong></p>"
        f"<p>{html.escape(board.company)} is hiring across its teams. "
        f"Posting reference {board.index}.</p>"
    )
    postings = []
    for _ in range(board.size):
        record = base[rng.randrange(len(base))]
        job_id = _job_id(board.family, rng)
        moment = DAY0 - timedelta(seconds=rng.randrange(365 * 86_400))
        postings.append(
            {
                "base": record,
                "source_job_id": job_id,
                "url": _url(board.family, board.token, job_id),
                "title": _title(record["title"], rng),
                "posted_at": moment,
                "intro": intro,
                "body": _mixed_body(record, base, rng),
            }
        )
    return [_as_family(p, board) for p in postings]


_BLOCK_END = re.compile(r"(?<=</p>)|(?<=</ul>)|(?<=</ol>)|(?<=</h[1-6]>)")
MIX_SHARE = 0.35


def _mixed_body(record: dict[str, Any], base: list[dict[str, Any]], rng: random.Random) -> str:
    """The base posting's HTML with about a third of its blocks (paragraphs, lists, headings)
    taken from another real posting: real HTML and lengths, but no text repeated whole ~180
    times at 1M postings (which would flatter compression and dedup)."""
    chunks = record.get("_chunks")
    if chunks is None:
        chunks = record["_chunks"] = [c for c in _BLOCK_END.split(record["description_html"]) if c]
    donor = base[rng.randrange(len(base))]
    donor_chunks = donor.get("_chunks")
    if donor_chunks is None:
        donor_chunks = donor["_chunks"] = [
            c for c in _BLOCK_END.split(donor["description_html"]) if c
        ]
    mixed = [
        donor_chunks[rng.randrange(len(donor_chunks))] if rng.random() < MIX_SHARE else chunk
        for chunk in chunks
    ]
    return "".join(mixed)


def _as_family(posting: dict[str, Any], board: Board) -> dict[str, Any]:
    return {**posting, "family": board.family, "board": board}


def _record(posting: dict[str, Any], run_id: str, crawled_at: str) -> bytes:
    """One raw-lake JSON line. The raw payload (~14 KB) is serialized once per base posting
    and spliced in: serializing it per line would dominate the corpus writing."""
    base = posting["base"]
    board: Board = posting["board"]
    family = board.family
    escaped = family == "greenhouse"
    cache = base.setdefault("_json", {})
    if "raw" not in cache:
        rest = {k: v for k, v in base["raw"].items() if k not in ("id", "title")}
        cache["raw"] = orjson.dumps(rest)
    text = posting["intro"] + posting["body"]
    description = orjson.dumps(html.escape(text) if escaped else text)
    job_id, title = posting["source_job_id"], posting["title"]
    head = orjson.dumps(
        {
            "source": family,
            "board": board.token,
            "company": board.company,
            "source_job_id": job_id,
            "url": posting["url"],
            "title": title,
            "apply_url": posting["url"] + "/apply",
            "location_raw": base["location_raw"],
            "country_raw": base["country_raw"],
            "remote_raw": base["remote_raw"],
            "department": base["department"],
            "team": base["team"],
            "employment_type_raw": base["employment_type_raw"],
            "description_is_escaped": escaped,
            "posted_at_raw": _posted_at(family, posting["posted_at"]),
            "updated_at_raw": None,
            "salary_stated": base["salary_stated"],
            "salary_text": base["salary_text"],
            "posting_key": f"{family}:{board.token}:{job_id}",
            "run_id": run_id,
            "crawled_at": crawled_at,
        }
    )
    raw_head = orjson.dumps({"id": job_id, "title": title})
    raw = raw_head[:-1] + (b"," + cache["raw"][1:] if len(cache["raw"]) > 2 else b"}")
    return head[:-1] + b',"description_html":' + description + b',"raw":' + raw + b"}"


# -- the incremental day --------------------------------------------------------------
CHANGED, NEW, CLOSED = 0.02, 0.01, 0.01


def next_day_postings(
    board: Board, seed: int, boards: list[Board], day: int
) -> list[dict[str, Any]]:
    """Day `day`'s postings of a board: 1% gone, 2% changed, 1% new (of the board's size)."""
    postings = board_postings(board, seed, boards)
    rng = random.Random(f"{seed}:board:{board.index}:day:{day}")
    base = base_postings()
    out = []
    for posting in postings:
        roll = rng.random()
        if roll < CLOSED:
            continue
        if roll < CLOSED + CHANGED:
            kind = rng.randrange(3)
            body = posting["body"]
            if kind == 0:
                posting = {
                    **posting,
                    "body": body + "<p>Updated: we now also offer a "
                    "relocation package and flexible hours.</p>",
                }
            elif kind == 1:
                posting = {**posting, "title": posting["title"] + " (Updated)"}
            else:
                posting = {**posting, "body": body.replace("</p>", " (revised)</p>", 1)}
        out.append(posting)
    for _ in range(_new_count(board.size, rng)):
        record = base[rng.randrange(len(base))]
        job_id = _job_id(board.family, rng)
        out.append(
            _as_family(
                {
                    "base": record,
                    "source_job_id": job_id,
                    "url": _url(board.family, board.token, job_id),
                    "title": _title(record["title"], rng),
                    "posted_at": DAY0 + timedelta(days=day - 1),
                    "intro": "",
                    "body": _mixed_body(record, base, rng),
                },
                board,
            )
        )
    return out


def _new_count(size: int, rng: random.Random) -> int:
    expected = size * NEW
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


# -- writing --------------------------------------------------------------------------
_WORKER_STATE: dict[str, Any] = {}


def _init_worker(boards: list[Board], seed: int) -> None:
    _WORKER_STATE["boards"] = boards
    _WORKER_STATE["seed"] = seed
    base_postings()


def _write_boards(
    indexes: list[int], raw_root: str, run_id: str, crawled_at: str, date: str, day: int
) -> list[dict[str, Any]]:
    boards: list[Board] = _WORKER_STATE["boards"]
    seed: int = _WORKER_STATE["seed"]
    entries = []
    for index in indexes:
        board = boards[index]
        postings = (
            board_postings(board, seed, boards)
            if day == 0
            else next_day_postings(board, seed, boards, day)
        )
        path = board_file(Path(raw_root), board.family, date, run_id, board.token)
        path.parent.mkdir(parents=True, exist_ok=True)
        # one compressed write per board, as the raw lake's writer compresses
        body = b"".join(_record(p, run_id, crawled_at) + b"\n" for p in postings)
        with zstd.open(path, "wb", level=COMPRESS_LEVEL) as handle:
            handle.write(body)
        entries.append(
            {
                "source": board.family,
                "board": board.token,
                "company": board.company,
                "homepage": board.homepage,
                "sector": board.sector,
                "prominence": None,
                "outcome": "ok" if postings else "empty",
                "retryable": False,
                "complete": True,
                "error": None,
                "http_status": 200,
                "requests": 1,
                "pages": 1,
                "postings": len(postings),
                "dropped": 0,
                "capped": False,
                "file": str(path.relative_to(raw_root)),
            }
        )
    return entries


def write_corpus(
    data_dir: Path, n: int, seed: int = 1, day: int = 0, workers: int = 2
) -> dict[str, Any]:
    """Write day `day` of the corpus of n postings (day 0: the full crawl) as one crawl run
    of the raw lake under data_dir/raw; return the manifest."""
    started = time.monotonic()
    raw_root = Path(data_dir) / "raw"
    boards = plan_boards(n, seed)
    crawled = DAY0 + timedelta(days=day)
    run_id = f"{crawled:%Y%m%dT%H%M%SZ}-bench{day}"
    date = crawled.strftime("%Y-%m-%d")
    chunks = [list(range(i, len(boards), workers * 4)) for i in range(workers * 4)]
    entries: list[dict[str, Any]] = []
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(boards, seed)) as pool:
        futures = [
            pool.submit(_write_boards, chunk, str(raw_root), run_id, crawled.isoformat(), date, day)
            for chunk in chunks
            if chunk
        ]
        for future in futures:
            entries.extend(future.result())
    entries.sort(key=lambda b: (b["source"], b["board"]))
    totals: dict[str, int] = {
        "boards": len(entries),
        "postings": sum(b["postings"] for b in entries),
        "requests": len(entries),
        "outcome_ok": len(entries),
    }
    manifest = {
        "run_id": run_id,
        "crawled_at": crawled.isoformat(),
        "finished_at": (crawled + timedelta(minutes=5)).isoformat(),
        "duration_s": round(time.monotonic() - started, 3),
        "sources_file": "benchmarks/corpus.py",
        "boards": entries,
        "totals": totals,
    }
    write_manifest(raw_root, run_id, manifest)
    return manifest


def write_incremental_day(
    data_dir: Path, n: int, seed: int = 1, day: int = 1, workers: int = 2
) -> dict[str, Any]:
    """The crawl of the day after the corpus: 2% of postings changed, 1% new, 1% closed."""
    return write_corpus(data_dir, n, seed=seed, day=day, workers=workers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--incremental", action="store_true", help="also write day 1")
    args = parser.parse_args(argv)
    started = time.monotonic()
    manifest = write_corpus(Path(args.data_dir), args.n, args.seed)
    print(json.dumps(manifest["totals"]), f"{time.monotonic() - started:.1f}s")
    if args.incremental:
        manifest = write_incremental_day(Path(args.data_dir), args.n, args.seed)
        print(json.dumps(manifest["totals"]), f"{time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# -- boards for the crawl benchmark ---------------------------------------------------
def crawl_boards(
    folder: Path, postings: int, per_board: int = 500, seed: int = 1
) -> list[dict[str, Any]]:
    """Greenhouse and Lever board files (their real API shapes) for the local fixture server,
    about half the postings each, plus a first one-posting-page board to measure start-up.
    Returns the registry entries (company, family, token) without URLs."""
    rng = random.Random(f"{seed}:crawl")
    base = base_postings()
    (folder / "greenhouse").mkdir(parents=True, exist_ok=True)
    (folder / "lever").mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, Any]] = []
    sizes = [10] + [per_board] * max(1, postings // per_board)
    for index, size in enumerate(sizes):
        family = "lever" if index % 2 == 0 else "greenhouse"
        token = f"crawl-{family}-{index}"
        company = f"Crawl Bench {index}"
        jobs = []
        for _ in range(size):
            record = base[rng.randrange(len(base))]
            moment = DAY0 - timedelta(seconds=rng.randrange(365 * 86_400))
            job_id = _job_id(family, rng)
            if family == "greenhouse":
                jobs.append(
                    {
                        "id": int(job_id),
                        "internal_job_id": int(job_id) - 1,
                        "title": _title(record["title"], rng),
                        "updated_at": _posted_at(family, moment),
                        "first_published": _posted_at(family, moment),
                        "location": {"name": record["location_raw"]},
                        "content": html.escape(record["description_html"]),
                        "absolute_url": _url(family, token, job_id),
                        "metadata": None,
                        "departments": [{"id": 1, "name": record["department"]}],
                        "offices": [],
                        "company_name": company,
                        "requisition_id": None,
                        "language": "en",
                    }
                )
            else:
                jobs.append(
                    {
                        "id": job_id,
                        "text": _title(record["title"], rng),
                        "categories": {
                            "location": record["location_raw"],
                            "department": record["department"],
                            "team": record["team"],
                            "commitment": record["employment_type_raw"],
                        },
                        "createdAt": int(moment.timestamp() * 1000),
                        "description": record["description_html"],
                        "descriptionPlain": record["raw"].get("descriptionPlain") or "",
                        "lists": [],
                        "additional": "",
                        "hostedUrl": _url(family, token, job_id),
                        "applyUrl": _url(family, token, job_id) + "/apply",
                        "workplaceType": "remote"
                        if record["remote_raw"] == "true"
                        else "unspecified",
                        "country": "US",
                    }
                )
        payload = {"jobs": jobs, "meta": {"total": len(jobs)}} if family == "greenhouse" else jobs
        (folder / family / f"{token}.json").write_bytes(orjson.dumps(payload))
        entries.append({"company": company, "family": family, "token": token})
    return entries
