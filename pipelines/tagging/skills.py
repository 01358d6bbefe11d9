"""Skill tagging, and the phrase matching every tagger shares.

`PhraseIndex` is one Aho-Corasick automaton over lower-cased text with a word-boundary
filter: a phrase matches only where it starts and ends at a word boundary, so "R" never
matches inside "React" nor "Go" inside "Google" (a hyphen before a phrase glues it to the
word before: "cutting-edge AI" does not contain "edge AI", "X-ray" does not contain
"Ray"). Phrases listed as *exact* must also match the text case-sensitively ("dbt" the
tool, not "DBT" the therapy).

The taxonomies are YAML files read by `read_taxonomy`, which records the line of every
mapping so that loaders can name the bad line of a bad entry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import ahocorasick_rs
import yaml

from pipelines.cleaning.currencies import ISO_CURRENCIES
from pipelines.cleaning.literals import find_literals
from warehouse import SafeLoader

TAXONOMY_DIR = Path(__file__).resolve().parents[2] / "warehouse" / "taxonomies"
SKILLS_PATH = TAXONOMY_DIR / "skills.yaml"
SKILL_CATEGORIES = frozenset(
    {"language", "framework", "ml_method", "data_tool", "cloud_infra", "domain"}
)
MIN_CASELESS_ALIAS = 3  # shorter forms are too ambiguous without case: put them in `exact`
LINE_KEY = "__line__"

T = TypeVar("T")


class TaxonomyError(ValueError):
    """A taxonomy file is malformed; the message names the file, line and entry."""


# ----------------------------------------------------------------------------- YAML


class _LineLoader(SafeLoader):
    """A safe loader (libyaml's parser when PyYAML has it) that stores each mapping's
    1-based line under LINE_KEY."""


def _construct_mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_with_line
)


def read_taxonomy(path: Path) -> Any:
    """Parse a taxonomy YAML file; every mapping carries its line under LINE_KEY."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path.name}: not valid YAML: {exc}") from exc


def where(path: Path, entry: Any) -> str:
    """'file.yaml line N' for an entry read by read_taxonomy."""
    line = entry.get(LINE_KEY) if isinstance(entry, dict) else None
    return f"{path.name} line {line}" if line else path.name


def string_list(path: Path, entry: dict[str, Any], key: str, label: str) -> list[str]:
    """entry[key] as a list of non-empty strings (missing -> []), else TaxonomyError."""
    value = entry.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TaxonomyError(f"{where(path, entry)}: {label}: {key!r} must be a list of strings")
    return [v.strip() for v in value]


# ----------------------------------------------------------------------------- matching


def normalize_space(text: str) -> str:
    """Collapse whitespace runs to one space, so phrases match across line breaks."""
    return " ".join(text.split())


_ODD_SPACES = ("\n", "\r", "\t", "\xa0", "\u2009", "\u202f")


def one_line(text: str) -> str:
    """Line breaks and odd spaces as plain spaces, keeping the length: much cheaper than
    normalize_space (str.translate is slower still), and enough for phrases, which never
    span paragraphs."""
    for char in _ODD_SPACES:
        if char in text:
            text = text.replace(char, " ")
    return text


_ASCII_BYTES = bytes(range(128))


def lower_same_length(text: str) -> str:
    """text.lower(), keeping every index aligned with the original text."""
    if not text.isascii():
        # str.lower is slow on non-ASCII strings (a Unicode table lookup per character);
        # lowering the UTF-8 bytes lowers the ASCII letters only, which is text.lower()
        # exactly when no other character has a lower case: multi-byte UTF-8 sequences
        # hold no ASCII bytes, so deleting those leaves the other characters intact.
        encoded = text.encode("utf-8", "surrogatepass")
        others = encoded.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        if others.lower() == others:
            return encoded.lower().decode("utf-8", "surrogatepass")
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters ("İ") lower to two; keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _joins_before(char: str) -> bool:
    """A character that glues a word to what follows: 'X-ray', 'cutting-edge AI'."""
    return char.isalnum() or char in "_-"


@dataclass(frozen=True)
class _Form(Generic[T]):
    payload: T
    exact: str | None  # the case-sensitive spelling, or None for caseless


class PhraseIndex(Generic[T]):
    """Word-boundary phrase matching over text with one Aho-Corasick automaton."""

    def __init__(
        self,
        caseless: Iterable[tuple[str, T]],
        exact: Iterable[tuple[str, T]] = (),
    ) -> None:
        forms: dict[str, list[_Form[T]]] = {}
        for phrase, payload in caseless:
            self._add(forms, normalize_space(phrase.strip()).lower(), payload, None)
        for phrase, payload in exact:
            spelled = normalize_space(phrase.strip())
            self._add(forms, spelled.lower(), payload, spelled)
        # Plain tuples, read in the hot loop of finditer: (check the start, check the end,
        # ((payload, exact spelling or None), ...)). A phrase starting (ending) with a word
        # character must start (end) at a word boundary.
        self._keys = list(forms)
        self._values = [
            (
                _is_word_char(key[0]),
                _is_word_char(key[-1]),
                tuple((f.payload, f.exact) for f in forms[key]),
            )
            for key in self._keys
        ]
        # ahocorasick-rs (Rust) scans a posting in about half pyahocorasick's time, with the
        # same overlapping matches in the same order (checked over the 5,586 real postings)
        self._automaton = ahocorasick_rs.AhoCorasick(self._keys) if self._keys else None

    def __getstate__(self) -> dict[str, Any]:
        # the Rust automaton does not pickle; a process it is sent to builds it again
        return {"_keys": self._keys, "_values": self._values}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._keys, self._values = state["_keys"], state["_values"]
        self._automaton = ahocorasick_rs.AhoCorasick(self._keys) if self._keys else None

    @staticmethod
    def _add(forms: dict[str, list[_Form[T]]], key: str, payload: T, exact: str | None) -> None:
        if key:
            forms.setdefault(key, []).append(_Form(payload, exact))

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[tuple[int, int, T]]:
        """Yield (start, end, payload) for every boundary-respecting match in text.

        Multi-word phrases match across single spaces, so pass text through one_line or
        normalize_space first; `lowered` may be passed when the caller already has
        lower_same_length(text).
        """
        if self._automaton is None or not text:
            return
        if lowered is None:
            lowered = lower_same_length(text)
        size = len(text)
        # The checks of _joins_before and _is_word_char, inlined: this loop runs for every
        # raw match of the automaton, and most are rejected here.
        values = self._values
        for index, start, end in find_literals(self._automaton, lowered, overlapping=True):
            check_start, check_end, forms = values[index]
            if check_start and start > 0:
                before = text[start - 1]
                if before.isalnum() or before == "_" or before == "-":
                    continue
            if check_end and end < size:
                after = text[end]
                if after.isalnum() or after == "_":
                    continue
            for payload, exact in forms:
                if exact is None or text[start:end] == exact:
                    yield start, end, payload


# ----------------------------------------------------------------------------- skills


@dataclass(frozen=True)
class SkillHit:
    skill: str
    category: str
    evidence: str  # the matched words as written in the text


@dataclass(frozen=True)
class Skill:
    skill: str
    category: str
    aliases: tuple[str, ...]
    exact: tuple[str, ...]
    # what, right after a form, makes it another word: "Excel at" is the verb,
    # "/Go-to-Market" not the language (lower case, compared case-insensitively)
    not_followed_by: tuple[str, ...] = ()


_EVIDENCE_TRIM = " ,/()"
# A skill written like a currency code ("CAD" design, "PHP") is money, not the skill, next
# to an amount: "$90,000 CAD", "CAD 90k", "550 PHP an hour".
_AMOUNT_BEFORE = re.compile(r"\d[\d,.]*\s?[kKmM]?\s?$")
_AMOUNT_AFTER = re.compile(r"^\s?[$€£¥₹₱]?\s?\d")


class SkillMatcher:
    """Finds the skills of skills.yaml in a text: one hit per skill, first mention wins."""

    def __init__(self, skills: Iterable[Skill]) -> None:
        self.skills: tuple[Skill, ...] = tuple(skills)
        # the skills with a form that is also a currency code: their hits are checked for money
        self._money_like = frozenset(
            i
            for i, skill in enumerate(self.skills)
            if any(f.upper() in ISO_CURRENCIES for f in (*skill.aliases, *skill.exact))
        )
        self._not_followed = {
            i: skill.not_followed_by for i, skill in enumerate(self.skills) if skill.not_followed_by
        }
        self._index: PhraseIndex[int] = PhraseIndex(
            ((alias, i) for i, s in enumerate(self.skills) for alias in s.aliases),
            ((form, i) for i, s in enumerate(self.skills) for form in s.exact),
        )

    @classmethod
    def load(cls, path: Path | str | None = None) -> SkillMatcher:
        """The matcher for a skills file (default warehouse/taxonomies/skills.yaml), cached."""
        return _load_matcher(Path(path) if path is not None else SKILLS_PATH)

    def match(self, text: str | None) -> list[SkillHit]:
        if not text:
            return []
        text = one_line(text)
        seen: set[int] = set()
        hits: list[SkillHit] = []
        for start, end, index in self._index.finditer(text):
            if index in seen:
                continue
            if index in self._money_like and _is_money(text, start, end):
                continue  # a later mention may still be the skill
            if index in self._not_followed and text[end : end + 16].lower().startswith(
                self._not_followed[index]
            ):
                continue
            seen.add(index)
            skill = self.skills[index]
            evidence = text[start:end].strip(_EVIDENCE_TRIM) or text[start:end]
            hits.append(SkillHit(skill.skill, skill.category, evidence))
        return hits


def _is_money(text: str, start: int, end: int) -> bool:
    """A currency code with an amount just before or after it."""
    if text[start:end].upper() not in ISO_CURRENCIES:
        return False
    return bool(
        _AMOUNT_BEFORE.search(text, max(0, start - 16), start)
        or _AMOUNT_AFTER.match(text[end : end + 6])
    )


@functools.lru_cache(maxsize=8)
def _load_matcher(path: Path) -> SkillMatcher:
    return SkillMatcher(load_skills(path))


def load_skills(path: Path = SKILLS_PATH) -> list[Skill]:
    """Read and validate skills.yaml; TaxonomyError names the bad line and entry."""
    data = read_taxonomy(path)
    if not isinstance(data, dict) or not isinstance(data.get("skills"), list):
        raise TaxonomyError(f"{path.name}: expected a top-level 'skills:' list")
    skills: list[Skill] = []
    owner_of: dict[tuple[str, bool], str] = {}  # (form, is_exact) -> skill that claimed it
    for number, entry in enumerate(data["skills"], start=1):
        skill = _parse_skill(path, number, entry)
        if any(s.skill.lower() == skill.skill.lower() for s in skills):
            raise TaxonomyError(f"{where(path, entry)}: skill {skill.skill!r} is listed twice")
        forms = [(a.lower(), False) for a in skill.aliases] + [(e, True) for e in skill.exact]
        for form in forms:
            other = owner_of.setdefault(form, skill.skill)
            if other != skill.skill:
                raise TaxonomyError(
                    f"{where(path, entry)}: skill {skill.skill!r}: alias {form[0]!r} "
                    f"already belongs to {other!r}"
                )
        skills.append(skill)
    return skills


_SKILL_KEYS = {"skill", "category", "aliases", "exact", "match_name", "not_followed_by", LINE_KEY}


def _parse_skill(path: Path, number: int, entry: Any) -> Skill:
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{path.name}: entry #{number} is not a mapping")
    name = entry.get("skill")
    if not isinstance(name, str) or not name.strip():
        raise TaxonomyError(f"{where(path, entry)}: entry #{number} has no 'skill' name")
    name = name.strip()
    label = f"skill {name!r}"
    unknown = set(entry) - _SKILL_KEYS
    if unknown:
        raise TaxonomyError(f"{where(path, entry)}: {label}: unknown keys {sorted(unknown)}")
    category = entry.get("category")
    if category not in SKILL_CATEGORIES:
        raise TaxonomyError(
            f"{where(path, entry)}: {label}: category {category!r} is not one of "
            f"{sorted(SKILL_CATEGORIES)}"
        )
    match_name = entry.get("match_name", True)
    if not isinstance(match_name, bool):
        raise TaxonomyError(f"{where(path, entry)}: {label}: match_name must be true or false")
    aliases = string_list(path, entry, "aliases", label)
    exact = string_list(path, entry, "exact", label)
    if match_name:
        aliases = [name, *aliases]
    for alias in aliases:
        if len(alias) < MIN_CASELESS_ALIAS:
            hint = "set match_name: false and " if alias == name else ""
            raise TaxonomyError(
                f"{where(path, entry)}: {label}: alias {alias!r} is shorter than "
                f"{MIN_CASELESS_ALIAS} characters: {hint}list it under 'exact'"
            )
    if not aliases and not exact:
        raise TaxonomyError(f"{where(path, entry)}: {label}: nothing to match (no aliases)")
    string_list(path, entry, "not_followed_by", label)  # validates; spaces are meaningful
    followers = entry.get("not_followed_by") or []
    if any(len(f) > 16 for f in followers):
        raise TaxonomyError(
            f"{where(path, entry)}: {label}: not_followed_by entries are at most 16 characters"
        )
    unique_aliases = tuple(dict.fromkeys(a.lower() for a in aliases))
    return Skill(
        name,
        category,
        unique_aliases,
        tuple(dict.fromkeys(exact)),
        tuple(dict.fromkeys(f.lower() for f in followers)),
    )
