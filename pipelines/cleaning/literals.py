"""Literal scans with ahocorasick-rs (Rust), which reads only text UTF-8 can encode."""

from __future__ import annotations

import re

import ahocorasick_rs

_SURROGATES = re.compile("[\ud800-\udfff]")


def find_literals(
    automaton: ahocorasick_rs.AhoCorasick, text: str, overlapping: bool = False
) -> list[tuple[int, int, int]]:
    """(pattern index, start, end) of each literal in `text`, as find_matches_as_indexes.

    A lone surrogate (JSON can carry one) is not UTF-8 and the automaton refuses the text:
    each becomes U+FFFD, one character for one, so every position stays where it was.
    """
    try:
        return automaton.find_matches_as_indexes(text, overlapping=overlapping)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(
            _SURROGATES.sub("\ufffd", text), overlapping=overlapping
        )
