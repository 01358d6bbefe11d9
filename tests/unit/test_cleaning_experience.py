"""parse_experience: the years of experience a posting asks for, and the years it does not."""

from __future__ import annotations

import pytest

from pipelines.cleaning.experience import parse_experience


@pytest.mark.parametrize(
    ("text", "low", "high", "raw"),
    [
        ("- 5+ years of experience in software", 5, None, "5+ years of experience"),
        ("Minimum 1-3 years of experience as a", 1, 3, "Minimum 1-3 years of experience"),
        ("- 7–10 years in Supply Chain, Purchasing", 7, 10, "7–10 years"),
        ("We want someone with 7-10 years of architectural experience", 7, 10,
         "7-10 years of architectural experience"),
        ("at least two years of industry experience", 2, None,
         "at least two years of industry experience"),
        ("- 1+ year of Harness Experience", 1, None, "1+ year of Harness Experience"),
        ("3 or more years of experience", 3, None, "3 or more years of experience"),
        ("5 years' experience in sales", 5, None, "5 years' experience"),
        ("- Experience: 5+ years in product marketing", 5, None, "5+ years"),
        ("Strong design experience (typically 6+ years).", 6, None, "6+ years"),
        ("(3-10+ years of software engineering experience)", 3, None,
         "3-10+ years of software engineering experience"),  # open at the top
        ("- 4-6yrs of experience driving campaigns", 4, 6, "4-6yrs of experience"),
        ("- >2 years of hands-on experience in satellites", 2, None,
         ">2 years of hands-on experience"),
        ("- Experience: ≥5 years in business development", 5, None, "≥5 years"),
        ("- 2+ year of full-time experience at a bank", 2, None,
         "2+ year of full-time experience"),
        ("- 0-1 year of software engineering experience", 0, 1,
         "0-1 year of software engineering experience"),
        ("- 6+ years of full-cycle U.S. payroll experience", 6, None,
         "6+ years of full-cycle U.S. payroll experience"),
        ("engineers with 4+ years prior work-experience", 4, None,
         "4+ years prior work-experience"),
        ("- Applied behavior analysis: 1 year (Required)", 1, None, "1 year"),
        ("- You have 1yrs+ experience in sales", 1, None, "1yrs+ experience"),
        ("at least 5+ YoE in fast-growing companies", 5, None, "at least 5+ YoE"),
        ("You've been a full-stack engineer 3+ years and feel at home", 3, None, "3+ years"),
        # "for" in a sentence about the applicant's own past
        ("- You’ve worked professionally as a Software Engineer for at 8+ years", 8, None,
         "8+ years"),
        ("- You've worked on consumer products for at least 2 years", 2, None,
         "at least 2 years"),
        # the first requirement is the headline one
        ("- 8+ years of software engineering\n- 3+ years in developer tooling", 8, None,
         "8+ years"),
    ],
)  # fmt: skip
def test_the_years_a_posting_asks_for(text, low, high, raw):
    found = parse_experience(text)
    assert (found.years_min, found.years_max, found.raw) == (low, high, raw)


@pytest.mark.parametrize(
    "text",
    [
        "Clay spent 18 years at Google, where he led Google Labs.",
        "Our team has won awards over the last 4 years from Built-in Seattle.",
        "Our founders bring 20 years of experience in energy.",
        "A 10-year exercise window for stock options.",
        "In two years' time, we became the market leader.",
        "Donation matching up to $1,000/year and $1,000/year for development.",
        "We grew revenue 60x in the last 5 years.",
        "Recent experience (within the last 3 years) is critical.",
        "Trusted by hospitals for 10+ years.",
        "A 4-year college degree or equivalent experience.",
        "Salaries depend on years of experience and location.",
        "Over 30 years of experience in the industry, our firm leads.",  # beyond any ask
        "Layers of surveyors' reports",  # 'years' inside other words
        "",
        None,
    ],
)
def test_years_that_are_not_a_requirement_are_not_read(text):
    found = parse_experience(text)
    assert (found.years_min, found.years_max, found.raw) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "low", "raw"),
    [
        # years of managing people, then the field's: the field's are the ask
        ("- 2+ years of experience managing and mentoring a team of designers\n"
         "- 7+ years of experience in UX or product design", 7, "7+ years of experience"),
        ("- Have 1+ years of engineering management experience\n"
         "- Have 5+ years of industry experience in software engineering", 5,
         "5+ years of industry experience"),
        # the field's years first: kept
        ("- 6+ years of product engineering experience\n"
         "- 2+ years of experience leading engineering teams", 6,
         "6+ years of product engineering experience"),
        # managing, then less for the field: the managing years stay
        ("- 5+ years of experience managing engineers\n- 3+ years with Kubernetes", 5,
         "5+ years of experience"),
        # managing, and the field's years far below (another list): the managing years stay
        ("- 2+ years of experience managing teams\n- a\n- b\n- c\n- d\n"
         "- 8+ years of experience in sales", 2, "2+ years of experience"),
    ],
)  # fmt: skip
def test_a_managers_years_of_managing_give_way_to_the_fields(text, low, raw):
    found = parse_experience(text)
    assert (found.years_min, found.raw) == (low, raw)


def test_a_range_that_runs_backwards_is_not_read():
    assert parse_experience("- 5-3 years of experience").years_min is None
