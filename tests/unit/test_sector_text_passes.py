"""The sector tagger's whole-text passes give what their one-paragraph definitions give.

The tagger splits each posting into paragraphs and matches phrases in every distinct
paragraph. For speed it normalizes a posting's whitespace in one pass and matches all of a
company's paragraphs with one pass of each automaton; these properties pin that to the
definitions, on text made of the taxonomy's own phrases, odd spaces and line breaks.
"""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.tagging import sector
from pipelines.tagging.skills import normalize_space

TAX = sector.load_sector_taxonomy()
# phrases of several kinds: sector words, neutral compounds that blank them, boilerplate
WORDS = [
    "patients",
    "the grid",
    "grid",
    "data warehouse",
    "health checks",
    "environmental, health and safety",  # two neutral phrases that overlap
    "health",
    "clinical",
    "solar",
    "farmers",
    "equal opportunity",
    "about us",
    "About Acme",
    "Acme builds",
    "Why Acme",
    "role",
    "carbon",
    "x",
]
SPACES = [" ", "  ", "\t", "\x1f", "\xa0", "\u2003", "\u3000", "\u202f"]
BREAKS = ["\n", "\r\n", "\n\n", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028"]
MARKS = ["-", "•", "*", ".", ",", ";", ":", "#", "|", ">", "—", "_", "é", "İ"]
pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SPACES),
    st.sampled_from(BREAKS),
    st.sampled_from(MARKS),
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=6),
)
texts = st.lists(pieces, max_size=60).map("".join)
one_line_texts = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", ", ", "-", "_", "é"])), max_size=25
).map(lambda parts: normalize_space("".join(parts)).lower())


def paragraphs_one_by_one(text: str) -> list[str]:
    lines = (normalize_space(line).strip(sector._BULLETS) for line in text.splitlines())
    return [line for line in lines if line]


def found_alone(index, lowered: str, neutral) -> dict:
    """What matching one text alone gives: neutral phrases blanked one after the other,
    then each distinct (sector, phrase)."""
    for start, end, _ in list(neutral.finditer(lowered, lowered)):
        lowered = lowered[:start] + " " * (end - start) + lowered[end:]
    return {
        (code, lowered[start:end]): weight
        for start, end, (code, weight) in index.finditer(lowered, lowered)
    }


@settings(max_examples=200, deadline=None)
@given(texts)
def test_paragraphs_are_each_line_normalized_and_stripped(text: str) -> None:
    assert sector._paragraphs(text) == paragraphs_one_by_one(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(one_line_texts, max_size=8))
def test_matching_paragraphs_together_gives_each_its_own_phrases(lowered: list[str]) -> None:
    together = sector._found(TAX.phrases, lowered, TAX.neutral)
    assert together == [found_alone(TAX.phrases, text, TAX.neutral) for text in lowered]
    assert [list(found) for found in together] == [
        list(found_alone(TAX.phrases, text, TAX.neutral)) for text in lowered
    ]  # the same order too: contributions add up in it


@settings(max_examples=200, deadline=None)
@given(st.lists(one_line_texts, max_size=8))
def test_boilerplate_found_together_is_found_alone(lowered: list[str]) -> None:
    assert sector._found_any(TAX.boilerplate, lowered) == [
        sector._has(TAX.boilerplate, text) for text in lowered
    ]


def test_the_passes_match_across_paragraph_edges_as_at_text_edges() -> None:
    # a phrase ending one paragraph and one starting the next: both found, each once
    lowered = ["we serve patients", "patients and the grid", "data warehouse tooling"]
    found = sector._found(TAX.phrases, lowered, TAX.neutral)
    assert ("health", "patients") in found[0]
    assert ("health", "patients") in found[1] and ("energy", "the grid") in found[1]
    # "data warehouse" is neutral: no logistics from "warehouse" in the third
    assert not any(code == "mobility" for code, _ in found[2])
    assert sector._found_any(TAX.boilerplate, ["we are an equal opportunity employer", "x"]) == [
        True,
        False,
    ]


def test_blanking_overlapping_spans_blanks_their_union() -> None:
    assert sector._blanked("abcdefgh", [(1, 4), (2, 6), (6, 7)]) == "a      h"
    assert sector._blanked("abcdefgh", [(5, 6), (1, 2), (1, 3)]) == "a  de gh"
    assert sector._blanked("abc", []) == "abc"


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_about_sections_are_the_same_with_headings_remembered(postings: list[str]) -> None:
    headings: dict[str, bool] = {}
    for text in postings:
        paragraphs = sector._paragraphs(text)
        alone = sector._about_paragraphs(paragraphs, TAX, "Acme")
        assert sector._about_paragraphs(paragraphs, TAX, "Acme", headings) == alone
