"""The Workable extractor on the fixture account."""

from __future__ import annotations

import json

import pytest

from spiders.extract import workable
from spiders.registry import Source
from tests.conftest import TEST_BOARDS

ACCOUNT = json.loads((TEST_BOARDS / "workable" / "tidewater-energy-demo.json").read_text("utf-8"))
SOURCE = Source(company="Tidewater", family="workable", token="tidewater-energy-demo")


def test_every_job_is_extracted_with_its_canonical_url() -> None:
    items = workable.extract_jobs(ACCOUNT, SOURCE)
    assert [i.source_job_id for i in items] == [j["shortcode"] for j in ACCOUNT["jobs"]]
    first = items[0]
    assert first.url == "https://apply.workable.com/tidewater-energy-demo/j/7F3A1C9E20/"
    assert first.apply_url == "https://apply.workable.com/j/7F3A1C9E20/apply"
    assert (first.country_raw, first.remote_raw, first.employment_type_raw) == (
        "NL", "false", "Full-time",
    )  # fmt: skip
    assert (first.department, first.posted_at_raw) == ("Optimisation", "2026-10-08")
    assert [i.seniority_raw for i in items][2:5] == ["Associate", "Mid-Senior level", "Entry level"]
    assert first.raw is ACCOUNT["jobs"][0]


def test_description_requirements_and_benefits_make_one_body() -> None:
    job = ACCOUNT["jobs"][1]
    html = workable.extract_job(job, SOURCE).description_html
    assert html.startswith(job["description"])
    assert "<h3>Requirements</h3>" in html and "<h3>Benefits</h3>" in html
    assert workable.extract_job({**job, "telecommuting": True}, SOURCE).remote_raw == "true"


def test_hidden_locations_are_left_out_unless_all_are_hidden() -> None:
    job = ACCOUNT["jobs"][4]
    assert workable.extract_job(job, SOURCE).location_raw == "Rotterdam, South Holland, Netherlands"
    only_hidden = {**job, "locations": [{**job["locations"][1]}]}
    assert workable.extract_job(only_hidden, SOURCE).location_raw == (
        "Düsseldorf, North Rhine-Westphalia, Germany"
    )
    no_list = {**job, "locations": []}
    assert workable.extract_job(no_list, SOURCE).location_raw == (
        "Rotterdam, South Holland, Netherlands"
    )


def test_a_job_without_text_has_no_description_and_bad_answers_raise() -> None:
    bare = {"shortcode": "ABC", "title": "T", "description": "", "telecommuting": None}
    item = workable.extract_job(bare, SOURCE)
    assert item.description_html is None and item.remote_raw is None
    assert workable.extract_jobs({"jobs": [{"title": "no shortcode"}]}, SOURCE) == []
    with pytest.raises(ValueError, match="jobs"):
        workable.extract_jobs({"error": "Not found"}, SOURCE)
