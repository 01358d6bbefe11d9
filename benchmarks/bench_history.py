"""A daily run's core models after a long history: built whole vs folded with the new
observations (`pipelines/transforms/observation_increments.py`).

    python -m benchmarks.bench_pipeline --sizes 100000 --incremental 0 --crawl-postings 0 \
        --workdir /tmp/bench --keep
    python -m benchmarks.bench_history --warehouse /tmp/bench/n100000/warehouse/unheard.duckdb \
        --days 30,90,365

`stg_observations` grows by a whole crawl a day. For each history length D, a copy of the
warehouse gets D-1 more daily crawls (its last run's observations, board crawls and run row,
shifted by a day each), its folded core models are brought up to date, and one more day is added.
Then the day's core models are timed both ways: each model's whole query (what a daily run
did before) and the fold of the new day; and the staging check's reading of the day's rows
(`gx_suites._projection` of the `new_runs_only` staging suite), which must not grow with the
history either. Prints a table and writes JSON with --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from pipelines.checks.gx_suites import _projection, load_suite
from pipelines.transforms import database
from warehouse import CORE_MODELS, read_sql

FOLDED = tuple(
    m
    for m in CORE_MODELS
    if database._header(read_sql(m[2])).get("materialized") == "incremental_observations"
)


def _add_days(con: duckdb.DuckDBPyConnection, run_id: str, first: int, last: int) -> None:
    """Daily copies first..last (days after `run_id`) of that run's crawl: its observations,
    board crawls and run row, under run ids that start with their crawl time as real ones
    do. The staging suite's runs are marked validated up to the day before `last`."""
    (crawled_at,) = con.execute(
        "select crawled_at from raw.crawl_runs where run_id = ?", [run_id]
    ).fetchall()[0]
    days = [
        (d, f"{crawled_at + timedelta(days=d):%Y%m%dT%H%M%SZ}-history", timedelta(days=d))
        for d in range(first, last + 1)
    ]
    con.execute("create or replace temp table history_days (d int, run_id varchar, shift interval)")
    con.executemany("insert into history_days values (?, ?, ?)", days)
    con.execute(
        "insert into raw.crawl_runs select h.run_id, r.crawled_at + h.shift, "
        "r.finished_at + h.shift, r.sources_file, r.loaded_at + h.shift, r.manifest "
        "from raw.crawl_runs as r, history_days as h where r.run_id = ?",
        [run_id],
    )
    con.execute(
        "insert into staging.stg_observations select o.* replace ("
        "o.observed_at + h.shift as observed_at, h.run_id as run_id) "
        "from (select * from staging.stg_observations where run_id = ?) as o, "
        "history_days as h order by h.d",
        [run_id],
    )
    con.execute(
        "insert into raw.board_crawls select b.* replace ("
        "b.crawled_at + h.shift as crawled_at, h.run_id as run_id) "
        "from (select * from raw.board_crawls where run_id = ?) as b, history_days as h",
        [run_id],
    )
    con.execute(
        "insert into quality.validated_runs select 'staging', run_id, now() from raw.crawl_runs "
        "where run_id not in (select run_id from quality.validated_runs where suite = 'staging') "
        "and run_id <> (select max_by(run_id, crawled_at) from raw.crawl_runs)"
    )
    con.execute("drop table history_days")
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
            # the staging check's rows: the new day's only, found without reading the rest
            suite = load_suite("staging")
            staging_rows: list[int] = []
            staging_check = _timed(lambda: staging_rows.append(len(_projection(con, suite)[0])))
    finally:
        copy.unlink(missing_ok=True)
    return {
        "days": days,
        "observations": observations,
        "whole": {"wall_s": sum(w for w, _ in whole.values()), "models": whole},
        "folded": {"wall_s": sum(w for w, _ in folded.values()), "models": folded},
        "staging_check_rows": {"wall_s": staging_check[0], "rows": staging_rows[0]},
    }


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'days':>5} {'observations':>13} {'whole: wall s':>14} {'folded: wall s':>15}"
        f" {'staging check rows: wall s':>27}   per model, whole / folded (wall s)",
    ]
    for r in rows:
        per_model = ", ".join(
            f"{name.removeprefix('core_posting_')} {r['whole']['models'][name][0]:.2f} / "
            f"{r['folded']['models'][name][0]:.2f}"
            for name in r["whole"]["models"]
        )
        lines.append(
            f"{r['days']:>5} {r['observations']:>13,} {r['whole']['wall_s']:>14.2f} "
            f"{r['folded']['wall_s']:>15.2f} {r['staging_check_rows']['wall_s']:>27.2f}"
            f"   {per_model}"
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
