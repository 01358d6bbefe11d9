"""Greenhouse job-board API: `boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true`.

Observed in real answers: `content` is entity-escaped HTML; `absolute_url` may point at the
company's own site or be malformed (so the canonical URL is built from token + id);
`location.name` is free text with several places joined by "; "; several posts share an
`internal_job_id` (so the key is `id`); `metadata` is null or a list of mixed value types.
"""

from __future__ import annotations

import re
from typing import Any

from spiders.extract.common import first, join_places
from spiders.items import PostingItem, StatedSalary, text_or_none
from spiders.registry import Source

# a cheap pre-filter, not the role tagger: is this posting worth one more call for its pay?
RELEVANT = re.compile(
    r"machine[- ]learning|deep[- ]learning|\b(ml|ai|nlp|llms?|mlops)\b|artificial intelligence"
    r"|data[- ]scien|data[- ]engineer|research (scientist|engineer)|applied scientist"
    r"|computer vision|perception|analytics|data analy|statistic|forecast|reinforcement learning",
    re.IGNORECASE,
)


def looks_relevant(item: PostingItem) -> bool:
    """Title or department mentions ML / data work (the pay lookup is spent only on these)."""
    return any(RELEVANT.search(text) for text in (item.title, item.department) if text)


def single_job_url(list_url: str, job_id: str) -> str:
    """The single-job call beside a board's list URL: `.../jobs` -> `.../jobs/<id>`."""
    base = list_url.split("?", 1)[0].rstrip("/")
    return f"{base}/{job_id}?pay_transparency=true"


# Custom fields that state a posting's level (real boards: "Job Level": "Mid-Senior level",
# "Experience Level": "Entry-level").
LEVEL_FIELDS = (
    "job level", "experience level", "seniority", "seniority level", "career level", "level",
)  # fmt: skip


def canonical_url(token: str, job_id: str) -> str:
    return f"https://job-boards.greenhouse.io/{token}/jobs/{job_id}"


def extract_jobs(payload: Any, source: Source) -> list[PostingItem]:
    jobs = payload.get("jobs") if isinstance(payload, dict) else None
    if not isinstance(jobs, list):
        raise ValueError("Greenhouse answer has no 'jobs' list")
    return [item for job in jobs if (item := extract_job(job, source)) is not None]


def extract_job(job: Any, source: Source) -> PostingItem | None:
    if not isinstance(job, dict) or text_or_none(job.get("id")) is None:
        return None
    job_id = str(job["id"])
    location = job.get("location") if isinstance(job.get("location"), dict) else {}
    offices = [o.get("location") or o.get("name") for o in _dicts(job.get("offices"))]
    departments = [d.get("name") for d in _dicts(job.get("departments"))]
    return PostingItem(
        source="greenhouse",
        board=source.token,
        company=source.company,
        source_job_id=job_id,
        url=canonical_url(source.token, job_id),
        title=text_or_none(job.get("title")),
        location_raw=join_places(location.get("name")) or join_places(*offices),
        department=first(*departments),
        employment_type_raw=_metadata_value(job, ("employment type", "employment", "job type")),
        seniority_raw=_metadata_value(job, LEVEL_FIELDS),
        description_html=text_or_none(job.get("content")),
        description_is_escaped=True,
        posted_at_raw=first(job.get("first_published"), job.get("updated_at")),
        updated_at_raw=text_or_none(job.get("updated_at")),
        salary_stated=pay_range(job) or metadata_pay(job),
        raw=job,
    )


def pay_range(job: dict[str, Any]) -> StatedSalary | None:
    """The single-job call's `pay_input_ranges` (cents) when present."""
    ranges = [r for r in _dicts(job.get("pay_input_ranges")) if r.get("min_cents") is not None]
    if not ranges:
        return None
    first_range = ranges[0]
    return StatedSalary(
        min=_cents(first_range.get("min_cents")),
        max=_cents(first_range.get("max_cents")),
        currency=text_or_none(first_range.get("currency_type")),
        interval=text_or_none(first_range.get("interval")) or "year",
    )


def metadata_pay(job: dict[str, Any]) -> StatedSalary | None:
    """A custom field of type `currency_range` ("Job Compensation Range": {"unit": "USD",
    "min_value": "88000.0", "max_value": "121000.0"}), which the list endpoint carries
    where `pay_input_ranges` needs one call per job. Empty ranges ("0.0"-"0.0", no unit)
    state nothing. The field names no period: the salary parser infers it."""
    for entry in _dicts(job.get("metadata")):
        value = entry.get("value")
        if entry.get("value_type") != "currency_range" or not isinstance(value, dict):
            continue
        low, high = _number(value.get("min_value")), _number(value.get("max_value"))
        if max(low or 0.0, high or 0.0) > 0:
            return StatedSalary(min=low, max=high, currency=text_or_none(value.get("unit")))
    return None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _cents(value: Any) -> float | None:
    try:
        return float(value) / 100.0
    except (TypeError, ValueError):
        return None


def _metadata_value(job: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for entry in _dicts(job.get("metadata")):
        name = str(entry.get("name") or "").strip().lower()
        if name in names:
            value = entry.get("value")
            return first(*value) if isinstance(value, list) else text_or_none(value)
    return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
