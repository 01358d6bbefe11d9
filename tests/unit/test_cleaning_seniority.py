"""stated_seniority: a board's level field → a seniority code, only where it names one."""

from __future__ import annotations

import pytest

from pipelines.cleaning.seniority import stated_seniority
from pipelines.cleaning.types import SENIORITIES


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # LinkedIn's levels (SmartRecruiters, Workable, Greenhouse custom fields)
        ("Internship", "intern"),
        ("Entry level", "junior"),
        ("Entry-level", "junior"),
        ("entry_level", "junior"),
        ("Associate", "junior"),
        ("Mid-level", "mid"),
        ("Senior", "senior"),
        ("Director", "manager"),
        ("Director level", "manager"),
        ("Senior Manager level", "manager"),
        ("Executive", "executive"),
        # Recruitee's codes and Personio's words
        ("mid_level", "mid"),
        ("senior_manager", "manager"),
        ("student", "intern"),
        ("student_college", "intern"),
        # what spans several levels, or none, names none
        ("Mid-Senior level", None),
        ("mid_senior_level", None),
        ("experienced", None),
        ("Not Applicable", None),
        ("", None),
        (None, None),
    ],
)
def test_a_level_field_names_one_code_or_none(raw: str | None, code: str | None) -> None:
    assert stated_seniority(raw) == code
    assert code is None or code in SENIORITIES
