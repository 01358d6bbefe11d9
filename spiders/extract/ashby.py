"""Ashby posting API: `api.ashbyhq.com/posting-api/job-board/{org}?includeCompensation=true`.

Compensation comes as tiers of components; only a `Salary` component is pay (Equity and
Bonus are not). `isRemote` can be null; postal countries are spelled "USA" / "US" / ...
"""

from __future__ import annotations

from typing import Any

from spiders.extract.common import first, join_places
from spiders.items import PostingItem, StatedSalary, text_or_none
from spiders.registry import Source


def canonical_url(org: str, job_id: str) -> str:
    return f"https://jobs.ashbyhq.com/{org}/{job_id}"


def extract_jobs(payload: Any, source: Source) -> list[PostingItem]:
    jobs = payload.get("jobs") if isinstance(payload, dict) else None
    if not isinstance(jobs, list):
        raise ValueError("Ashby answer has no 'jobs' list")
    return [item for job in jobs if (item := extract_job(job, source)) is not None]


def extract_job(job: Any, source: Source) -> PostingItem | None:
    if not isinstance(job, dict) or text_or_none(job.get("id")) is None:
        return None
    if job.get("isListed") is False:
        return None
    job_id = str(job["id"])
    secondary = [s.get("location") for s in _dicts(job.get("secondaryLocations"))]
    postal = (
        (job.get("address") or {}).get("postalAddress")
        if isinstance(job.get("address"), dict)
        else None
    )
    compensation = job.get("compensation") if isinstance(job.get("compensation"), dict) else {}
    return PostingItem(
        source="ashby",
        board=source.token,
        company=source.company,
        source_job_id=job_id,
        url=canonical_url(source.token, job_id),
        apply_url=text_or_none(job.get("applyUrl")),
        title=text_or_none(job.get("title")),
        location_raw=join_places(job.get("location"), *secondary),
        country_raw=text_or_none(postal.get("addressCountry"))
        if isinstance(postal, dict)
        else None,
        remote_raw=remote_word(job),
        department=text_or_none(job.get("department")),
        team=text_or_none(job.get("team")),
        employment_type_raw=text_or_none(job.get("employmentType")),
        description_html=first(job.get("descriptionHtml"), job.get("descriptionPlain")),
        posted_at_raw=text_or_none(job.get("publishedAt")),
        salary_stated=salary_component(compensation),
        salary_text=first(
            compensation.get("scrapeableCompensationSalarySummary"),
            compensation.get("compensationTierSummary"),
        ),
        raw=job,
    )


def remote_word(job: dict[str, Any]) -> str | None:
    """`workplaceType` when given, else `isRemote` (true: remote; false says only 'not remote')."""
    workplace = text_or_none(job.get("workplaceType"))
    if workplace:
        return workplace
    return text_or_none(job.get("isRemote"))


def salary_component(compensation: dict[str, Any]) -> StatedSalary | None:
    """The first Salary component with a number, from the summary or the tiers."""
    components = list(_dicts(compensation.get("summaryComponents")))
    for tier in _dicts(compensation.get("compensationTiers")):
        components.extend(_dicts(tier.get("components")))
    for component in components:
        if component.get("compensationType") != "Salary":
            continue
        if component.get("minValue") is None and component.get("maxValue") is None:
            continue
        return StatedSalary(
            min=component.get("minValue"),
            max=component.get("maxValue"),
            currency=text_or_none(component.get("currencyCode")),
            interval=text_or_none(component.get("interval")),
        )
    return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
