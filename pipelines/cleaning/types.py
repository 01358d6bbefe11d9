"""What the cleaning parsers return. Unknown is None; every derived value carries a basis.

Bases: "stated" (a structured field of the board said it), "parsed" (read from free text
such as a title or a pay sentence), "inferred" (deduced from indirect evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

EMPLOYMENT_TYPES = (
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
)
REMOTE_TYPES = ("onsite", "hybrid", "remote")
SALARY_PERIODS = ("hour", "day", "week", "month", "year")
SENIORITIES = ("intern", "junior", "mid", "senior", "staff", "manager", "executive")
BASES = ("stated", "parsed", "inferred", "registry", "rule", "model")
RAW_STATEMENT_MAX = 200  # characters of a statement kept as a reading's evidence


def clip_statement(words: str) -> str:
    """A statement kept as evidence, cut to RAW_STATEMENT_MAX characters ("…" marks a cut)."""
    if len(words) <= RAW_STATEMENT_MAX:
        return words
    return words[: RAW_STATEMENT_MAX - 1] + "…"


@dataclass(frozen=True)
class ParsedDate:
    value: datetime | None  # timezone-aware UTC, or None when unknown or untrusted
    raw: str | None  # the text as sent
    flag: str | None = None  # "future", "before_2000", "unparseable" when value was not trusted


@dataclass(frozen=True)
class Place:
    city: str | None = None
    region: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class LocationInfo:
    places: tuple[Place, ...] = ()
    country_code: str | None = None  # the first place's country, when known
    remote_type: str | None = None  # onsite / hybrid / remote / None
    remote_basis: str | None = None  # stated / parsed (title) / inferred (text) / None
    remote_scope: tuple[str, ...] = ()  # where remote applicants may be: ISO codes or regions


@dataclass(frozen=True)
class Salary:
    min: float | None = None
    max: float | None = None
    currency: str | None = None  # ISO 4217
    period: str | None = None  # one of SALARY_PERIODS
    basis: str | None = None  # stated / parsed
    raw: str | None = None  # the text or stated fields it came from
    yearly_min: float | None = None  # annualized within the currency (no FX)
    yearly_max: float | None = None
    flag: str | None = None  # why a value was not trusted ("implausible", "min_gt_max", ...)


@dataclass(frozen=True)
class TitleInfo:
    root: str | None = None  # title without level, location or "(m/f/d)" decorations
    seniority: str | None = None  # one of SENIORITIES
    seniority_basis: str | None = None  # "title" (read off the title) or None
    employment_term: str | None = None  # "Contract", "Fixed-Term": a term the title carries


@dataclass(frozen=True)
class CleanText:
    html: str | None = None  # sanitized HTML
    text: str | None = None  # plain text, paragraphs and list items as lines
    flags: tuple[str, ...] = field(default_factory=tuple)  # e.g. "truncated"
