"""Small helpers the family extractors share."""

from __future__ import annotations

from typing import Any

from spiders.items import text_or_none


def join_places(*places: Any) -> str | None:
    """Every place a posting names, de-duplicated in order, joined by '; '."""
    # a dict keeps first-seen order with O(1) membership: boards list 10,000 places
    seen: dict[str, None] = {}
    for place in places:
        text = text_or_none(place)
        if text:
            seen.setdefault(text, None)
    return "; ".join(seen) or None


def as_list(value: Any) -> list[Any]:
    """A JSON field that should be a list; anything else (null, a number, a bool) is empty."""
    return value if isinstance(value, list) else []


def first(*values: Any) -> str | None:
    for value in values:
        text = text_or_none(value)
        if text:
            return text
    return None
