"""The Recruitee extractor over a real offers answer (skipped when realdata is absent)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spiders.extract import recruitee
from spiders.registry import Source

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
OFFERS = REALDATA / "other" / "recruitee_channable_hunt_fixture_truncated.json"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not OFFERS.is_file(), reason="../shared/realdata is absent"),
]


def test_real_offers_extract() -> None:
    payload = json.loads(OFFERS.read_text(encoding="utf-8"))
    source = Source(company="Channable", family="recruitee", token="channable")
    items = recruitee.extract_offers(payload, source)
    assert len(items) == len(payload["offers"]) > 0
    for item, offer in zip(items, payload["offers"], strict=True):
        assert item.source_job_id == str(offer["id"])
        # canonical from the slugs even though careers_url is on the company's own domain
        assert item.url == f"https://channable.recruitee.com/o/{offer['slug']}"
        assert item.title == offer["title"]
        assert item.description_html and offer["description"] in item.description_html
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", item.posted_at_raw)
        salary = offer["salary"]
        assert item.salary_stated is not None
        assert (item.salary_stated.min, item.salary_stated.max) == (salary["min"], salary["max"])
        assert isinstance(item.salary_stated.min, str)  # left as stated for staging
        assert item.salary_stated.currency == salary["currency"]
        assert item.salary_stated.interval == salary["period"]
        flags = [w for k, w in (("remote", "remote"), ("hybrid", "hybrid"), ("on_site", "onsite"))
                 if offer[k] is True]  # fmt: skip
        assert item.remote_raw == (flags[0] if flags else None)
        assert item.country_raw == offer["country_code"]
        assert item.raw is offer
