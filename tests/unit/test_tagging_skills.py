"""Skill matching: word boundaries, ambiguous short names, evidence, and the loader."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.tagging.skills import (
    SKILL_CATEGORIES,
    PhraseIndex,
    SkillHit,
    SkillMatcher,
    TaxonomyError,
    load_skills,
    lower_same_length,
)


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return SkillMatcher.load()


def skills_in(matcher: SkillMatcher, text: str) -> set[str]:
    return {hit.skill for hit in matcher.match(text)}


def test_real_taxonomy_is_big_and_valid(matcher: SkillMatcher) -> None:
    assert len(matcher.skills) >= 320
    assert {s.category for s in matcher.skills} <= SKILL_CATEGORIES
    names = {s.skill for s in matcher.skills}
    for expected in ("Python", "PyTorch", "dbt", "SCADA", "FHIR", "ROS", "Kubernetes", "RAG"):
        assert expected in names


def test_load_is_cached(matcher: SkillMatcher) -> None:
    assert SkillMatcher.load() is matcher


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("We build with React and Redux.", "R"),
        ("Experience at Google, Good and Gold", "Go"),
        ("Own our go-to-market motion", "Go"),
        ("Join our R&D team", "R"),
        ("We raised a Series C, led by ...", "C"),
        ("Our DBT therapists support patients", "dbt"),
        ("cutting-edge AI products", "edge AI"),
        ("Analyse X-Ray, CT and SEM images", "Ray"),
        ("We trust our teammates", "Rust"),
        ("Scalable systems", "Scala"),
        ("You will excel at talking to customers", "Excel"),
        # the verb at a bullet's start, and a form followed by another word (real postings)
        ("- Excel at turning findings into action", "Excel"),
        ("- Excel in ambiguous, high-autonomy settings", "Excel"),
        ("Head of Sales/Go-to-Market", "Go"),
        ("Reach out during the workday", "HR tech"),
    ],
)
def test_no_match_inside_words_or_ordinary_english(
    matcher: SkillMatcher, text: str, absent: str
) -> None:
    assert absent not in skills_in(matcher, text)


@pytest.mark.parametrize(
    ("text", "skill", "evidence"),
    [
        ("Fluent in Python, R, and SQL", "R", "R"),
        ("Experience with Python or R for statistics", "R", "Python or R"),
        ("Backend in Go (Golang) and Rust", "Go", "Go"),
        ("We write Golang services", "Go", "Golang"),
        ("Languages: Go, TypeScript", "Go", "Go"),
        ("Models in dbt on Snowflake", "dbt", "dbt"),
        ("Built on Apache Spark and PySpark", "Apache Spark", "Apache Spark"),
        ("Fine-tuning LLMs with LoRA", "LLM fine-tuning", "Fine-tuning LLMs"),
        ("C/C++ firmware", "C", "C/C++"),
        ("Modern C++17 and C#", "C++", "Modern C++"),
        ("Write C# and C++", "C#", "C#"),
        ("Integrates with FHIR and HL7 v2 feeds", "FHIR", "FHIR"),
        ("Robots on ROS 2 with SLAM", "SLAM", "SLAM"),
        ("Proficiency in SQL + Excel", "Excel", "Excel"),
        # a form that is another word does not hide a later mention
        ("- Excel at analysis. Tools: Excel, SQL", "Excel", "Excel"),
        ("Sales/Go-to-Market; services in Go/Rust", "Go", "Go"),
    ],
)
def test_matches_and_keeps_the_words_as_written(
    matcher: SkillMatcher, text: str, skill: str, evidence: str
) -> None:
    hits = {hit.skill: hit for hit in matcher.match(text)}
    assert skill in hits
    assert hits[skill].evidence == evidence


def test_distinct_practices_are_distinct_skills(matcher: SkillMatcher) -> None:
    # a job seeker reads the skill's name: Six Sigma is not a manufacturing execution system
    hits = {hit.skill: hit.evidence for hit in matcher.match("Six Sigma, SPC and CFD in OpenFOAM")}
    assert hits == {
        "lean manufacturing": "Six Sigma",
        "statistical process control": "SPC",
        "computational fluid dynamics": "CFD",
    }


def test_one_hit_per_skill_first_mention_wins(matcher: SkillMatcher) -> None:
    hits = matcher.match("PyTorch first. Later pytorch again, and torch.")
    pytorch = [h for h in hits if h.skill == "PyTorch"]
    assert pytorch == [SkillHit("PyTorch", "framework", "PyTorch")]


@pytest.mark.parametrize(
    "text",
    [
        # salary lines of real Ashby postings: the currency, not computer-aided design
        "The annual base salary for this role is between $111,000 CAD and $150,000 CAD, plus",
        "Base Salary Range: $72,000 - $90,000 CAD (This range is dependent on experience",
        "the reasonably expected salary range is between $165,000 CAD[minimum salary",
        "Pay: CAD $95,000 to CAD 110k",
        "We pay 550 PHP per hour, paid every two weeks",  # Philippine pesos
    ],
)
def test_a_currency_code_next_to_an_amount_is_not_a_skill(matcher: SkillMatcher, text: str) -> None:
    assert skills_in(matcher, text) & {"CAD", "PHP"} == set()


def test_a_skill_spelled_like_a_currency_still_matches_away_from_amounts(
    matcher: SkillMatcher,
) -> None:
    assert {"CAD", "PHP"} <= skills_in(matcher, "Proficiency in CAD software; PHP, Laravel")
    # the money comes first: the later mention is the skill, and its evidence
    (hit,) = [
        h for h in matcher.match("Salary: $90,000 CAD. Mechanical CAD a plus.") if h.skill == "CAD"
    ]
    assert hit.evidence == "CAD"


def test_phrases_match_across_line_breaks(matcher: SkillMatcher) -> None:
    assert "machine learning" in skills_in(matcher, "applied machine\nlearning at scale")


@pytest.mark.parametrize("text", [None, "", "   "])
def test_empty_text_has_no_skills(matcher: SkillMatcher, text: str | None) -> None:
    assert matcher.match(text) == []


@given(st.text(max_size=300))
def test_evidence_is_always_in_the_text(text: str) -> None:
    matcher = SkillMatcher.load()
    flat = " ".join(text.split())
    for hit in matcher.match(text):
        assert hit.evidence.lower() in " ".join(flat.lower().split()) or hit.evidence in text


def test_phrase_index_respects_boundaries_and_case() -> None:
    index = PhraseIndex([("ml", "ml")], exact=[("AI", "ai")])
    found = [payload for _, _, payload in index.finditer("ML and AI, not html or paid Ai")]
    assert found == ["ml", "ai"]


def _lower_reference(text: str) -> str:
    """What lower_same_length computes, the slow way: str.lower when it keeps the length,
    else every character lowered on its own unless that changes its length."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@pytest.mark.parametrize(
    "text",
    [
        "Senior ML Engineer",
        "Café ÉCOLE – “Quotes” and ’apostrophes’ • bullets\xa0here",
        "ΣΟΦΙΑ and ΟΔΟΣ, σ ς Σ",  # final sigma depends on its neighbours
        "İstanbul office, ABC",  # İ lowers to two characters
        "emoji 😀 AI",
        "lone \ud800 surrogate ABC",
        "",
    ],
)
def test_lower_same_length_is_str_lower_with_aligned_indexes(text: str) -> None:
    assert lower_same_length(text) == _lower_reference(text)


@given(st.text(max_size=200))
def test_lower_same_length_matches_the_reference(text: str) -> None:
    assert lower_same_length(text) == _lower_reference(text)


# ----------------------------------------------------------------------------- loader


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "skills.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_loader_names_the_bad_line_and_skill(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "skills:\n- {skill: Python, category: language}\n- {skill: Foo, category: wizardry}\n",
    )
    with pytest.raises(TaxonomyError, match=r"skills.yaml line 3: skill 'Foo': category"):
        load_skills(path)


def test_loader_rejects_short_caseless_names(tmp_path: Path) -> None:
    path = write(tmp_path, "skills:\n- {skill: R, category: language}\n")
    with pytest.raises(TaxonomyError, match=r"line 2: skill 'R': alias 'R' .*match_name: false"):
        load_skills(path)


def test_loader_rejects_an_alias_claimed_twice(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "skills:\n"
        "- {skill: PyTorch, category: framework, aliases: [torch]}\n"
        "- {skill: Torch7, category: framework, aliases: [Torch]}\n",
    )
    with pytest.raises(TaxonomyError, match=r"line 3: skill 'Torch7': alias 'torch' already"):
        load_skills(path)


def test_loader_rejects_unknown_keys_and_bad_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "skills:\n- {skill: Python, category: language, alias: [py]}\n")
    with pytest.raises(TaxonomyError, match=r"line 2: skill 'Python': unknown keys \['alias'\]"):
        load_skills(path)
    with pytest.raises(TaxonomyError, match="not valid YAML"):
        load_skills(write(tmp_path, "skills: [\n"))


def test_loader_needs_the_top_level_list(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="top-level 'skills:' list"):
        load_skills(write(tmp_path, "- {skill: Python}\n"))


def test_loader_reads_not_followed_by_with_its_spaces(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "skills:\n- {skill: Excel, category: data_tool, match_name: false, exact: [Excel],"
        " not_followed_by: [' at ']}\n",
    )
    (skill,) = load_skills(path)
    assert skill.not_followed_by == (" at ",)
    matcher = SkillMatcher([skill])
    assert [h.skill for h in matcher.match("Excel at sales")] == []
    assert [h.skill for h in matcher.match("Excel attachments")] == ["Excel"]  # "at" + more
    with pytest.raises(TaxonomyError, match="at most 16 characters"):
        load_skills(
            write(
                tmp_path,
                "skills:\n- {skill: Go, category: language, match_name: false, exact: [Go,],"
                " not_followed_by: ['-to-market-and-beyond']}\n",
            )
        )


def test_a_phrase_index_sent_to_another_process_matches_the_same():
    index = PhraseIndex([("machine learning", "ml"), ("sql", "sql")], [("Go", "go")])
    text = "Machine learning in Go and SQL; go home, gosql"
    copy = pickle.loads(pickle.dumps(index))
    assert list(copy.finditer(text)) == list(index.finditer(text))
    assert [payload for _, _, payload in copy.finditer(text)] == ["ml", "go", "sql"]
    assert list(pickle.loads(pickle.dumps(PhraseIndex(()))).finditer(text)) == []


def test_a_lone_surrogate_leaves_the_phrases_around_it_in_place():
    index = PhraseIndex([("machine learning", "ml"), ("sql", "sql")])
    text = "SQL \ud800 machine learning"
    assert list(index.finditer(text)) == [(0, 3, "sql"), (6, 22, "ml")]
