"""marts.company_skills on small hand-made inputs: which skills are company-wide."""

from __future__ import annotations

import duckdb

from warehouse import read_sql


def company_wide(postings: list[tuple[str, str, str]], skills: list[tuple[str, str]]) -> set:
    """(posting_key, company, role_family) and (posting_key, skill) → company-wide pairs."""
    con = duckdb.connect()
    con.execute("create schema intermediate; create schema marts")
    con.execute(
        "create table intermediate.postings_without_text "
        "(posting_key varchar, company varchar, role_family varchar)"
    )
    con.execute(
        "create table marts.posting_skills "
        "(posting_key varchar, skill varchar, category varchar, evidence varchar)"
    )
    con.executemany("insert into intermediate.postings_without_text values (?, ?, ?)", postings)
    con.executemany(
        "insert into marts.posting_skills values (?, ?, 'domain', ?)",
        [(key, skill, skill) for key, skill in skills],
    )
    rows = con.execute(
        f"select company, skill from ({read_sql('marts/company_skills.sql')}) where is_company_wide"
    ).fetchall()
    return set(rows)


def board(company: str, families: list[str]) -> list[tuple[str, str, str]]:
    return [(f"{company}:{i}", company, family) for i, family in enumerate(families)]


def test_a_skill_in_every_posting_sales_ones_too_is_company_wide() -> None:
    postings = board("Clinic AI", ["ml_engineering", "ml_engineering", "other", "other", "other"])
    skills = [(key, "EHR") for key, _, _ in postings]  # the About text names the EHR
    skills.append(("Clinic AI:0", "PyTorch"))
    assert company_wide(postings, skills) == {("Clinic AI", "EHR")}


def test_a_company_of_ml_roles_that_all_ask_for_pytorch_has_none() -> None:
    postings = board("Lab", ["research"] * 4 + ["ml_engineering"] * 2 + ["other"])
    skills = [(key, "PyTorch") for key, _, _ in postings]
    assert company_wide(postings, skills) == set()  # one role outside ML: too few to tell


def test_a_skill_the_roles_outside_ml_do_not_name_is_theirs() -> None:
    families = ["ml_engineering"] * 8 + ["other"] * 3
    postings = board("Grid", families)
    # every ML role asks for Python; of the three others only one names it: not company-wide
    skills = [(key, "Python") for key, _, family in postings if family != "other"]
    skills.append(("Grid:8", "Python"))
    assert company_wide(postings, skills) == set()


def test_small_companies_have_none() -> None:
    postings = board("Tiny", ["other"] * 4)
    assert company_wide(postings, [(key, "Excel") for key, _, _ in postings]) == set()
