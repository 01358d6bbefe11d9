"""Great Expectations 1.x suites kept as data under `warehouse/suites/`, run on a projection
of a warehouse table (only the columns the suite names: big text columns slow GX ~10x).

Each result becomes a row of `quality.validation_results`; each failing row of a row-level
expectation becomes a row of `quality.quarantine`, keyed by the suite's row_key.

A suite names its `table`, or gives the projection itself as `query` (e.g. the keys of
several tables, with `table` then naming the projection). With `new_runs_only: true` a
suite validates only the rows of crawl runs (`run_id`) it has not passed before:
`quality.validated_runs` remembers the runs each passing validation covered (the runs are
those of `raw.crawl_runs`). A build is
published only when its blocking checks pass and the next build starts from the published
file, so every row of a published warehouse passed such a suite once, when its run was
loaded, and a daily check costs one day's rows instead of the whole history.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import importlib
import importlib.util
import json
import logging
import shutil
import sys
import threading
import types
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pycountry
import yaml

from warehouse import SUITES_DIR, load_yaml

NON_KWARGS = ("expect", "blocking")

# Importing GX costs ~1.4 s CPU (its own modules, altair, sqlalchemy...), most of a daily
# run's check time. A run starts the import in a thread before its load, which waits on
# DuckDB (the GIL is free then) and leaves part of the second core idle; the first
# validation joins it.
_gx_import: threading.Thread | None = None
# Modules GX imports at once but calls only in expectations no suite here uses (scipy.stats:
# KL divergence and KS tests). scipy.stats is ~0.8 s CPU and ~480 modules of GX's ~2.2 s
# import; a stand-in takes its place until an attribute of it is first read.
DEFERRED_MODULES = ("scipy.stats",)
_deferred_lock = threading.Lock()


class DeferredModule(types.ModuleType):
    """Stands in sys.modules for a module not imported yet; the first attribute read (other
    than a module's own, e.g. `__name__`) imports the real module, which then replaces it
    there, and is answered from it. `from scipy import stats` holds the stand-in, which
    keeps forwarding."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(_import_deferred(self), attribute)


def _import_deferred(stand_in: DeferredModule) -> types.ModuleType:
    with _deferred_lock:
        if sys.modules.get(stand_in.__name__) is stand_in:
            del sys.modules[stand_in.__name__]
        return importlib.import_module(stand_in.__name__)


def defer_unused_gx_imports() -> None:
    """Put a DeferredModule in place of each of DEFERRED_MODULES that is not imported yet,
    before GX is imported (afterwards it has imported them)."""
    if "great_expectations" in sys.modules:
        return
    with _deferred_lock:
        for name in DEFERRED_MODULES:
            if name not in sys.modules and _installed(name):
                sys.modules[name] = DeferredModule(name)


def _installed(name: str) -> bool:
    try:  # finding a submodule imports its package, which may be missing
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def start_gx_import() -> None:
    """Begin importing Great Expectations in the background (idempotent; errors surface at
    the first validation, which imports it again in the caller's thread)."""
    global _gx_import
    if _gx_import is None and "great_expectations" not in sys.modules:
        defer_unused_gx_imports()
        # what the run imported so far stays as long as the process: the collector's full
        # passes (~0.1-0.2 s each, GIL held) no longer walk it (see _import_quietly)
        gc.freeze()
        _gx_import = threading.Thread(
            target=_import_quietly, args=("great_expectations",), name="gx-import", daemon=True
        )
        _gx_import.start()


def _import_quietly(module: str) -> None:
    # an error is raised again by the import in validate(), in the caller's thread
    with contextlib.suppress(Exception):
        importlib.import_module(module)
    # GX's ~160k objects live as long as the process: frozen, the collector's later full
    # passes skip them (the 100k day as `unheard build`: its full passes took ~0.8 s with
    # the GIL held, ~0.35 s of them after the import, against ~0.1 s frozen)
    gc.freeze()


def _wait_for_gx_import() -> None:
    # never import the same package from two threads at once: wait for the warm-up instead
    if _gx_import is not None:
        _gx_import.join()


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    blocking: bool
    unexpected_count: int | None
    element_count: int | None
    failing_rows: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class SuiteOutcome:
    suite: str
    table: str
    outcomes: list[ExpectationOutcome]
    # new_runs_only suites: the crawl runs whose rows were validated (recorded when passed)
    runs: list[str] | None = None
    # with a docs root: the stored result's GX key (a ValidationResultIdentifier)
    docs_key: Any = None

    @property
    def passed(self) -> bool:
        return all(o.success for o in self.outcomes if o.blocking)

    @property
    def failed_blocking(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.blocking and not o.success]

    @property
    def failed_warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.blocking and not o.success]


@cache
def load_suite(name: str, folder: Path = SUITES_DIR) -> dict[str, Any]:
    path = folder / f"{name}.yaml"
    document = load_yaml(path.read_text(encoding="utf-8"))
    for key in ("suite", "table", "row_key", "expectations"):
        if key not in document:
            raise ValueError(f"{path}: missing '{key}'")
    if document.get("new_runs_only") and "query" in document:
        raise ValueError(f"{path}: new_runs_only filters `table`; it cannot apply to `query`")
    for index, entry in enumerate(document["expectations"], start=1):
        if "expect" not in entry:
            raise ValueError(f"{path}: expectation #{index}: missing 'expect'")
        if entry.get("value_set") == "iso_3166_alpha2":
            entry["value_set"] = sorted(c.alpha_2 for c in pycountry.countries)
    return document


def _file_batch(context, suite_name: str, table: str):  # noqa: ANN001, ANN202 - GX objects
    """The dataframe batch definition in a file-backed project, created once and reused."""
    name = f"unheard_{suite_name}"
    try:
        source = context.data_sources.get(name)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(name)
    try:
        asset = source.get_asset(table)
    except (KeyError, LookupError):
        asset = source.add_dataframe_asset(name=table)
    try:
        return asset.get_batch_definition("whole_table")
    except (KeyError, LookupError):
        return asset.add_batch_definition_whole_dataframe("whole_table")


# GX keeps every validation result as a JSON file, and its Data Docs index lists and reads
# every one of them each time it is rendered (once a validation): a year of daily runs made a
# run's five validations cost 10-11 s CPU against ~4 s on a new project. The Data Docs keep
# this many runs of each suite; every result stays queryable in quality.validation_results.
DOCS_RUNS_KEPT = 20


DOCS_SITE_NAME = "local_site"
# GX's default local site (what a new project gets)
DEFAULT_DOCS_SITE: dict[str, Any] = {
    "class_name": "SiteBuilder",
    "show_how_to_buttons": True,
    "store_backend": {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": "uncommitted/data_docs/local_site/",
    },
    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
}
DOCS_VIEWS = "pipelines.checks.data_docs_views"


def docs_site(views: str | None = None) -> dict[str, Any]:
    """The default site with views that compile GX's Jinja templates once a process
    (data_docs_views.py): the same pages, ~0.2 s CPU less each. If the views cannot be
    imported (a GX without the classes they extend), the default site: a page rendered more
    slowly, never a check failed over it."""
    views = views or DOCS_VIEWS
    try:
        importlib.import_module(views)
    except ImportError:
        return copy.deepcopy(DEFAULT_DOCS_SITE)
    view = {"module_name": views, "class_name": "CachedJinjaPageView"}
    return {
        **copy.deepcopy(DEFAULT_DOCS_SITE),
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "view": {"module_name": views, "class_name": "CachedJinjaIndexPageView"},
        },
        "site_section_builders": {
            # a copy each: one shared dict would be written as a YAML anchor and aliases
            section: {"view": dict(view)}
            for section in ("expectations", "validations", "profiling")
        },
    }


def _file_context(docs_root: Path):  # noqa: ANN202 - a GX FileDataContext
    import great_expectations as gx

    docs_root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(docs_root))
    if _holds_no_variables(context):
        # GX reads and parses the config variables file each time a context variable is
        # read: ~90 times a validation, ~0.07 s. A new project's file holds only GX's
        # instance id (the project file keeps a data_context_id of its own), so the project
        # goes without it; a file someone filled with variables stays in use.
        context.variables.config_variables_file_path = None
        context.variables.save()
    # a new project gets GX's default site, and one made before the cached views had it too;
    # the project file is rewritten only when its site differs
    sites = context.variables.data_docs_sites or {}
    wanted = docs_site()
    if sites.get(DOCS_SITE_NAME) != wanted:
        if DOCS_SITE_NAME in sites:
            context.update_data_docs_site(DOCS_SITE_NAME, wanted)
        else:
            context.add_data_docs_site(DOCS_SITE_NAME, wanted)
    return context


def _holds_no_variables(context) -> bool:  # noqa: ANN001 - a GX FileDataContext
    """Whether the project reads a config variables file that holds nothing but GX's
    generated `instance_id` (or is missing)."""
    path = context.variables.config_variables_file_path
    if not path:
        return False
    try:
        text = (Path(context.root_directory) / path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return True
    try:
        variables = load_yaml(text) or {}
    except yaml.YAMLError:
        return False  # GX reports its own file's errors; a check never fails over this
    return isinstance(variables, dict) and set(variables) <= {"instance_id"}


def prune_results(docs_root: Path, suite: str, keep: int) -> int:
    """Delete all but the newest `keep` stored results of a suite; return how many went.
    GX stores them as validations/<suite>/<run name>/<run time>/<batch>.json, and drops the
    pages of deleted results from the Data Docs when it next renders the index."""
    folder = docs_root / "gx" / "uncommitted" / "validations" / suite
    runs = sorted(folder.glob("*/*"), key=lambda run: run.name)  # run times sort as text
    old = runs[: max(len(runs) - keep, 0)]
    for run in old:
        shutil.rmtree(run, ignore_errors=True)
    return len(old)


def data_docs_index(docs_root: Path) -> Path:
    """Where GX renders the Data Docs of a file-backed project rooted at `docs_root`."""
    return docs_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def suite_page(docs_root: Path, suite: str) -> Path:
    """Where the Data Docs render a suite's expectations."""
    return data_docs_index(docs_root).parent / "expectations" / f"{suite}.html"


def render_data_docs(  # noqa: ANN001 - GX objects
    context, result_id, suite: str, docs_root: Path, suite_file: Path, index: bool = True
) -> None:
    """Render one validation result's page, the index unless `index` is False, and the
    suite's page only when it is missing or older than the suite's file. Each page is a
    Jinja render of ~0.15-0.3 s CPU, and the suite's page was rendered again with every
    result: 5 suites a run."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    prune_results(docs_root, suite, DOCS_RUNS_KEPT)
    identifiers = [result_id]
    page = suite_page(docs_root, suite)
    if not page.exists() or page.stat().st_mtime < suite_file.stat().st_mtime:
        identifiers.append(ExpectationSuiteIdentifier(name=suite))
    context.build_data_docs(resource_identifiers=identifiers, build_index=index)


def render_data_docs_index(docs_root: Path, outcome: SuiteOutcome) -> None:
    """Render the Data Docs index from every stored result (and `outcome`'s page again: GX
    renders every page when given none). The index is the dearest page, 0.3-0.5 s CPU with
    20 runs of 5 suites, so a run renders it once, in its last GX check (quality.py)."""
    if outcome.docs_key is None:
        raise ValueError(f"suite {outcome.suite}: validated without a docs root, no page")
    _wait_for_gx_import()
    _file_context(docs_root).build_data_docs(resource_identifiers=[outcome.docs_key])


def suite_columns(suite: dict[str, Any]) -> list[str]:
    columns = [suite["row_key"]]
    for entry in suite["expectations"]:
        for key in ("column", "column_A", "column_B"):
            if key in entry:
                columns.append(entry[key])
        columns.extend(entry.get("column_list", []))
    return list(dict.fromkeys(columns))


def _skip_frame_fingerprint() -> None:
    """Stop GX hashing each validated DataFrame whole (pandas' `hash_pandas_object`, then
    md5) for its `pandas_data_fingerprint` batch marker, which nothing here reads: 0.1-0.2 s
    a check at 100k rows, ~1 s at 1M. GX hashes frames below `HASH_THRESHOLD` bytes (1e9 in
    GX 1.x); none is below 0. Without that constant (another GX version) nothing changes."""
    from great_expectations.execution_engine import pandas_execution_engine as engine

    if hasattr(engine, "HASH_THRESHOLD"):
        engine.HASH_THRESHOLD = 0


def validate(
    con: duckdb.DuckDBPyConnection,
    suite_name: str,
    docs_root: Path | None = None,
    render_index: bool = True,
) -> SuiteOutcome:
    """Run one suite against its table in `con`. With `docs_root`, the run goes through a
    file-backed GX project there, so its results are kept and rendered as Data Docs (the
    index too, unless `render_index` is False: see render_data_docs_index)."""
    _wait_for_gx_import()
    defer_unused_gx_imports()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _skip_frame_fingerprint()
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    suite = load_suite(suite_name)
    frame, runs = _projection(con, suite)

    context = gx.get_context(mode="ephemeral") if docs_root is None else _file_context(docs_root)
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batch = (
        (
            context.data_sources.add_or_update_pandas(f"unheard_{suite_name}")
            .add_dataframe_asset(name=suite["table"])
            .add_batch_definition_whole_dataframe("whole_table")
        )
        if docs_root is None
        else _file_batch(context, suite_name, suite["table"])
    )
    expectations, blocking = [], []
    for entry in suite["expectations"]:
        kwargs = {k: v for k, v in entry.items() if k not in NON_KWARGS}
        expectations.append(getattr(gx.expectations, entry["expect"])(**kwargs))
        blocking.append(bool(entry.get("blocking", False)))
    # the expectations go in with the suite: added one by one to a suite of a name the
    # project has stored, GX saves the whole suite again after each (0.1 s a validation)
    gx_suite = gx.ExpectationSuite(name=suite["suite"], expectations=expectations)
    gx_suite = context.suites.add_or_update(gx_suite)
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{suite_name}_validation", data=batch, suite=gx_suite)
    )
    result_format = {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": [suite["row_key"]],
    }
    result_id = None
    if docs_root is None:
        result = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)
    else:
        # no UpdateDataDocsAction: it renders the suite's page again with every result
        # (render_data_docs renders it only when the suite changed)
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=f"{suite_name}_checkpoint",
                validation_definitions=[definition],
                actions=[],
                result_format=result_format,
            )
        )
        checkpoint_result = checkpoint.run(batch_parameters={"dataframe": frame})
        result_id, result = next(iter(checkpoint_result.run_results.items()))
        render_data_docs(
            context,
            result_id,
            suite["suite"],
            docs_root,
            SUITES_DIR / f"{suite_name}.yaml",
            index=render_index,
        )
    outcomes = []
    for res, is_blocking in zip(result.results, blocking, strict=True):
        kwargs = res.expectation_config.kwargs
        column = (
            kwargs.get("column")
            or ",".join(str(kwargs[k]) for k in ("column_A", "column_B") if k in kwargs)
            or ",".join(kwargs.get("column_list", []))
            or None
        )
        info = res.result or {}
        exception = (res.exception_info or {}).get("exception_message")
        outcomes.append(
            ExpectationOutcome(
                expectation=res.expectation_config.type,
                column=column,
                success=bool(res.success),
                blocking=is_blocking,
                unexpected_count=info.get("unexpected_count"),
                element_count=info.get("element_count"),
                failing_rows=list(info.get("unexpected_index_list") or [])[:10_000],
                details={"exception": exception}
                if exception
                else {
                    "partial_unexpected": [
                        str(v) for v in (info.get("partial_unexpected_list") or [])[:10]
                    ]
                },
            )
        )
    return SuiteOutcome(suite["suite"], suite["table"], outcomes, runs, docs_key=result_id)


def _projection(
    con: duckdb.DuckDBPyConnection, suite: dict[str, Any]
) -> tuple[Any, list[str] | None]:
    """The rows the suite validates, as a DataFrame of only the columns it names; and, for a
    new_runs_only suite, the crawl runs those rows come from."""
    if "query" in suite:
        return con.sql(suite["query"]).df(), None
    columns = suite_columns(suite)
    if not suite.get("new_runs_only"):
        select = ", ".join(f'"{c}"' for c in columns)
        return con.sql(f"select {select} from {suite['table']}").df(), None
    if "run_id" not in columns:
        columns.append("run_id")
    select = ", ".join(f'"{c}"' for c in columns)
    # The crawl runs not validated yet, spelled out as constants: DuckDB then filters the
    # scan itself and skips the row groups of older runs (run ids start with their crawl
    # time), where `run_id not in (subquery)` joined every observation ever loaded to its
    # version first (0.9-1.9 s at 3M observations, growing by a crawl a day).
    new_runs = [
        row[0]
        for row in con.execute(
            "select run_id from raw.crawl_runs where run_id not in "
            "(select run_id from quality.validated_runs where suite = $suite) order by run_id",
            {"suite": suite["suite"]},
        ).fetchall()
    ]
    listed = ", ".join("'" + run.replace("'", "''") + "'" for run in new_runs) or "null"
    frame = con.execute(f"select {select} from {suite['table']} where run_id in ({listed})").df()
    return frame, sorted(frame["run_id"].dropna().unique().tolist())


def record(
    con: duckdb.DuckDBPyConnection, outcome: SuiteOutcome, run_id: str, layer: str, row_key: str
) -> int:
    """Write results and quarantined rows; return how many rows were quarantined."""
    now = datetime.now(UTC)
    results = [
        {
            "run_id": run_id,
            "validated_at": now,
            "layer": layer,
            "suite": outcome.suite,
            "expectation": o.expectation,
            "column_name": o.column,
            "success": o.success,
            "blocking": o.blocking,
            "unexpected_count": o.unexpected_count,
            "element_count": o.element_count,
            "details": json.dumps(o.details, default=str),
        }
        for o in outcome.outcomes
    ]
    quarantined = [
        {
            "run_id": run_id,
            "layer": layer,
            "row_key": str(row.get(row_key)),
            "expectation": o.expectation,
            "column_name": o.column,
            "value": json.dumps({k: v for k, v in row.items() if k != row_key}, default=str),
            "quarantined_at": now,
        }
        for o in outcome.outcomes
        if not o.success
        for row in o.failing_rows
    ]
    con.register("results_batch", pa.Table.from_pylist(results))
    con.execute(
        "insert into quality.validation_results by name select * exclude (details), "
        "details::json as details from results_batch"
    )
    con.unregister("results_batch")
    if quarantined:
        con.register("quarantine_batch", pa.Table.from_pylist(quarantined))
        con.execute("insert into quality.quarantine by name select * from quarantine_batch")
        con.unregister("quarantine_batch")
    if outcome.runs and outcome.passed:
        # these runs' rows are not validated again (new_runs_only); a failed suite records
        # nothing, so its runs are validated again by the next build
        con.executemany(
            "insert into quality.validated_runs values (?, ?, ?)",
            [[outcome.suite, run, now] for run in outcome.runs],
        )
    return len(quarantined)
