"""Company sector, inferred from the company's own postings (or taken from the registry).

What a company sells and to whom is written in the part of its postings that repeats
from one posting to the next ("About us") and in "About <company>" sections; the
opening of each posting comes next. A paragraph weighs by the share of the company's
postings that carry it, and benefits and equal-opportunity boilerplate is skipped.
Weighted phrases from sectors.yaml score each sector; the best is the primary (after two
corrections between software and the important sectors, see rank_sectors), a runner-up
close behind it the secondary. Works for companies no one registered.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.tagging.sectors import IMPORTANT_SECTORS, SECTOR_CODES
from pipelines.tagging.skills import (
    TAXONOMY_DIR,
    PhraseIndex,
    TaxonomyError,
    normalize_space,
    read_taxonomy,
    string_list,
    where,
)

SECTORS_PATH = TAXONOMY_DIR / "sectors.yaml"
_BULLETS = " \t-–—•*·●▪◦>#|"
_NOT_ABOUT_THE_COMPANY = ("role", "you", "position", "opportunity", "job", "benefit")


@dataclass(frozen=True)
class SectorTag:
    primary: str | None
    secondary: str | None
    basis: str | None  # "inferred" | "registry" | None when unknown
    evidence: str | None


@dataclass(frozen=True)
class Decision:
    """How scores become a primary and a secondary sector (sectors.yaml `decision:`)."""

    min_score: float = 2.0
    secondary_min_ratio: float = 0.6
    secondary_min_score: float = 8.0
    core_weight: float = 1.0  # repeated paragraphs and About sections
    opening_weight: float = 0.5  # the opening of each posting
    opening_chars: int = 1500
    phrase_cap: float = 3.0  # one phrase adds at most weight * phrase_cap
    share_power: float = 1.0  # weight *= (share of postings with the paragraph) ** power
    important_min_score: float = 0.0  # weaker evidence for an important sector: software
    vertical_ratio: float = 1.0  # software primary yields to an important sector this close
    vertical_min_score: float = 1e9  # ... that scores at least this much


@dataclass(frozen=True)
class SectorTaxonomy:
    phrases: PhraseIndex[tuple[str, float]]
    score_factor: dict[str, float]
    boilerplate: PhraseIndex[bool]
    about_headings: PhraseIndex[bool]
    decision: Decision


# ----------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=4)
def load_sector_taxonomy(path: Path = SECTORS_PATH) -> SectorTaxonomy:
    """Read and validate sectors.yaml; TaxonomyError names the bad line and sector."""
    data = read_taxonomy(path)
    if not isinstance(data, dict) or not isinstance(data.get("sectors"), dict):
        raise TaxonomyError(f"{path.name}: expected a top-level 'sectors:' mapping")
    sectors = {k: v for k, v in data["sectors"].items() if k != "__line__"}
    missing = [code for code in SECTOR_CODES if code not in sectors]
    unknown = [code for code in sectors if code not in SECTOR_CODES]
    if missing or unknown:
        raise TaxonomyError(
            f"{where(path, data['sectors'])}: sector codes are a contract: "
            f"missing {missing}, unknown {unknown}"
        )
    caseless: list[tuple[str, tuple[str, float]]] = []
    factors: dict[str, float] = {}
    for code in SECTOR_CODES:
        entry = sectors[code]
        phrases, factors[code] = _parse_sector(path, code, entry)
        caseless.extend((phrase, (code, weight)) for phrase, weight in phrases)
    boilerplate = string_list(path, data, "ignore_paragraphs_with", "sectors.yaml")
    headings = string_list(path, data, "about_headings", "sectors.yaml")
    return SectorTaxonomy(
        phrases=PhraseIndex(caseless),
        score_factor=factors,
        boilerplate=PhraseIndex((p, True) for p in boilerplate),
        about_headings=PhraseIndex((p, True) for p in headings),
        decision=_parse_decision(path, data.get("decision")),
    )


def _parse_sector(path: Path, code: str, entry: Any) -> tuple[list[tuple[str, float]], float]:
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{path.name}: sector {code!r} is not a mapping")
    label = f"sector {code!r}"
    if not isinstance(entry.get("name"), str):
        raise TaxonomyError(f"{where(path, entry)}: {label}: missing 'name'")
    important = entry.get("important")
    if important is not (code in IMPORTANT_SECTORS):
        raise TaxonomyError(
            f"{where(path, entry)}: {label}: 'important' must be "
            f"{str(code in IMPORTANT_SECTORS).lower()} (TAXONOMY.md), got {important!r}"
        )
    factor = entry.get("score_factor", 1.0)
    if not isinstance(factor, int | float) or factor <= 0:
        raise TaxonomyError(f"{where(path, entry)}: {label}: score_factor must be > 0")
    table = entry.get("phrases")
    if not isinstance(table, dict) or not table:
        raise TaxonomyError(f"{where(path, entry)}: {label}: 'phrases' must map weight -> list")
    phrases: list[tuple[str, float]] = []
    seen: set[str] = set()
    for weight, items in table.items():
        if weight == "__line__":
            continue
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise TaxonomyError(f"{where(path, table)}: {label}: weight {weight!r} is not > 0")
        if not isinstance(items, list) or not all(isinstance(p, str) and p for p in items):
            raise TaxonomyError(f"{where(path, table)}: {label}: weight {weight} needs a list")
        for phrase in items:
            key = phrase.strip().lower()
            if key in seen:
                raise TaxonomyError(f"{where(path, table)}: {label}: {phrase!r} is listed twice")
            seen.add(key)
            phrases.append((key, float(weight)))
    return phrases, float(factor)


def _parse_decision(path: Path, entry: Any) -> Decision:
    if entry is None:
        return Decision()
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{path.name}: 'decision' must be a mapping")
    values = {k: v for k, v in entry.items() if k != "__line__"}
    fields = Decision.__dataclass_fields__
    for key, value in values.items():
        if key not in fields:
            raise TaxonomyError(f"{where(path, entry)}: decision: unknown key {key!r}")
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise TaxonomyError(f"{where(path, entry)}: decision: {key} must be a number >= 0")
    return Decision(**values)


# ----------------------------------------------------------------------------- inference


def _paragraphs(text: str) -> list[str]:
    out = []
    for raw in text.splitlines():
        paragraph = normalize_space(raw).strip(_BULLETS)
        if paragraph:
            out.append(paragraph)
    return out


def _has(index: PhraseIndex[Any], text: str) -> bool:
    return next(index.finditer(text), None) is not None


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) <= 60 and not paragraph.endswith((".", ",", ";"))


def _about_paragraphs(paragraphs: list[str], tax: SectorTaxonomy, company: str) -> list[str]:
    """Paragraphs under an 'About us' / 'About <company>' heading."""
    name = company.lower().split("%20")[0].split("-")[0]
    out: list[str] = []
    inside = False
    for paragraph in paragraphs:
        if _is_heading(paragraph):
            lowered = paragraph.lower()
            inside = (
                _has(tax.about_headings, paragraph)
                or (lowered.startswith("about ") and name[:4] in lowered.replace(" ", ""))
                or lowered.startswith(f"why {name[:4]}")
            ) and not any(word in lowered.split() for word in _NOT_ABOUT_THE_COMPANY)
            continue
        if inside:
            out.append(paragraph)
    return out


def _weighted_paragraphs(
    company: str, texts: Sequence[str], tax: SectorTaxonomy
) -> dict[str, float]:
    """Distinct company-describing paragraphs -> weight.

    A paragraph's weight is its kind's weight (core: repeated or under an About heading;
    opening: in the first characters of a posting) times the share of the company's
    postings that contain it, to a power: a board of 200 postings says what the company
    does in the paragraph all of them repeat, not in one team's description.
    """
    decision = tax.decision
    per_text = [_paragraphs(t) for t in texts if t]
    if not per_text:
        return {}
    seen_in = Counter(p.lower() for paragraphs in per_text for p in set(paragraphs))
    total = len(per_text)
    weights: dict[str, float] = {}
    for paragraphs in per_text:
        core = set(_about_paragraphs(paragraphs, tax, company))
        core.update(p for p in paragraphs if len(p) >= 40 and seen_in[p.lower()] >= 2)
        used = 0
        for paragraph in paragraphs:
            key = paragraph.lower()
            weight = decision.core_weight if paragraph in core else 0.0
            if weight == 0.0 and used < decision.opening_chars:
                weight = decision.opening_weight
            used += len(paragraph)
            weight *= (seen_in[key] / total) ** decision.share_power
            if weight > weights.get(key, 0.0):
                weights[key] = weight
    return {p: w for p, w in weights.items() if w > 0 and not _has(tax.boilerplate, p)}


def sector_scores(
    company: str, texts: Sequence[str], tax: SectorTaxonomy | None = None
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Per-sector score and, per sector, each phrase's contribution."""
    tax = tax or load_sector_taxonomy()
    mentions: dict[tuple[str, str], float] = defaultdict(float)
    weight_of: dict[tuple[str, str], float] = {}
    for paragraph, paragraph_weight in _weighted_paragraphs(company, texts, tax).items():
        found: dict[tuple[str, str], float] = {}
        for start, end, (code, weight) in tax.phrases.finditer(paragraph, paragraph):
            found[(code, paragraph[start:end])] = weight
        for key, weight in found.items():
            mentions[key] += paragraph_weight
            weight_of[key] = weight
    cap = tax.decision.phrase_cap
    contributions: dict[str, dict[str, float]] = defaultdict(dict)
    for (code, phrase), count in mentions.items():
        contributions[code][phrase] = weight_of[(code, phrase)] * min(count, cap)
    scores = {
        code: sum(parts.values()) * tax.score_factor[code] for code, parts in contributions.items()
    }
    return scores, contributions


def _evidence(code: str, parts: dict[str, float], top: int = 5) -> str:
    best = sorted(parts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return f"{code}: " + ", ".join(f"{phrase} ({score:g})" for phrase, score in best)


def rank_sectors(scores: dict[str, float], decision: Decision) -> list[tuple[str, float]]:
    """Sectors best first, after the two corrections for software.

    Thin evidence for an important sector gives way to software (most such companies sell
    software); software gives way to an important sector close behind it (vertical
    software is tagged with its buyers' sector: an AI scribe for clinicians is health).
    """
    ranked = sorted(scores.items(), key=lambda item: (-item[1], SECTOR_CODES.index(item[0])))
    if not ranked:
        return ranked
    primary, top = ranked[0]
    if primary in IMPORTANT_SECTORS and top < decision.important_min_score and "software" in scores:
        ranked.sort(key=lambda item: item[0] != "software")  # stable: the rest keep their order
        primary, top = ranked[0]
    if primary == "software":
        vertical = next((item for item in ranked[1:] if item[0] in IMPORTANT_SECTORS), None)
        if vertical and vertical[1] >= max(decision.vertical_min_score, decision.vertical_ratio * top):
            ranked.remove(vertical)
            ranked.insert(0, vertical)
    return ranked


def infer_sector(
    company: str, texts: Sequence[str], taxonomy: SectorTaxonomy | None = None
) -> SectorTag:
    """The sector from the company's postings; all None when nothing points anywhere."""
    tax = taxonomy or load_sector_taxonomy()
    decision = tax.decision
    scores, contributions = sector_scores(company, texts, tax)
    if not scores or max(scores.values()) < decision.min_score:
        return SectorTag(None, None, None, None)
    ranked = rank_sectors(scores, decision)
    primary, top = ranked[0]
    secondary = None
    if len(ranked) > 1:
        code, score = ranked[1]
        if score >= decision.secondary_min_score and score >= decision.secondary_min_ratio * top:
            secondary = code
    evidence = _evidence(primary, contributions[primary])
    if secondary is not None:
        evidence += "; " + _evidence(secondary, contributions[secondary], top=3)
    return SectorTag(primary, secondary, "inferred", evidence)


def tag_company_sector(company: str, hint: str | None, texts: Sequence[str]) -> SectorTag:
    """The registry's sector hint when it is a valid code, else inferred from texts."""
    code = hint.strip().lower() if hint else None
    if code in SECTOR_CODES:
        return SectorTag(code, None, "registry", f"registry hint: {code}")
    return infer_sector(company, texts)
