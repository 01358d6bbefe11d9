"""Greenhouse's list answer: custom fields (metadata) that state pay and employment type."""

from __future__ import annotations

from spiders.extract import greenhouse
from spiders.registry import Source

SOURCE = Source(company="Sunspot Thermal", family="greenhouse", token="sunspot")


def job(metadata: list | None, **fields) -> dict:
    return {"id": 7, "title": "Data Scientist", "metadata": metadata, **fields}


def range_field(unit, low, high) -> dict:
    value = {"unit": unit, "min_value": low, "max_value": high}
    return {
        "id": 1,
        "name": "Job Compensation Range",
        "value": value,
        "value_type": "currency_range",
    }


def test_a_compensation_range_field_is_stated_pay() -> None:
    item = greenhouse.extract_job(job([range_field("GBP", "68000.0", "93500.0")]), SOURCE)
    assert item is not None and item.salary_stated is not None
    pay = item.salary_stated
    assert (pay.min, pay.max, pay.currency, pay.interval) == (68000.0, 93500.0, "GBP", None)


def test_an_empty_range_states_nothing() -> None:
    for field in (range_field(None, "0.0", "0.0"), range_field("USD", None, None)):
        item = greenhouse.extract_job(job([field, {"name": "Plum?", "value": "Yes"}]), SOURCE)
        assert item is not None and item.salary_stated is None


def test_the_single_job_pay_ranges_go_first() -> None:
    cents = [{"min_cents": 10_000_000, "max_cents": 12_000_000, "currency_type": "USD"}]
    payload = job([range_field("USD", "1.0", "2.0")], pay_input_ranges=cents)
    item = greenhouse.extract_job(payload, SOURCE)
    assert item is not None and item.salary_stated is not None
    assert (item.salary_stated.min, item.salary_stated.max) == (100000.0, 120000.0)


def test_employment_type_comes_from_its_custom_field() -> None:
    field = {"name": "Employment Type", "value": "Full-time", "value_type": "single_select"}
    item = greenhouse.extract_job(job([field, None, "odd"]), SOURCE)
    assert item is not None and item.employment_type_raw == "Full-time"


def test_a_level_custom_field_is_the_boards_seniority() -> None:
    field = {"name": "Job Level", "value": "Mid-Senior level", "value_type": "single_select"}
    item = greenhouse.extract_job(job([field]), SOURCE)
    assert item is not None and item.seniority_raw == "Mid-Senior level"
    other = {"name": "Plum?", "value": "Yes", "value_type": "single_select"}
    item = greenhouse.extract_job(job([other]), SOURCE)
    assert item is not None and item.seniority_raw is None
