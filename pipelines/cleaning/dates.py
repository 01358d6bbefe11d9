"""Board timestamps → timezone-aware UTC datetimes, keeping the raw text.

Formats seen on the boards: ISO 8601 with offsets and fractions (Greenhouse, Ashby,
SmartRecruiters), epoch milliseconds (Lever `createdAt`), "YYYY-MM-DD HH:MM:SS UTC"
(Recruitee), RFC 822 (RSS) and plain dates. Never raises: a bad value is a flag.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

from pipelines.cleaning.types import ParsedDate

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)  # clock skew and time zones, not real future dates

_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")
_COMPACT_DATE_RE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_ZONE_WORD_RE = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_RFC822_RE = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s")
_HAS_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DATEUTIL_DEFAULT = datetime(2000, 1, 1)
_MAX_RAW_CHARS = 64  # no real timestamp is longer; keeps pathological input cheap


def _from_epoch(number: float) -> datetime | None:
    """Epoch seconds, milliseconds or microseconds, told apart by magnitude."""
    if math.isnan(number) or math.isinf(number):
        return None
    magnitude = abs(number)
    if magnitude >= 1e14:  # microseconds (1e14 ms would be the year 5138)
        number /= 1e6
    elif magnitude >= 1e11:  # milliseconds (1e11 s would be the year 5138)
        number /= 1e3
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_text(text: str) -> datetime | None:
    if _NUMBER_RE.fullmatch(text):
        if _COMPACT_DATE_RE.fullmatch(text):  # "20260918": as epoch seconds it would be 1970
            try:
                return datetime.strptime(text, "%Y%m%d")
            except ValueError:
                pass
        return _from_epoch(float(text))
    candidates = (text, _ZONE_WORD_RE.sub("", text))  # "2026-09-18 12:55:59 UTC"
    for candidate in candidates:
        try:
            return datetime.fromisoformat(candidate)
        except ValueError:
            pass
    if _RFC822_RE.match(text):
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    # Last resort for odd spellings ("Sep 18, 2026"); only with an explicit year, since
    # dateutil would otherwise fill a missing year from its default and invent a date.
    if _HAS_YEAR_RE.search(text):
        try:
            return dateutil_parser.parse(text, default=_DATEUTIL_DEFAULT)
        except (ValueError, OverflowError, TypeError, LookupError):
            return None
    return None


def _to_utc(value: datetime) -> datetime | None:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)  # naive values are UTC by contract
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def parse_timestamp(value: str | int | float | None, *, now: datetime) -> ParsedDate:
    """Parse a board timestamp; out-of-range values come back as None with a flag."""
    if value is None:
        return ParsedDate(None, None, None)
    if isinstance(value, bool):  # a bool is an int to Python, never a timestamp to a board
        return ParsedDate(None, str(value), "unparseable")
    if isinstance(value, int | float):
        raw = str(value)
        parsed = _from_epoch(float(value))
    else:
        raw = str(value)
        text = raw.strip()
        if not text:
            return ParsedDate(None, raw, None)
        parsed = _from_text(text) if len(text) <= _MAX_RAW_CHARS else None

    utc = _to_utc(parsed) if parsed is not None else None
    if utc is None:
        return ParsedDate(None, raw, "unparseable")
    now_utc = _to_utc(now) or now
    if now_utc < datetime.max.replace(tzinfo=UTC) - FUTURE_TOLERANCE and (
        utc > now_utc + FUTURE_TOLERANCE
    ):
        return ParsedDate(None, raw, "future")
    if utc < EARLIEST:
        return ParsedDate(None, raw, "before_2000")
    return ParsedDate(utc, raw, None)
