"""parse_degree: the lowest degree a posting requires, and the degrees it does not require."""

from __future__ import annotations

import pytest

from pipelines.cleaning.degrees import parse_degree


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("- PhD in Machine Learning, Statistics or a related field", "doctorate"),
        ("- Ph.D. (or equivalent industry experience) in Biochemistry", "doctorate"),
        ("- MS or PhD in Computer Science or a related field", "master"),  # open to a master
        ("- Master's or Ph.D. in Electrical Engineering", "master"),
        ("- Bachelor’s or Master’s degree in Computer Science", "bachelor"),
        ("- BS/MS in Computer Science, Physics or Mathematics", "bachelor"),
        ("- B.S. or M.S. in Computer Science or equivalent experience", "bachelor"),
        ("- BA/BS degree or equivalent experience.", "bachelor"),
        ("- Currently pursuing a BS, MS or PhD in computer science", "bachelor"),
        ("- Working toward an undergraduate, graduate or doctoral degree in physics", "bachelor"),
        ("- Advanced degree in data science, statistics, or a related field.", "master"),
        ("- B.S. or advanced degree in engineering or finance", "bachelor"),
        ("- Bachelor’s degree from a four-year university", "bachelor"),
        # a preference beside a requirement: the requirement counts
        ("- Bachelor’s Degree in Mechanical Engineering required. A Master’s Degree or PhD is "
         "a plus.", "bachelor"),
        ("- Bachelor’s degree minimum, Master’s degree preferred in Physics", "bachelor"),
        ("- Bachelor’s degree (PhD preferred) in a quantitative field", "bachelor"),
        ("- Bachelor’s degree in a related field, MS or PhD preferred", "bachelor"),
        ("- Masters (PhD preferred) in Computer Science or related field", "master"),
        ("- Bachelor’s degree in Finance, Law, or related field (or equivalent experience). "
         "Advanced degree or relevant certification (e.g. CPA) preferred.", "bachelor"),
        # the lowest over the whole posting
        ("Requirements\n- PhD in Robotics\nAbout you\n- BS in Computer Science", "bachelor"),
    ],
)  # fmt: skip
def test_the_lowest_degree_a_posting_requires(text, level):
    found = parse_degree(text)
    assert found.level == level
    assert found.raw and found.raw in " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "- PhD preferred",
        "- Master’s Degree or PhD strongly preferred in Computer Science or Statistics",
        "- A bachelor's degree in Biotech, medicine, or pharmacy is preferred.",
        "- BA or BS degree (preferred) or higher from an accredited university",
        "- Technical acumen or bachelor's degree in computer science is a plus",
        "Nice to have:\n- MS or PhD in Statistics\n- Experience with Spark",
        "Bonus Points (but not requirements):\n- Advanced degree (Master's or Ph.D.)",
        "- Bonus: fluency in Django, as well as a BA in Computer Science",
        "- Education (preferred) - Bachelor’s degree in Computer Science",
        # not the applicant's degree
        "Our founders hold PhDs from Stanford and MIT.",
        "Before Acme, Yi was a professor and did a math PhD at MIT.",
        "- Work directly with MIT PhD founders to shape the strategy",
        "- Experienced in supervising researchers, such as PhD students or postdocs",
        "- Receive weekly supervision from a doctorate-level Behavior Analyst",
        "- At least 1 year of power electronics design (including academic research, e.g., PhD)",
        "Our team: 45+ advanced degrees across computer science and mathematics",
        # other words
        "- Proficiency in MS Office and MS Excel",
        "- Work with the BA team on requirements",
        "- Multi-target tracking (Kalman filters, JPDA, MHT, PHD filters)",
        "We expect our leads to be masters of their craft.",
        "You'll be our master of first impressions.",
        "",
        None,
    ],
)
def test_degrees_not_required_of_the_applicant_are_not_read(text):
    assert parse_degree(text) == (None, None)


def test_the_statement_is_kept_to_a_readable_length():
    found = parse_degree("- PhD in " + ", ".join(["Physics"] * 60))
    assert found.level == "doctorate"
    assert found.raw is not None and len(found.raw) == 200 and found.raw.endswith("…")


def test_a_lone_surrogate_in_the_text_is_read_around():
    # JSON can carry one; the Rust scan takes only UTF-8, so it is read as U+FFFD
    assert parse_degree("- \ud800 MS or PhD in Statistics") == (
        "master",
        "\ud800 MS or PhD in Statistics",
    )
