"""Recruitee careers API: `{slug}.recruitee.com/api/offers/`.

One answer holds every published offer. Observed in real answers: `salary.min` / `max`
are strings ("60000") with `currency` and `period`; dates look like
"2026-09-18 12:55:59 UTC"; `remote` / `hybrid` / `on_site` are three booleans;
`careers_url` may point at the company's own domain (so the canonical URL is built from
the board slug and the offer slug); the body is `description` plus `requirements`.
"""

from __future__ import annotations

from typing import Any

from spiders.extract.common import as_list, first, join_places
from spiders.items import PostingItem, StatedSalary, text_or_none
from spiders.registry import Source

WORKPLACE_FLAGS = (("remote", "remote"), ("hybrid", "hybrid"), ("on_site", "onsite"))


def canonical_url(company_slug: str, offer_slug: str) -> str:
    return f"https://{company_slug}.recruitee.com/o/{offer_slug}"


def extract_offers(payload: Any, source: Source) -> list[PostingItem]:
    offers = payload.get("offers") if isinstance(payload, dict) else None
    if not isinstance(offers, list):
        raise ValueError("Recruitee answer has no 'offers' list")
    return [item for offer in offers if (item := extract_offer(offer, source)) is not None]


def extract_offer(offer: Any, source: Source) -> PostingItem | None:
    if not isinstance(offer, dict) or text_or_none(offer.get("id")) is None:
        return None
    slug = text_or_none(offer.get("slug")) or str(offer["id"])
    return PostingItem(
        source="recruitee",
        board=source.token,
        company=source.company,
        source_job_id=str(offer["id"]),
        url=canonical_url(source.token, slug),
        apply_url=text_or_none(offer.get("careers_apply_url")),
        title=text_or_none(offer.get("title")),
        location_raw=location_text(offer),
        country_raw=first(offer.get("country_code"), offer.get("country")),
        remote_raw=workplace_word(offer),
        department=text_or_none(offer.get("department")),
        employment_type_raw=text_or_none(offer.get("employment_type_code")),
        seniority_raw=text_or_none(offer.get("experience_code")),
        description_html="\n".join(
            html
            for key in ("description", "requirements")
            if (html := text_or_none(offer.get(key)))
        )
        or None,
        posted_at_raw=first(offer.get("published_at"), offer.get("created_at")),
        updated_at_raw=text_or_none(offer.get("updated_at")),
        salary_stated=stated_salary(offer.get("salary")),
        raw=offer,
    )


def location_text(offer: dict[str, Any]) -> str | None:
    """The offer's own `location` text; every place of `locations[]` when there are several."""
    places = [
        ", ".join(
            dict.fromkeys(
                t for k in ("city", "state", "country") if (t := text_or_none(loc.get(k)))
            )
        )
        for loc in as_list(offer.get("locations"))
        if isinstance(loc, dict)
    ]
    places = [p for p in places if p]
    if len(places) > 1:
        return join_places(*places)
    return first(offer.get("location"), *places)


def workplace_word(offer: dict[str, Any]) -> str | None:
    """'remote', 'hybrid' or 'onsite' from the first flag that is true; unknown otherwise."""
    for key, word in WORKPLACE_FLAGS:
        if offer.get(key) is True:
            return word
    return None


def stated_salary(value: Any) -> StatedSalary | None:
    if not isinstance(value, dict):
        return None
    low, high = text_or_none(value.get("min")), text_or_none(value.get("max"))
    if low is None and high is None:
        return None
    return StatedSalary(
        min=low,
        max=high,
        currency=text_or_none(value.get("currency")),
        interval=text_or_none(value.get("period")),
    )
