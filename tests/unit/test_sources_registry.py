"""Checks on spiders/sources.yaml, the registry of company job boards.

The YAML is read directly (the project's loader lives in spiders/registry.py); these tests
guard the registry's shape and spread, not the boards' liveness.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "spiders" / "sources.yaml"
TAXONOMY = ROOT.parent / "shared" / "TAXONOMY.md"

FAMILIES = {
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "recruitee",
    "personio",
    "workday",
    "schemaorg",
    "rss",
}
URL_FAMILIES = {"schemaorg", "rss"}
# Sector codes of TAXONOMY.md section 1 (a contract with SQL users).
SECTORS = {
    "energy",
    "climate",
    "health",
    "life_sciences",
    "agriculture_food",
    "industrial",
    "mobility",
    "education",
    "public_good",
    "finance",
    "software",
    "other",
}
IMPORTANT_SECTORS = {
    "energy",
    "climate",
    "health",
    "life_sciences",
    "agriculture_food",
    "industrial",
    "mobility",
    "education",
    "public_good",
}
PROMINENCE = {"household", "known", "unheard"}
REQUIRED = ("company", "family", "token", "homepage", "sector")
ALLOWED_KEYS = set(REQUIRED) | {"prominence", "url", "note"}
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
WORKDAY_TOKEN = re.compile(r"^[a-z0-9-]+\.wd\d+/[A-Za-z0-9_-]+$")


@pytest.fixture(scope="module")
def sources() -> list[dict]:
    with SOURCES.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    assert isinstance(doc, dict) and isinstance(doc.get("sources"), list)
    return doc["sources"]


def test_enough_entries(sources):
    assert len(sources) >= 150


def test_entries_are_mappings_with_known_keys(sources):
    for i, s in enumerate(sources):
        assert isinstance(s, dict), f"entry {i} is not a mapping"
        unknown = set(s) - ALLOWED_KEYS
        assert not unknown, f"entry {i} ({s.get('company')}): unknown keys {unknown}"


def test_required_fields_present_and_non_empty(sources):
    for i, s in enumerate(sources):
        for field in REQUIRED:
            value = s.get(field)
            assert isinstance(value, str) and value.strip(), (
                f"entry {i} ({s.get('company')}): missing or empty {field!r}"
            )
            assert value == value.strip(), f"entry {i}: {field!r} has stray whitespace"


def test_family_in_allowed_set(sources):
    bad = [(s["company"], s["family"]) for s in sources if s["family"] not in FAMILIES]
    assert not bad


def test_sector_is_a_taxonomy_code(sources):
    bad = [(s["company"], s["sector"]) for s in sources if s["sector"] not in SECTORS]
    assert not bad


def test_sector_codes_match_taxonomy_file():
    if not TAXONOMY.exists():
        pytest.skip("../shared/TAXONOMY.md not present")
    text = TAXONOMY.read_text(encoding="utf-8")
    section = text.split("## 1.", 1)[1].split("## 2.", 1)[0]
    codes = set(re.findall(r"^\| ([a-z_]+) \|", section, flags=re.M)) - {"code"}
    assert codes == SECTORS


def test_url_families_have_url(sources):
    for s in sources:
        if s["family"] in URL_FAMILIES:
            url = s.get("url")
            assert isinstance(url, str) and url.startswith(("https://", "http://")), (
                f"{s['company']} ({s['family']}) needs a url"
            )


def test_urls_are_https(sources):
    for s in sources:
        if "url" in s:
            assert str(s["url"]).startswith("https://"), f"{s['company']}: url {s['url']!r}"


def test_no_duplicate_family_token(sources):
    keys = collections.Counter((s["family"], s["token"].lower()) for s in sources)
    dupes = [k for k, n in keys.items() if n > 1]
    assert not dupes


def test_no_duplicate_company_within_family(sources):
    keys = collections.Counter((s["family"], s["company"].lower()) for s in sources)
    dupes = [k for k, n in keys.items() if n > 1]
    assert not dupes


def test_homepage_is_bare_domain(sources):
    bad = [(s["company"], s["homepage"]) for s in sources if not DOMAIN.match(s["homepage"])]
    assert not bad


def test_workday_tokens_name_tenant_shard_and_site(sources):
    bad = [
        s["token"]
        for s in sources
        if s["family"] == "workday" and not WORKDAY_TOKEN.match(s["token"])
    ]
    assert not bad


def test_prominence_values(sources):
    bad = [
        (s["company"], s["prominence"])
        for s in sources
        if s.get("prominence", "unheard") not in PROMINENCE
    ]
    assert not bad


def test_household_entries_are_few_contrast_cases(sources):
    household = [s for s in sources if s.get("prominence") == "household"]
    assert len(household) <= 5
    for s in household:
        assert "contrast case" in s.get("note", ""), f"{s['company']} lacks 'contrast case' note"


def test_each_important_sector_has_eight_entries(sources):
    counts = collections.Counter(s["sector"] for s in sources)
    short = {sector: counts[sector] for sector in IMPORTANT_SECTORS if counts[sector] < 8}
    assert not short


def test_mostly_important_sectors(sources):
    important = sum(s["sector"] in IMPORTANT_SECTORS for s in sources)
    assert important / len(sources) >= 0.9


def test_at_least_six_families_present(sources):
    assert len({s["family"] for s in sources}) >= 6


def test_six_families_with_five_entries_each(sources):
    counts = collections.Counter(s["family"] for s in sources)
    assert sum(n >= 5 for n in counts.values()) >= 6
