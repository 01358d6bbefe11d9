"""Run the pipeline job from the command line against the data directory's Dagster instance,
so CLI runs show up in the UI's run history with their materializations and checks."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pipelines.paths import DATA_DIR_ENV, PROJECT_ROOT, DataPaths

INSTANCE_LOCK = ".dagster-instance.lock"  # in the data dir, beside dagster/


@contextlib.contextmanager
def instance_lock(paths: DataPaths) -> Iterator[None]:
    """Held while a process sets up the data dir's Dagster instance.

    Dagster creates its SQLite storages check-then-create, so two first runs on a fresh
    data dir both find no tables and both create them: one fails ("table runs already
    exists"). An flock is released by the kernel even when its holder is killed."""
    paths.root.mkdir(parents=True, exist_ok=True)
    with (paths.root / INSTANCE_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_FROZEN: list[bool] = []  # whether imports_frozen froze the heap in this process already


@contextlib.contextmanager
def imports_frozen() -> Iterator[None]:
    """The garbage collector paused while the block imports (Dagster, the definitions: ~150k
    objects that live as long as the process), then those objects frozen out of its passes.
    Left running, its full passes walked the growing heap three times during these imports
    (~0.2 s) and every later pass walked it again (see gx_suites.start_gx_import). Frozen
    once a process: a process that runs the pipeline again (the tests) imports nothing new,
    and a frozen object is never collected."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not _FROZEN:
            gc.freeze()
            _FROZEN.append(True)
        if enabled:
            gc.enable()


def prepare_instance(paths: DataPaths) -> Path:
    """Point DAGSTER_HOME at <data>/dagster with the project's dagster.yaml in it, and make
    sure the instance's storage exists, so that any process may open it from then on."""
    paths.ensure()
    with instance_lock(paths):
        source = PROJECT_ROOT / "dagster.yaml"
        target = paths.dagster_home / "dagster.yaml"
        if source.exists() and (not target.exists() or target.read_bytes() != source.read_bytes()):
            # replaced whole: `dagster dev` or a running job never reads half a file
            partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
        os.environ.setdefault("TQDM_DISABLE", "1")  # GX progress bars would flood the CLI
        os.environ[DATA_DIR_ENV] = str(paths.root)
        from dagster import DagsterInstance

        # opening it creates any storage that is missing (the first run's), under the lock
        DagsterInstance.get().dispose()
    return paths.dagster_home


class CheckOutcome(NamedTuple):
    name: str
    passed: bool
    description: str | None = None
    blocking: bool = True


@dataclass
class RunSummary:
    success: bool
    published: bool
    run_id: str
    manifest: dict[str, Any] | None
    # (check name, passed, what it found when it did not pass, blocking: a failed warning is
    # not a failed run)
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    # board files of the loaded crawls that could not be read whole (raw_loader.UNREADABLE)
    unreadable_files: list[str] = field(default_factory=list)

    @property
    def failed_boards(self) -> list[dict[str, Any]]:
        return [b for b in (self.manifest or {}).get("boards", []) if not b["complete"]]


def run_pipeline(
    paths: DataPaths,
    *,
    sources: str | None = None,
    as_of: str | None = None,
    families: list[str] | None = None,
    boards: list[str] | None = None,
    trigger: str = "cli",
    crawl: bool = True,
    rebuild: bool = False,
    extra_tags: dict[str, str] | None = None,
) -> RunSummary:
    with imports_frozen():
        prepare_instance(paths)
        from dagster import AssetCheckSeverity, DagsterInstance

        from pipelines.definitions import defs
        from pipelines.partitions import family_range_tags

    crawl_config: dict[str, Any] = {"families": families or [], "boards": boards or []}
    if sources:
        crawl_config["sources"] = str(Path(sources).resolve())
    if as_of:
        crawl_config["as_of"] = as_of
    job = defs.resolve_job_def("full_pipeline_job" if crawl else "warehouse_build_job")
    ops: dict[str, Any] = {"stg_postings": {"config": {"rebuild": rebuild}}}
    if crawl:
        ops["raw_postings"] = {"config": crawl_config}
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            run_config={
                "ops": ops,
                "loggers": {
                    "console": {
                        "config": {"log_level": os.environ.get("UNHEARD_LOG_LEVEL", "WARNING")}
                    }
                },
            },
            instance=instance,
            raise_on_error=False,
            # one run, one crawl over every family asked for (all by default)
            tags={
                "unheard/trigger": trigger,
                **(family_range_tags(families or []) if crawl else {}),
                **(extra_tags or {}),
            },
        )
        published = bool(result.asset_materializations_for_node("published_warehouse"))
        checks = [
            CheckOutcome(
                evaluation.check_name,
                evaluation.passed,
                evaluation.description,
                evaluation.severity == AssetCheckSeverity.ERROR,
            )
            for evaluation in result.get_asset_check_evaluations()
        ]
        failed_steps = [
            event.step_key
            for event in result.all_events
            if event.event_type_value == "STEP_FAILURE" and event.step_key
        ]
        manifest = _manifest_of(result, paths)
        return RunSummary(
            result.success,
            published,
            result.run_id,
            manifest,
            checks,
            failed_steps,
            _unreadable_files(result),
        )


def _manifest_of(result: Any, paths: DataPaths) -> dict[str, Any] | None:
    for materialization in result.asset_materializations_for_node("raw_postings"):
        run_id = materialization.metadata.get("run_id")
        if run_id is not None:
            path = paths.manifests / f"{run_id.value}.json"
            if path.exists():
                return json.loads(path.read_text(encoding="utf-8"))
    return None


def _unreadable_files(result: Any) -> list[str]:
    messages: list[str] = []
    for materialization in result.asset_materializations_for_node("stg_postings"):
        entry = materialization.metadata.get("unreadable_board_files")
        if entry is not None:
            messages += entry.value
    return messages
