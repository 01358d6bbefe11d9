"""Lever postings API: `api.lever.co/v0/postings/{site}?mode=json&skip=N&limit=M`.

A bare JSON array per page; `createdAt` is epoch milliseconds; the body is `description`
plus `lists[]` whose `content` holds bare `<li>` fragments, plus `additional`.
"""

from __future__ import annotations

from typing import Any

from spiders.extract.common import as_list, first, join_places
from spiders.items import PostingItem, StatedSalary, text_or_none
from spiders.registry import Source


def canonical_url(site: str, posting_id: str) -> str:
    return f"https://jobs.lever.co/{site}/{posting_id}"


def extract_postings(payload: Any, source: Source) -> list[PostingItem]:
    if not isinstance(payload, list):
        raise ValueError("Lever answer is not a JSON array")
    return [item for posting in payload if (item := extract_posting(posting, source)) is not None]


def extract_posting(posting: Any, source: Source) -> PostingItem | None:
    if not isinstance(posting, dict) or text_or_none(posting.get("id")) is None:
        return None
    posting_id = str(posting["id"])
    categories = posting.get("categories") if isinstance(posting.get("categories"), dict) else {}
    places = as_list(categories.get("allLocations"))
    workplace = text_or_none(posting.get("workplaceType"))
    return PostingItem(
        source="lever",
        board=source.token,
        company=source.company,
        source_job_id=posting_id,
        url=canonical_url(source.token, posting_id),
        apply_url=text_or_none(posting.get("applyUrl")),
        title=text_or_none(posting.get("text")),
        location_raw=join_places(categories.get("location"), *places),
        country_raw=text_or_none(posting.get("country")),
        remote_raw=None if workplace in (None, "unspecified") else workplace,
        department=text_or_none(categories.get("department")),
        team=text_or_none(categories.get("team")),
        employment_type_raw=text_or_none(categories.get("commitment")),
        description_html=description_html(posting),
        posted_at_raw=text_or_none(posting.get("createdAt")),
        updated_at_raw=text_or_none(posting.get("updatedAt")),
        salary_stated=salary_range(posting.get("salaryRange")),
        salary_text=text_or_none(posting.get("salaryDescriptionPlain"))
        or text_or_none(posting.get("salaryDescription")),
        raw=posting,
    )


def description_html(posting: dict[str, Any]) -> str | None:
    """The whole body as one HTML document: description, each list, then additional.

    A `lists` that is not a list (`true`, a string) holds no items: the posting keeps the
    rest of its body rather than failing its whole page."""
    parts = [text_or_none(posting.get("description")) or ""]
    for entry in as_list(posting.get("lists")):
        if isinstance(entry, dict):
            heading = text_or_none(entry.get("text"))
            if heading:
                parts.append(f"<h3>{heading}</h3>")
            parts.append(f"<ul>{entry.get('content') or ''}</ul>")
    parts.append(text_or_none(posting.get("additional")) or "")
    html = "\n".join(p for p in parts if p)
    return html or first(posting.get("descriptionPlain"))


def salary_range(value: Any) -> StatedSalary | None:
    if not isinstance(value, dict) or (value.get("min") is None and value.get("max") is None):
        return None
    return StatedSalary(
        min=value.get("min"),
        max=value.get("max"),
        currency=text_or_none(value.get("currency")),
        interval=text_or_none(value.get("interval")),
    )
