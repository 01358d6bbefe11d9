"""What a person sees in Dagster: `unheard demo`, then `unheard dev` (dagster dev) on the same
data dir. The webserver's GraphQL API must show the assets by layer, the demo run with its
materializations and per-family outcomes, the marts' previews and freshness; a second run
waits in the queue; headless Chromium (Debian's `chromium`) renders the asset graph and the
run page."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_FLAGS, PROJECT_ROOT

LOCATION = {"repositoryLocationName": "pipelines.definitions", "repositoryName": "__repository__"}
LAYERS = {
    "raw_postings": "ingest",
    "stg_postings": "staging",
    "core_postings": "core",
    "posting_tags": "tags",
    "company_tags": "tags",
    "marts": "marts",
    "published_warehouse": "publish",
}

pytestmark = pytest.mark.slow


@dataclass
class DagsterUI:
    url: str
    data_dir: Path
    folder: Path

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


def free_port() -> int:
    """A free port below the kernel's ephemeral range. The webserver binds its port seconds
    after `dagster dev` starts, and a port that only the kernel had handed out (bind to 0)
    could be handed out again meanwhile, to Dagster's own code server or to a fixture server
    of another test ("address already in use", seen once in CI); a port below that range
    the kernel never hands out."""
    ephemeral_low = 32768
    with contextlib.suppress(OSError, ValueError):
        ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    chooser = random.Random()  # the OS's randomness: xdist workers must not pick alike
    for _ in range(200):
        port = chooser.randrange(min(20_000, ephemeral_low - 1_000), ephemeral_low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def stop(process: subprocess.Popen) -> None:
    """Stop `dagster dev` and everything it started (webserver, daemon, code servers, runs):
    they share its process group; any that left it are found as its descendants."""
    family = [process.pid, *_descendants(process.pid)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        for pid in family[1:]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=3)
            return


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")"
            pid, rest = stat.read_text().split(" ", 1)
            ppid = int(rest.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(pid))
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterUI]:
    folder = tmp_path_factory.mktemp("dagster-ui")
    data_dir = folder / "data"
    env = {**os.environ, "UNHEARD_LOG_LEVEL": "ERROR"}
    port = free_port()
    log = folder / "dagster-dev.log"
    # the UI starts first and the demo runs while it loads, as a user runs `unheard run`
    # with `unheard dev` open: the UI shows the CLI's runs from the shared instance
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipelines.cli",
                "dev",
                "--data-dir",
                str(data_dir),
                "-p",
                str(port),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ui = DagsterUI(f"http://127.0.0.1:{port}", data_dir, folder)
    try:
        _wait_for(
            lambda: (data_dir / "dagster" / "history" / "runs.db").exists(),
            process,
            log,
            "the Dagster instance's storage",
        )
        demo = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "demo", "--data-dir", str(data_dir)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
        _wait_for(
            lambda: ui.graphql("{ assetNodes { id } }")["assetNodes"],
            process,
            log,
            "the webserver with the code location",
        )
        yield ui
    finally:
        stop(process)


def _wait_for(ready: Callable[[], Any], process: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, f"dagster dev exited:\n{log.read_text()[-3000:]}"
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            if ready():
                return
        time.sleep(0.5)
    pytest.fail(f"no {what} within 120 s:\n{log.read_text()[-3000:]}")


def test_assets_are_grouped_by_layer_with_kinds_owners_and_freshness(dagster_ui: DagsterUI) -> None:
    nodes = dagster_ui.graphql("""{
        assetNodes {
            assetKey { path } groupName kinds isPartitioned description
            owners { ... on TeamAssetOwner { team } }
            internalFreshnessPolicy {
                ... on TimeWindowFreshnessPolicy { failWindowSeconds warnWindowSeconds }
            }
            freshnessStatusInfo { freshnessStatus }
            assetChecksOrError { ... on AssetChecks { checks { name blocking } } }
        }
    }""")["assetNodes"]
    by_name = {node["assetKey"]["path"][-1]: node for node in nodes}
    assert {name: by_name[name]["groupName"] for name in LAYERS} == LAYERS
    assert by_name["raw_postings"]["kinds"] == ["scrapy"]
    assert by_name["raw_postings"]["isPartitioned"]
    assert "duckdb" in by_name["marts"]["kinds"]
    for node in nodes:
        assert node["description"] and node["owners"], node["assetKey"]
    assert by_name["marts"]["internalFreshnessPolicy"] == {
        "failWindowSeconds": 50 * 3600,
        "warnWindowSeconds": 26 * 3600,
    }
    checks = {c["name"]: c["blocking"] for c in by_name["marts"]["assetChecksOrError"]["checks"]}
    assert checks == {"mart_postings_meet_marts_suite": True}


def demo_run(ui: DagsterUI) -> dict[str, Any]:
    [run] = ui.graphql("""{
        runsOrError(filter: {tags: [{key: "unheard/trigger", value: "demo"}]}) {
            ... on Runs { results {
                runId status jobName tags { key value }
                assetMaterializations { assetKey { path } partition }
            } }
        }
    }""")["runsOrError"]["results"]
    return run


def test_the_demo_run_is_there_with_its_materializations(dagster_ui: DagsterUI) -> None:
    run = demo_run(dagster_ui)
    assert run["status"] == "SUCCESS"
    assert run["jobName"] == "full_pipeline_job"
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    assert tags["unheard/trigger"] == "demo"
    events = [(m["assetKey"]["path"][-1], m["partition"]) for m in run["assetMaterializations"]]
    assert {name for name, _ in events} >= set(LAYERS)
    # one crawl over every family: an event per family partition
    assert {"greenhouse", "lever", "ashby"} <= {p for name, p in events if name == "raw_postings"}

    # the asset pages answer "what happened in the last run" without SQL
    lever = _metadata(dagster_ui, "raw_postings", partition="lever")
    assert lever["boards"] == 2 and lever["boards_failed"] == 0
    assert "furrow-labs-demo" in lever["outcomes"]
    marts = _metadata(dagster_ui, "marts")
    assert marts["dagster/row_count"] > 0 and "| company |" in marts["preview"]
    core = _metadata(dagster_ui, "core_postings")
    assert {"new_postings", "closed_postings", "open_postings"} <= core.keys()
    # the role filled overnight, since yesterday's scheduled run
    assert core["closed_postings"] == 1 and core["new_postings"] == 0, core


def test_yesterdays_scheduled_run_shows_outcomes_checks_and_previews(dagster_ui: DagsterUI) -> None:
    """`unheard demo` leaves yesterday's tick of the daily schedule in the history: the run
    the schedule asked for, crawled as of that tick, listed as launched by the schedule."""
    [run] = dagster_ui.graphql("""{
        runsOrError(filter: {tags: [
            {key: "dagster/schedule_name", value: "daily_pipeline_schedule"}
        ]}) { ... on Runs { results { runId status jobName tags { key value } } } }
    }""")["runsOrError"]["results"]
    assert (run["status"], run["jobName"]) == ("SUCCESS", "full_pipeline_job")
    assert {t["key"]: t["value"] for t in run["tags"]}["unheard/trigger"] == "schedule"
    events = dagster_ui.graphql(
        """query($runId: ID!) { logsForRun(runId: $runId, limit: 5000) {
            ... on EventConnection { events {
                __typename
                ... on AssetCheckEvaluationEvent { evaluation { checkName success } }
                ... on MaterializationEvent {
                    assetKey { path } partition
                    metadataEntries {
                        label
                        ... on MarkdownMetadataEntry { mdStr }
                        ... on TextMetadataEntry { text }
                    }
                }
            } }
        } }""",
        {"runId": run["runId"]},
    )["logsForRun"]["events"]
    checks = {
        e["evaluation"]["checkName"]: e["evaluation"]["success"]
        for e in events
        if e["__typename"] == "AssetCheckEvaluationEvent"
    }
    suites = {f"{layer}_suite" for layer in ("staging", "core", "marts")}
    assert suites <= {name.rsplit("_meet_", 1)[-1] for name in checks}, checks
    assert all(checks.values()), checks
    metadata = {
        (e["assetKey"]["path"][-1], e["partition"]): {
            m["label"]: m.get("mdStr", m.get("text")) for m in e["metadataEntries"]
        }
        for e in events
        if e["__typename"] == "MaterializationEvent"
    }
    # per-source outcomes, crawled as of yesterday's 06:00 UTC tick (the default cron)
    lever = metadata[("raw_postings", "lever")]
    assert "furrow-labs-demo" in lever["outcomes"] and "| ok |" in lever["outcomes"]
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    assert lever["crawled_at"].startswith(f"{yesterday.isoformat()}T06:00:00")
    assert "| company |" in metadata[("marts", None)]["preview"]


def test_a_second_run_waits_in_the_queue(dagster_ui: DagsterUI) -> None:
    launch = """mutation Launch($params: ExecutionParams!) {
        launchRun(executionParams: $params) {
            __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message }
        }
    }"""
    params = {
        "selector": {**LOCATION, "jobName": "warehouse_build_job"},
        "runConfigData": {},
        "executionMetadata": {"tags": [{"key": "unheard/trigger", "value": "queue-test"}]},
    }
    first, second = (dagster_ui.graphql(launch, {"params": params})["launchRun"] for _ in range(2))
    assert first["__typename"] == second["__typename"] == "LaunchRunSuccess", (first, second)
    ids = [first["run"]["runId"], second["run"]["runId"]]
    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        statuses = dagster_ui.graphql(
            """query($ids: [String!]) { runsOrError(filter: {runIds: $ids}) {
                ... on Runs { results { runId status } } } }""",
            {"ids": ids},
        )["runsOrError"]["results"]
        status = {run["runId"]: run["status"] for run in statuses}
        seen.append((status[ids[0]], status[ids[1]]))
        if status[ids[0]] in ("STARTING", "STARTED"):
            break
        time.sleep(0.5)
    # the first runs, the second waits: one writer at a time (dagster.yaml)
    assert seen[-1][0] in ("STARTING", "STARTED"), seen
    assert seen[-1][1] == "QUEUED", seen


def test_chromium_renders_the_asset_graph_and_the_run_page(dagster_ui: DagsterUI) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium)")
    run_id = demo_run(dagster_ui)["runId"]
    # the first-visit community dialog would cover the page
    dagster_ui.graphql("mutation { setNuxSeen }")
    pages = {
        "asset-graph": (f"{dagster_ui.url}/asset-groups", ["ingest", "staging", "marts"]),
        "run": (f"{dagster_ui.url}/runs/{run_id}", ["full_pipeline_job", "RUN_SUCCESS"]),
        # the runs list says which run the schedule launched
        "runs": (f"{dagster_ui.url}/runs", ["daily_pipeline_schedule", "unheard/trigger: demo"]),
    }
    for name, (url, expected) in pages.items():
        shot = dagster_ui.folder / f"{name}.png"
        dom = _chromium(url, shot, dagster_ui.folder / f"profile-{name}")
        assert shot.exists() and shot.stat().st_size > 20_000, name
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        missing = [text for text in expected if text not in dom]
        assert not missing, f"{name} page lacks {missing}"


def _chromium(url: str, screenshot: Path, profile: Path) -> str:
    """Screenshot `url` and return its DOM after the page's scripts ran."""
    result = subprocess.run(
        [
            str(CHROMIUM),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={screenshot}",
            "--window-size=1400,900",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _metadata(ui: DagsterUI, asset: str, partition: str | None = None) -> dict[str, Any]:
    """The latest materialization's metadata of an asset (of one partition), by label."""
    events = ui.graphql(
        """query($key: AssetKeyInput!, $partitions: [String!]) {
            assetOrError(assetKey: $key) { ... on Asset {
                assetMaterializations(limit: 1, partitions: $partitions) {
                    metadataEntries {
                        label
                        ... on IntMetadataEntry { intValue }
                        ... on MarkdownMetadataEntry { mdStr }
                        ... on TextMetadataEntry { text }
                        ... on BoolMetadataEntry { boolValue }
                    }
                }
            } }
        }""",
        {"key": {"path": [asset]}, "partitions": [partition] if partition else None},
    )["assetOrError"]["assetMaterializations"]
    assert events, f"no materialization of {asset} {partition or ''}"
    values = {}
    for entry in events[0]["metadataEntries"]:
        values[entry["label"]] = next(
            (entry[k] for k in ("intValue", "mdStr", "text", "boolValue") if k in entry), None
        )
    return values
