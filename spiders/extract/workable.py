"""Workable widget API: `apply.workable.com/api/v1/widget/accounts/{slug}?details=true`.

One answer holds the account (`name`, `description`) and every published job; with
`details=true` each job carries its `description` HTML (and `requirements` / `benefits`
when the account fills them in). `telecommuting` is the only remote flag; `locations[]`
lists every place, some `hidden`; `shortcode` is the job's public id.
"""

from __future__ import annotations

from typing import Any

from spiders.extract.common import as_list, first, join_places
from spiders.items import PostingItem, text_or_none
from spiders.registry import Source

BODY_PARTS = (("description", None), ("requirements", "Requirements"), ("benefits", "Benefits"))


def canonical_url(slug: str, shortcode: str) -> str:
    return f"https://apply.workable.com/{slug}/j/{shortcode}/"


def extract_jobs(payload: Any, source: Source) -> list[PostingItem]:
    jobs = payload.get("jobs") if isinstance(payload, dict) else None
    if not isinstance(jobs, list):
        raise ValueError("Workable answer has no 'jobs' list")
    return [item for job in jobs if (item := extract_job(job, source)) is not None]


def extract_job(job: Any, source: Source) -> PostingItem | None:
    if not isinstance(job, dict) or text_or_none(job.get("shortcode")) is None:
        return None
    shortcode = str(job["shortcode"]).strip()
    locations = [loc for loc in as_list(job.get("locations")) if isinstance(loc, dict)]
    shown = [loc for loc in locations if not loc.get("hidden")] or locations
    places = [_place(loc.get("city"), loc.get("region"), loc.get("country")) for loc in shown]
    return PostingItem(
        source="workable",
        board=source.token,
        company=source.company,
        source_job_id=shortcode,
        url=canonical_url(source.token, shortcode),
        apply_url=text_or_none(job.get("application_url")),
        title=text_or_none(job.get("title")),
        location_raw=join_places(*places)
        or _place(job.get("city"), job.get("state"), job.get("country")),
        country_raw=first(*(loc.get("countryCode") for loc in shown), job.get("country")),
        remote_raw=text_or_none(job.get("telecommuting")),
        department=text_or_none(job.get("department")),
        employment_type_raw=text_or_none(job.get("employment_type")),
        seniority_raw=text_or_none(job.get("experience")),
        description_html=description_html(job),
        posted_at_raw=first(job.get("published_on"), job.get("created_at")),
        raw=job,
    )


def description_html(job: dict[str, Any]) -> str | None:
    parts: list[str] = []
    for key, heading in BODY_PARTS:
        html = text_or_none(job.get(key))
        if html:
            parts.extend([f"<h3>{heading}</h3>"] if heading else [])
            parts.append(html)
    return "\n".join(parts) or None


def _place(*parts: Any) -> str | None:
    seen: list[str] = []
    for part in parts:
        text = text_or_none(part)
        if text and text not in seen:
            seen.append(text)
    return ", ".join(seen) or None
