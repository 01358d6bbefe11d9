"""parse_sponsorship: what a posting says about sponsoring work visas, and what it does not."""

from __future__ import annotations

import pytest

from pipelines.cleaning.visa import parse_sponsorship


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("Benefits\n- Visa Sponsorship\n- 401(k)", True),  # an item of the benefits list
        ("We do sponsor visas and cover relocation fees.", True),
        ("- Based in London, UK (we can sponsor a visa)", True),
        ("Acme is willing to provide sponsorship for H1-B visas and green cards.", True),
        ("- ✈️ Relocation and immigration support", True),
        ("We help with the move to Paris, supporting you with the visa procedure.", True),
        ("Due to the remote nature of this role, we are unable to provide visa sponsorship.",
         False),
        ("Please note we are unable to sponsor work visas at this time.", False),
        ("Unfortunately, at this time we cannot offer sponsorship for this role.", False),
        ("Applicants must be eligible to work in the US without sponsorship.", False),
        ("Candidates must be authorized to work without the need for current or future "
         "sponsorship.", False),
        ("Sponsorship: Sponsorship not available", False),
        # a heading over a statement that it does not: the statement counts
        ("Visa Sponsorship\nAt this time, we are unable to provide visa sponsorship.", False),
        # both (sponsorship for some places only): unknown, the statements kept
        ("We cannot sponsor visas for remote positions outside of France. We sponsor visas "
         "for people relocating to France.", None),
    ],
)  # fmt: skip
def test_what_a_posting_says_about_sponsoring(text, offered):
    found = parse_sponsorship(text)
    assert found.offered is offered
    assert found.raw  # the statements read are kept, also when they disagree


@pytest.mark.parametrize(
    "text",
    [
        "- Must have and maintain US work authorization",  # says nothing of sponsoring
        "We do not discriminate on the basis of citizenship or immigration status.",
        "Our customers include Visa, Stripe and Mastercard.",
        "Organize Acme-sponsored events and act as executive sponsor for key accounts.",
        "You will own immigration processes for employees, including visa applications.",
        "Holders of a student visa may apply.",
        "",
        None,
    ],
)
def test_what_says_nothing_about_sponsoring_is_not_read(text):
    assert parse_sponsorship(text) == (None, None)


def test_a_statement_repeated_is_kept_once():
    said = "Please note we are unable to sponsor work visas at this time."
    assert parse_sponsorship(f"{said}\nMore text.\n{said}").raw == said
