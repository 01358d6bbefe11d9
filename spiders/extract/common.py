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


def list_page_entries(payload: Any, key: str, family: str) -> list[dict[str, Any]]:
    """The entries of one list page, under `key`; ValueError when the answer is not a list
    page (an error object instead: the board's failure, not an empty board)."""
    entries = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{family} answer has no {key!r} list")
    return [entry for entry in entries if isinstance(entry, dict)]


def count_field(payload: dict[str, Any], key: str) -> int:
    """A count the list page states (a board's total); 0 when missing or not a number."""
    try:
        return int(payload.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def raw_with_detail(
    entry: dict[str, Any], detail: dict[str, Any] | None, detail_error: str | None
) -> dict[str, Any]:
    """A list entry as the raw posting: with its detail answer under `detail` once one was
    asked for, and `detail_error` saying why it is missing when it failed."""
    raw = dict(entry)
    if detail is not None or detail_error is not None:
        raw["detail"] = detail
    if detail_error is not None:
        raw["detail_error"] = detail_error
    return raw
