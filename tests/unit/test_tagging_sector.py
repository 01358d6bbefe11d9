"""Company sector from the company's own postings, and the important-problem flag."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipelines.tagging.sector import (
    SectorTag,
    SectorTaxonomy,
    infer_sector,
    load_sector_taxonomy,
    sector_scores,
    tag_company_sector,
)
from pipelines.tagging.sectors import IMPORTANT_SECTORS, SECTOR_CODES, is_important_problem
from pipelines.tagging.skills import TaxonomyError

BENEFITS = """Benefits
- Health insurance, dental and vision coverage for you and your family
- 401(k) match, parental leave, mental health support and a wellness stipend
We are an equal opportunity employer and do not discriminate on the basis of race."""


def posting(about: str, role: str) -> str:
    return f"About us\n\n{about}\n\nWhat you'll do\n\n{role}\n\n{BENEFITS}"


SCRIBE_ABOUT = (
    "Acme Health builds an AI scribe for clinicians: our platform turns patient visits into "
    "clinical documentation inside the EHR, so physicians and nurses spend time with patients."
)
FARM_LENDER_ABOUT = (
    "Furrow lends to farmers and ranchers. We offer loans, banking and payments built for "
    "agriculture, so farms can finance crops, livestock and equipment."
)
DEVTOOLS_ABOUT = (
    "Stackly is a developer platform: APIs, an SDK and observability for engineering teams "
    "who ship cloud software. Open source at heart, loved by developers."
)


def test_repeated_about_text_decides_health() -> None:
    texts = [
        posting(SCRIBE_ABOUT, "Build React front ends and APIs."),
        posting(SCRIBE_ABOUT, "Run payroll and help our finance team close the books."),
        posting(SCRIBE_ABOUT, "Train speech models on GPUs with PyTorch."),
    ]
    tag = infer_sector("Acme Health", texts)
    assert tag.primary == "health"
    assert tag.basis == "inferred"
    assert tag.evidence is not None and tag.evidence.startswith("health:")
    assert "clinicians" in tag.evidence or "patients" in tag.evidence


def test_neutral_phrases_count_for_no_sector() -> None:
    """A data warehouse is not logistics, a working student not a school's customer, and a
    mentor who "is a student" of the craft not an education company."""
    role = (
        "Build our data warehouse and dbt models; own the device drivers of our test rigs. "
        "Be a mentor; be a student. As a working student you will support our marketing team."
    )
    scores, contributions = sector_scores("Stackly", [posting(DEVTOOLS_ABOUT, role)] * 2)
    assert "warehouse" not in contributions.get("mobility", {})
    assert "drivers" not in contributions.get("mobility", {})
    assert "student" not in contributions.get("education", {})
    assert infer_sector("Stackly", [posting(DEVTOOLS_ABOUT, role)]).primary == "software"
    # the sector's own words still count outside those compounds
    _, freight = sector_scores("Haulio", ["Our warehouse network and drivers move freight."])
    assert {"warehouse", "drivers"} <= set(freight["mobility"])


def test_benefits_boilerplate_says_nothing_about_the_sector() -> None:
    texts = [posting(DEVTOOLS_ABOUT, "Build our SDK."), posting(DEVTOOLS_ABOUT, "Sell it.")]
    tag = infer_sector("Stackly", texts)
    assert tag.primary == "software"
    assert tag.secondary != "health"


def test_works_from_a_single_posting_of_an_unregistered_company() -> None:
    tag = infer_sector("Unregistered Co", [posting(SCRIBE_ABOUT, "Be our first engineer.")])
    assert tag.primary == "health"


def test_secondary_only_when_clearly_supported() -> None:
    texts = [posting(FARM_LENDER_ABOUT, "Underwrite farm loans.")] * 2
    tag = infer_sector("Furrow", texts)
    assert {tag.primary, tag.secondary} == {"agriculture_food", "finance"}
    single = infer_sector("Stackly", [posting(DEVTOOLS_ABOUT, "Write docs.")] * 2)
    assert single.secondary is None


def test_a_lender_to_farmers_is_agriculture_first_and_finance_second() -> None:
    # TAXONOMY.md: "a lender to farmers is agriculture_food primary, finance secondary",
    # even when its postings use more finance words than farm words
    about = (
        "Furrow is a lender for farmers and ranchers: loans, credit and banking for "
        "agriculture, so farms can finance crops and livestock."
    )
    texts = [posting(about, "Underwrite loans and manage credit risk.")] * 3
    scores, _ = sector_scores("Furrow", texts)
    assert scores["finance"] > scores["agriculture_food"]
    tag = infer_sector("Furrow", texts)
    assert (tag.primary, tag.secondary) == ("agriculture_food", "finance")
    assert is_important_problem(tag.primary, tag.secondary)
    # farms as one market among others in a lender's wording: finance, and nothing else
    broad = (
        "Furrow is a lender for farmers: financial services, loans, credit lines and banking "
        "built for farms, crops and livestock."
    )
    tag = infer_sector("Furrow", [posting(broad, "Underwrite loans and manage credit risk.")] * 3)
    assert (tag.primary, tag.secondary) == ("finance", None)


STAFFING_ABOUT = (
    "Shiftly is an on-demand marketplace for healthcare staffing: nurses and caregivers pick "
    "up per diem shifts at hospitals, clinics and care homes, and patients get the care they need."
)
GOV_ABOUT = (
    "Civix builds software for government agencies and the public sector: state and local "
    "governments use our platform to run permits and public services."
)
NONPROFIT_ABOUT = (
    "Open Hearth is a non-profit organization that maintains open-source developer tools and "
    "an SDK for smart homes, funded by its community."
)


def test_a_staffing_marketplace_is_other_with_its_clients_sector_second() -> None:
    texts = [posting(STAFFING_ABOUT, "Run payroll."), posting(STAFFING_ABOUT, "Build APIs.")]
    tag = infer_sector("Shiftly", texts)
    assert (tag.primary, tag.secondary) == ("other", "health")
    assert is_important_problem(tag.primary, tag.secondary)


def test_software_for_governments_is_software_with_public_good_second() -> None:
    texts = [posting(GOV_ABOUT, "Build React front ends.")] * 3
    tag = infer_sector("Civix", texts)
    assert (tag.primary, tag.secondary) == ("software", "public_good")


def test_a_non_profit_is_public_good_whatever_it_builds() -> None:
    tag = infer_sector("Open Hearth", [posting(NONPROFIT_ABOUT, "Write docs.")] * 2)
    assert tag.primary == "public_good"


def test_the_mix_of_posting_titles_adds_evidence() -> None:
    about = "Carewell runs a platform that helps families at home."
    titles = ["Registered Nurse", "Caregiver", "Physical Therapist", "Software Engineer"]
    with_titles = [f"{title}\n\n{posting(about, 'Help our members.')}" for title in titles]
    tag = infer_sector("Carewell", with_titles)
    assert tag.primary == "health"
    assert tag.evidence is not None and "title: " in tag.evidence
    without = infer_sector("Carewell", [posting(about, "Help our members.")] * 4)
    assert without.primary != "health"


def test_the_title_line_names_the_job_not_what_the_company_sells() -> None:
    """A thin board's title ("Senior Software Developer") is no evidence of a software
    company: only the titles signal reads it, and "developer" names no sector's job."""
    body = "Clinix schedules home visits for nurses and their patients.\n\nWrite code."
    titled = f"Senior Software Developer\n\n{body}"
    _, contributions = sector_scores("Clinix", [titled])
    assert "developer" not in contributions.get("software", {})
    assert "patients" in contributions["health"]
    assert infer_sector("Clinix", [titled]).primary == "health"
    # a first line not followed by a blank line is no title: text like any other
    _, untitled = sector_scores("Clinix", ["Senior Software Developer\n" + body])
    assert "developer" in untitled["software"]


def test_a_paragraph_opening_with_the_company_name_is_about_the_company() -> None:
    """ "Acme builds ..." or "At Acme, we ..." says what the company sells wherever it is,
    like a paragraph under an "About Acme" heading; the same words in an unnamed paragraph
    after the opening of a posting are the job's, and count for nothing."""
    duties = "\n\n".join(f"Build and ship feature {i} of our web app." for i in range(40))
    about = "{} helps veterinarians run their clinics and care for pets."
    for named in ("Pawsome", "At Pawsome, we"):
        scores, parts = sector_scores("Pawsome", [f"Engineer\n\n{duties}\n\n{about.format(named)}"])
        assert parts["health"]["veterinarians"] == 3.0  # core weight 1, not opening weight
    _, unnamed = sector_scores("Pawsome", [f"Engineer\n\n{duties}\n\n{about.format('It')}"])
    assert "veterinarians" not in unnamed.get("health", {})
    # a name too short to tell apart, and short lines, are not taken for the company
    _, short = sector_scores("AB", [f"Engineer\n\n{duties}\n\n{about.format('AB')}"])
    assert "veterinarians" not in short.get("health", {})


def with_decision(**changes: float) -> SectorTaxonomy:
    taxonomy = load_sector_taxonomy()
    return dataclasses.replace(taxonomy, decision=dataclasses.replace(taxonomy.decision, **changes))


PET_CARE_JOB = (
    "Senior iOS Engineer\n\nAbout Pawsome\n\nPawsome offers 24/7 virtual care for pets and "
    "their owners.\n\nWhat you'll do\n\nBuild features in our mobile app and ship them to "
    "users.\n\nIntegrate APIs with the backend team and keep the app fast.\n\nUse modern "
    "tools and data to improve the product."
)


def test_software_leading_on_generic_words_yields_to_the_sector_it_serves() -> None:
    # one posting: the duties say "app", "APIs", "tools"; the one line about the company
    # says what it sells
    assert infer_sector("Pawsome", [PET_CARE_JOB]).primary == "health"
    off = with_decision(generic_ratio=1e9)
    assert infer_sector("Pawsome", [PET_CARE_JOB], off).primary == "software"


def test_vertical_software_keeps_software_as_its_secondary() -> None:
    text = (
        "Software Engineer\n\nAbout Routely\n\nRoutely builds the platform trucking "
        "companies run on.\n\nWhat you'll do\n\nBuild APIs and integrations for our web and "
        "mobile apps.\n\nImprove tools for our users with modern cloud infrastructure, data "
        "and automation.\n\nWork with product teams on our technology, security, analytics "
        "and search."
    )
    scores, _ = sector_scores("Routely", [text])
    assert scores["software"] > scores["mobility"]  # generic words add up ...
    tag = infer_sector("Routely", [text])  # ... the customers decide, software second
    assert (tag.primary, tag.secondary) == ("mobility", "software")


def test_software_with_its_own_strong_words_keeps_the_primary() -> None:
    about = f"{DEVTOOLS_ABOUT} Customers range from banks to hospitals caring for patients."
    assert infer_sector("Stackly", [posting(about, "Ship the SDK.")]).primary == "software"


def test_a_product_sold_to_many_sectors_alike_is_horizontal_software() -> None:
    text = (
        "Engineer\n\nAbout Buyly\n\nBuyly is a procurement app for businesses: customers "
        "from health care to manufacturing use our tools.\n\nWhat you'll do\n\nBuild our "
        "app, APIs and tools for users."
    )
    assert infer_sector("Buyly", [text]).primary == "software"
    assert infer_sector("Buyly", [text], with_decision(generic_focus=1.0)).primary == "health"


def test_boards_in_other_languages_name_their_customers_too() -> None:
    about = (
        "Wir entlasten Arztpraxen: unsere KI beantwortet Anrufe von Patienten, damit Ärzte "
        "und Pflegekräfte Zeit haben."
    )
    tag = infer_sector("Praxly", [f"Werkstudent (m/w/d)\n\nÜber uns\n\n{about}"])
    assert tag.primary == "health"


@pytest.mark.parametrize("texts", [[], [""], ["Lorem ipsum dolor sit amet."]])
def test_no_evidence_is_unknown_not_other(texts: list[str]) -> None:
    assert infer_sector("Mystery", texts) == SectorTag(None, None, None, None)


def test_a_company_with_no_text_is_read_by_its_name_too() -> None:
    # a board that lists titles only: the name says what the company is
    titles = ["Associate General Counsel\n\n", "Product Marketing Manager\n\n"]
    tag = infer_sector("Dandelion Energy", titles)
    assert (tag.primary, tag.basis) == ("energy", "inferred")
    assert tag.evidence == "energy: name: energy (3)"
    assert infer_sector("khanacademy", titles).primary == "education"
    assert infer_sector("Acme", titles).primary is None  # nothing in the name either
    # with any text the name is no evidence: an About paragraph says what the company does
    about = "About us\n\nWe build developer tools and APIs for software teams.\n\n"
    with_text = infer_sector("Dandelion Energy", [t + about for t in titles])
    assert "name:" not in (with_text.evidence or "")


def test_registry_hint_wins_when_valid() -> None:
    tag = tag_company_sector("Acme Health", "Energy ", [])
    assert tag == SectorTag("energy", None, "registry", "registry hint: energy")


def test_registry_hint_keeps_a_secondary_inferred_from_the_postings() -> None:
    tag = tag_company_sector("Acme Health", "Energy ", [posting(SCRIBE_ABOUT, "x")])
    assert (tag.primary, tag.secondary, tag.basis) == ("energy", "health", "registry")
    assert tag.evidence is not None
    assert tag.evidence.startswith("registry hint: energy; secondary inferred from postings")
    assert "health:" in tag.evidence


def test_registry_hint_secondary_is_the_runner_up_when_the_postings_agree() -> None:
    texts = [posting(FARM_LENDER_ABOUT, "Underwrite farm loans.")] * 2
    inferred = infer_sector("Furrow", texts)
    hinted = tag_company_sector("Furrow", inferred.primary, texts)
    assert hinted.primary == inferred.primary
    assert hinted.secondary == inferred.secondary
    assert hinted.secondary is not None and hinted.secondary != hinted.primary


def test_registry_hint_gets_no_secondary_without_clear_support() -> None:
    same = tag_company_sector("Stackly", "software", [posting(DEVTOOLS_ABOUT, "Write docs.")] * 2)
    assert same.secondary is None and same.evidence == "registry hint: software"
    thin = tag_company_sector("Acme", "finance", [posting("We care about patients.", "x")])
    assert thin.secondary is None


@pytest.mark.parametrize("hint", [None, "", "healthcare", "unknown"])
def test_invalid_or_missing_hint_falls_back_to_inference(hint: str | None) -> None:
    tag = tag_company_sector("Acme Health", hint, [posting(SCRIBE_ABOUT, "x")])
    assert (tag.primary, tag.basis) == ("health", "inferred")


@pytest.mark.parametrize(
    ("primary", "secondary", "expected"),
    [
        ("health", None, True),
        ("software", None, False),
        ("software", "health", True),
        ("finance", "agriculture_food", True),
        ("other", "finance", False),
        (None, None, None),
        (None, "energy", True),
    ],
)
def test_is_important_problem(primary: str | None, secondary: str | None,
                              expected: bool | None) -> None:  # fmt: skip
    assert is_important_problem(primary, secondary) is expected


def test_contract_codes() -> None:
    assert len(SECTOR_CODES) == 12
    assert set(SECTOR_CODES) - {"finance", "software", "other"} == IMPORTANT_SECTORS


# ----------------------------------------------------------------------------- loader


def sectors_yaml(tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    lines = ["sectors:"]
    for code in SECTOR_CODES:
        important = str(code in IMPORTANT_SECTORS).lower()
        lines.append(f"  {code}:\n    name: {code.title()}\n    important: {important}")
        lines.append(f"    phrases:\n      3: [{code.replace('_', ' ')} things]")
    lines.append("ignore_paragraphs_with: [dental insurance]\nabout_headings: [about us]")
    text = "\n".join(lines) + "\n"
    if edit:
        text = text.replace(*edit)
    path = tmp_path / "sectors.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_real_taxonomy_loads_and_is_cached() -> None:
    assert load_sector_taxonomy() is load_sector_taxonomy()


def test_minimal_taxonomy_loads(tmp_path: Path) -> None:
    taxonomy = load_sector_taxonomy(sectors_yaml(tmp_path))
    assert taxonomy.score_factor["software"] == 1.0


def test_loader_rejects_a_missing_code(tmp_path: Path) -> None:
    path = sectors_yaml(tmp_path, ("  public_good:", "  civic:"))
    with pytest.raises(TaxonomyError, match=r"missing \['public_good'\], unknown \['civic'\]"):
        load_sector_taxonomy(path)


def test_loader_rejects_a_wrong_important_flag(tmp_path: Path) -> None:
    path = sectors_yaml(tmp_path, ("Finance\n    important: false", "Finance\n    important: true"))
    with pytest.raises(
        TaxonomyError, match=r"sectors.yaml line \d+: sector 'finance': 'important'"
    ):
        load_sector_taxonomy(path)


def test_loader_rejects_leads_and_needs_that_are_not_phrases(tmp_path: Path) -> None:
    edit = ("      3: [other things]", "      3: [other things]\n    leads: [other stuff]")
    with pytest.raises(TaxonomyError, match=r"sector 'other': leads must be among its phrases"):
        load_sector_taxonomy(sectors_yaml(tmp_path, edit))
    edit = ("      3: [public good things]",
            "      3: [public good things]\n    primary_needs: [public good things]")  # fmt: skip
    taxonomy = load_sector_taxonomy(sectors_yaml(tmp_path, edit))
    assert taxonomy.primary_needs["public_good"] == frozenset({"public good things"})


def test_loader_rejects_neutral_phrases_that_blank_a_sector_phrase(tmp_path: Path) -> None:
    edit = ("about_headings:", "neutral_phrases: [data warehouse]\nabout_headings:")
    taxonomy = load_sector_taxonomy(sectors_yaml(tmp_path, edit))
    assert [p for _, _, p in taxonomy.neutral.finditer("our data warehouse")] == [True]
    edit = ("about_headings:", "neutral_phrases: [energy things]\nabout_headings:")
    (tmp_path / "bad").mkdir()  # another path: the loader caches by path
    with pytest.raises(TaxonomyError, match=r"neutral_phrases would blank out.*energy things"):
        load_sector_taxonomy(sectors_yaml(tmp_path / "bad", edit))


def test_loader_reads_title_phrases(tmp_path: Path) -> None:
    edit = ("      3: [health things]", "      3: [health things]\n    titles:\n      3: [nurse]")
    taxonomy = load_sector_taxonomy(sectors_yaml(tmp_path, edit))
    assert [payload for _, _, payload in taxonomy.titles.finditer("nurse")] == [("health", 3.0)]


def test_loader_reads_company_names_of_four_letters_or_more(tmp_path: Path) -> None:
    edit = ("      3: [health things]", "      3: [health things]\n    company_names: [Health]")
    taxonomy = load_sector_taxonomy(sectors_yaml(tmp_path, edit))
    assert taxonomy.company_names == (("health", "health"),)
    edit = ("      3: [health things]", "      3: [health things]\n    company_names: [bio]")
    (tmp_path / "bad").mkdir()
    with pytest.raises(TaxonomyError, match=r"company_names need 4 letters or more: \['bio'\]"):
        load_sector_taxonomy(sectors_yaml(tmp_path / "bad", edit))


def test_loader_rejects_bad_weights_and_duplicates(tmp_path: Path) -> None:
    path = sectors_yaml(tmp_path, ("      3: [energy things]", "      -1: [energy things]"))
    with pytest.raises(TaxonomyError, match=r"sector 'energy': weight -1 is not > 0"):
        load_sector_taxonomy(path)
    path = sectors_yaml(tmp_path, ("      3: [energy things]", "      3: [grid, Grid]"))
    with pytest.raises(TaxonomyError, match=r"sector 'energy': 'Grid' is listed twice"):
        load_sector_taxonomy(path)
