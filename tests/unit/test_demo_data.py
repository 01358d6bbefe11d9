"""Shape checks for the fictional demo boards served by `unheard demo`.

The files must look exactly like the bodies the real APIs return, so the spiders, the
staging parsers and the taggers can run against them unchanged:

- greenhouse/<token>.json  GET boards-api.greenhouse.io/v1/boards/<token>/jobs?content=true
- lever/<site>.json        GET api.lever.co/v0/postings/<site>?mode=json
- ashby/<org>.json         GET api.ashbyhq.com/posting-api/job-board/<org>?includeCompensation=true
"""

from __future__ import annotations

import html
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

DEMO_DIR = Path(__file__).resolve().parents[2] / "pipelines" / "demo"
BOARDS = DEMO_DIR / "boards"
REGISTRY = DEMO_DIR / "demo_sources.yaml"
FAMILIES = ("greenhouse", "lever", "ashby")

EARLIEST = datetime(2026, 8, 1, tzinfo=UTC)
LATEST = datetime(2026, 11, 21, tzinfo=UTC)  # exclusive: everything on or before 2026-11-20
MIN_HTML_BYTES, MAX_HTML_BYTES = 1500, 5000

ISO_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
ISO_MS_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$")


def board_files(family: str) -> list[Path]:
    return sorted((BOARDS / family).glob("*.json"))


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def params(family: str):
    return pytest.mark.parametrize("path", board_files(family), ids=lambda p: p.stem)


def registry() -> list[dict]:
    return yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))["sources"]


def is_uuid(value) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (TypeError, ValueError):
        return False


def parse_iso(value: str, pattern: re.Pattern) -> datetime:
    assert isinstance(value, str) and pattern.match(value), value
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None
    return parsed


def in_window(moment: datetime) -> bool:
    return EARLIEST <= moment < LATEST


def require_keys(obj: dict, keys: set[str], what: str) -> None:
    missing = keys - obj.keys()
    assert not missing, f"{what}: missing {sorted(missing)}"


# ------------------------------------------------------------------ the set as a whole


def test_every_family_has_boards():
    for family in FAMILIES:
        assert board_files(family), f"no demo boards for {family}"


def test_all_files_are_valid_utf8_json():
    for path in BOARDS.glob("*/*.json"):
        load(path)


def test_registry_matches_files():
    sources = registry()
    assert len(sources) == 6
    files = {(p.parent.name, p.stem) for p in BOARDS.glob("*/*.json")}
    listed = {(s["family"], s["token"]) for s in sources}
    assert listed == files
    for s in sources:
        require_keys(s, {"company", "family", "token", "homepage"}, s.get("company", "?"))
        assert s["family"] in FAMILIES
        assert "(demo)" in s["company"], "demo companies must be obviously fictional"
        assert s["homepage"].endswith(".example")


def test_registry_hints():
    by_token = {s["token"]: s for s in registry()}
    with_sector = {t for t, s in by_token.items() if s.get("sector")}
    assert len(with_sector) == 4
    # the tagger has to infer these two from the postings themselves
    assert "sector" not in by_token["furrow-labs-demo"]
    assert "sector" not in by_token["clinica-scribe-demo"]
    assert by_token["megamart-demo"]["prominence"] == "household"
    assert by_token["megamart-demo"]["sector"] == "other"


def test_company_names_match_registry():
    names = {s["token"]: s["company"] for s in registry()}
    for path in board_files("greenhouse"):
        assert {j["company_name"] for j in load(path)["jobs"]} == {names[path.stem]}
    for family in ("lever", "ashby"):
        for path in board_files(family):
            text = path.read_text(encoding="utf-8")
            assert f"About {names[path.stem]}" in text


def test_a_lever_board_needs_pagination():
    sizes = [len(load(p)) for p in board_files("lever")]
    assert max(sizes) > 5, "one Lever board must need more than one page of 5"


def test_set_has_the_promised_oddities():
    titles = [j["title"] for p in board_files("greenhouse") for j in load(p)["jobs"]]
    titles += [j["text"] for p in board_files("lever") for j in load(p)]
    titles += [j["title"] for p in board_files("ashby") for j in load(p)["jobs"]]
    assert 45 <= len(titles) <= 60
    assert any(t != t.strip() for t in titles), "a title with stray whitespace"
    assert any("(m/w/d)" in t for t in titles)
    assert any(any(ord(ch) > 0xFFFF for ch in t) for t in titles), "an emoji"
    everything = " ".join(p.read_text(encoding="utf-8") for p in BOARDS.glob("*/*.json"))
    for phrase in (
        "Competitive salary",
        "brutto/Jahr",
        "$48/hr",
        "remote-first",
        "The base salary range for this role is $140,000 - $175,000 per year",
    ):
        assert phrase in everything, phrase


# ------------------------------------------------------------------ Greenhouse

GH_JOB_KEYS = {
    "id",
    "internal_job_id",
    "title",
    "updated_at",
    "requisition_id",
    "location",
    "absolute_url",
    "language",
    "metadata",
    "content",
    "departments",
    "offices",
    "first_published",
    "company_name",
    "data_compliance",
}


@params("greenhouse")
def test_greenhouse_board_shape(path):
    body = load(path)
    assert set(body) == {"jobs", "meta"}
    assert body["meta"] == {"total": len(body["jobs"])}
    ids = [j["id"] for j in body["jobs"]]
    assert len(ids) == len(set(ids))


@params("greenhouse")
def test_greenhouse_jobs(path):
    token = path.stem
    for job in load(path)["jobs"]:
        require_keys(job, GH_JOB_KEYS, f"{token}/{job.get('id')}")
        assert isinstance(job["id"], int) and len(str(job["id"])) == 10
        assert isinstance(job["internal_job_id"], int)
        assert isinstance(job["title"], str) and job["title"].strip()
        assert job["requisition_id"] is None or isinstance(job["requisition_id"], str)
        assert isinstance(job["location"], dict) and isinstance(job["location"]["name"], str)
        assert job["absolute_url"] == f"https://job-boards.greenhouse.io/{token}/jobs/{job['id']}"
        assert job["language"] == "en"
        published = parse_iso(job["first_published"], ISO_OFFSET)
        updated = parse_iso(job["updated_at"], ISO_OFFSET)
        assert in_window(published) and in_window(updated)
        assert published <= updated
        for dept in job["departments"]:
            require_keys(dept, {"id", "name", "child_ids", "parent_id"}, "department")
            assert isinstance(dept["id"], int) and isinstance(dept["child_ids"], list)
        assert job["offices"]
        for office in job["offices"]:
            require_keys(office, {"id", "name", "location", "child_ids", "parent_id"}, "office")
            assert isinstance(office["id"], int) and isinstance(office["child_ids"], list)
        assert isinstance(job["data_compliance"], list) and job["data_compliance"]
        for entry in job["data_compliance"]:
            assert entry["type"] == "gdpr"


@params("greenhouse")
def test_greenhouse_metadata(path):
    for job in load(path)["jobs"]:
        if job["metadata"] is None:
            continue
        assert isinstance(job["metadata"], list)
        for item in job["metadata"]:
            assert set(item) == {"id", "name", "value", "value_type"}
            assert isinstance(item["id"], int) and isinstance(item["value_type"], str)
    value_types = {
        type(item["value"]).__name__
        for p in board_files("greenhouse")
        for j in load(p)["jobs"]
        for item in j["metadata"] or []
    }
    assert len(value_types) >= 3, "metadata values of several JSON types"


@params("greenhouse")
def test_greenhouse_content_is_entity_escaped(path):
    for job in load(path)["jobs"]:
        content = job["content"]
        assert "<" not in content and ">" not in content, "content must be entity-escaped"
        assert content.startswith("&lt;")
        inner = html.unescape(content)
        assert "<p>" in inner and "<ul>" in inner and "<li>" in inner
        assert "What you&#39;ll do" in content
        assert MIN_HTML_BYTES <= len(inner.encode()) <= MAX_HTML_BYTES, job["title"]


def test_greenhouse_shared_internal_job_id():
    jobs = [j for p in board_files("greenhouse") for j in load(p)["jobs"]]
    internal = [j["internal_job_id"] for j in jobs]
    assert len(set(internal)) < len(internal), "two posts share one internal_job_id"
    assert any("; " in j["location"]["name"] for j in jobs)


# ------------------------------------------------------------------ Lever

LEVER_KEYS = {
    "id",
    "text",
    "categories",
    "country",
    "workplaceType",
    "createdAt",
    "descriptionPlain",
    "description",
    "lists",
    "additional",
    "additionalPlain",
    "hostedUrl",
    "applyUrl",
}
LEVER_CATEGORY_KEYS = {"commitment", "department", "location", "team", "allLocations"}


@params("lever")
def test_lever_postings(path):
    site = path.stem
    body = load(path)
    assert isinstance(body, list) and body
    ids = [p["id"] for p in body]
    assert len(ids) == len(set(ids))
    for post in body:
        require_keys(post, LEVER_KEYS, f"{site}/{post.get('id')}")
        assert is_uuid(post["id"])
        assert isinstance(post["text"], str) and post["text"].strip()
        require_keys(post["categories"], LEVER_CATEGORY_KEYS, "categories")
        assert isinstance(post["categories"]["allLocations"], list)
        assert post["categories"]["location"] in post["categories"]["allLocations"]
        assert re.fullmatch(r"[A-Z]{2}", post["country"])
        assert post["workplaceType"] in {"remote", "hybrid", "onsite", "unspecified"}
        created = post["createdAt"]
        assert isinstance(created, int) and not isinstance(created, bool)
        assert created > 10**12, "createdAt is epoch milliseconds"
        assert in_window(datetime.fromtimestamp(created / 1000, tz=UTC))
        assert post["hostedUrl"] == f"https://jobs.lever.co/{site}/{post['id']}"
        assert post["applyUrl"] == post["hostedUrl"] + "/apply"
        assert post["lists"]
        for block in post["lists"]:
            assert set(block) == {"text", "content"}
            assert block["content"].startswith("<li>") and block["content"].endswith("</li>")
            assert "<ul" not in block["content"]
        assert "<" not in post["descriptionPlain"] and "<" not in post["additionalPlain"]
        size = len(
            (
                post["description"]
                + post["additional"]
                + "".join(b["content"] for b in post["lists"])
            ).encode()
        )
        assert MIN_HTML_BYTES <= size <= MAX_HTML_BYTES, post["text"]


@params("lever")
def test_lever_salary_range(path):
    for post in load(path):
        if "salaryRange" not in post:
            continue
        rng = post["salaryRange"]
        assert set(rng) == {"min", "max", "currency", "interval"}
        assert isinstance(rng["min"], int) and isinstance(rng["max"], int)
        assert 0 < rng["min"] <= rng["max"]
        assert re.fullmatch(r"[A-Z]{3}", rng["currency"])
        assert rng["interval"] in {"per-year-salary", "per-month-salary", "per-hour-wage"}
        if "salaryDescription" in post:
            assert isinstance(post["salaryDescription"], str)


def test_lever_mixes_structured_and_missing_salaries():
    posts = [p for path in board_files("lever") for p in load(path)]
    with_range = sum("salaryRange" in p for p in posts)
    assert 0 < with_range < len(posts)


# ------------------------------------------------------------------ Ashby

ASHBY_KEYS = {
    "id",
    "title",
    "department",
    "team",
    "employmentType",
    "location",
    "secondaryLocations",
    "publishedAt",
    "isListed",
    "isRemote",
    "workplaceType",
    "address",
    "jobUrl",
    "applyUrl",
    "descriptionHtml",
    "descriptionPlain",
    "shouldDisplayCompensationOnJobPostings",
    "compensation",
}
COMP_KEYS = {
    "compensationTierSummary",
    "scrapeableCompensationSalarySummary",
    "compensationTiers",
    "summaryComponents",
}
COMPONENT_TYPES = {"Salary", "EquityPercentage", "EquityCashValue", "Bonus", "Commission"}
INTERVALS = {"1 YEAR", "1 MONTH", "1 HOUR", "NONE"}


def check_postal(address: dict) -> None:
    assert set(address) == {"postalAddress"}
    postal = address["postalAddress"]
    assert postal.keys() <= {"addressLocality", "addressRegion", "addressCountry"}
    assert isinstance(postal["addressCountry"], str)


@params("ashby")
def test_ashby_jobs(path):
    org = path.stem
    body = load(path)
    assert set(body) == {"apiVersion", "jobs"} and body["apiVersion"] == "1"
    ids = [j["id"] for j in body["jobs"]]
    assert len(ids) == len(set(ids))
    for job in body["jobs"]:
        require_keys(job, ASHBY_KEYS, f"{org}/{job.get('id')}")
        assert is_uuid(job["id"])
        assert job["employmentType"] in {"FullTime", "PartTime", "Intern", "Contract"}
        assert job["workplaceType"] in {"Remote", "Hybrid", "OnSite"}
        assert job["isRemote"] in (True, False, None)
        assert job["isListed"] is True
        assert in_window(parse_iso(job["publishedAt"], ISO_MS_OFFSET))
        check_postal(job["address"])
        for secondary in job["secondaryLocations"]:
            assert set(secondary) == {"location", "address"}
            check_postal(secondary["address"])
        assert job["jobUrl"] == f"https://jobs.ashbyhq.com/{org}/{job['id']}"
        assert job["applyUrl"] == job["jobUrl"] + "/application"
        assert "<" not in job["descriptionPlain"]
        size = len(job["descriptionHtml"].encode())
        assert MIN_HTML_BYTES <= size <= MAX_HTML_BYTES, job["title"]


@params("ashby")
def test_ashby_compensation(path):
    for job in load(path)["jobs"]:
        comp = job["compensation"]
        assert set(comp) == COMP_KEYS
        if not comp["compensationTiers"]:
            assert comp["compensationTierSummary"] is None
            assert comp["scrapeableCompensationSalarySummary"] is None
            assert comp["summaryComponents"] == []
            assert job["shouldDisplayCompensationOnJobPostings"] is False
            continue
        assert isinstance(comp["compensationTierSummary"], str)
        for tier in comp["compensationTiers"]:
            assert set(tier) == {
                "id",
                "tierSummary",
                "title",
                "additionalInformation",
                "components",
            }
            assert is_uuid(tier["id"]) and isinstance(tier["tierSummary"], str)
            assert tier["components"]
            for c in tier["components"]:
                assert set(c) == {
                    "id",
                    "summary",
                    "compensationType",
                    "interval",
                    "currencyCode",
                    "minValue",
                    "maxValue",
                }
                assert is_uuid(c["id"])
                assert c["compensationType"] in COMPONENT_TYPES
                assert c["interval"] in INTERVALS
                if c["compensationType"] == "Salary":
                    assert re.fullmatch(r"[A-Z]{3}", c["currencyCode"])
                    assert isinstance(c["minValue"], int | float)
                    assert 0 < c["minValue"] <= c["maxValue"]
                    assert c["interval"] != "NONE"
                elif c["minValue"] is not None:
                    assert c["minValue"] <= c["maxValue"]
        for c in comp["summaryComponents"]:
            assert {"compensationType", "interval", "minValue", "maxValue"} <= set(c)


def test_ashby_variety():
    jobs = [j for p in board_files("ashby") for j in load(p)["jobs"]]
    countries = {j["address"]["postalAddress"]["addressCountry"] for j in jobs}
    assert {"USA", "United States", "Germany"} <= countries
    assert None in {j["isRemote"] for j in jobs}
    intervals = {
        c["interval"]
        for j in jobs
        for t in j["compensation"]["compensationTiers"]
        for c in t["components"]
    }
    assert {"1 YEAR", "1 HOUR", "NONE"} <= intervals
    assert any(not j["compensation"]["compensationTiers"] for j in jobs)
    assert {"FullTime", "PartTime", "Intern", "Contract"} <= {j["employmentType"] for j in jobs}
