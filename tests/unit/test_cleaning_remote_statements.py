"""remote_statements.LazyLower: ASCII-only lowering must match exactly what str.lower() would."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from pipelines.cleaning import remote_statements as rs


def test_lower_exceptions_are_the_only_characters_that_break_ascii_lowering():
    # LazyLower lowers only A-Z; that is exact as long as no other character lowers to
    # ASCII or to several characters, and lowering keeps \w and \s membership.
    word, space = re.compile(r"\w"), re.compile(r"\s")
    exceptions = []
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        low = char.lower()
        if low == char or 0xD800 <= code < 0xE000:
            continue
        if len(low) != 1 or low.isascii():
            exceptions.append(char)
            continue
        assert bool(word.match(char)) == bool(word.match(low)), hex(code)
        assert bool(space.match(char)) == bool(space.match(low)), hex(code)
    assert sorted(exceptions) == sorted(rs.LOWER_EXCEPTIONS)


def test_patterns_and_anchors_read_from_the_lowered_text_are_ascii():
    assert rs._STATEMENT_RE.pattern.isascii()
    assert all(anchor.isascii() for anchor in rs._TEXT_ANCHORS + rs._SCOPE_ANCHORS)


# Pieces, not characters, so that statements and the exceptions meet in one text.
_PIECES = ["a", "Z", "é", " ", "É", "Σ", "σ", "\u0130", "\u212a", "wor", "k", "Remote",
           "ROLE", "this role is ", "\u2019", "\U0001f600", ",", "."]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES)).map("".join))
def test_lazy_lower_finds_what_str_lower_finds(text):
    full = text.lower()
    expected = full if len(full) == len(text) else text
    low = rs.LazyLower(text).value
    assert len(low) == len(text)
    assert rs.mode_from_text(low) == rs.mode_from_text(expected)
    for anchor in rs._TEXT_ANCHORS + rs._SCOPE_ANCHORS:
        assert low.find(anchor) == expected.find(anchor)


def test_lazy_lower_reads_statements_next_to_non_ascii_text():
    text = "Über uns – This Role Is Fully REMOTE. 🚀"
    assert rs.LazyLower(text).value == "Über uns – this role is fully remote. 🚀"
    assert rs.mode_from_text(rs.LazyLower(text).value) == "remote"
