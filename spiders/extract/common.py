"""Small helpers the family extractors share."""

from __future__ import annotations

from typing import Any

from spiders.items import text_or_none


def join_places(*places: Any) -> str | None:
    """Every place a posting names, de-duplicated in order, joined by '; '."""
    seen: list[str] = []
    for place in places:
        text = text_or_none(place)
        if text and text not in seen:
            seen.append(text)
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
