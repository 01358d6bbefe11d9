"""Company sector, inferred from the company's own postings (or taken from the registry).

What a company sells and to whom is written in the part of its postings that repeats
from one posting to the next ("About us") and in "About <company>" sections; the
opening of each posting comes next. A paragraph weighs by the share of the company's
postings that carry it, and benefits, equal-opportunity and team-bio boilerplate is
skipped; a paragraph that opens with the company's name ("At Acme, we ...") counts as
About text. The title line is no phrase evidence (it names the job); the mix of the
company's posting titles adds a little when the texts start with the title (a board of
nurses and caregivers is a care provider). Weighted phrases from
sectors.yaml score each sector; the best is the primary, after three corrections:
between software or finance and the important sectors (rank_sectors: vertical software
and a lender to farmers take their buyers' sector, and software that leads on generic
words only on a thin board gives way), business models that lead
(a staffing agency or a non-profit, `leads`) and sectors that may lead only with
certain words (public_good needs a non-profit, `primary_needs`); a runner-up clearly
supported is the secondary. With a registry hint, the hint is the primary and the
postings may still give a secondary. Works for companies no one registered. Everyday
compounds in which a sector's word means something else (`neutral_phrases`: a data
warehouse, device drivers, a working student) count for no sector.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
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
# Whitespace that does not break a line (str.split's whitespace, less str.splitlines' breaks)
_INLINE_SPACES = (
    "\t\x1f\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
)
# Business models that sell into a vertical: a software or finance company that clearly
# serves an important sector is tagged with that sector, its own second (rank_sectors)
VERTICAL_HOSTS = ("software", "finance")
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
    title_weight: float = 0.0  # a posting title naming a sector's job counts this much ...
    title_norm: float = 10.0  # ... scaled by min(1, title_norm / number of postings)
    lead_min_score: float = 1e9  # a sector's `leads` phrases scoring this make it primary
    # software leading on generic words (data, platform, tools) yields to an important
    # sector scoring generic_ratio of it whose strong phrases score more than
    # generic_strong_ratio times software's strong phrases and at least generic_min_strong,
    # and which scores generic_focus times the next important sector
    generic_ratio: float = 1e9
    generic_strong_ratio: float = 1.0
    generic_min_strong: float = 0.0
    generic_focus: float = 1.0
    strong_weight: float = 3.0  # phrases this heavy are strong evidence (vertical_min_score)
    secondary_min_strong: float = 0.0  # a secondary's strong phrases must score this much
    name_weight: float = 0.0  # a sector's word in the company's name, read when no text is


@dataclass(frozen=True)
class SectorTaxonomy:
    phrases: PhraseIndex[tuple[str, float]]
    score_factor: dict[str, float]
    boilerplate: PhraseIndex[bool]
    about_headings: PhraseIndex[bool]
    decision: Decision
    titles: PhraseIndex[tuple[str, float]] = PhraseIndex(())
    primary_needs: dict[str, frozenset[str]] = field(default_factory=dict)
    leads: dict[str, frozenset[str]] = field(default_factory=dict)
    neutral: PhraseIndex[bool] = PhraseIndex(())  # compounds whose words count for no sector
    # fragments of company names that say a sector ("...renewables", "...health"), by sector
    company_names: tuple[tuple[str, str], ...] = ()


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
    titles: list[tuple[str, tuple[str, float]]] = []
    factors: dict[str, float] = {}
    needs: dict[str, frozenset[str]] = {}
    leads: dict[str, frozenset[str]] = {}
    names: list[tuple[str, str]] = []
    for code in SECTOR_CODES:
        entry = sectors[code]
        if "company_names" in entry:
            listed = string_list(path, entry, "company_names", f"sector {code!r}")
            short = [fragment for fragment in listed if len(_squashed(fragment)) < 4]
            if short:  # a short fragment is inside too many names ("bio" in "biometrics")
                raise TaxonomyError(
                    f"{where(path, entry)}: sector {code!r}: company_names need 4 letters "
                    f"or more: {short}"
                )
            names.extend((_squashed(fragment), code) for fragment in listed)
        phrases, factors[code] = _parse_sector(path, code, entry)
        caseless.extend((phrase, (code, weight)) for phrase, weight in phrases)
        if "titles" in entry:
            table = _weighted_table(path, f"sector {code!r}: titles", entry, entry["titles"])
            titles.extend((phrase, (code, weight)) for phrase, weight in table)
        known = {phrase for phrase, _ in phrases}
        for key, out in (("primary_needs", needs), ("leads", leads)):
            if key in entry:
                listed = {p.lower() for p in string_list(path, entry, key, f"sector {code!r}")}
                if listed - known:
                    raise TaxonomyError(
                        f"{where(path, entry)}: sector {code!r}: {key} must be among its "
                        f"phrases: {sorted(listed - known)}"
                    )
                out[code] = frozenset(listed)
    boilerplate = string_list(path, data, "ignore_paragraphs_with", "sectors.yaml")
    headings = string_list(path, data, "about_headings", "sectors.yaml")
    # compounds whose words count for no sector; none may blank out a sector's own phrase
    neutral_phrases = string_list(path, data, "neutral_phrases", "sectors.yaml")
    neutral = PhraseIndex((p, True) for p in neutral_phrases)
    masked = sorted({p for p, _ in caseless + titles if _has(neutral, p)})
    if masked:
        raise TaxonomyError(f"{path.name}: neutral_phrases would blank out phrases: {masked}")
    return SectorTaxonomy(
        phrases=PhraseIndex(caseless),
        score_factor=factors,
        boilerplate=PhraseIndex((p, True) for p in boilerplate),
        about_headings=PhraseIndex((p, True) for p in headings),
        decision=_parse_decision(path, data.get("decision")),
        titles=PhraseIndex(titles),
        primary_needs=needs,
        leads=leads,
        neutral=neutral,
        company_names=tuple(names),
    )


def _squashed(name: str) -> str:
    """Letters only, lower case: "Cypress Creek Renewables", "cypresscreekrenewables" and
    "Iodine%20Software" (a URL-encoded slug) read alike."""
    return "".join(ch for ch in name.lower().replace("%20", " ") if ch.isalpha())


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
    return _weighted_table(path, label, entry, entry.get("phrases")), float(factor)


def _weighted_table(path: Path, label: str, entry: Any, table: Any) -> list[tuple[str, float]]:
    """weight -> phrases as (phrase, weight) pairs; TaxonomyError on bad weights or repeats."""
    if not isinstance(table, dict) or not table:
        raise TaxonomyError(f"{where(path, entry)}: {label}: phrases must map weight -> list")
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
    return phrases


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
    """The text's lines, each with its whitespace runs as one space and without edge spaces
    or bullets; empty lines dropped. (Per line, `normalize_space(line).strip(_BULLETS)`;
    done on the whole text with C-speed replaces, since a posting has ~80 lines.)"""
    for space in _INLINE_SPACES:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    lines = text.splitlines()
    return list(filter(None, map(str.strip, lines, repeat(_BULLETS, len(lines)))))


def _has(index: PhraseIndex[Any], text: str) -> bool:
    return next(index.finditer(text), None) is not None


def _found_any(index: PhraseIndex[Any], texts: Sequence[str]) -> list[bool]:
    """_has for each one-line text, in one pass over the texts joined by line breaks
    (word boundaries, which no phrase spans)."""
    joined = "\n".join(texts)
    starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
    hit = [False] * len(texts)
    for start, _, _ in index.finditer(joined):
        hit[bisect_right(starts, start) - 1] = True
    return hit


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) <= 60 and not paragraph.endswith((".", ",", ";"))


def _name(company: str) -> str:
    """The first word of the company's name, lower case ("Iodine%20Software" -> "iodine")."""
    return company.lower().split("%20")[0].split("-")[0]


def _openings(company: str) -> tuple[str, ...]:
    """How a paragraph naming the company opens, spaces removed ("acme", "atacme"); none
    for a name under 3 characters."""
    name = _name(company).split(".")[0][:5]
    return (name, "at" + name) if len(name) >= 3 else ()


def _names_the_company(paragraph: str, openings: tuple[str, ...]) -> bool:
    """A paragraph that opens with the company's name ("Acme builds ...", "At Acme, we
    ..."): like an "About Acme" section, it says what the company does."""
    if not openings or len(paragraph) < 40 or _is_heading(paragraph):
        return False
    # paragraphs hold single spaces, so 24 characters keep the 7 an opening needs
    return paragraph[:24].lower().replace(" ", "").startswith(openings)


def _opens_about(heading: str, tax: SectorTaxonomy, name: str) -> bool:
    """Whether a heading starts an 'About us' / 'About <company>' section."""
    lowered = heading.lower()
    return (
        _has(tax.about_headings, heading)
        or (lowered.startswith("about ") and name[:4] in lowered.replace(" ", ""))
        or lowered.startswith(f"why {name[:4]}")
    ) and not any(word in lowered.split() for word in _NOT_ABOUT_THE_COMPANY)


def _about_paragraphs(
    paragraphs: list[str],
    tax: SectorTaxonomy,
    company: str,
    headings: dict[str, bool] | None = None,
) -> list[str]:
    """Paragraphs under an 'About us' / 'About <company>' heading. `headings` keeps each
    heading's verdict across the calls for one company's postings, which repeat them."""
    name = _name(company)
    headings = {} if headings is None else headings
    out: list[str] = []
    inside = False
    for paragraph in paragraphs:
        if _is_heading(paragraph):
            inside = headings.get(paragraph)
            if inside is None:
                inside = headings[paragraph] = _opens_about(paragraph, tax, name)
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
    does in the paragraph all of them repeat, not in one team's description. A posting's
    title line is left out: it names the job, not what the company sells (the titles
    signal in _scores reads it), and on a thin board "Senior Developer" or "Data
    Engineer" would otherwise be the loudest words. A paragraph that opens with the
    company's name is core, like one under an About heading.
    """
    decision = tax.decision
    per_text = [_paragraphs(_split_title(t)[1]) for t in texts if t]
    per_text = [paragraphs for paragraphs in per_text if paragraphs]
    if not per_text:
        return {}
    per_text_keys = [list(map(str.lower, paragraphs)) for paragraphs in per_text]
    seen_in = Counter(key for keys in per_text_keys for key in set(keys))
    openings = _openings(company)
    total = len(per_text)
    weights: dict[str, float] = {}
    headings: dict[str, bool] = {}
    # paragraphs that open with the company's name; the About text repeats across postings
    naming = {p: _names_the_company(p, openings) for p in set().union(*per_text)}
    for paragraphs, keys in zip(per_text, per_text_keys, strict=True):
        core = set(_about_paragraphs(paragraphs, tax, company, headings))
        core.update(
            p for p, key in zip(paragraphs, keys, strict=True) if len(p) >= 40 and seen_in[key] >= 2
        )
        core.update(filter(naming.__getitem__, paragraphs))
        used = 0
        for paragraph, key in zip(paragraphs, keys, strict=True):
            weight = decision.core_weight if paragraph in core else 0.0
            if weight == 0.0 and used < decision.opening_chars:
                weight = decision.opening_weight
            used += len(paragraph)
            weight *= (seen_in[key] / total) ** decision.share_power
            if weight > weights.get(key, 0.0):
                weights[key] = weight
    kept = [key for key, weight in weights.items() if weight > 0]
    boilerplate = _found_any(tax.boilerplate, kept)
    return {key: weights[key] for key, skip in zip(kept, boilerplate, strict=True) if not skip}


def _split_title(text: str) -> tuple[str | None, str]:
    """(title, rest) when the text starts with a title: a short first line, then a blank
    line (evaluation.posting_text); else (None, text)."""
    first, sep, rest = text.partition("\n")
    if sep and len(first) <= 120 and rest.startswith(("\n", "\r\n")):
        return normalize_space(first).strip(), rest
    return None, text


def _titles(texts: Sequence[str]) -> list[str]:
    """Posting titles, when the texts start with one (_split_title). Descriptions without a
    title line give no titles."""
    titles = (_split_title(text)[0] for text in texts if text)
    return [title for title in titles if title is not None]


def _found(
    index: PhraseIndex[tuple[str, float]],
    lowered: Sequence[str],
    neutral: PhraseIndex[bool] | None = None,
) -> list[dict[tuple[str, str], float]]:
    """For each lower-case one-line text, (sector, phrase) -> weight for its distinct
    phrases; the words of a `neutral` phrase ("data warehouse", "device drivers") are
    blanked out first. One pass of each automaton over the texts joined by line breaks,
    which no phrase spans and which are word boundaries like a text's ends, so each text
    gets what matching it alone gives."""
    joined = "\n".join(lowered)
    if neutral is not None:
        spans = [(start, end) for start, end, _ in neutral.finditer(joined, joined)]
        if spans:
            joined = _blanked(joined, spans)
    starts = list(accumulate((len(text) + 1 for text in lowered[:-1]), initial=0))
    found: list[dict[tuple[str, str], float]] = [{} for _ in lowered]
    for start, end, (code, weight) in index.finditer(joined, joined):
        found[bisect_right(starts, start) - 1][(code, joined[start:end])] = weight
    return found


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the characters of every (start, end) span, overlapping or not, spaces."""
    pieces, done = [], 0
    for start, end in sorted(spans):
        if end <= done:
            continue
        start = max(start, done)
        pieces += [text[done:start], " " * (end - start)]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def sector_scores(
    company: str, texts: Sequence[str], tax: SectorTaxonomy | None = None
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Per-sector score and, per sector, each phrase's contribution."""
    scores, contributions, _ = _scores(company, texts, tax or load_sector_taxonomy())
    return scores, contributions


def _scores(
    company: str, texts: Sequence[str], tax: SectorTaxonomy
) -> tuple[dict[str, float], dict[str, dict[str, float]], dict[str, float]]:
    """Scores, contributions, and each sector's score from its strong phrases alone
    (weight >= strong_weight: words that say what the company sells on their own)."""
    mentions: dict[tuple[str, str], float] = defaultdict(float)
    weight_of: dict[tuple[str, str], float] = {}
    paragraphs = _weighted_paragraphs(company, texts, tax)
    found = _found(tax.phrases, list(paragraphs), tax.neutral)
    for paragraph_weight, phrases in zip(paragraphs.values(), found, strict=True):
        for key, weight in phrases.items():
            mentions[key] += paragraph_weight
            weight_of[key] = weight
    decision = tax.decision
    if not paragraphs and decision.name_weight > 0:
        # no text at all (a board that lists titles only): what the company calls itself
        # ("... Renewables", "... Health") is evidence, as a strong phrase of the sector
        squashed = _squashed(company)
        for fragment, code in tax.company_names:
            if fragment in squashed:
                mentions[(code, "name: " + fragment)] = 1.0
                weight_of[(code, "name: " + fragment)] = decision.name_weight
    titles = _titles(texts) if decision.title_weight > 0 else []
    if titles:
        # The mix of jobs: each title counts a little, less on big boards, so that a
        # sector's jobs must be a real share of the board to weigh.
        per_title = decision.title_weight * min(1.0, decision.title_norm / len(titles))
        for phrases in _found(tax.titles, [title.lower() for title in titles], tax.neutral):
            for (code, phrase), weight in phrases.items():
                mentions[(code, "title: " + phrase)] += per_title
                weight_of[(code, "title: " + phrase)] = weight
    cap = decision.phrase_cap
    contributions: dict[str, dict[str, float]] = defaultdict(dict)
    for (code, phrase), count in mentions.items():
        contributions[code][phrase] = weight_of[(code, phrase)] * min(count, cap)
    scores = {
        code: sum(parts.values()) * tax.score_factor[code] for code, parts in contributions.items()
    }
    strong: dict[str, float] = defaultdict(float)
    for (code, phrase), weight in weight_of.items():
        if weight >= decision.strong_weight:
            strong[code] += contributions[code][phrase] * tax.score_factor[code]
    return scores, contributions, strong


def _evidence(code: str, parts: dict[str, float], top: int = 5) -> str:
    best = sorted(parts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return f"{code}: " + ", ".join(f"{phrase} ({score:g})" for phrase, score in best)


def rank_sectors(
    scores: dict[str, float], decision: Decision, strong: dict[str, float] | None = None
) -> list[tuple[str, float]]:
    """Sectors best first, after the corrections for software and finance.

    Thin evidence for an important sector gives way to software (most such companies sell
    software); software or finance gives way to an important sector close behind it
    (VERTICAL_HOSTS: the company is tagged with its buyers' sector: an AI scribe for
    clinicians is health, a lender to farmers agriculture_food) when that sector's strong
    phrases alone score vertical_min_score. Software also gives
    way when it leads on generic words only: one posting of a vet-care app is mostly
    "app", "APIs" and "developers", and its one line "24/7 virtual care for pets" is what
    the company sells. Then an important sector scoring generic_ratio of software wins if
    its strong phrases outweigh software's own (generic_strong_ratio, generic_min_strong)
    and it is clearly ahead of the other important sectors (generic_focus): a product
    listing health care, manufacturing and education among its customers is horizontal.
    """
    ranked = sorted(scores.items(), key=lambda item: (-item[1], SECTOR_CODES.index(item[0])))
    if not ranked:
        return ranked
    primary, top = ranked[0]
    if primary in IMPORTANT_SECTORS and top < decision.important_min_score and "software" in scores:
        ranked.sort(key=lambda item: item[0] != "software")  # stable: the rest keep their order
        primary, top = ranked[0]
    if primary in VERTICAL_HOSTS:
        verticals = [item for item in ranked[1:] if item[0] in IMPORTANT_SECTORS]
        vertical = verticals[0] if verticals else None
        strong = scores if strong is None else strong
        evidence = strong.get(vertical[0], 0.0) if vertical else 0.0
        # a product sold to many sectors alike (health care, manufacturing, education) is
        # horizontal software: the generic-words rule needs one sector clearly ahead
        focused = len(verticals) < 2 or verticals[0][1] >= decision.generic_focus * verticals[1][1]
        if vertical and (
            (
                vertical[1] >= decision.vertical_ratio * top
                and evidence >= decision.vertical_min_score
            )
            or (
                primary == "software"
                and focused
                and vertical[1] >= decision.generic_ratio * top
                and evidence >= decision.generic_min_strong
                and evidence > decision.generic_strong_ratio * strong.get("software", 0.0)
            )
        ):
            ranked.remove(vertical)
            ranked.insert(0, vertical)
    return ranked


def _apply_needs_and_leads(
    ranked: list[tuple[str, float]],
    contributions: dict[str, dict[str, float]],
    tax: SectorTaxonomy,
) -> tuple[list[tuple[str, float]], bool]:
    """Sectors that may lead only with certain words give way; business models lead.

    A sector with `primary_needs` (public_good: a non-profit, a charity) whose evidence
    has none of them is not the primary: government as a buyer makes software with a
    public_good secondary. A sector whose `leads` phrases (other: a staffing agency)
    score at least lead_min_score is the primary: what the company sells is staffing,
    even when every posting talks about healthcare. Returns the ranking and whether the
    primary changed (the displaced sector, now second, is then the secondary).
    """
    if not ranked:
        return ranked, False
    ranked = list(ranked)
    for code, lead in tax.leads.items():
        parts = contributions.get(code, {})
        if sum(v for k, v in parts.items() if k.lower() in lead) >= tax.decision.lead_min_score:
            item = next((it for it in ranked if it[0] == code), None)
            if item is not None and ranked[0] is not item:
                displaced = ranked[0]
                ranked.remove(item)
                ranked.remove(displaced)
                ranked[:0] = [item, displaced]
                return ranked, True
            return ranked, False
    primary = ranked[0][0]
    needs = tax.primary_needs.get(primary)
    if needs is not None and not any(k.lower() in needs for k in contributions.get(primary, {})):
        successor = next(
            (
                i
                for i, it in enumerate(ranked[1:], 1)
                if it[0] not in tax.primary_needs
                or any(k.lower() in tax.primary_needs[it[0]] for k in contributions.get(it[0], {}))
            ),
            None,
        )
        if successor is not None:
            ranked.insert(0, ranked.pop(successor))
            return ranked, True
    return ranked, False


def _ranked(
    company: str, texts: Sequence[str], tax: SectorTaxonomy
) -> tuple[list[tuple[str, float]], dict[str, dict[str, float]], bool, dict[str, float]]:
    """Sectors best first, their phrase contributions, whether the primary was moved
    (by primary_needs or leads, or an important sector put ahead of a higher-scoring
    software: vertical software is its buyers' sector with software second), and each
    sector's score from strong phrases."""
    scores, contributions, strong = _scores(company, texts, tax)
    if not scores or max(scores.values()) < tax.decision.min_score:
        return [], contributions, False, strong
    ranked = rank_sectors(scores, tax.decision, strong)
    promoted = len(ranked) > 1 and ranked[1][0] in VERTICAL_HOSTS and ranked[1][1] > ranked[0][1]
    ranked, moved = _apply_needs_and_leads(ranked, contributions, tax)
    return ranked, contributions, moved or promoted, strong


def _supported(
    code: str, score: float, top: float, strong: dict[str, float], ratio: float, decision: Decision
) -> bool:
    """A runner-up clearly supported as the secondary sector."""
    return (
        score >= ratio * top
        and score >= decision.secondary_min_score
        and strong.get(code, 0.0) >= decision.secondary_min_strong
    )


def infer_sector(
    company: str, texts: Sequence[str], taxonomy: SectorTaxonomy | None = None
) -> SectorTag:
    """The sector from the company's postings; all None when nothing points anywhere.

    A text may start with the posting's title on its own line followed by a blank line
    (evaluation.posting_text): the titles then add the mix-of-jobs signal.
    """
    tax = taxonomy or load_sector_taxonomy()
    decision = tax.decision
    ranked, contributions, moved, strong = _ranked(company, texts, tax)
    if not ranked:
        return SectorTag(None, None, None, None)
    primary, top = ranked[0]
    secondary = None
    if len(ranked) > 1:
        code, score = ranked[1]
        if moved or _supported(code, score, top, strong, decision.secondary_min_ratio, decision):
            secondary = code
    evidence = _evidence(primary, contributions[primary])
    if secondary is not None:
        evidence += "; " + _evidence(secondary, contributions[secondary], top=3)
    return SectorTag(primary, secondary, "inferred", evidence)


def hinted_secondary(
    company: str, hint: str, texts: Sequence[str], taxonomy: SectorTaxonomy | None = None
) -> tuple[str | None, str | None]:
    """With a registry hint as the primary: the best other sector the postings clearly
    support, as for an inferred secondary (its score and strong score at least
    secondary_min_score and secondary_min_strong, and secondary_min_ratio of the hint's
    own score), with its evidence; else (None, None)."""
    tax = taxonomy or load_sector_taxonomy()
    ranked, contributions, _, strong = _ranked(company, texts, tax)
    reference = dict(ranked).get(hint, 0.0)
    code, score = next(((c, v) for c, v in ranked if c != hint), (None, 0.0))
    if code is None or not _supported(
        code, score, reference, strong, tax.decision.secondary_min_ratio, tax.decision
    ):
        return None, None
    return code, _evidence(code, contributions[code], top=3)


def tag_company_sector(company: str, hint: str | None, texts: Sequence[str]) -> SectorTag:
    """The registry's sector hint when it is a valid code, else inferred from texts.

    With a hint, a secondary sector is still inferred from the postings when they clearly
    support one that differs from the hint (its basis is `inferred`, said in the evidence).
    """
    code = hint.strip().lower() if hint else None
    if code in SECTOR_CODES:
        secondary, why = hinted_secondary(company, code, texts) if texts else (None, None)
        evidence = f"registry hint: {code}"
        if secondary is not None:
            evidence += f"; secondary inferred from postings: {why}"
        return SectorTag(code, secondary, "registry", evidence)
    return infer_sector(company, texts)
