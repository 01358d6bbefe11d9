"""Prominence: registry hint, famous-employer lists, and the unheard default."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.tagging.prominence import (
    ProminenceTag,
    classify_prominence,
    homepage_host,
    load_famous_employers,
    normalize_company,
)
from pipelines.tagging.skills import TaxonomyError


def test_lists_are_big_enough() -> None:
    employers = load_famous_employers()
    assert employers.count("household") >= 320
    assert employers.count("known") >= 100


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The Home Depot, Inc.", "home depot"),
        ("Acme Corp.", "acme"),
        ("Siemens AG", "siemens"),
        ("Iodine%20Software", "iodine software"),
        ("Procter & Gamble Co", "procter and gamble"),
        ("Nestlé S.A.", "nestle"),
        ("Inc", "inc"),
    ],
)
def test_normalize_company(name: str, expected: str) -> None:
    assert normalize_company(name) == expected


@pytest.mark.parametrize(
    ("homepage", "host"),
    [("https://www.Stripe.com/jobs", "stripe.com"), ("careers.google.com", "careers.google.com"),
     ("", None)],
)  # fmt: skip
def test_homepage_host(homepage: str, host: str | None) -> None:
    assert homepage_host(homepage) == host


@pytest.mark.parametrize(
    ("company", "homepage", "expected"),
    [
        ("Google LLC", None, "household"),
        ("OpenAI", None, "household"),
        ("Anthropic, PBC", None, "household"),
        ("Walmart Inc.", None, "household"),
        ("Nike", None, "household"),
        ("Some Subsidiary", "https://careers.google.com/", "household"),
        ("Stripe", None, "known"),
        ("notion", None, "known"),
        ("backmarket", None, "known"),
        ("Gridium", "https://gridium.com", "unheard"),
        ("Block Labs", None, "unheard"),
    ],
)
def test_list_matches(company: str, homepage: str | None, expected: str) -> None:
    tag = classify_prominence(company, homepage)
    assert tag.prominence == expected
    assert tag.basis == "rule"


@pytest.mark.parametrize(
    ("company", "homepage", "expected"),
    [
        # the big names of the product's own sectors, which a user may well register
        ("Equinor ASA", None, "household"),
        ("Vattenfall AB", None, "household"),
        ("E.ON SE", None, "household"),
        ("Some Wind Unit", "https://www.siemensgamesa.com/careers", "household"),
        ("Kubota Corporation", None, "household"),
        ("Becton, Dickinson", None, "household"),
        ("LG Energy Solution", None, "household"),
        ("Ubisoft", None, "household"),
        ("Octopus Energy", None, "known"),
        ("Syngenta", None, "known"),
        ("Aurora Innovation", None, "known"),
        # names that only sound like them stay unheard
        ("Aurora Solar", None, "unheard"),
        ("Continental Resources", None, "unheard"),
        ("Lime Health", None, "unheard"),
    ],
)
def test_sector_majors_outside_big_tech_are_not_unheard(
    company: str, homepage: str | None, expected: str
) -> None:
    assert classify_prominence(company, homepage).prominence == expected


def test_evidence_names_the_list_and_entry() -> None:
    assert classify_prominence("Alphabet Inc.").evidence == "household list: Google (name)"
    tag = classify_prominence("Payments Co", "https://stripe.com")
    assert tag.evidence == "known list: Stripe (domain stripe.com)"


def test_unheard_is_the_default() -> None:
    assert classify_prominence("Monarch Crops") == ProminenceTag(
        "unheard", "rule", "not on a famous-employer list"
    )


def test_near_names_match_only_when_long_and_nearly_identical() -> None:
    tag = classify_prominence("Hewlett Packard Enterprize")
    assert tag.prominence == "household"
    assert "near name" in tag.evidence
    assert classify_prominence("Nikes").prominence == "unheard"  # short: exact only
    assert classify_prominence("Microsolt Labs").prominence == "unheard"


def test_registry_hint_wins() -> None:
    assert classify_prominence("Google", hint="unheard") == ProminenceTag(
        "unheard", "registry", "registry hint: unheard"
    )
    assert classify_prominence("Tiny Co", hint=" Known ").prominence == "known"


def test_invalid_hint_is_ignored() -> None:
    assert classify_prominence("Google", hint="famous").basis == "rule"


# ----------------------------------------------------------------------------- loader


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "famous_employers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_loader_rejects_bad_domains(tmp_path: Path) -> None:
    path = write(tmp_path, "household:\n- {name: Acme, domains: [acme.com/jobs]}\nknown: []\n")
    with pytest.raises(TaxonomyError, match=r"line 2: 'Acme': 'acme.com/jobs' is not a domain"):
        load_famous_employers(path)


def test_loader_rejects_a_name_on_two_entries(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "household:\n- {name: Acme Inc}\nknown:\n- {name: ACME, domains: [acme.io]}\n",
    )
    with pytest.raises(TaxonomyError, match=r"line 4: 'ACME': name 'acme' already belongs"):
        load_famous_employers(path)


def test_loader_needs_both_lists(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="'household:' and 'known:'"):
        load_famous_employers(write(tmp_path, "household: []\n"))
