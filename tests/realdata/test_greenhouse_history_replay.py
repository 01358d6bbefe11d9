"""Replay ten months of real weekly Greenhouse snapshots as weekly crawls (the crawl that
`unheard crawl --as-of` runs, then `unheard build`) and check every posting's life against
the snapshots."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.demo.fixture_server import BoardServer
from tests.conftest import PROJECT_ROOT, run_crawl, write_sources
from warehouse import MART_MODELS

# what these 15 real companies sell, as a registry would say (the history has no descriptions)
SECTOR_HINTS = {
    "augury": "industrial",
    "codeforamerica": "public_good",
    "cypresscreekrenewables": "energy",
    "dandelionenergy": "energy",
    "energyhub": "energy",
    "enviva": "energy",
    "flatironhealth": "health",
    "freenome": "life_sciences",
    "gotion": "energy",
    "kettle": "climate",
    "khanacademy": "education",
    "nexamp": "energy",
    "omadahealth": "health",
    "oneacrefund": "agriculture_food",
    "pivotbio": "agriculture_food",
}


def monday(day: date) -> datetime:
    start = day - timedelta(days=day.weekday())
    return datetime(start.year, start.month, start.day, 6, tzinfo=UTC)


def load_history(folder: Path) -> dict[datetime, dict[str, list[dict]]]:
    """week (Monday 06:00 UTC) -> board -> that week's jobs (the first snapshot of the week)."""
    weeks: dict[datetime, dict[str, list[dict]]] = defaultdict(dict)
    for board_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for snapshot in sorted(board_dir.glob("*.json.gz")):
            week = monday(date.fromisoformat(snapshot.name[:10]))
            if board_dir.name not in weeks[week]:
                weeks[week][board_dir.name] = json.loads(gzip.decompress(snapshot.read_bytes()))[
                    "jobs"
                ]
    return dict(sorted(weeks.items()))


def expected_lives(
    weeks: dict[datetime, dict[str, list[dict]]],
) -> dict[str, tuple[datetime, datetime | None]]:
    """posting_key -> (first week seen, first crawl of its board after it was last seen)."""
    seen: dict[str, list[datetime]] = defaultdict(list)
    crawls: dict[str, list[datetime]] = defaultdict(list)
    for week, boards in weeks.items():
        for board, jobs in boards.items():
            crawls[board].append(week)
            for job in jobs:
                key = f"greenhouse:{board}:{job['id']}"
                if not seen[key] or seen[key][-1] != week:
                    seen[key].append(week)
    lives = {}
    for key, weeks_seen in seen.items():
        board = key.split(":")[1]
        later = [w for w in crawls[board] if w > weeks_seen[-1]]
        lives[key] = (weeks_seen[0], later[0] if later else None)
    return lives


def unheard(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "UNHEARD_DATA_DIR": str(data_dir),
        "UNHEARD_START_DELAY": "0",
        "UNHEARD_DOWNLOAD_DELAY": "0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


def test_replayed_history_gives_exact_first_seen_and_closed(realdata: Path, tmp_path: Path) -> None:
    weeks = load_history(realdata / "greenhouse_history")
    assert len(weeks) >= 40
    data_dir = tmp_path / "data"
    boards = sorted({b for week in weeks.values() for b in week})
    servers = []
    try:
        crawls = []
        for index, (week, week_boards) in enumerate(weeks.items()):
            # each week's snapshots served by a server of its own, so weeks crawl in parallel
            folder = tmp_path / f"week{index:02d}" / "greenhouse"
            folder.mkdir(parents=True)
            for board, jobs in week_boards.items():
                (folder / f"{board}.json").write_text(json.dumps({"jobs": jobs, "meta": {}}))
            server = BoardServer([folder.parent]).start()
            servers.append(server)
            registry = write_sources(
                folder.parent / "sources.yaml",
                [
                    {
                        "company": b,
                        "family": "greenhouse",
                        "token": b,
                        "sector": SECTOR_HINTS[b],
                        "url": server.url_for("greenhouse", b),
                    }
                    for b in boards
                    if b in week_boards
                ],
            )
            crawls.append((registry, week))
        # what `unheard crawl --as-of` runs, two weeks at a time (one per core)
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(
                pool.map(
                    lambda c: run_crawl(c[0], data_dir / "raw", crawled_at=c[1].isoformat()), crawls
                )
            )
    finally:
        for server in servers:
            server.stop()
    unheard("build", data_dir=data_dir)

    con = duckdb.connect(str(data_dir / "warehouse" / "unheard.duckdb"), read_only=True)
    actual = {
        key: (first, closed)
        for key, first, closed in con.execute(
            "select posting_key, first_seen_at, closed_at from marts.postings"
        ).fetchall()
    }
    # every mart answers from the replayed history
    marts = [name for schema, name, _ in MART_MODELS if schema == "marts"]
    empty = [
        m for m in marts if con.execute(f"select count(*) from marts.{m}").fetchall() == [(0,)]
    ]
    weeks_in_trends = con.execute(
        "select count(distinct week_start) from marts.sector_trends_weekly"
    ).fetchall()[0][0]
    con.close()
    assert empty == ["source_checks"], f"marts empty after the replay: {empty}"
    assert weeks_in_trends >= 40
    expected = expected_lives(weeks)
    assert set(actual) == set(expected)
    wrong = {k: (actual[k], expected[k]) for k in expected if actual[k] != expected[k]}
    assert not wrong, f"{len(wrong)} postings with a wrong life, e.g. {list(wrong.items())[:3]}"
    closed = sum(1 for _, c in expected.values() if c is not None)
    print(
        f"\nreplayed {len(weeks)} weeks of {len(boards)} boards: "
        f"{len(expected)} postings, {closed} closed"
    )
    assert closed > 50
