"""The Recruitee extractor on the fixture careers site."""

from __future__ import annotations

import json

import pytest

from spiders.extract import recruitee
from spiders.items import StatedSalary
from spiders.registry import Source
from tests.conftest import TEST_BOARDS

OFFERS = json.loads((TEST_BOARDS / "recruitee" / "polderwind-demo.json").read_text("utf-8"))
SOURCE = Source(company="Polderwind", family="recruitee", token="polderwind-demo")


def by_id() -> dict:
    return {i.source_job_id: i for i in recruitee.extract_offers(OFFERS, SOURCE)}


def test_every_offer_with_a_canonical_url_from_the_slugs() -> None:
    items = by_id()
    assert len(items) == len(OFFERS["offers"])
    first = items["2830411"]
    assert first.url == (
        "https://polderwind-demo.recruitee.com/o/machine-learning-engineer-turbine-condition-monitoring"
    )
    assert first.apply_url.endswith("/c/new")
    assert (first.country_raw, first.department, first.employment_type_raw) == (
        "NL", "Data Science", "fulltime_permanent",
    )  # fmt: skip
    assert first.posted_at_raw == "2026-10-01 09:30:05 UTC"
    assert first.seniority_raw == "mid_level"
    assert first.updated_at_raw == "2026-10-14 16:02:10 UTC"
    assert first.description_html.endswith(OFFERS["offers"][0]["requirements"])


def test_salaries_stay_text_as_stated() -> None:
    items = by_id()
    assert items["2830411"].salary_stated == StatedSalary("62000", "78000", "EUR", "year")
    assert items["2830412"].salary_stated == StatedSalary("4200", "5600", "EUR", "month")
    assert items["2830413"].salary_stated == StatedSalary("16", "18", "EUR", "hour")
    assert items["2830414"].salary_stated is None  # no salary object
    assert items["2830416"].salary_stated is None  # an object without amounts


def test_workplace_flags() -> None:
    items = by_id()
    assert items["2830411"].remote_raw == "hybrid"
    assert items["2830412"].remote_raw == "remote"
    assert items["2830413"].remote_raw == "onsite"
    assert items["2830416"].remote_raw is None  # no flag set: unknown


def test_several_locations_are_all_named() -> None:
    assert by_id()["2830414"].location_raw == (
        "Eemshaven, Groningen, Netherlands; Esbjerg, Region of Southern Denmark, Denmark"
    )
    assert by_id()["2830413"].location_raw == "Hamburg, Hamburg, Germany"


def test_bad_answers_raise_and_offers_without_id_are_skipped() -> None:
    assert recruitee.extract_offers({"offers": [{"title": "x"}]}, SOURCE) == []
    with pytest.raises(ValueError, match="offers"):
        recruitee.extract_offers([], SOURCE)
