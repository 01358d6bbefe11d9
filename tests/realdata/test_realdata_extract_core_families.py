"""The Ashby and Greenhouse extractors over real captured boards (skipped when absent)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from spiders.extract import ashby, greenhouse
from spiders.registry import Source


def source(family: str, token: str) -> Source:
    return Source(company=token, family=family, token=token)


def test_every_real_ashby_posting_extracts(realdata: Path) -> None:
    boards = sorted((realdata / "ashby").glob("*.json.gz"))
    assert len(boards) > 200
    postings = with_salary = 0
    for path in boards:
        payload = json.loads(gzip.decompress(path.read_bytes()))
        token = path.name.removesuffix(".json.gz").replace("%20", "-")
        items = ashby.extract_jobs(payload, source("ashby", token))
        listed = [j for j in payload["jobs"] if j.get("isListed") is not False]
        assert len(items) == len(listed), path.name
        for item, job in zip(items, listed, strict=True):
            assert item.source_job_id == job["id"]
            assert item.url == f"https://jobs.ashbyhq.com/{token}/{job['id']}"
            assert item.raw is job
            salary = next(
                (
                    c
                    for c in (job.get("compensation") or {}).get("summaryComponents") or []
                    if c.get("compensationType") == "Salary" and c.get("minValue") is not None
                ),
                None,
            )
            if salary:
                with_salary += 1
                assert item.salary_stated is not None
                assert (
                    item.salary_stated.min,
                    item.salary_stated.max,
                    item.salary_stated.currency,
                ) == (salary["minValue"], salary["maxValue"], salary["currencyCode"])
        postings += len(items)
    print(
        f"\nashby: {postings} postings from {len(boards)} boards, "
        f"{with_salary} with a stated salary"
    )
    assert postings > 5000 and with_salary > 1000


def test_every_real_greenhouse_posting_extracts(realdata: Path) -> None:
    files = sorted((realdata / "greenhouse").glob("techjobshub_*.json"))
    files += sorted((realdata / "greenhouse_history").glob("*/*.json.gz"))[:40]
    assert files
    total = 0
    for path in files:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        payload = json.loads(raw)
        token = path.parent.name if path.suffix == ".gz" else path.stem.removeprefix("techjobshub_")
        items = greenhouse.extract_jobs(payload, source("greenhouse", token))
        assert len(items) == len(payload["jobs"])
        assert len({i.source_job_id for i in items}) == len(items), "ids are unique keys"
        for item in items:
            assert item.url == f"https://job-boards.greenhouse.io/{token}/jobs/{item.source_job_id}"
            assert item.title == item.raw["title"].strip() or item.title
        total += len(items)
    assert total > 100


def test_escaped_greenhouse_content_is_kept_escaped_for_staging(realdata: Path) -> None:
    payload = json.loads(
        (realdata / "greenhouse" / "vercel_hunt_fixture_truncated.json").read_text()
    )
    items = greenhouse.extract_jobs(payload, source("greenhouse", "vercel"))
    assert items and all(i.description_is_escaped for i in items)
    assert all("&lt;" in (i.description_html or "") for i in items)


def test_real_greenhouse_compensation_fields_are_stated_pay(realdata: Path) -> None:
    # flatironhealth's list answers carry a "Job Compensation Range" custom field
    files = sorted((realdata / "greenhouse_history" / "flatironhealth").glob("*.json.gz"))
    assert files
    ranges = stated = empty = 0
    for path in files:
        payload = json.loads(gzip.decompress(path.read_bytes()))
        for item in greenhouse.extract_jobs(payload, source("greenhouse", "flatironhealth")):
            field = next(
                (
                    m["value"]
                    for m in item.raw.get("metadata") or []
                    if m.get("value_type") == "currency_range"
                ),
                None,
            )
            if field is None:
                continue
            ranges += 1
            if float(field["max_value"] or 0) > 0:
                stated += 1
                pay = item.salary_stated
                assert pay is not None
                assert (pay.min, pay.max, pay.currency) == (
                    float(field["min_value"]),
                    float(field["max_value"]),
                    field["unit"],
                )
            else:
                empty += 1
                assert item.salary_stated is None  # "0.0"-"0.0" states nothing
    print(f"\nflatironhealth: {ranges} compensation fields, {stated} stated, {empty} empty")
    assert stated > 500 and empty > 0
