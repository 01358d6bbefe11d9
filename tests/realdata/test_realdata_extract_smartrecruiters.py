"""The SmartRecruiters extractor over a real list answer (skipped when realdata is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.extract import smartrecruiters
from spiders.registry import Source

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
LIST_PAGE = REALDATA / "other" / "ubisoft_hunt_fixture.json"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not LIST_PAGE.is_file(), reason="../shared/realdata is absent"),
]


def test_a_real_list_page_extracts() -> None:
    payload = json.loads(LIST_PAGE.read_text(encoding="utf-8"))
    company = payload["content"][0]["company"]["identifier"]
    source = Source(company="Ubisoft", family="smartrecruiters", token=company)
    items = smartrecruiters.extract_postings(payload, source)
    assert len(items) == len(payload["content"]) > 0
    assert smartrecruiters.total_found(payload) >= len(items)
    for item, entry in zip(items, payload["content"], strict=True):
        assert item.source_job_id == entry["id"]
        assert item.url == f"https://jobs.smartrecruiters.com/{company}/{entry['id']}"
        assert item.title == entry["name"].strip()
        assert item.location_raw == entry["location"]["fullLocation"]
        country = item.country_raw
        assert country and len(country) == 2 and country == country.lower()
        assert item.remote_raw in ("true", "false", "hybrid")
        assert item.employment_type_raw == entry["typeOfEmployment"]["label"]
        assert item.posted_at_raw == entry["releasedDate"]
        assert item.description_html is None  # only the detail call has text
        assert item.raw == entry
