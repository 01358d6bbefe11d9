"""The cleaning parsers over real captured boards (skipped when ../shared/realdata is absent).

Coverage floors are the fractions measured on the capture (2025-10) minus a margin, so a
parser regression fails here. Run with -s to see the summary line.
"""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pipelines.cleaning.dates import parse_timestamp
from pipelines.cleaning.employment import normalize_employment_type
from pipelines.cleaning.html_text import clean_description
from pipelines.cleaning.locations import parse_locations
from pipelines.cleaning.salary import parse_salary
from pipelines.cleaning.titles import parse_title
from pipelines.cleaning.types import EMPLOYMENT_TYPES

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
NOW = datetime(2027, 1, 1, tzinfo=UTC)  # after every capture: no date is "future"
ASHBY_PERIODS = {
    "1 YEAR": "year",
    "1 HOUR": "hour",
    "1 MONTH": "month",
    "1 WEEK": "week",
    "1 DAY": "day",
}

# Measured on the capture: country 0.975, remote 0.895, salary 0.553, seniority 0.487.
FLOORS = {"country_code": 0.95, "remote_type": 0.86, "salary": 0.52, "seniority": 0.45}

pytestmark = pytest.mark.realdata
if not REALDATA.is_dir():
    pytest.skip(f"no real data at {REALDATA}", allow_module_level=True)


def _load_ashby() -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    for path in sorted((REALDATA / "ashby").glob("*.json.gz")):
        with gzip.open(path) as handle:
            jobs.extend(json.load(handle).get("jobs") or [])
    return jobs


@pytest.fixture(scope="module")
def ashby_jobs() -> list[dict[str, Any]]:
    jobs = _load_ashby()
    if not jobs:
        pytest.skip("no Ashby captures")
    return jobs


def _salary_components(job: dict[str, Any]) -> list[dict[str, Any]]:
    compensation = job.get("compensation") or {}
    components = list(compensation.get("summaryComponents") or [])
    for tier in compensation.get("compensationTiers") or []:
        components += tier.get("components") or []
    return [
        c
        for c in components
        if c.get("compensationType") == "Salary"
        and (c.get("minValue") is not None or c.get("maxValue") is not None)
    ]


def _stated(component: dict[str, Any]) -> dict[str, Any]:
    return {
        "min": component.get("minValue"),
        "max": component.get("maxValue"),
        "currency": component.get("currencyCode"),
        "interval": component.get("interval"),
    }


def _ashby_location(job: dict[str, Any]):
    names = [job.get("location") or ""]
    names += [s.get("location") or "" for s in job.get("secondaryLocations") or []]
    postal = (job.get("address") or {}).get("postalAddress") or {}
    is_remote = job.get("isRemote")
    return parse_locations(
        "; ".join(n for n in names if n) or None,
        country_raw=postal.get("addressCountry"),
        remote_raw=None if is_remote is None else str(is_remote).lower(),
        title=job.get("title"),
        text=job.get("descriptionPlain"),
    )


def test_ashby_salary_components_come_back_unchanged(ashby_jobs):
    checked = flagged = floorless = 0
    for job in ashby_jobs:
        for component in _salary_components(job):
            salary = parse_salary(_stated(component), job.get("descriptionPlain"))
            assert salary.basis == "stated"
            assert salary.currency == component["currencyCode"]
            assert salary.period == ASHBY_PERIODS.get(component["interval"])
            checked += 1
            if salary.flag:  # e.g. "$55.00 – $65.00" stated as "1 YEAR": flagged, not trusted
                flagged += 1
                assert salary.flag == "implausible", component
                continue
            if salary.min is None and component["minValue"] is not None:
                # "$0 – $65K", "$1.00 – $500,000.00": a range with no floor, read as "up to"
                floorless += 1
                assert component["minValue"] <= 1 and salary.max == component["maxValue"]
                continue
            assert (salary.min, salary.max) == (component["minValue"], component["maxValue"])
    assert checked > 4000
    assert flagged <= checked * 0.002
    assert floorless <= checked * 0.002


def test_ashby_coverage(ashby_jobs):
    counts = dict.fromkeys(FLOORS, 0)
    salary_bases = {"stated": 0, "parsed": 0}
    for job in ashby_jobs:
        location = _ashby_location(job)
        counts["country_code"] += location.country_code is not None
        counts["remote_type"] += location.remote_type is not None
        components = [c for c in _salary_components(job)][:1]
        stated = _stated(components[0]) if components else None
        salary = parse_salary(stated, job.get("descriptionPlain"))
        if salary.min is not None or salary.max is not None:
            counts["salary"] += 1
            salary_bases[salary.basis or ""] = salary_bases.get(salary.basis or "", 0) + 1
        counts["seniority"] += parse_title(job.get("title")).seniority is not None
        assert normalize_employment_type(job.get("employmentType")) in EMPLOYMENT_TYPES
    total = len(ashby_jobs)
    coverage = {name: count / total for name, count in counts.items()}
    print(
        f"\nrealdata cleaning coverage over {total} Ashby postings: "
        + " ".join(f"{name}={value:.3f}" for name, value in coverage.items())
        + f" (salary stated={salary_bases['stated']} parsed={salary_bases['parsed']})"
    )
    for name, floor in FLOORS.items():
        assert coverage[name] >= floor, f"{name} coverage {coverage[name]:.3f} < {floor}"


def test_ashby_descriptions_and_dates(ashby_jobs):
    for job in ashby_jobs[::5]:  # every fifth posting keeps the run short; nh3 dominates
        cleaned = clean_description(job.get("descriptionHtml"))
        if (job.get("descriptionPlain") or "").strip():
            assert cleaned.text, job.get("jobUrl")
            assert "<" not in (cleaned.text or "")[:1]
    for job in ashby_jobs:
        published = parse_timestamp(job.get("publishedAt"), now=NOW)
        assert published.value is not None and published.flag is None, job.get("publishedAt")


def _greenhouse_boards() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((REALDATA / "greenhouse").glob("*.json"))]


def test_greenhouse_locations_titles_and_dates():
    boards = _greenhouse_boards()
    if not boards:
        pytest.skip("no Greenhouse captures")
    jobs = [job for board in boards for job in board.get("jobs") or []]
    with_country = 0
    for job in jobs:
        location = parse_locations((job.get("location") or {}).get("name"), title=job["title"])
        with_country += location.country_code is not None
        parse_title(job.get("title"))
        for field in ("first_published", "updated_at"):
            if job.get(field):
                parsed = parse_timestamp(job[field], now=NOW)
                assert parsed.value is not None and parsed.flag is None, job[field]
    print(
        f"\nrealdata Greenhouse: {len(jobs)} postings, country_code={with_country / len(jobs):.3f}"
    )
    assert with_country / len(jobs) >= 0.9


def test_greenhouse_escaped_content_is_cleaned():
    path = REALDATA / "greenhouse" / "vercel_hunt_fixture_truncated.json"
    if not path.exists():
        pytest.skip("no escaped Greenhouse fixture")
    for job in json.loads(path.read_text())["jobs"]:
        cleaned = clean_description(job["content"], escaped=True)
        assert cleaned.text and cleaned.text.startswith("About Vercel:")
        assert "&lt;" not in cleaned.text and "<div" not in cleaned.text
        assert "<h2>" in (cleaned.html or "")


def test_other_families_dates_and_texts():
    other = REALDATA / "other"
    if not other.is_dir():
        pytest.skip("no other captures")
    parsed = 0
    for path in sorted(other.glob("*.json")):
        payload = json.loads(path.read_text())
        if isinstance(payload, list):  # Lever: createdAt in epoch milliseconds
            for job in payload:
                assert parse_timestamp(job["createdAt"], now=NOW).value is not None
                assert normalize_employment_type(job["categories"].get("commitment"))
                assert clean_description(job.get("description")).text
                for item in job.get("lists") or []:  # bare <li> fragments
                    assert (clean_description(item.get("content")).text or "").startswith("- ")
                parsed += 1
        elif "offers" in payload:  # Recruitee: "2026-09-18 12:55:59 UTC", salary as strings
            for offer in payload["offers"]:
                for field in ("created_at", "published_at", "updated_at"):
                    assert parse_timestamp(offer[field], now=NOW).value is not None
                salary = offer.get("salary") or {}
                stated = {**salary, "interval": salary.get("period")}
                result = parse_salary(stated, None)
                assert result.basis == "stated" and result.min is not None
                assert normalize_employment_type(offer["employment_type_code"]) == "FULL_TIME"
                info = parse_locations(offer["location"], country_raw=offer.get("country"))
                assert info.country_code == "NL"
                parsed += 1
        elif "content" in payload:  # SmartRecruiters list
            for posting in payload["content"]:
                assert parse_timestamp(posting["releasedDate"], now=NOW).value is not None
                kind = posting["typeOfEmployment"]  # {"id": "permanent", "label": "Full-time"}
                assert normalize_employment_type(kind["label"]) == normalize_employment_type(
                    kind["id"]
                )
                assert normalize_employment_type(kind["label"]) in ("FULL_TIME", "INTERN")
                parsed += 1
    for path in sorted(other.glob("*.rss")):  # RFC 822 dates, doubly escaped HTML
        for item in ET.parse(path).getroot().iter("item"):
            assert parse_timestamp(item.findtext("pubDate"), now=NOW).value is not None
            text = clean_description(item.findtext("description"), escaped=True).text
            assert text and "&lt;" not in text
            parsed += 1
    assert parsed > 0
