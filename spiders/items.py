"""The canonical posting item every spider yields, whatever its board family.

Fields hold what the board *said*, as text, with the family's own shapes already mapped
onto one vocabulary. Typing and cleaning (dates, salary, location, HTML) happen in the
warehouse's staging layer, so a parser fix never needs a re-crawl: the raw payload is
kept beside the fields in `raw`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@dataclass
class StatedSalary:
    """Pay as a board's structured fields state it (not parsed from text).

    `interval` keeps the family's own word ("1 YEAR", "per-year-salary", "HOUR", ...);
    the salary parser maps it to a period.
    """

    min: float | str | None = None
    max: float | str | None = None
    currency: str | None = None
    interval: str | None = None


@dataclass
class PostingItem:
    # identity: posting_key = source:board:source_job_id
    source: str  # board family: greenhouse, lever, ashby, ...
    board: str  # the registry's board token
    company: str  # the registry's company name
    source_job_id: str  # the family's own id, as text
    url: str  # canonical public URL built from ids
    title: str | None = None
    apply_url: str | None = None
    location_raw: str | None = None  # every place the posting names, joined by "; "
    country_raw: str | None = None  # a structured country field, when the board has one
    remote_raw: str | None = None  # a structured remote/workplace field ("true", "remote", ...)
    department: str | None = None
    team: str | None = None
    employment_type_raw: str | None = None
    seniority_raw: str | None = None  # a structured level field ("Mid-Senior level", "entry_level")
    description_html: str | None = None  # HTML as sent (Greenhouse: still entity-escaped)
    description_is_escaped: bool = False  # True when the HTML is entity-escaped once more
    posted_at_raw: str | None = None  # as sent: ISO, epoch ms, "YYYY-MM-DD HH:MM:SS UTC", RFC 822
    updated_at_raw: str | None = None
    salary_stated: StatedSalary | None = None
    salary_text: str | None = None  # a board's pay sentence, e.g. Ashby's compensation summary
    raw: dict[str, Any] = field(default_factory=dict)  # the untouched payload

    @property
    def posting_key(self) -> str:
        return f"{self.source}:{self.board}:{self.source_job_id}"

    def to_record(self) -> dict[str, Any]:
        """The item as the raw lake stores it: its fields in order, `salary_stated` as a dict,
        then `posting_key`. Shallow: nested values (the raw payload) are the item's own, not
        copies (`dataclasses.asdict` deep-copied a ~20 KB payload per posting only to
        serialize it), so a caller that changes the record's nested values changes the item."""
        record = {name: getattr(self, name) for name in _POSTING_FIELDS}
        salary = self.salary_stated
        if is_dataclass(salary) and not isinstance(salary, type):
            record["salary_stated"] = {f.name: getattr(salary, f.name) for f in fields(salary)}
        record["posting_key"] = self.posting_key
        return record


_POSTING_FIELDS = tuple(f.name for f in fields(PostingItem))


def text_or_none(value: Any) -> str | None:
    """Unknown is NULL: empty strings and whitespace become None, numbers become text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip()
    return text or None
