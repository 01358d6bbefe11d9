"""The helpers every family extractor shares."""

from __future__ import annotations

from spiders.extract.common import join_places


def test_ten_thousand_places_join_and_dedupe_in_order() -> None:
    places = [f"Town {i}, Region {i % 97}" for i in range(10_000)]
    # every place named twice, interleaved with blanks and a number, as boards send them
    sent = [*places, "", None, "  ", *reversed(places), 7, " Town 3, Region 3 "]
    joined = join_places(*sent)
    assert joined == "; ".join([*places, "7"])
    assert joined is not None and joined.count("; ") == 10_000


def test_no_places_is_null() -> None:
    assert join_places() is None
    assert join_places(None, "", "   ") is None
