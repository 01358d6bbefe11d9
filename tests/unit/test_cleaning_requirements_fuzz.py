"""The requirement readings (years, degree, visa) on any text: they never raise, and what
they return keeps its promises. Text is built from the words the rules turn on, so the
rules themselves run, not only their early exits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleaning.degrees import DEGREE_ORDER, parse_degree
from pipelines.cleaning.experience import MOST_YEARS, parse_experience
from pipelines.cleaning.visa import parse_sponsorship

WORDS = [
    "5+", "3-5", "two", "at least", "minimum", "years", "year", "yrs", "of", "experience",
    "in", "managing", "teams", "for", "our", "founders", "you", "PhD", "Ph.D.", "MS", "BS",
    "BA/BS", "Master's", "Bachelor's", "degree", "or", "preferred", "a plus", "required",
    "(", ")", ",", ".", ";", "\n", "\n- ", "Nice to have:", "visa", "sponsorship", "sponsor",
    "unable", "to", "we", "do", "not", "without", "immigration", "support", "\ud800", "é",
]  # fmt: skip
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.text(max_size=200),
)


@settings(max_examples=300)
@given(texts)
def test_the_years_read_are_bounded_and_come_from_the_text(text: str) -> None:
    found = parse_experience(text)
    if found.years_min is None:
        assert found == (None, None, None)
        return
    assert 0 <= found.years_min <= MOST_YEARS
    assert found.years_max is None or found.years_min < found.years_max <= MOST_YEARS
    assert found.raw and found.raw in " ".join(text.split())


@settings(max_examples=300)
@given(texts)
def test_the_degree_read_is_a_known_level_with_its_statement(text: str) -> None:
    found = parse_degree(text)
    assert (found.level is None) == (found.raw is None)
    assert found.level is None or found.level in DEGREE_ORDER
    assert found.raw is None or len(found.raw) <= 200


@settings(max_examples=300)
@given(texts)
def test_a_visa_statement_read_is_kept(text: str) -> None:
    found = parse_sponsorship(text)
    assert found.offered in (True, False, None)
    assert found.offered is None or found.raw
    assert found.raw is None or len(found.raw) <= 200
