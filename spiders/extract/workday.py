"""Workday careers sites: the CxS JSON endpoints a `{tenant}.wd{N}.myworkdayjobs.com` site calls.

List: `POST /wday/cxs/{tenant}/{site}/jobs` with `{"appliedFacets": {}, "limit": 20,
"offset": N, "searchText": ""}` answers `{total, jobPostings: [{title, externalPath,
locationsText, postedOn, bulletFields}]}`; `postedOn` is relative ("Posted 2 Days Ago")
and `locationsText` may only count places ("3 Locations"). Detail:
`GET /wday/cxs/{tenant}/{site}{externalPath}` answers `{jobPostingInfo: {..., jobDescription,
location, additionalLocations, timeType, startDate, jobReqId, remoteType, country}}`.
Board tokens are "<tenant>.wd<N>/<site>", e.g. "acme.wd5/External".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spiders.extract.common import (
    count_field,
    first,
    join_places,
    list_page_entries,
    raw_with_detail,
)
from spiders.items import PostingItem, text_or_none
from spiders.registry import Source

TOKEN = re.compile(r"^(?P<tenant>[A-Za-z0-9_-]+)\.wd(?P<instance>\d+)/(?P<site>[A-Za-z0-9_.-]+)$")
PLACE_COUNT = re.compile(r"^\d+\s+locations?$", re.IGNORECASE)


@dataclass(frozen=True)
class WorkdaySite:
    tenant: str
    instance: str  # the N of wdN
    site: str

    @property
    def host(self) -> str:
        return f"https://{self.tenant}.wd{self.instance}.myworkdayjobs.com"

    def api_base(self, base: str | None = None) -> str:
        """The CxS root for this site on `base` (default: the real host)."""
        return f"{(base or self.host).rstrip('/')}/wday/cxs/{self.tenant}/{self.site}"


def parse_token(token: str) -> WorkdaySite:
    match = TOKEN.match(token)
    if match is None:
        raise ValueError(f"{token!r} is not a Workday token '<tenant>.wd<N>/<site>'")
    return WorkdaySite(match["tenant"], match["instance"], match["site"])


def canonical_url(site: WorkdaySite, external_path: str) -> str:
    return f"{site.host}/{site.site}{external_path}"


def list_entries(payload: Any) -> list[dict[str, Any]]:
    """The entries of one list page; raise ValueError when the answer is not a list page."""
    return list_page_entries(payload, "jobPostings", "Workday")


def total(payload: dict[str, Any]) -> int:
    return count_field(payload, "total")


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
    (and `detail_error` saying why the detail is missing).
    """
    external_path = text_or_none(entry.get("externalPath")) if isinstance(entry, dict) else None
    if external_path is None:
        return None
    site = parse_token(source.token)
    detail = detail if isinstance(detail, dict) else None
    info = detail.get("jobPostingInfo") if detail else None
    info = info if isinstance(info, dict) else {}
    country = info.get("country") if isinstance(info.get("country"), dict) else {}
    raw = raw_with_detail(entry, detail, detail_error)
    listed_places = text_or_none(entry.get("locationsText"))
    if listed_places and PLACE_COUNT.match(listed_places):
        listed_places = None
    return PostingItem(
        source="workday",
        board=source.token,
        company=source.company,
        source_job_id=first(info.get("jobReqId")) or path_id(external_path),
        url=canonical_url(site, external_path),
        title=first(info.get("title"), entry.get("title")),
        location_raw=join_places(info.get("location"), *(info.get("additionalLocations") or []))
        or listed_places,
        country_raw=first(country.get("alpha2Code"), country.get("descriptor")),
        remote_raw=text_or_none(info.get("remoteType")),
        employment_type_raw=text_or_none(info.get("timeType")),
        description_html=text_or_none(info.get("jobDescription")),
        posted_at_raw=first(info.get("startDate"), info.get("postedOn"), entry.get("postedOn")),
        raw=raw,
    )


def path_id(external_path: str) -> str:
    """The id a Workday path ends with: '/job/Berlin/Data-Scientist_R-1234' -> 'R-1234'."""
    last = external_path.rstrip("/").rsplit("/", 1)[-1]
    return last.rsplit("_", 1)[-1] if "_" in last else last
