"""Role family of a posting: from its title, department/team and responsibilities.

The title alone is not enough (TAXONOMY.md section 2). The rules, in order:

1. a decisive title phrase ("data scientist", "MLOps") that comes before any blocker
   settles the family; the first such phrase wins, the longest of those starting at the
   same word ("machine learning infrastructure engineer" is ml_platform);
2. otherwise a blocker in the title ("account executive", "strategist", "product
   manager") makes the posting `other`; the kind-of-job blockers ("forward deployed",
   "solutions engineer") do so wherever they stand;
3. otherwise the title is weak or generic ("Software Engineer", "Senior Engineer, AI
   Products"): the responsibilities decide. Enough model-building text makes it an ML
   role (ml_platform when the text is mostly serving/infrastructure, research when the
   team or title says research); data text with a data title makes it a data role.
A research title needs ML evidence: "Research Scientist" in a wet lab is `other`.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple

from pipelines.tagging.skills import (
    TAXONOMY_DIR,
    PhraseIndex,
    TaxonomyError,
    lower_same_length,
    normalize_space,
    one_line,
    read_taxonomy,
    string_list,
    where,
)

ROLE_FAMILIES_PATH = TAXONOMY_DIR / "role_families.yaml"
ROLE_FAMILIES: tuple[str, ...] = (
    "ml_engineering",
    "data_science",
    "research",
    "ml_platform",
    "data_engineering",
    "analytics",
    "other",
)
ML_ROLE_FAMILIES: frozenset[str] = frozenset(ROLE_FAMILIES[:4])
DATA_FAMILIES = ("data_engineering", "analytics", "data_science")
_MAX_TEXT = 12_000  # characters of responsibilities read; postings rarely need more
_HEADING_TRIM = " \t\r\n-–—•*·:#"
_MIN_BODY = 300  # below this a description says too little to overrule its title
# With no description at all (a board that lists titles only), a title that names an ML
# scientist or researcher ("Staff Machine Learning Scientist", "AI/ML Applied Researcher")
# is that role: there are no duties to weigh its weaker title phrases against.
_ROLE_NOUN_RE = re.compile(r"\b(?:scientist|researcher)$")
_TITLE_ONLY_ORDER = ("research", "data_science", "ml_engineering")


@dataclass(frozen=True)
class RoleTag:
    role_family: str
    is_ml_role: bool
    basis: str
    evidence: str


@dataclass(frozen=True)
class RoleDecision:
    """Thresholds of the rules (role_families.yaml `decision:`)."""

    decisive: float = 6
    text_cap: float = 12
    text_scale: float = 0.25
    ml_text_min: float = 9
    ml_text_min_with_cue: float = 6
    research_text_min: float = 6
    platform_share: float = 0.6
    data_text_min: float = 6
    research_gate_ml_text: float = 6
    override_text_min: float = 12  # duties text that overrides a research or DS title
    override_other_max: float = 3  # ... when the title's own family has at most this much
    ml_strong_min: float = 0  # ... of which at least this much from specific (weight >= 3) phrases
    silent_body_min: float = 1000  # an ML title over this much text with no ML word: text decides
    science_gate_ml_text: float = 6  # a scientist title (bio, chemistry) needs this much
    #                                  model-building text to be an ML role


Weighted = tuple[str, float]  # (family, weight)


@dataclass(frozen=True)
class RoleTaxonomy:
    blockers: PhraseIndex[str]
    role_blockers: PhraseIndex[str]
    soft_blockers: PhraseIndex[str]
    title: PhraseIndex[Weighted]
    ml_cues: PhraseIndex[str]
    generic: PhraseIndex[str]
    department: PhraseIndex[Weighted]
    text: PhraseIndex[Weighted]
    wet_lab: PhraseIndex[str]
    headings: PhraseIndex[str]
    decision: RoleDecision
    science_titles: PhraseIndex[str] = PhraseIndex(())
    science_fields: PhraseIndex[str] = PhraseIndex(())


# ----------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=4)
def load_role_taxonomy(path: Path = ROLE_FAMILIES_PATH) -> RoleTaxonomy:
    """Read and validate role_families.yaml; TaxonomyError names the bad line and key."""
    data = read_taxonomy(path)
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path.name}: expected a mapping at the top level")
    families = data.get("families")
    if not isinstance(families, dict):
        raise TaxonomyError(f"{path.name}: missing 'families:' mapping")
    codes = [k for k in families if k != "__line__"]
    if sorted(codes) != sorted(ROLE_FAMILIES):
        raise TaxonomyError(
            f"{where(path, families)}: role families are a contract: expected "
            f"{list(ROLE_FAMILIES)}, got {codes}"
        )
    for code in ROLE_FAMILIES:
        entry = families[code]
        is_ml = entry.get("is_ml") if isinstance(entry, dict) else None
        if is_ml is not (code in ML_ROLE_FAMILIES):
            raise TaxonomyError(
                f"{where(path, entry)}: family {code!r}: is_ml must be "
                f"{str(code in ML_ROLE_FAMILIES).lower()} (TAXONOMY.md), got {is_ml!r}"
            )

    def plain(key: str) -> PhraseIndex[str]:
        return PhraseIndex((p, p) for p in string_list(path, data, key, path.name))

    return RoleTaxonomy(
        blockers=plain("blockers"),
        role_blockers=plain("role_blockers"),
        soft_blockers=plain("soft_blockers"),
        title=PhraseIndex(_weighted(path, data, "title")),
        ml_cues=plain("ml_cues"),
        generic=plain("generic_titles"),
        department=PhraseIndex(_weighted(path, data, "department")),
        text=PhraseIndex(_weighted(path, data, "text")),
        wet_lab=plain("wet_lab"),
        headings=plain("responsibility_headings"),
        decision=_decision(path, data.get("decision")),
        science_titles=plain("science_titles"),
        science_fields=plain("science_fields"),
    )


def _weighted(path: Path, data: dict[str, Any], key: str) -> list[tuple[str, Weighted]]:
    """family -> weight -> phrases, as (phrase, (family, weight)) pairs."""
    table = data.get(key)
    if not isinstance(table, dict):
        raise TaxonomyError(f"{path.name}: missing '{key}:' mapping of family -> weight -> list")
    out: list[tuple[str, Weighted]] = []
    for family, weights in table.items():
        if family == "__line__":
            continue
        if family not in ROLE_FAMILIES:
            raise TaxonomyError(f"{where(path, table)}: {key}: unknown family {family!r}")
        if not isinstance(weights, dict):
            raise TaxonomyError(f"{where(path, table)}: {key}.{family}: expected weight -> list")
        for weight, phrases in weights.items():
            if weight == "__line__":
                continue
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                raise TaxonomyError(
                    f"{where(path, weights)}: {key}.{family}: weight {weight!r} is not > 0"
                )
            if not isinstance(phrases, list) or not all(
                isinstance(p, str) and p.strip() for p in phrases
            ):
                raise TaxonomyError(
                    f"{where(path, weights)}: {key}.{family}.{weight}: expected a list of phrases"
                )
            out.extend((p.strip(), (family, float(weight))) for p in phrases)
    return out


def _decision(path: Path, entry: Any) -> RoleDecision:
    if entry is None:
        return RoleDecision()
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{path.name}: 'decision' must be a mapping")
    known = {f.name for f in fields(RoleDecision)}
    values = {k: v for k, v in entry.items() if k != "__line__"}
    for key, value in values.items():
        if key not in known:
            raise TaxonomyError(f"{where(path, entry)}: decision: unknown key {key!r}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise TaxonomyError(f"{where(path, entry)}: decision: {key} must be a number >= 0")
    return RoleDecision(**values)


# ----------------------------------------------------------------------------- matching


class _Hit(NamedTuple):  # a tuple: several per posting, cheaper to build than a dataclass
    start: int
    phrase: str
    family: str
    weight: float


# `lowered` is lower_same_length(text), when the caller has it: a title or a description is
# looked up in several indexes, and is lowered once.


def _hits(index: PhraseIndex[Weighted], text: str, lowered: str | None = None) -> list[_Hit]:
    if lowered is None:
        lowered = lower_same_length(text)
    return [
        _Hit(start, lowered[start:end], family, weight)
        for start, end, (family, weight) in index.finditer(text, lowered)
    ]


def _first(
    index: PhraseIndex[str], text: str, lowered: str | None = None
) -> tuple[int, str] | None:
    found = next(index.finditer(text, lowered), None)
    return (found[0], found[2]) if found else None


def _distinct(index: PhraseIndex[str], text: str, lowered: str | None = None) -> set[str]:
    return {phrase for _, _, phrase in index.finditer(text, lowered)}


def responsibilities(text: str, tax: RoleTaxonomy) -> str:
    """The description from its first responsibilities heading on (all of it if none),
    on one line."""
    position = 0
    for line in text.splitlines(keepends=True):
        if len(line) <= 80:
            heading = line.strip(_HEADING_TRIM)
            if heading and len(heading) <= 60 and _first(tax.headings, heading) is not None:
                return one_line(text[position : position + _MAX_TEXT])
        position += len(line)
    return one_line(text[:_MAX_TEXT])


def _text_scores(hits: Iterable[_Hit], cap: float) -> tuple[dict[str, float], dict[str, list[str]]]:
    seen: set[tuple[str, str]] = set()
    scores: dict[str, float] = defaultdict(float)
    phrases: dict[str, list[str]] = defaultdict(list)
    for hit in hits:
        if (hit.family, hit.phrase) in seen:
            continue
        seen.add((hit.family, hit.phrase))
        scores[hit.family] += hit.weight
        phrases[hit.family].append(hit.phrase)
    return {f: min(s, cap) for f, s in scores.items()}, phrases


# ----------------------------------------------------------------------------- classify


def _tag(family: str, evidence: Iterable[str]) -> RoleTag:
    return RoleTag(family, family in ML_ROLE_FAMILIES, "rule", "; ".join(e for e in evidence if e))


def _listed(label: str, phrases: Iterable[str], limit: int = 4) -> str:
    items = list(dict.fromkeys(phrases))[:limit]
    return f"{label}: {', '.join(items)}" if items else ""


def classify_role(
    title: str | None,
    department: str | None = None,
    team: str | None = None,
    text: str | None = None,
) -> RoleTag:
    """The role family of one posting, with the words that decided it."""
    tax = load_role_taxonomy()
    decision = tax.decision
    title = normalize_space(title or "").strip()
    units = " / ".join(normalize_space(u).strip() for u in (department, team) if u and u.strip())

    low_title = lower_same_length(title)
    title_hits = _hits(tax.title, title, low_title)
    blocker = _first(tax.role_blockers, title, low_title)
    if blocker is not None:
        return _tag("other", [f"title: {blocker[1]}"])
    blocker = _first(tax.blockers, title, low_title)
    decisive = [h for h in title_hits if h.weight >= decision.decisive]
    if blocker is not None:
        decisive = [h for h in decisive if h.start < blocker[0]]
    if not decisive and blocker is not None:
        return _tag("other", [f"title: {blocker[1]}"])
    weak_families = {h.family for h in title_hits}
    soft = _first(tax.soft_blockers, title, low_title)
    generic = _first(tax.generic, title, low_title) is not None or bool(weak_families)
    if not decisive and (not generic or (soft is not None and not weak_families)):
        # The title names a job outside the families and nothing in it is generic.
        return _tag("other", [f"title: {soft[1] if soft else title.lower() or 'none'}"])

    # The responsibilities are read only for titles that leave the question open.
    body = responsibilities(text, tax) if text else ""
    low_body = lower_same_length(body)
    body_hits = _hits(tax.text, body, low_body)
    text_scores, text_phrases = _text_scores(body_hits, decision.text_cap)
    strong_scores, _ = _text_scores((h for h in body_hits if h.weight >= 3), decision.text_cap)
    ml_text = text_scores.get("ml_engineering", 0.0)
    platform_text = text_scores.get("ml_platform", 0.0)
    research_text = text_scores.get("research", 0.0)
    unit_hits = _hits(tax.department, units)
    unit_families = {h.family for h in unit_hits}
    title_cues = _distinct(tax.ml_cues, title, low_title)

    if decisive:
        best = min(decisive, key=lambda h: (h.start, -len(h.phrase)))
        family = best.family
        evidence = [f"title: {best.phrase}"]
        if (
            family in ML_ROLE_FAMILIES
            and len(body) >= decision.silent_body_min
            and not any(text_scores.get(f, 0.0) for f in ML_ROLE_FAMILIES)
            and not unit_families & ML_ROLE_FAMILIES
        ):
            # An ML title over a long description without one word of ML work (generic
            # backend or infrastructure duties): the duties decide, not the title.
            decisive = []
            title_hits = [h for h in title_hits if h.weight < decision.decisive]
            weak_families = {h.family for h in title_hits}
    if decisive:
        if family == "research" and not _research_is_ml(
            title_cues, unit_families, ml_text + research_text + platform_text, body, tax, low_body
        ):
            wet = sorted(_distinct(tax.wet_lab, body, low_body))[:3]
            return _tag("other", [*evidence, "no ML evidence", _listed("text", wet)])
        field = _first(tax.science_fields, title, low_title)
        if (
            family == "research"
            and field is not None
            and len(body) < _MIN_BODY
            and not title_cues
            and not unit_families & ML_ROLE_FAMILIES
        ):
            # "Clinical Research Scientist", "Research Scientist, Soil Microbiology" with no
            # text to judge by: the title names a science that is not ML
            return _tag("other", [*evidence, f"title: {field[1]}", "no ML evidence"])
        science = _first(tax.science_titles, title, low_title)
        if (
            science is not None
            and family != "data_science"
            and len(body) >= _MIN_BODY
            and strong_scores.get("ml_engineering", 0.0) + strong_scores.get("ml_platform", 0.0)
            < decision.science_gate_ml_text
        ):
            # "Applied AI/Bio Scientist": a scientist who uses models, does not build them.
            return _tag("other", [*evidence, f"title: {science[1]}", "no model-building text"])
        # The duties decide: a research title on inference work is ml_platform; a data
        # scientist title on LLM/agent engineering is ml_engineering.
        override = _duties_override(family, strong_scores, decision)
        if override is not None:
            family = override
            evidence.append("duties: " + family)
        return _tag(family, [*evidence, _listed("text", text_phrases.get(family, []))])

    # Weak or generic title: the team and the responsibilities decide.
    ml_cued = (
        bool(title_cues)
        or bool(weak_families & ML_ROLE_FAMILIES)
        or bool(unit_families & ML_ROLE_FAMILIES)
    )
    # Customer-facing duties (demos, implementations, quota) count against.
    model_text = ml_text + platform_text - strong_scores.get("other", 0.0)
    needed = decision.ml_text_min_with_cue if ml_cued else decision.ml_text_min
    cue_words = [*sorted(title_cues), *(h.phrase for h in title_hits)]
    # At least one specific model-building or serving phrase: naming providers and "LLMs"
    # (integrating third-party models into a full-stack job) is not enough.
    specific = strong_scores.get("ml_engineering", 0.0) + strong_scores.get("ml_platform", 0.0)
    # A research-led title ("Machine Learning Scientist") over research duties (papers,
    # the state of the art) names its ML in general words: no specific phrase is needed.
    research_led = ("research" in weak_families or "research" in unit_families) and (
        research_text >= decision.research_text_min
    )
    if generic and model_text >= needed and (specific >= decision.ml_strong_min or research_led):
        if platform_text >= decision.platform_share * model_text:
            family = "ml_platform"
        elif ("research" in weak_families or "research" in unit_families) and (
            research_text >= decision.research_text_min
        ):
            family = "research"
        elif "data_science" in weak_families and strong_scores.get(
            "data_science", 0.0
        ) >= strong_scores.get("ml_engineering", 0.0):
            family = "data_science"
        else:
            family = "ml_engineering"
        return _tag(
            family,
            [
                _listed("title", cue_words) or f"title: {title.lower()}",
                _listed("team", (h.phrase for h in unit_hits if h.family in ML_ROLE_FAMILIES)),
                _listed("text", text_phrases.get(family) or text_phrases.get("ml_engineering", [])),
            ],
        )
    if not body and title_cues:
        named = {h.family for h in title_hits if _ROLE_NOUN_RE.search(h.phrase)}
        family = next((f for f in _TITLE_ONLY_ORDER if f in named), None)
        if family is not None:
            return _tag(family, [_listed("title", cue_words), "no description"])
    data_families = [
        f
        for f in DATA_FAMILIES
        if f in weak_families and text_scores.get(f, 0.0) >= decision.data_text_min
    ]
    if data_families:
        best_data = max(data_families, key=lambda f: text_scores.get(f, 0.0))
        return _tag(
            best_data,
            [_listed("title", (h.phrase for h in title_hits if h.family == best_data))],
        )
    return _tag("other", [f"title: {title.lower()}" if title else "no title"])


def _duties_override(
    family: str, text_scores: dict[str, float], decision: RoleDecision
) -> str | None:
    """Another ML family when the specific duties text (weight >= 3) clearly says so."""
    strong = decision.override_text_min
    if family == "research":
        # Inference, serving and training-cluster work under a research title.
        platform = text_scores.get("ml_platform", 0.0)
        if platform >= strong and platform > text_scores.get(family, 0.0):
            return "ml_platform"
    if family == "data_science":
        ml = text_scores.get("ml_engineering", 0.0)
        if ml >= strong and text_scores.get("data_science", 0.0) <= decision.override_other_max:
            return "ml_engineering"
    return None


def _research_is_ml(
    title_cues: set[str],
    unit_families: set[str],
    ml_text: float,
    body: str,
    tax: RoleTaxonomy,
    low_body: str | None = None,
) -> bool:
    """A research title is ML research only with ML cues or ML text outweighing lab text."""
    if title_cues or len(body) < _MIN_BODY:
        return True  # an ML cue in the title, or no text to judge by: trust the title
    wet = len(_distinct(tax.wet_lab, body, low_body)) * 3
    if ml_text >= tax.decision.research_gate_ml_text and ml_text > wet:
        return True
    return bool(unit_families & ML_ROLE_FAMILIES) and wet == 0
