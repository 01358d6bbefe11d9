"""Amounts with no period: too little to pay for any period is implausible, like
"$55–$65 per year" is; anything that could be an hour's pay or more is kept."""

from __future__ import annotations

import pytest

from pipelines.cleaning.salary import parse_salary


@pytest.mark.parametrize(
    ("stated", "text"),
    [
        (None, "$1"),
        (None, "€1"),
        (None, "$0"),
        (None, "up to $1.50"),
        (None, "¥100"),  # scaled by currency: about 0.7 USD
        ({"min": 1, "max": 1, "currency": "USD"}, None),
        ({"min": 1, "max": 1, "currency": "USD", "interval": "NONE"}, None),
    ],
)
def test_too_little_for_any_period_is_null_with_a_flag(stated: dict | None, text: str) -> None:
    salary = parse_salary(stated, text)
    assert salary.flag == "implausible"
    assert (salary.min, salary.max, salary.yearly_min, salary.yearly_max) == (None,) * 4
    assert salary.currency is not None and salary.raw  # what was said is kept


def test_a_period_less_amount_is_flagged_as_a_yearly_one_is() -> None:
    assert parse_salary(None, "$55–$65 per year").flag == "implausible"
    assert parse_salary(None, "$1").flag == "implausible"


@pytest.mark.parametrize(
    ("stated", "text", "expected"),
    [
        (None, "$8", (8, 8, "USD", None)),  # could be an hour's pay: kept, no period
        (None, "¥6,000,000", (6_000_000, 6_000_000, "JPY", None)),
        (
            {"min": 60, "max": 60, "currency": "USD", "interval": "1 TIME"},
            None,
            (60, 60, "USD", None),
        ),
        (None, "Salary: $1 - $2", (1, 2, "USD", None)),  # the top of the range could be
        ({"min": 1, "max": 1, "currency": "XTS"}, None, (1, 1, "XTS", None)),  # no known scale
    ],
)
def test_amounts_that_could_be_pay_are_kept(
    stated: dict | None, text: str | None, expected: tuple
) -> None:
    salary = parse_salary(stated, text)
    assert salary.flag is None
    assert (salary.min, salary.max, salary.currency, salary.period) == expected
