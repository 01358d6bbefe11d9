"""SmartRecruiters posting API: `api.smartrecruiters.com/v1/companies/{id}/postings`.

The list pages with `offset` / `limit` until `totalFound`; its entries carry the posting's
facts (name, location, releasedDate, typeOfEmployment, department, function, customField)
but no text. The description lives only in the per-posting detail answer
(`/postings/{postingId}`), split into `jobAd.sections.*` with HTML in `text`.
Observed in real answers: `location.country` is a lowercase ISO alpha-2 code;
`location.remote` / `hybrid` are booleans; postings may be written in any language.
"""

from __future__ import annotations

from html import escape
from typing import Any

from spiders.extract.common import as_list, count_field, first, list_page_entries, raw_with_detail
from spiders.items import PostingItem, text_or_none
from spiders.registry import Source

SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def canonical_url(company_id: str, posting_id: str) -> str:
    return f"https://jobs.smartrecruiters.com/{company_id}/{posting_id}"


def list_entries(payload: Any) -> list[dict[str, Any]]:
    """The entries of one list page; raise ValueError when the answer is not a list page."""
    return list_page_entries(payload, "content", "SmartRecruiters")


def total_found(payload: dict[str, Any]) -> int:
    return count_field(payload, "totalFound")


def extract_postings(payload: Any, source: Source) -> list[PostingItem]:
    """One item per list entry, from the list data alone (no description)."""
    return [item for entry in list_entries(payload) if (item := extract_posting(entry, source))]


def extract_posting(
    entry: Any,
    source: Source,
    detail: dict[str, Any] | None = None,
    detail_error: str | None = None,
) -> PostingItem | None:
    """A posting from its list entry, completed by its detail answer when there is one.

    `raw` is the list entry itself, or the entry with the detail payload under `detail`
    (and `detail_error` saying why the detail is missing, when it failed).
    """
    if not isinstance(entry, dict) or text_or_none(entry.get("id")) is None:
        return None
    posting_id = str(entry["id"]).strip()
    detail = detail if isinstance(detail, dict) else None
    location = _dict(entry.get("location"))
    raw = raw_with_detail(entry, detail, detail_error)
    return PostingItem(
        source="smartrecruiters",
        board=source.token,
        company=source.company,
        source_job_id=posting_id,
        url=canonical_url(source.token, posting_id),
        apply_url=text_or_none((detail or {}).get("applyUrl")),
        title=text_or_none(entry.get("name")),
        location_raw=first(location.get("fullLocation"))
        or _comma(location.get("city"), location.get("region"), location.get("country")),
        country_raw=text_or_none(location.get("country")),
        remote_raw=remote_word(location),
        department=first(_label(entry.get("department")), _custom(entry, "Department")),
        employment_type_raw=_label(entry.get("typeOfEmployment")),
        seniority_raw=_label(entry.get("experienceLevel")),
        description_html=description_html(detail) if detail else None,
        posted_at_raw=text_or_none(entry.get("releasedDate")),
        raw=raw,
    )


def remote_word(location: dict[str, Any]) -> str | None:
    """'hybrid' or 'remote' when flagged; otherwise the `remote` flag as given ('false')."""
    if location.get("hybrid") is True:
        return "hybrid"
    return text_or_none(location.get("remote"))


def description_html(detail: dict[str, Any]) -> str | None:
    """The detail's job-ad sections in reading order, each under its title."""
    sections = _dict(_dict(detail.get("jobAd")).get("sections"))
    parts: list[str] = []
    for key in SECTIONS:
        section = _dict(sections.get(key))
        text = text_or_none(section.get("text"))
        if text:
            title = text_or_none(section.get("title"))
            parts.extend([f"<h3>{escape(title, quote=False)}</h3>"] if title else [])
            parts.append(text)
    return "\n".join(parts) or None


def _comma(*parts: Any) -> str | None:
    return ", ".join(t for p in parts if (t := text_or_none(p))) or None


def _label(value: Any) -> str | None:
    return text_or_none(value.get("label")) if isinstance(value, dict) else None


def _custom(entry: dict[str, Any], label: str) -> str | None:
    for field in as_list(entry.get("customField")):
        if isinstance(field, dict) and text_or_none(field.get("fieldLabel")) == label:
            return text_or_none(field.get("valueLabel"))
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
