"""A daily run's core models after a long history: built whole vs folded with the new
observations (`pipelines/transforms/observation_increments.py`).

    python -m benchmarks.bench_pipeline --sizes 100000 --incremental 0 --crawl-postings 0 \
        --workdir /tmp/bench --keep
    python -m benchmarks.bench_history --warehouse /tmp/bench/n100000/warehouse/unheard.duckdb \
        --days 30,90,365

`stg_observations` grows by a whole crawl a day. For each history length D, a copy of the
warehouse gets D-1 more daily crawls (its last run's observations and board crawls, shifted
by a day each), its folded core models are brought up to date, and one more day is added.
Then the day's core models are timed both ways: each model's whole query (what a daily run
did before) and the fold of the new day. Prints a table and writes JSON with --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.transforms import database
from warehouse import CORE_MODELS, read_sql

FOLDED = tuple(
    m
    for m in CORE_MODELS
    if database._header(read_sql(m[2])).get("materialized") == "incremental_observations"
)


def _add_days(con: duckdb.DuckDBPyConnection, run_id: str, first: int, last: int) -> None:
    """Daily copies first..last (days after `run_id`) of that run's crawl."""
    con.execute(
        "insert into staging.stg_observations select o.* replace ("
        "o.observed_at + to_days(d::int) as observed_at, o.run_id || '+' || d as run_id) "
        "from (select * from staging.stg_observations where run_id = ?) as o, "
        "range(?, ?) as t(d) order by d",
        [run_id, first, last + 1],
    )
    con.execute(
        "insert into raw.board_crawls select b.* replace ("
        "b.crawled_at + to_days(d::int) as crawled_at, b.run_id || '+' || d as run_id) "
        "from (select * from raw.board_crawls where run_id = ?) as b, range(?, ?) as t(d)",
        [run_id, first, last + 1],
    )
    con.execute("checkpoint")


def _timed(func: Any) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    func()
    return round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def measure(warehouse: Path, days: int, workdir: Path) -> dict[str, Any]:
    copy = workdir / f"history_{days}.duckdb"
    shutil.copy(warehouse, copy)
    try:
        with duckdb.connect(str(copy)) as con:
            run_id = con.execute(
                "select run_id from staging.stg_observations "
                "group by run_id order by max(observed_at) desc limit 1"
            ).fetchall()[0][0]
            _add_days(con, run_id, 1, days - 1)
            database.run_models(con, FOLDED)  # the history folded (or built) once
            _add_days(con, run_id, days, days)
            observations = con.execute("select count(*) from staging.stg_observations").fetchall()[
                0
            ][0]
            whole: dict[str, tuple[float, float]] = {}
            for _, name, relative in FOLDED:
                sql = read_sql(relative)
                # written and committed as a daily run wrote it, beside the real table
                whole[name] = _timed(
                    lambda sql=sql: con.execute(f"create or replace table core.whole as {sql}")
                )
            con.execute("drop table if exists core.whole")
            folded = {
                name: _timed(lambda m=m: database.run_models(con, (m,)))
                for m in FOLDED
                for name in [m[1]]
            }
    finally:
        copy.unlink(missing_ok=True)
    return {
        "days": days,
        "observations": observations,
        "whole": {"wall_s": sum(w for w, _ in whole.values()), "models": whole},
        "folded": {"wall_s": sum(w for w, _ in folded.values()), "models": folded},
    }


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'days':>5} {'observations':>13} {'whole: wall s':>14} {'folded: wall s':>15}"
        "   per model, whole / folded (wall s)",
    ]
    for r in rows:
        per_model = ", ".join(
            f"{name.removeprefix('core_posting_')} {r['whole']['models'][name][0]:.2f} / "
            f"{r['folded']['models'][name][0]:.2f}"
            for name in r["whole"]["models"]
        )
        lines.append(
            f"{r['days']:>5} {r['observations']:>13,} {r['whole']['wall_s']:>14.2f} "
            f"{r['folded']['wall_s']:>15.2f}   {per_model}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_history")
    parser.add_argument("--warehouse", required=True, type=Path, help="a built warehouse file")
    parser.add_argument("--days", default="30,90,365", help="comma-separated history lengths")
    parser.add_argument("--workdir", type=Path, help="where the copies go (default: temp)")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        parser.error(f"--warehouse {args.warehouse}: no such file")
    try:
        days = [int(d) for d in args.days.split(",") if d.strip()]
    except ValueError:
        parser.error(f"--days {args.days!r}: expected comma-separated whole numbers")
    if not days or min(days) < 1:
        parser.error("--days: history lengths of at least one day")
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        rows = []
        for n in days:
            rows.append(measure(args.warehouse, n, Path(workdir)))
            print(render(rows[-1:]) if len(rows) > 1 else render(rows), flush=True)
    print("\n" + render(rows))
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "finished_at": datetime.now(UTC).isoformat(),
                    "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                    "warehouse": str(args.warehouse),
                    "rows": rows,
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
