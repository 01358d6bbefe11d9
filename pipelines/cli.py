"""The `unheard` command line: demo, run, sql, dev."""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import json
import os
import sys
import warnings
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pipelines.paths import DataPaths

if TYPE_CHECKING:
    from pipelines.demo.fixture_server import BoardServer

TRY_NEXT = (
    "select company, title, sector, country_code, remote_type, salary_min, salary_max\n"
    "    from marts.postings where is_open and is_ml_role and is_important_problem\n"
    "    and prominence <> 'household' order by posted_at desc",
    "select company, sector, open_ml_postings, open_postings from marts.companies\n"
    "    order by open_ml_postings desc",
    "select unnest(skills) as skill, count(*) as postings from marts.postings\n"
    "    where is_ml_role group by skill order by postings desc limit 15",
)


def main(argv: Sequence[str] | None = None) -> int:
    # library notices about their own preview APIs are not news for someone running a pipeline
    warnings.filterwarnings("ignore", message=".*is currently in preview.*")
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "command", None) != "dev":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unheard",
        description=(
            "Find ML jobs at companies most people have never heard of, on problems worth solving."
        ),
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", help="where all state lives (default $UNHEARD_DATA_DIR or ./data)"
    )
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser(
        "demo", parents=[common], help="run the whole pipeline on local demo boards"
    )
    demo.set_defaults(handler=cmd_demo)

    # what to crawl and as of when: `run` and `crawl` take the same options
    crawling = argparse.ArgumentParser(add_help=False)
    crawling.add_argument(
        "--sources", help="registry YAML (default spiders/sources.yaml or $UNHEARD_SOURCES)"
    )
    crawling.add_argument("--as-of", help="treat the crawl as happening at this ISO timestamp")
    crawling.add_argument("--family", action="append", default=[], help="only this board family")
    crawling.add_argument("--board", action="append", default=[], help="only this board token")

    run = commands.add_parser(
        "run", parents=[common, crawling], help="run the pipeline against the live boards"
    )
    run.add_argument("--strict", action="store_true", help="exit non-zero when any board failed")
    run.set_defaults(handler=cmd_run)

    crawl = commands.add_parser(
        "crawl", parents=[common, crawling], help="only crawl into the raw lake (no warehouse)"
    )
    crawl.set_defaults(handler=cmd_crawl)

    build = commands.add_parser(
        "build", parents=[common], help="load crawls already in the raw lake through to publish"
    )
    build.add_argument(
        "--rebuild",
        action="store_true",
        help="start from an empty warehouse and replay the whole raw lake",
    )
    build.set_defaults(handler=cmd_build)

    sql = commands.add_parser(
        "sql", parents=[common], help="query the published warehouse (read-only)"
    )
    sql.add_argument("query")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.set_defaults(handler=cmd_sql)

    sources = commands.add_parser("sources", help="the boards registry")
    sources_commands = sources.add_subparsers(dest="sources_command", required=True)
    check = sources_commands.add_parser(
        "check",
        parents=[common],
        help="probe every registered board: does it exist, has it postings?",
    )
    check.add_argument(
        "--sources", help="registry YAML (default spiders/sources.yaml or $UNHEARD_SOURCES)"
    )
    check.add_argument("--family", action="append", default=[], help="only this board family")
    check.add_argument("--board", action="append", default=[], help="only this board token")
    check.add_argument(
        "--no-build",
        action="store_true",
        help="do not load the results into the warehouse (marts.source_checks)",
    )
    check.set_defaults(handler=cmd_sources_check, as_of=None)

    report = commands.add_parser(
        "report", parents=[common], help="write the HTML report of the published warehouse"
    )
    report.add_argument("--open", action="store_true", help="open it in a web browser")
    report.set_defaults(handler=cmd_report)

    schema = commands.add_parser(
        "schema", parents=[common], help="print every mart and column with its meaning"
    )
    schema.set_defaults(handler=cmd_schema)

    export = commands.add_parser("export", parents=[common], help="write every mart to files")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    export.add_argument("--out", help="output folder (default <data-dir>/exports/<format>)")
    export.set_defaults(handler=cmd_export)

    evaluate = commands.add_parser("eval", help="measure the taggers against the labelled set")
    evaluate.add_argument(
        "--realdata", help="folder with the Ashby boards (default ../shared/realdata)"
    )
    evaluate.add_argument("--split", choices=("holdout", "tune", "all"), default="holdout")
    evaluate.add_argument(
        "--mistakes", type=int, default=0, help="also list this many disagreements"
    )
    evaluate.add_argument(
        "--gold",
        choices=("votes", "first"),
        default="votes",
        help="score against the labellers' majority (default) or the first labeller alone",
    )
    evaluate.add_argument(
        "--agreement",
        action="store_true",
        help="score the independent second labeller against the first instead (labels only)",
    )
    evaluate.add_argument(
        "--titles-only",
        action="store_true",
        help="tag without the postings' descriptions, as a board that lists none",
    )
    evaluate.set_defaults(handler=cmd_eval)

    dev = commands.add_parser("dev", parents=[common], help="start the Dagster UI on this data dir")
    dev.epilog = "Any other arguments (e.g. -p 3001) are passed to `dagster dev`."
    dev.set_defaults(handler=cmd_dev)
    return parser


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.demo.fixture_server import BoardServer
    from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources

    paths = DataPaths.at(args.data_dir).ensure()
    # loopback needs no politeness delays; live crawls keep theirs
    os.environ.setdefault("UNHEARD_START_DELAY", "0")
    os.environ.setdefault("UNHEARD_DOWNLOAD_DELAY", "0")
    with BoardServer() as server:
        sources = write_demo_sources(server, DEMO_REGISTRY, paths.root / "demo" / "sources.yaml")
        print(f"demo boards served at {server.base_url} (registry: {sources})")
        _replay_yesterdays_scheduled_run(paths, server, str(sources))
        print("\nNow the demo run itself:")
        summary = _run_and_report(paths, sources=str(sources), trigger="demo")
    if summary.published:
        print("\nTry next:")
        for query in TRY_NEXT:
            print(f'  unheard sql "{query}"\n')
        from pipelines.report import report_path

        if report_path(paths).exists():
            print(f"Or read the report: {report_path(paths)}  (unheard report --open)")
    return 0 if summary.published else 1


def _replay_yesterdays_scheduled_run(paths: DataPaths, server: BoardServer, sources: str) -> None:
    """Leave yesterday's scheduled run in a fresh data dir, so the UI shows a day of
    operation: the schedule's own request for its last tick before today (crawl as of that
    tick, of the boards as they were yesterday), tagged as the daemon tags it. Skipped once
    the data dir has any run that late."""
    from pipelines.demo.yesterday import serve_yesterday
    from pipelines.scheduled_tick import (
        SCHEDULE_NAME,
        SCHEDULE_NAME_TAG,
        latest_tick_before_today,
        scheduled_request,
    )

    tick = latest_tick_before_today()
    if _has_crawl_since(paths, tick):
        return
    request = scheduled_request(tick)
    serve_yesterday(server)
    as_of = request.run_config["ops"]["raw_postings"]["config"]["as_of"]
    print(f"replaying yesterday's scheduled run ({SCHEDULE_NAME}, tick {as_of}):")
    _run_and_report(
        paths,
        sources=sources,
        as_of=as_of,
        trigger=request.tags["unheard/trigger"],
        extra_tags={**request.tags, SCHEDULE_NAME_TAG: SCHEDULE_NAME},
    )


def _has_crawl_since(paths: DataPaths, moment: datetime) -> bool:
    """Whether a crawl manifest in the raw lake was taken at or after `moment`: replaying an
    older tick would be a crawl back in time."""
    for manifest in paths.manifests.glob("*.json"):
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            crawled = datetime.fromisoformat(json.loads(manifest.read_text())["crawled_at"])
            if crawled >= moment:
                return True
    return False


def _validated_sources(args: argparse.Namespace) -> str | None:
    """The registry file to use, or None after printing why the arguments are unusable."""
    from pipelines.paths import DEFAULT_SOURCES, SOURCES_ENV
    from spiders.crawl import parse_timestamp_arg
    from spiders.registry import RegistryError, load_sources

    sources = args.sources or os.environ.get(SOURCES_ENV) or str(DEFAULT_SOURCES)
    try:
        registered = load_sources(sources)
    except RegistryError as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    # a mistyped --family or --board would crawl nothing and still write an (empty) run
    for option, wanted, known in (
        ("--family", getattr(args, "family", None), {s.family for s in registered}),
        ("--board", getattr(args, "board", None), {s.token for s in registered}),
    ):
        unknown = sorted(set(wanted or ()) - known)
        if unknown:
            listed = ", ".join(sorted(known)[:20]) + (", ..." if len(known) > 20 else "")
            print(
                f"error: {option} {', '.join(map(repr, unknown))}: not in {sources} "
                f"(it has: {listed})",
                file=sys.stderr,
            )
            return None
    if getattr(args, "as_of", None):
        try:
            parse_timestamp_arg(args.as_of)
        except ValueError:
            print(f"error: --as-of {args.as_of!r} is not an ISO timestamp", file=sys.stderr)
            return None
    return sources


def cmd_crawl(args: argparse.Namespace) -> int:
    import subprocess

    from spiders.crawl import crawl_command

    sources = _validated_sources(args)
    if sources is None:
        return 2
    paths = DataPaths.at(args.data_dir).ensure()
    command = crawl_command(
        sources, paths.raw, crawled_at=args.as_of, families=args.family, boards=args.board
    )
    return subprocess.run(command, check=False).returncode


def cmd_sources_check(args: argparse.Namespace) -> int:
    import json
    import subprocess
    from datetime import UTC, datetime

    from spiders.check import render_check_report

    sources = _validated_sources(args)
    if sources is None:
        return 2
    paths = DataPaths.at(args.data_dir).ensure()
    out = paths.raw / "checks" / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    command = [sys.executable, "-m", "spiders.check", "--sources", sources, "--out", str(out)]
    for family in args.family:
        command += ["--family", family]
    for board in args.board:
        command += ["--board", board]
    if subprocess.run(command, check=False).returncode != 0 or not out.exists():
        print("error: the sources check did not complete", file=sys.stderr)
        return 1
    results = json.loads(out.read_text(encoding="utf-8"))
    print(render_check_report(results))
    print(f"results: {out}")
    if not args.no_build:
        summary = _run_and_report(paths, crawl=False, trigger="sources-check")
        if not summary.published:
            return 1
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    paths = DataPaths.at(args.data_dir)
    if not paths.published_warehouse.exists() and not any(paths.manifests.glob("*.json")):
        # a mistyped --data-dir would otherwise become a new data dir with an empty warehouse
        print(
            f"error: nothing to build in {paths.root}: its raw lake holds no crawl "
            f"({paths.manifests} has no manifest) and no warehouse was published there. "
            "Run `unheard crawl` or `unheard run` first, or check --data-dir.",
            file=sys.stderr,
        )
        return 2
    paths.ensure()
    summary = _run_and_report(paths, crawl=False, rebuild=args.rebuild, trigger="cli-build")
    return 0 if summary.published else 1


def cmd_run(args: argparse.Namespace) -> int:
    sources = _validated_sources(args)
    if sources is None:
        return 2
    paths = DataPaths.at(args.data_dir).ensure()
    summary = _run_and_report(
        paths,
        sources=sources,
        as_of=args.as_of,
        families=args.family,
        boards=args.board,
        trigger="cli",
    )
    if not summary.published:
        return 1
    if args.strict and summary.failed_boards:
        print(f"--strict: {len(summary.failed_boards)} board(s) failed", file=sys.stderr)
        return 3
    return 0


def _run_and_report(paths: DataPaths, **kwargs):  # noqa: ANN202 - RunSummary
    from pipelines.runner import run_pipeline
    from pipelines.transforms.database import WriterBusyError

    try:
        summary = run_pipeline(paths, **kwargs)
    except WriterBusyError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_WRITER_BUSY) from None
    print_summary(paths, summary)
    if not summary.published:
        _explain_failure(paths, summary.run_id)
    return summary


EXIT_WRITER_BUSY = 4  # another run holds the warehouse writer lock
EXIT_NO_SPACE = 5  # the disk holding the data dir is full: nothing was published
EXIT_BAD_RAW_LAKE = 6  # a crawl manifest of the raw lake cannot be read: nothing was published
EXIT_DAMAGED_WAREHOUSE = 7  # the published warehouse cannot be read: rebuild it from the lake
_NO_SPACE = ("No space left on device", "[Errno 28]", "not enough space", "disk is full")
# what DuckDB says of a database file that is cut short or damaged
_DAMAGED = (
    "Could not read enough bytes",
    "Corrupt database file",
    "checksum",
    "Failed to deserialize",
    "not a valid DuckDB database file",
    "No more data remaining in MetadataReader",
)


def _explain_failure(paths: DataPaths, run_id: str) -> None:
    """Say why a run published nothing when the cause is one a user must act on: another
    run holding the writer lock (exit 4), a full disk (exit 5), a crawl manifest that
    cannot be read (exit 6) or a damaged warehouse file (exit 7). They surface inside the
    Dagster run (a resource or step failure), so they are read back from its event log."""
    errors = _run_errors(run_id)
    busy = next((m for cls, m in errors if cls == "WriterBusyError"), None)
    if busy is not None:
        print(f"error: {busy}", file=sys.stderr)
        raise SystemExit(EXIT_WRITER_BUSY)
    unreadable = next((m for cls, m in errors if cls == "RawLakeReadError"), None)
    if unreadable is not None:
        print(f"error: {unreadable}\nNothing was published.", file=sys.stderr)
        raise SystemExit(EXIT_BAD_RAW_LAKE)
    files = (str(paths.build_warehouse), str(paths.published_warehouse))
    damaged = next(
        (m for _, m in errors if any(f in m for f in files) and any(d in m for d in _DAMAGED)),
        None,
    )
    if damaged is not None:
        # a run starts from a copy of the published file, so every run would fail the same way
        print(
            f"error: the published warehouse {paths.published_warehouse} cannot be read: "
            f"{damaged.strip().splitlines()[0][:300]}\n"
            f"It is made from the raw lake: `unheard build --rebuild --data-dir {paths.root}` "
            "makes it again. Nothing was published.",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_DAMAGED_WAREHOUSE)
    full = next((m for _, m in errors if any(s.lower() in m.lower() for s in _NO_SPACE)), None)
    if full is not None:
        print(
            f"error: no space left on the disk holding {paths.root}: "
            f"{full.strip().splitlines()[0][:300]}\n"
            f"Nothing was published: readers still see the previous warehouse "
            f"({paths.published_warehouse}). Free space (or use another --data-dir) and run again.",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_NO_SPACE)


def _run_errors(run_id: str) -> list[tuple[str, str]]:
    """(exception class, message) of every error in the run's events, causes included,
    and the text of its error-level log messages."""
    import logging

    from dagster import DagsterInstance

    found: list[tuple[str, str]] = []

    def walk(error: object) -> None:
        while error is not None:
            cls_name = getattr(error, "cls_name", "") or ""
            message = (getattr(error, "message", "") or "").strip()
            prefix, sep, rest = message.partition(": ")
            if sep and cls_name and prefix.endswith(cls_name):  # "pkg.mod.Error: text"
                message = rest
            found.append((cls_name, message))
            walk(getattr(error, "context", None))
            error = getattr(error, "cause", None)

    try:
        with DagsterInstance.get() as instance:
            for record in instance.all_logs(run_id):
                event = record.dagster_event
                if event is not None:
                    walk(getattr(event.event_specific_data, "error", None))
                if record.level >= logging.ERROR and record.user_message:
                    found.append(("", record.user_message))
    except Exception:  # noqa: BLE001 - explaining a failure must never fail the CLI itself
        return found
    return found


def print_summary(paths: DataPaths, summary) -> None:  # noqa: ANN001
    manifest = summary.manifest or {}
    crawl = f" (crawl {manifest['run_id']})" if manifest else ""
    print(f"\nrun {summary.run_id}{crawl}")
    boards = manifest.get("boards", [])
    by_source: dict[str, list[int]] = {}
    for board in boards:
        tally = by_source.setdefault(board["source"], [0, 0, 0])
        tally[0] += 1
        tally[1] += board["postings"]
        tally[2] += 0 if board["complete"] else 1
    for source, (count_boards, postings, failed) in sorted(by_source.items()):
        print(
            f"  {source:<16} {postings:>6} postings from {count_boards} boards"
            + (f", {failed} failed" if failed else "")
        )
    for board in summary.failed_boards:
        print(
            f"  FAILED {board['source']}:{board['board']} ({board['company']}): "
            f"{board['outcome']} - {board['error']}"
        )
    for message in summary.unreadable_files:
        print(f"  UNREADABLE {message}")
    passed = sum(1 for check in summary.checks if check.passed)
    print(f"  checks: {passed}/{len(summary.checks)} passed")
    for check in summary.checks:
        if not check.passed:
            # a warning names what to look at; a failed blocking check stopped the publish
            why = " ".join((check.description or "").split())
            why = why if len(why) <= 400 else why[:399] + "…"
            label = "FAILED" if check.blocking else "WARNING"
            print(f"    {label} {check.name}" + (f": {why}" if why else ""))
    from pipelines.checks.gx_suites import data_docs_index

    if summary.checks and data_docs_index(paths.quality).exists():
        print(f"  data docs: {data_docs_index(paths.quality)}")
    if summary.failed_steps:
        print(f"  failed steps: {', '.join(summary.failed_steps)}")
    if summary.published:
        from pipelines.transforms.database import connect_published

        con = connect_published(paths)
        try:
            total, open_ml = con.execute(
                "select count(*), count(*) filter (where is_open and is_ml_role) "
                "from marts.postings"
            ).fetchall()[0]
        finally:
            con.close()
        print(f"  published: {paths.published_warehouse}")
        print(f"  marts.postings: {total} postings, {open_ml} open ML roles")
        from pipelines.report import report_path

        if report_path(paths).exists():
            print(f"  report: {report_path(paths)}")
    else:
        print(
            "  NOT published: readers still see the previous warehouse "
            f"({paths.published_warehouse})"
        )


def cmd_sql(args: argparse.Namespace) -> int:
    from pipelines.transforms.database import connect_published

    paths = DataPaths.at(args.data_dir)
    try:
        con = connect_published(paths)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        # a query tool over the warehouse, not a file tool: no COPY TO, no reading local files
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        relation = con.sql(args.query)
        if relation is None:
            return 0
        columns = relation.columns
        rows = relation.fetchall()
    except Exception as error:  # duckdb raises many kinds; all are the user's query
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        con.close()
    write_rows(columns, rows, args.format, sys.stdout)
    return 0


def write_rows(columns: list[str], rows: list[tuple], fmt: str, out) -> None:  # noqa: ANN001
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([[_csv_cell(v) for v in row] for row in rows])
    elif fmt == "json":
        json.dump(
            [dict(zip(columns, row, strict=True)) for row in rows], out, default=str, indent=2
        )
        out.write("\n")
    else:
        from tabulate import tabulate

        out.write(tabulate([[_table_cell(v) for v in row] for row in rows], headers=columns) + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _csv_cell(value: object) -> object:
    return json.dumps(value, default=str) if isinstance(value, (list, dict)) else value


def _table_cell(value: object) -> object:
    text = _csv_cell(value)
    return text[:60] + "…" if isinstance(text, str) and len(text) > 61 else text


def cmd_report(args: argparse.Namespace) -> int:
    from pipelines.report import build_report, report_path
    from pipelines.transforms.database import connect_published

    paths = DataPaths.at(args.data_dir)
    try:
        con = connect_published(paths)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    import duckdb

    try:
        path = build_report(con, report_path(paths))
    except (duckdb.BinderException, duckdb.CatalogException) as error:
        # a warehouse an earlier release published lacks a mart or column this one reads
        reason = str(error).splitlines()[0]
        print(
            f"error: the published warehouse {paths.published_warehouse} lacks what this "
            f"release's report reads ({reason}): an earlier release published it. "
            "`unheard build` refreshes its marts from what it holds, and the report with them.",
            file=sys.stderr,
        )
        return 1
    finally:
        con.close()
    print(f"report: {path}")
    if args.open:
        import webbrowser

        webbrowser.open(path.as_uri())
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from pipelines.transforms.database import connect_published
    from pipelines.transforms.dictionary import render_schema

    try:
        con = connect_published(DataPaths.at(args.data_dir))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        print(render_schema(con))
    finally:
        con.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.transforms.database import connect_published
    from pipelines.transforms.export import export_marts

    paths = DataPaths.at(args.data_dir)
    out = Path(args.out) if args.out else paths.root / "exports" / args.format
    try:
        con = connect_published(paths)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        written = export_marts(con, args.format, out)
    except OSError as error:
        print(
            f"error: cannot write the export to {out}: {error.strerror or error}", file=sys.stderr
        )
        return 1
    finally:
        con.close()
    for path in written:
        print(path)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pipelines.tagging.evaluation import (
        DEFAULT_REALDATA,
        evaluate,
        labeller_agreement,
        render_agreement,
        render_report,
    )

    if args.agreement:  # the label files alone: how far two readers of the rules agree
        print(render_agreement(labeller_agreement()))
        return 0
    realdata = Path(args.realdata) if args.realdata else DEFAULT_REALDATA
    if not (realdata / "ashby").is_dir():
        print(f"error: no Ashby boards under {realdata}/ashby (pass --realdata)", file=sys.stderr)
        return 1
    report = evaluate(realdata, args.split, gold=args.gold, titles_only=args.titles_only)
    print(render_report(report, mistakes=args.mistakes))
    if (
        args.split == "holdout" and not args.titles_only
    ):  # the second labeller relabelled the holdout only
        agreement = labeller_agreement()
        figures = {
            "important-problem F1": agreement.important.f1,
            "ML flag F1": agreement.ml_flag.f1,
            "role family": agreement.roles.accuracy,
            "sector primary": agreement.sectors.accuracy,
        }
        print(
            "\nFor scale, the independent second labeller against the first labeller "
            "(unheard eval --agreement): "
            + ", ".join(f"{k} {'-' if v is None else f'{v:.3f}'}" for k, v in figures.items())
        )
    return 0


def cmd_dev(args: argparse.Namespace) -> int:
    from pipelines.runner import prepare_instance

    paths = DataPaths.at(args.data_dir)
    home = prepare_instance(paths)
    command = ["dagster", "dev", "-m", "pipelines.definitions", *args.extra]
    print(f"DAGSTER_HOME={home} UNHEARD_DATA_DIR={paths.root} {' '.join(command)}")
    os.execvp(command[0], command)
    return 0


def entry(argv: Sequence[str] | None = None) -> NoReturn:
    """The `unheard` console script (and `python -m pipelines.cli`): main(), then exit.

    At exit the interpreter runs its cyclic garbage collector over every object still alive:
    with Dagster, GX and the taxonomies loaded (~400k objects) that took 1.1-1.2 s of each
    command, for memory the OS takes back anyway. Frozen objects are left out of those
    collections; atexit handlers still run, and everything the commands open (files, DuckDB
    connections, the Dagster instance) they close themselves. Only here, in a process about
    to exit: main() is also called in-process (tests), where freezing would keep garbage."""
    code = main(argv)
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
