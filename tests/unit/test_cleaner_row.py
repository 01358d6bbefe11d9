"""clean_version: how one raw version's parsers feed each other (places → the pay's dollar)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.transforms.cleaner import clean_version

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def raw_version(location: str, country: str | None = None) -> dict:
    return {
        "content_hash": "h",
        "posting_key": "ashby:neo:1",
        "title": "Sales Representative",
        "location_raw": location,
        "country_raw": country,
        "description_html": "<p>We pay $20.00 an hour, plus commission.</p>",
    }


@pytest.mark.parametrize(
    ("location", "country", "currency"),
    [
        ("Toronto", None, "CAD"),  # a Canadian city
        ("Eaton Centre", "Canada", "CAD"),  # a mall the gazetteer lacks, the board's country
        ("Sydney, Australia", None, "AUD"),
        ("Austin, TX", None, "USD"),
        ("Toronto; San Francisco", None, "USD"),  # two countries: the dollar is not told
        ("Remote", None, "USD"),
    ],
)
def test_a_bare_dollar_follows_the_postings_country(location, country, currency):
    cleaned = clean_version(raw_version(location, country), NOW)
    assert (cleaned["salary_min"], cleaned["salary_period"]) == (20.0, "hour")
    assert cleaned["salary_currency"] == currency


@pytest.mark.parametrize(
    ("title", "level", "expected"),
    [
        ("Data Scientist", "Entry level", ("junior", "stated", "Entry level")),
        # the title's own level wins over the board's field
        ("Senior Data Scientist", "Mid-level", ("senior", "title", "Mid-level")),
        # a field that spans levels names none, and is kept as sent
        ("Data Scientist", "Mid-Senior level", (None, None, "Mid-Senior level")),
        ("Data Scientist", None, (None, None, None)),
    ],
)
def test_the_boards_level_fills_what_the_title_leaves(title, level, expected):
    row = {**raw_version("Toronto"), "title": title, "seniority_raw": level}
    cleaned = clean_version(row, NOW)
    assert (cleaned["seniority"], cleaned["seniority_basis"], cleaned["seniority_raw"]) == expected


def test_the_years_and_the_degree_asked_for_are_read_from_the_cleaned_text():
    row = raw_version("Austin, TX") | {
        "description_html": "<h3>You bring</h3><ul><li>3&ndash;5 years of experience in "
        "forecasting</li><li>2+ years with PyTorch</li><li>An MS or PhD in Statistics</li></ul>"
        "<p>We are unable to sponsor work visas.</p>"
    }
    cleaned = clean_version(row, NOW)
    assert (cleaned["experience_years_min"], cleaned["experience_years_max"]) == (3, 5)
    assert cleaned["experience_raw"] == "3–5 years of experience"
    assert (cleaned["degree_required"], cleaned["degree_raw"]) == (
        "master",
        "An MS or PhD in Statistics",
    )
    nothing = clean_version(raw_version("Austin, TX"), NOW)
    assert (nothing["experience_years_min"], nothing["experience_raw"]) == (None, None)
    assert (nothing["degree_required"], nothing["degree_raw"]) == (None, None)
    assert (cleaned["visa_sponsorship"], cleaned["visa_sponsorship_raw"]) == (
        False,
        "We are unable to sponsor work visas.",
    )
    assert (nothing["visa_sponsorship"], nothing["visa_sponsorship_raw"]) == (None, None)
