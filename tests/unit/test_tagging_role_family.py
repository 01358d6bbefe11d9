"""Role family: title, team and responsibilities together (TAXONOMY.md section 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.tagging.role_family import (
    ML_ROLE_FAMILIES,
    ROLE_FAMILIES,
    RoleTag,
    classify_role,
    load_role_taxonomy,
)
from pipelines.tagging.skills import TaxonomyError

MODEL_TRAINING = """About us
We make software for hospitals.

What you'll do
- Train models and evaluate them against clinical benchmarks
- Fine-tune large language models on our data and build evaluation pipelines
- Ship models to production with PyTorch and own model quality
"""

PLAIN_BACKEND = """What you'll do
- Build REST APIs and React front ends for our scheduling product
- Work with product managers on features; write tests; review code
"""

WET_LAB = """Responsibilities
- Design and run cell-based assays and ELISA at the bench
- Cell culture, flow cytometry and protein purification in our wet lab
- Analyse results and present to the team; molecular biology background
- Maintain lab equipment, order reagents and keep our electronic lab notebook current
- Collaborate with our computational colleagues, who build the design models you test
"""

ML_RESEARCH = """Responsibilities
- Pursue a research agenda in post-training and alignment of foundation models
- Publish at NeurIPS and ICML; run ablations; state-of-the-art benchmarks
- Train models at scale in PyTorch
"""

INFERENCE = """Responsibilities
- Own model serving and inference optimization on GPU clusters (vLLM, TensorRT)
- Build training infrastructure and the model registry
"""


def family(title: str, department: str | None = None, team: str | None = None,
           text: str | None = None) -> str:  # fmt: skip
    return classify_role(title, department, team, text).role_family


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Machine Learning Engineer", "ml_engineering"),
        ("Senior ML Engineer, Ranking", "ml_engineering"),
        ("Computer Vision Engineer", "ml_engineering"),
        ("Data Scientist", "data_science"),
        ("Senior Data Scientist, Growth", "data_science"),
        ("Operations Research Scientist", "data_science"),
        ("Analytics Engineer", "data_engineering"),
        ("Senior Data Engineer", "data_engineering"),
        ("Software Engineer, Data Platform", "data_engineering"),
        ("Data Analyst", "analytics"),
        ("Business Intelligence Analyst", "analytics"),
        ("MLOps Engineer", "ml_platform"),
        ("ML Infrastructure Engineer", "ml_platform"),
        ("Machine Learning Infrastructure Engineer", "ml_platform"),
        ("Senior Software Engineer, Inference Platform", "ml_platform"),
        ("Account Executive", "other"),
        ("Store Manager - Grocery", "other"),
        ("Registered Nurse", "other"),
    ],
)
def test_titles_that_decide(title: str, expected: str) -> None:
    assert family(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "AI Solutions Consultant",
        "AI Account Executive",
        "Forward Deployed AI Engineer",
        "Forward Deployed Engineer",
        "Solutions Engineer, Machine Learning",
        "Senior Product Manager, AI",
        "Technical Recruiter, Machine Learning",
        "AI Strategist",
        "AI Red Team Engineer - Dutch",
        "Data Annotation Specialist",
        "Forward Deployment Engineer",
        "AI Deployment Engineer",
        "Field Engineer, Computer Vision",
        "Technical Account Manager, AI",
        "AI Consultant",
        "AI Sales Specialist",
        "AI Adoption Lead",
        "Agent Strategist",
    ],
)
def test_selling_supporting_and_managing_ai_is_other(title: str) -> None:
    # Even with model-building text: the title says what the job is.
    assert family(title, text=MODEL_TRAINING) == "other"


def test_a_blocker_after_a_decisive_title_does_not_block() -> None:
    assert family("Senior Data Scientist, GTM") == "data_science"


def test_software_engineer_on_a_model_training_team_is_ml_engineering() -> None:
    tag = classify_role("Software Engineer", "Engineering", "Machine Learning", MODEL_TRAINING)
    assert tag.role_family == "ml_engineering"
    assert tag.is_ml_role
    assert "text:" in tag.evidence
    assert "train models" in tag.evidence


def test_software_engineer_on_plain_product_work_is_other() -> None:
    assert family("Software Engineer", "Engineering", "Product", PLAIN_BACKEND) == "other"
    assert family("Software Engineer") == "other"


def test_generic_title_with_serving_work_is_ml_platform() -> None:
    assert family("Senior Software Engineer", "Engineering", None, INFERENCE) == "ml_platform"


def test_research_scientist_needs_ml_evidence() -> None:
    assert family("Research Scientist", "R&D", "Biology", WET_LAB) == "other"
    assert family("Research Scientist", "Research", None, ML_RESEARCH) == "research"
    tag = classify_role("Research Scientist", "R&D", None, WET_LAB)
    assert "no ML evidence" in tag.evidence


def test_research_titles_with_ml_words_are_research() -> None:
    assert family("Machine Learning Researcher") == "research"
    assert family("AI Research Scientist", text=WET_LAB) == "research"


# Research duties that name the ML only in general words (no model-building phrase).
GENERAL_ML_RESEARCH = """The Role
Our work in machine learning research makes the product possible. We hire research
scientists with experience in machine learning and natural language processing.
What you'll do
- Advance the state of the art in NLP; publish original research and papers
- Strong research background: publications at NeurIPS, ICML or ICLR; a PhD
- Fluency with foundation models and deep learning in PyTorch or JAX
"""


def test_a_machine_learning_scientist_on_research_duties_is_research() -> None:
    # a real Abridge posting, unlabelled: it was `other` while the research words of its
    # duties were not read without one specific model-building phrase
    assert family("Machine Learning Scientist (All Levels)", text=GENERAL_ML_RESEARCH) == (
        "research"
    )
    # the same general words under a generic title stay short of an ML role
    assert family("Software Engineer", text=GENERAL_ML_RESEARCH) == "other"


def test_research_title_on_inference_work_is_ml_platform() -> None:
    text = INFERENCE + "- Profile CUDA kernels, Triton and SGLang for inference performance\n"
    assert family("Research Engineer", text=text) == "ml_platform"
    assert family("Research Engineer", text=ML_RESEARCH) == "research"


AGENT_CONFIG = """What you'll do
- Build the runtime that hosts customer agents: sandboxes, queues, Kubernetes and latency
- Integrate LLM providers (OpenAI, Anthropic) behind one API for AI agents
"""

USES_MODELS = (
    """Responsibilities
- Design antibody libraries and run binding assays; state-of-the-art benchmarking
- Work with AI models built by our ML team to choose which designs to test
- Analyse results and present them; frontier protein science
"""
    + "- Keep the lab notebook current and the bench organised.\n" * 8
)

GENERIC_BACKEND = (
    """What you'll do
- Design distributed systems and REST APIs in Go; own reliability and on-call
- Build our storage layer, caching and queues; review code and mentor engineers
"""
    + "- Improve build times, CI pipelines and developer experience across the stack.\n" * 12
)


def test_agent_infrastructure_without_model_work_is_other() -> None:
    assert family("Software Engineer, Agent Infrastructure", text=AGENT_CONFIG) == "other"
    assert family("Senior Software Engineer, Agent Platform", text=MODEL_TRAINING) == "other"


def test_naming_llm_providers_is_not_model_work() -> None:
    # Only weak words (providers, "LLM", "AI agents"): integrating models, not building them.
    text = "What you'll do\n- Integrate OpenAI, Anthropic and Claude; ship AI agents, AI features\n"
    text += "- Use LLMs and LLM providers; reasoning, prompts, multi-agent, voice agents\n"
    assert family("Software Engineer, AI", text=text) == "other"
    assert family("Software Engineer, AI", text=MODEL_TRAINING) == "ml_engineering"


def test_a_scientist_who_uses_models_is_not_an_ml_role() -> None:
    tag = classify_role("Applied AI/Bio Scientist, Biologics", "Biology", None, USES_MODELS)
    assert tag.role_family == "other"
    assert "no model-building text" in tag.evidence
    assert family("Applied AI Scientist, Biology", text=MODEL_TRAINING) == "ml_engineering"


def test_an_ml_title_over_duties_without_ml_is_decided_by_the_duties() -> None:
    assert family("Machine Learning Engineer", "Engineering", None, GENERIC_BACKEND) == "other"
    # ... but not when the team is an ML team, nor when the description is short.
    assert family("Machine Learning Engineer", "Machine Learning", None, GENERIC_BACKEND) == (
        "ml_engineering"
    )
    assert family("Machine Learning Engineer", text=PLAIN_BACKEND) == "ml_engineering"


def test_short_descriptions_do_not_overrule_the_title() -> None:
    assert family("Research Scientist", text="Research Scientist") == "research"


@pytest.mark.parametrize(
    "title",
    [
        "Senior Clinical Research Scientist",
        "Research Scientist, Soil Microbiology",
        "Research Scientist - Battery Materials",
        "Research Engineer, Plant Biology",
    ],
)
def test_a_research_title_naming_another_science_with_no_text_is_other(title: str) -> None:
    # boards that list no descriptions: the title is all there is to judge by
    tag = classify_role(title, None, None, None)
    assert (tag.role_family, tag.is_ml_role) == ("other", False)
    assert "no ML evidence" in tag.evidence


def test_without_text_a_research_title_with_an_ml_cue_or_team_stays_research() -> None:
    assert family("Research Scientist") == "research"
    assert family("ML Research Scientist, Chemistry") == "research"
    assert family("Research Scientist, Materials", "Machine Learning") == "research"
    # with a description, the description decides (test_research_scientist_needs_ml_evidence)
    assert family("Research Scientist, Materials", "Research", None, ML_RESEARCH) == "research"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # real Greenhouse titles of boards that list no descriptions
        ("Staff Machine Learning Scientist", "research"),
        ("Principal Applied Machine Learning Scientist", "research"),
        ("AI/ML Applied Researcher – Insights & Recommendations", "research"),
        ("AI Applied Scientist – Insights & Recommendations", "data_science"),
        # no ML word, or not a scientist or researcher: the title alone says too little
        ("Applied Scientist", "other"),
        ("Associate Epidemiologist/Biostatistician, Machine Learning Quality", "other"),
        ("UX Researcher, AI", "other"),
    ],
)
def test_without_text_an_ml_scientist_or_researcher_title_is_that_role(
    title: str, expected: str
) -> None:
    tag = classify_role(title, None, None, None)
    assert tag.role_family == expected
    assert tag.is_ml_role == (expected != "other")


def test_with_text_the_duties_still_decide_a_machine_learning_scientist() -> None:
    # the rule above is for boards with no description only
    duties = "You will build recommendation models and ship them to production. " * 5
    tag = classify_role("Staff Machine Learning Scientist", None, None, duties)
    assert "no description" not in tag.evidence


def test_tag_shape_and_ml_flag() -> None:
    tag = classify_role("Machine Learning Engineer", text=MODEL_TRAINING)
    assert isinstance(tag, RoleTag)
    assert tag.basis == "rule"
    assert tag.evidence.startswith("title: machine learning engineer")
    for code in ROLE_FAMILIES:
        assert (code in ML_ROLE_FAMILIES) == (
            code in {"ml_engineering", "data_science", "research", "ml_platform"}
        )


@pytest.mark.parametrize("title", [None, "", "   "])
def test_missing_title_is_other(title: str | None) -> None:
    tag = classify_role(title)
    assert tag.role_family == "other"
    assert not tag.is_ml_role


# ----------------------------------------------------------------------------- loader


def minimal_yaml(families: str) -> str:
    return (
        f"families:\n{families}"
        "blockers: [sales]\nrole_blockers: [deployed]\nsoft_blockers: [security]\n"
        "title: {}\nml_cues: [ai]\n"
        "generic_titles: [engineer]\ndepartment: {}\ntext: {}\nwet_lab: [assay]\n"
        "responsibility_headings: [responsibilities]\n"
    )


ALL_FAMILIES = (
    "  ml_engineering: {is_ml: true}\n  data_science: {is_ml: true}\n"
    "  research: {is_ml: true}\n  ml_platform: {is_ml: true}\n"
    "  data_engineering: {is_ml: false}\n  analytics: {is_ml: false}\n"
    "  other: {is_ml: false}\n"
)


def test_real_taxonomy_loads() -> None:
    assert load_role_taxonomy() is load_role_taxonomy()


def test_minimal_taxonomy_loads(tmp_path: Path) -> None:
    path = tmp_path / "role_families.yaml"
    path.write_text(minimal_yaml(ALL_FAMILIES), encoding="utf-8")
    assert load_role_taxonomy(path).decision.decisive == 6


def test_loader_rejects_renamed_codes(tmp_path: Path) -> None:
    path = tmp_path / "role_families.yaml"
    path.write_text(minimal_yaml(ALL_FAMILIES.replace("analytics", "bi")), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"role_families.yaml line 2: role families"):
        load_role_taxonomy(path)


def test_loader_rejects_a_wrong_ml_flag(tmp_path: Path) -> None:
    path = tmp_path / "role_families.yaml"
    text = minimal_yaml(
        ALL_FAMILIES.replace("analytics: {is_ml: false}", "analytics: {is_ml: true}")
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"line 7: family 'analytics': is_ml must be false"):
        load_role_taxonomy(path)


def test_loader_rejects_bad_weights(tmp_path: Path) -> None:
    path = tmp_path / "role_families.yaml"
    text = minimal_yaml(ALL_FAMILIES).replace(
        "title: {}", "title:\n  research:\n    heavy: [research scientist]"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"title.research: weight 'heavy' is not > 0"):
        load_role_taxonomy(path)
