"""The SmartRecruiters extractor on the fixture board's list entries and detail answers."""

from __future__ import annotations

import json

import pytest

from spiders.extract import smartrecruiters as sr
from spiders.registry import Source
from tests.conftest import TEST_BOARDS

BOARD = json.loads((TEST_BOARDS / "smartrecruiters" / "TerravoxDemo.json").read_text("utf-8"))
SOURCE = Source(company="Terravox Agronomics", family="smartrecruiters", token="TerravoxDemo")


def page(entries: list[dict]) -> dict:
    return {"offset": 0, "limit": 100, "totalFound": len(entries), "content": entries}


def test_list_entries_become_postings_without_text() -> None:
    items = sr.extract_postings(page(BOARD["content"]), SOURCE)
    assert [i.source_job_id for i in items] == [e["id"] for e in BOARD["content"]]
    first = items[0]
    assert first.url == "https://jobs.smartrecruiters.com/TerravoxDemo/744000160210001"
    assert first.title == "Machine Learning Engineer, Yield Forecasting"
    assert (first.location_raw, first.country_raw, first.remote_raw) == (
        "Lyon, ARA, France", "fr", "hybrid",
    )  # fmt: skip
    assert (first.department, first.employment_type_raw) == ("Data & Models", "Full-time")
    assert first.seniority_raw == "Mid-Senior Level"  # experienceLevel's label
    assert first.posted_at_raw == "2026-10-02T08:14:31.112Z"
    assert first.description_html is None and first.raw == BOARD["content"][0]
    assert sr.total_found(page(BOARD["content"])) == len(BOARD["content"])


def test_remote_flags() -> None:
    by_id = {i.source_job_id: i for i in sr.extract_postings(page(BOARD["content"]), SOURCE)}
    assert by_id["744000160210003"].remote_raw == "true"
    assert by_id["744000160210002"].remote_raw == "false"  # says only "not remote"


def test_the_detail_gives_the_description_in_section_order() -> None:
    entry = BOARD["content"][0]
    detail = BOARD["details"][entry["id"]]
    item = sr.extract_posting(entry, SOURCE, detail)
    html = item.description_html
    sections = detail["jobAd"]["sections"]
    positions = [html.index(sections[key]["text"]) for key in sr.SECTIONS]
    assert positions == sorted(positions)
    assert html.startswith("<h3>Company Description</h3>")
    assert item.apply_url == detail["applyUrl"]
    assert item.raw == {**entry, "detail": detail}


def test_a_failed_detail_is_noted_in_raw() -> None:
    entry = BOARD["content"][1]
    item = sr.extract_posting(entry, SOURCE, detail_error="HTTP 500 from x")
    assert item.description_html is None and item.title == entry["name"]
    assert item.raw["detail"] is None and item.raw["detail_error"] == "HTTP 500 from x"


def test_without_full_location_the_parts_are_joined() -> None:
    entry = {"id": "1", "name": "X", "location": {"city": "Graz", "country": "at", "remote": True}}
    item = sr.extract_posting(entry, SOURCE)
    assert (item.location_raw, item.remote_raw) == ("Graz, at", "true")
    assert item.department is None and item.posted_at_raw is None


def test_entries_without_id_are_skipped_and_a_wrong_answer_raises() -> None:
    assert sr.extract_postings(page([{"name": "no id"}, "junk"]), SOURCE) == []
    with pytest.raises(ValueError, match="content"):
        sr.extract_postings({"message": "Company not found"}, SOURCE)
