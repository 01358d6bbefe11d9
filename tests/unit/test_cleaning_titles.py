"""parse_title: a root without level/place/gender decorations, and a seniority code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleaning.titles import parse_title
from pipelines.cleaning.types import SENIORITIES, TitleInfo


@pytest.mark.parametrize(
    ("title", "root", "seniority"),
    [
        ("Senior Software Engineer ", "Software Engineer", "senior"),
        ("Sr. Data Scientist - Remote", "Data Scientist", "senior"),
        ("Lead Data Scientist", "Data Scientist", "senior"),  # Lead as an IC level
        # real Ashby titles: the level's own "Level" and separator go with it
        (
            "Software Engineer, Infrastructure (Staff Level)",
            "Software Engineer, Infrastructure",
            "staff",
        ),
        ("AI Strategist (Lead Level)", "AI Strategist", "senior"),
        ("Product Engineer (New Grad / Spring 2026)", "Product Engineer", "junior"),
        ("Tech Lead", "Tech Lead", "senior"),
        ("Software Engineer III", "Software Engineer", "senior"),
        ("Staff Machine Learning Engineer (Berlin)", "Machine Learning Engineer", "staff"),
        ("Senior Staff Engineer", "Engineer", "staff"),
        ("Principal Engineer – London, UK", "Engineer", "staff"),
        ("Distinguished Engineer", "Engineer", "staff"),
        ("Software Engineer IV", "Software Engineer", "staff"),
        ("Software Engineer II", "Software Engineer", "mid"),
        ("Machine Learning Engineer, Level 2", "Machine Learning Engineer", "mid"),
        ("Mid-level Backend Engineer", "Backend Engineer", "mid"),
        ("Intermediate Developer", "Developer", "mid"),
        ("Software Engineer L5", "Software Engineer", "senior"),
        ("Data Analyst I", "Data Analyst", "junior"),
        ("Junior Developer (m/f/d)", "Developer", "junior"),
        ("Jr. Data Engineer", "Data Engineer", "junior"),
        ("Entry Level Analyst", "Analyst", "junior"),
        ("Graduate Software Engineer", "Software Engineer", "junior"),
        ("Associate Data Scientist", "Data Scientist", "junior"),
        ("Data Science Intern", "Data Science", "intern"),
        ("Machine Learning Internship - Summer 2026", "Machine Learning", "intern"),
        ("Werkstudent (m/w/d) Data Science", "Data Science", "intern"),
        ("Praktikum Data Analytics", "Data Analytics", "intern"),
        ("Software Engineering Co-op", "Software Engineering", "intern"),
        ("Engineering Manager", "Engineering Manager", "manager"),
        ("Senior Engineering Manager", "Engineering Manager", "manager"),
        ("Director of Engineering", "Director of Engineering", "manager"),
        ("Associate Director, Data", "Associate Director, Data", "manager"),
        ("Head of Data", "Head of Data", "manager"),
        ("Team Lead, Data Platform", "Team Lead, Data Platform", "manager"),
        ("Chief of Staff", "Chief of Staff", "manager"),
        ("VP Engineering", "VP Engineering", "executive"),
        ("Vice President, Sales", "Vice President, Sales", "executive"),
        ("Chief Technology Officer", "Chief Technology Officer", "executive"),
        ("CTO", "CTO", "executive"),
        ("Co-Founder & CEO", "Co-Founder & CEO", "executive"),
        ("Senior Product Manager", "Product Manager", "senior"),  # an IC's remit, not a team
        ("Associate General Counsel", "Associate General Counsel", None),
        ("Founding Engineer", "Founding Engineer", None),
        ("Product Manager", "Product Manager", None),
        ("Staff Accountant", "Staff Accountant", None),
        ("Research Fellow", "Research Fellow", None),
        ("Account Executive, Commercial", "Account Executive, Commercial", None),
        ("Engineer - AI", "Engineer - AI", None),
        ("Remote Sensing Scientist", "Remote Sensing Scientist", None),
        # a graduating class and a bare "(entry)" are the junior level (real Ashby titles)
        (
            "Sales Development Representative - 2026 Graduates",
            "Sales Development Representative",
            "junior",
        ),
        ("Recruiting Coordinator (New Grads 2025-2026)", "Recruiting Coordinator", "junior"),
        ("Software Engineer (entry)", "Software Engineer", "junior"),
        (
            "Software Engineer - Entry Point Services",
            "Software Engineer - Entry Point Services",
            None,
        ),
    ],
)
def test_root_and_seniority(title, root, seniority):
    info = parse_title(title)
    assert (info.root, info.seniority) == (root, seniority)
    assert info.seniority_basis == ("title" if seniority else None)


@pytest.mark.parametrize(
    ("title", "root"),
    [
        ("Data Engineer (f/m/x)", "Data Engineer"),
        ("Data Engineer (m/w/d)", "Data Engineer"),
        ("Data Engineer (all genders)", "Data Engineer"),
        ("Ingénieur Données (H/F)", "Ingénieur Données"),
        ("Data Engineer m/w/d", "Data Engineer"),
        ("ML Engineer (AI/ML)", "ML Engineer (AI/ML)"),
        ("Software Engineer, Backend (Remote - US)", "Software Engineer, Backend"),
        ("Data Scientist (Remote, US)", "Data Scientist"),
        ("Data Scientist | Remote (EU)", "Data Scientist"),
        ("Data Scientist – London, UK", "Data Scientist"),
        ("Data Scientist - Oakland, CA", "Data Scientist"),
        ("Data Scientist, Berlin", "Data Scientist"),
        ("Software Engineer (Frontend Design)", "Software Engineer (Frontend Design)"),
        ("Backend   Engineer\t", "Backend Engineer"),
        ("Intern", "Intern"),
        # employment terms: employment_type says them (real Greenhouse and Ashby titles)
        ("Technical Sourcer (Contract)", "Technical Sourcer"),
        ("Zambia Research Agronomist (Fixed-Term)", "Zambia Research Agronomist"),
        ("Senior AI Engineer (24 months fixed-term)", "AI Engineer"),
        ("Recruiter (contract to hire)", "Recruiter"),
        ("Telugu Text Localization Expert - Freelancer", "Telugu Text Localization Expert"),
        ("Registered Dietitian (Per Diem)", "Registered Dietitian"),
        # a town the gazetteer lacks, then a state code (real Ashby titles)
        ("ABA Therapist - Elgin, IL", "ABA Therapist"),
        ("Behavior Technician (RBT) - Salisbury, NC", "Behavior Technician (RBT)"),
        ("Engineer - Data, ML", "Engineer - Data, ML"),  # ML is no state
        # ... in front of the job too (real Ashby titles)
        ("Part-Time Registered Behavior Technician (RBT)", "Registered Behavior Technician (RBT)"),
        ("Freelance Production Designer", "Production Designer"),
        ("Seasonal Customer Programs Support Associate", "Customer Programs Support Associate"),
        ("Part-time", "Part-time"),  # a title that is only the term keeps it
        # a job that is about contracts keeps its words
        ("Contract Manager", "Contract Manager"),
        ("Contract Administrator", "Contract Administrator"),
        ("Software Engineer (Contracts Platform)", "Software Engineer (Contracts Platform)"),
        # the hiring season is not the job (real Ashby titles)
        ("Agent Software Engineer - New Grad (2026 Start)", "Agent Software Engineer"),
        ("Data Science Intern (Winter or Summer 2026)", "Data Science"),
        ("Summer 2026 | Applied Scientist Intern", "Applied Scientist"),
        ("Fall 2025 Engineering Intern", "Engineering"),
        ("Chief of Staff Internship Q1 2026", "Chief of Staff"),
        ("Payment Operations (New Grad 2025 & 2026)", "Payment Operations"),
        ("Product Ops Associate 2026", "Product Ops Associate"),
        ("Content Intern, Math (8 weeks, Summer 2026)", "Content, Math (8 weeks)"),
        # a year inside the job's name stays
        ("SQL Server 2019 Database Administrator", "SQL Server 2019 Database Administrator"),
        ("Senior Engineer, Vision 2030 Program", "Engineer, Vision 2030 Program"),
        ("C++ Developer (C++20)", "C++ Developer (C++20)"),
    ],
)
def test_decorations_leave_the_root(title, root):
    assert parse_title(title).root == root


def test_case_is_preserved():
    assert parse_title("senior data SCIENTIST").root == "data SCIENTIST"


@pytest.mark.parametrize("title", [None, "", "   "])
def test_no_title(title):
    assert parse_title(title) == TitleInfo()


_title_words = st.sampled_from(
    [
        "Senior",
        "Staff",
        "Lead",
        "Intern",
        "Manager",
        "VP",
        "II",
        "(m/w/d)",
        "- Remote",
        "(Berlin)",
        "Data",
        "Engineer",
        "Head of",
        ",",
        "–",
        "|",
        "(",
        ")",
        "Level 3",
        "L7",
        "Associate",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.text(), st.lists(_title_words, max_size=10).map(" ".join)))
def test_any_title_parses(title):
    info = parse_title(title)
    assert isinstance(info, TitleInfo)
    assert info.seniority in (None, *SENIORITIES)
    assert (info.seniority is None) == (info.seniority_basis is None)
    if title and title.strip():
        assert info.root  # never empty for a real title
    else:
        assert info.root is None
