"""Sensors: a board that keeps failing, or whose postings collapse, raises a visible alert.

`board_health_sensor` reads the crawl manifests (`<data>/raw/manifests/*.json`): cheap, no
warehouse lock, and it sees every crawl, whether Dagster, `unheard run` or `unheard crawl`
made it. When a crawl has finished since its last look, it judges the boards that crawl
covered against their own history and, for each kind of trouble, launches `alert_job`,
which fails (a red run in the run list) with tags a notifier can route on:

    unheard/alert=board_failing | postings_dropped
    unheard/boards=<family>:<board>,...
    unheard/crawl_run=<manifest run id>
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg

from pipelines.jobs import alert_job
from pipelines.paths import DataPaths

# a board that failed this many crawls in a row is broken, not unlucky
FAILURE_STREAK_ALERT = 3
# a drop is judged only from this many postings (as the `board_posting_counts_did_not_collapse`
# check): 6 → 2 is ordinary hiring, 40 → 0 is a board that moved or a spider that broke
DROP_MIN_PREVIOUS_POSTINGS = 10
TAG_VALUE_MAX = 1000


@dataclass(frozen=True)
class BoardAlert:
    kind: str  # board_failing | postings_dropped
    board: str  # <family>:<token>, or "*" for the crawl as a whole
    reason: str


@dataclass(frozen=True)
class Crawl:
    run_id: str
    crawled_at: datetime
    finished_at: datetime
    boards: list[dict[str, Any]]


def read_crawls(manifests: Path, log: Any = None) -> list[Crawl]:
    """Every readable manifest, oldest crawl first (by the time it counts as, then run id)."""
    crawls = []
    for path in sorted(manifests.glob("*.json")) if manifests.is_dir() else []:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            crawled_at = _timestamp(manifest["crawled_at"])
            finished_at = _timestamp(manifest.get("finished_at") or manifest["crawled_at"])
            crawls.append(Crawl(manifest["run_id"], crawled_at, finished_at, manifest["boards"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            if log is not None:
                log.warning(f"skipping unreadable manifest {path}: {error!r}")
    return sorted(crawls, key=lambda crawl: (crawl.crawled_at, crawl.run_id))


def board_health(crawls: list[Crawl], scope: Iterable[str] | None = None) -> list[BoardAlert]:
    """Alerts for the boards in `scope` (default: every board), each judged on its own crawls.

    A board fails when its crawl was not complete; only complete crawls count postings, so
    a failed crawl reads as a failure, never as a collapse."""
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for crawl in crawls:
        for board in crawl.boards:
            history[_board_key(board)].append({**board, "run_id": crawl.run_id})
    alerts = []
    previous_total = current_total = 0
    for key in sorted(set(scope) if scope is not None else history):
        entries = history.get(key, [])
        if not entries:
            continue
        last, streak = entries[-1], _failure_streak(entries)
        board = f"{key} ({last.get('company')})"
        if streak >= FAILURE_STREAK_ALERT:
            reason = (
                f"{board} failed {streak} crawls in a row; last: {last.get('outcome')} - "
                f"{last.get('error')} (crawl {last['run_id']})"
            )
            alerts.append(BoardAlert("board_failing", key, reason))
        previous = _previous_complete(entries)
        if not last.get("complete") or previous is None:
            continue
        previous_total += previous["postings"]
        current_total += last["postings"]
        if _dropped_by_half(previous["postings"], last["postings"]):
            reason = (
                f"{board} lists {last['postings']} open postings, down from "
                f"{previous['postings']} (crawl {last['run_id']} against {previous['run_id']})"
            )
            alerts.append(BoardAlert("postings_dropped", key, reason))
    dropped = any(alert.kind == "postings_dropped" for alert in alerts)
    if not dropped and _dropped_by_half(previous_total, current_total):
        reason = (
            f"the boards crawled list {current_total} open postings together, down from "
            f"{previous_total} in their previous complete crawls"
        )
        alerts.append(BoardAlert("postings_dropped", "*", reason))
    return alerts


@dg.sensor(
    name="board_health_sensor",
    job=alert_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        f"After each crawl: alert when a board failed {FAILURE_STREAK_ALERT} crawls in a row or "
        "its open postings fell by more than half against its last complete crawl."
    ),
)
def board_health_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    manifests = DataPaths.at().manifests
    crawls = read_crawls(manifests, context.log)
    if not crawls:
        return dg.SkipReason(f"no crawl manifests yet in {manifests}")
    seen_until = _timestamp(context.cursor) if context.cursor else None
    new = [c for c in crawls if seen_until is None or c.finished_at > seen_until]
    if not new:
        return dg.SkipReason(f"no crawl finished since {context.cursor}")
    newest = max(new, key=lambda crawl: crawl.finished_at)
    cursor = newest.finished_at.isoformat()
    scope = {_board_key(board) for crawl in new for board in crawl.boards}
    alerts = board_health(crawls, scope)
    if not alerts:
        return dg.SensorResult(
            skip_reason=dg.SkipReason(f"{len(scope)} boards healthy after crawl {newest.run_id}"),
            cursor=cursor,
        )
    run_requests = []
    for kind in sorted({alert.kind for alert in alerts}):
        of_kind = [alert for alert in alerts if alert.kind == kind]
        for alert in of_kind:
            context.log.warning(f"unheard/alert={kind}: {alert.reason}")
        alert_config = {
            "alert": kind,
            "crawl_run_id": newest.run_id,
            "reasons": [alert.reason for alert in of_kind],
        }
        tags = {
            "unheard/alert": kind,
            "unheard/boards": ",".join(alert.board for alert in of_kind)[:TAG_VALUE_MAX],
            "unheard/crawl_run": newest.run_id,
        }
        run_requests.append(
            dg.RunRequest(
                run_key=f"{newest.run_id}:{kind}",
                run_config={"ops": {"board_health_alert": {"config": alert_config}}},
                tags=tags,
            )
        )
    return dg.SensorResult(run_requests=run_requests, cursor=cursor)


def _board_key(board: dict[str, Any]) -> str:
    return f"{board['source']}:{board['board']}"


def _failure_streak(entries: list[dict[str, Any]]) -> int:
    streak = 0
    for entry in reversed(entries):
        if entry.get("complete"):
            break
        streak += 1
    return streak


def _previous_complete(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((e for e in reversed(entries[:-1]) if e.get("complete")), None)


def _dropped_by_half(previous: int, current: int) -> bool:
    return previous >= DROP_MIN_PREVIOUS_POSTINGS and current * 2 < previous


def _timestamp(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {value!r}")
    return moment
