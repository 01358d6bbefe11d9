"""normalize_employment_type: every family's words to one closed set."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleaning.employment import employment_type_of, normalize_employment_type
from pipelines.cleaning.titles import parse_title
from pipelines.cleaning.types import EMPLOYMENT_TYPES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Ashby
        ("FullTime", "FULL_TIME"),
        ("PartTime", "PART_TIME"),
        ("Intern", "INTERN"),
        ("Contract", "CONTRACTOR"),
        ("Temporary", "TEMPORARY"),
        # Lever
        ("Full-time", "FULL_TIME"),
        ("Full Time", "FULL_TIME"),
        ("Part-time", "PART_TIME"),
        ("Internship", "INTERN"),
        ("Regular", "FULL_TIME"),
        ("Short Term", "TEMPORARY"),
        # schema.org, including lists (first term wins)
        ("FULL_TIME", "FULL_TIME"),
        ("PART_TIME", "PART_TIME"),
        ("CONTRACTOR", "CONTRACTOR"),
        ("TEMPORARY", "TEMPORARY"),
        ("INTERN", "INTERN"),
        ("VOLUNTEER", "VOLUNTEER"),
        ("PER_DIEM", "PER_DIEM"),
        ("OTHER", "OTHER"),
        ("FULL_TIME, CONTRACTOR", "FULL_TIME"),
        ("CONTRACTOR; FULL_TIME", "CONTRACTOR"),
        # SmartRecruiters typeOfEmployment labels
        ("Permanent", "FULL_TIME"),
        # Recruitee
        ("fulltime", "FULL_TIME"),
        ("fulltime_permanent", "FULL_TIME"),
        ("parttime", "PART_TIME"),
        ("freelance", "CONTRACTOR"),
        ("internship", "INTERN"),
        ("temporary", "TEMPORARY"),
        # Personio
        ("permanent", "FULL_TIME"),
        ("intern", "INTERN"),
        ("trainee", "INTERN"),
        ("working_student", "INTERN"),
        ("full-time", "FULL_TIME"),
        ("part-time", "PART_TIME"),
        # German
        ("Vollzeit", "FULL_TIME"),
        ("Teilzeit", "PART_TIME"),
        ("Praktikum", "INTERN"),
        ("Werkstudent", "INTERN"),
        ("Werkstudent (m/w/d)", "INTERN"),
        ("Befristet", "TEMPORARY"),
        ("Unbefristet, Vollzeit", "FULL_TIME"),
        # free text falls back to keywords, most specific first
        ("Full-time internship", "INTERN"),
        ("Contract to hire", "CONTRACTOR"),
        ("Per diem nurse", "PER_DIEM"),
        ("Seasonal", "TEMPORARY"),
    ],
)
def test_family_words_map_to_the_closed_set(raw, expected):
    assert normalize_employment_type(raw) == expected


@pytest.mark.parametrize("raw", ["Gig", "Bananas", "???", "Flexible hours"])
def test_unknown_text_is_other(raw):
    assert normalize_employment_type(raw) == "OTHER"


@pytest.mark.parametrize("raw", [None, "", "   ", "\n"])
def test_missing_is_none(raw):
    assert normalize_employment_type(raw) is None


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.text()))
def test_any_text_maps_into_the_closed_set(raw):
    result = normalize_employment_type(raw)
    if raw is None or not raw.strip():
        assert result is None
    else:
        assert result in EMPLOYMENT_TYPES


@pytest.mark.parametrize(
    ("raw", "title", "expected"),
    [
        # the board's field wins, whatever the title says...
        ("Contract", "Research Agronomist (Full-Time)", ("CONTRACTOR", "stated")),
        ("FullTime", "Machine Learning Engineer", ("FULL_TIME", "stated")),
        ("FullTime", "Research Agronomist (Full-Time)", ("FULL_TIME", "stated")),
        # ...but a FULL_TIME, the default of boards, gives way to another type the title names
        ("FullTime", "Research Agronomist (Fixed-Term)", ("TEMPORARY", "parsed")),
        ("FullTime", "Technical Sourcer (Contract)", ("CONTRACTOR", "parsed")),
        ("FullTime", "AI/ML Research Internship", ("INTERN", "parsed")),
        # no field: a term the title carries (real Greenhouse titles, which have no field)
        (None, "Clinical Research Associate (Contractor)", ("CONTRACTOR", "parsed")),
        (None, "Zambia Research Agronomist (Fixed-Term)", ("TEMPORARY", "parsed")),
        (None, "Technical Sourcer - Contract", ("CONTRACTOR", "parsed")),
        (None, "Nurse (Per Diem)", ("PER_DIEM", "parsed")),
        (None, "Process Engineer Intern", ("INTERN", "parsed")),
        (None, "Part-Time Medical Director, Utilization Management", ("PART_TIME", "parsed")),
        (None, "Seasonal Customer Programs Support Associate", ("TEMPORARY", "parsed")),
        # words inside the job, not a term beside it: nothing is said
        (None, "Sourcing Manager, Contract Manufacturing", (None, None)),
        (None, "Senior Internal Auditor", (None, None)),
        (None, "Contract Opportunity: Marketing Writer", (None, None)),
        (None, "Contract Administrator", (None, None)),
        (None, "Machine Learning Engineer", (None, None)),  # never assumed full time
        ("", None, (None, None)),
    ],
)
def test_employment_type_from_the_board_else_the_title(
    raw: str | None, title: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert employment_type_of(raw, parse_title(title)) == expected


@pytest.mark.parametrize(
    ("raw", "text", "expected"),
    [
        # what the text says of this role (real Ashby postings)
        (
            None,
            "Please note that this is a contract position with an immediate start.",
            ("CONTRACTOR", "inferred"),
        ),
        (
            None,
            "This is a 12 month fixed term contract with the potential to extend.",
            ("TEMPORARY", "inferred"),
        ),
        (
            None,
            "This is a contract-to-hire position. Full-time employees have the following benefits:",
            ("CONTRACTOR", "inferred"),
        ),
        (
            "FullTime",
            "This role is a fixed-term contract, remote position with an initial term",
            ("TEMPORARY", "inferred"),
        ),
        (
            "FullTime",
            "This is a part-time role focused on keeping projects moving.",
            ("PART_TIME", "inferred"),
        ),
        (None, "This is a full-time role based in Berlin.", ("FULL_TIME", "inferred")),
        # a full-time statement adds nothing to a board that said full time
        ("FullTime", "This is a full-time role based in Berlin.", ("FULL_TIME", "stated")),
        # a board's other type is not overruled by the text
        ("Contract", "This is a full-time role based in Berlin.", ("CONTRACTOR", "stated")),
        # sentences that are not about this role say nothing
        (None, "Full-time employees have the following benefits: 401k.", (None, None)),
        (None, "We hire contractors and temporary staff for our stores.", (None, None)),
        (None, "Working on this role is a part of our mission.", (None, None)),
        (None, "Our synthesis is a contract manufacturing process.", (None, None)),
        (None, None, (None, None)),
    ],
)
def test_employment_type_from_what_the_text_says_of_this_role(
    raw: str | None, text: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert employment_type_of(raw, parse_title("Designer"), text) == expected


def test_the_title_goes_before_the_text() -> None:
    title = parse_title("Technical Sourcer (Contract)")
    assert employment_type_of(None, title, "This is a part-time role.") == ("CONTRACTOR", "parsed")
