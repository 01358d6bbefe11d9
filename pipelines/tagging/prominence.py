"""Company prominence: household, known or unheard (the default).

The registry's hint wins. Otherwise the company's name or homepage is looked up in
famous_employers.yaml: names compared after normalization (lower case, accents,
punctuation and legal suffixes removed, with and without spaces), homepages by domain,
and near-identical names (rapidfuzz ratio >= 95 on names of 6+ letters) as a last resort.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from rapidfuzz import fuzz, process

from pipelines.tagging.skills import TAXONOMY_DIR, TaxonomyError, read_taxonomy, string_list, where
from warehouse.codes import PROMINENCE_CODES

FAMOUS_EMPLOYERS_PATH = TAXONOMY_DIR / "famous_employers.yaml"
LISTS = ("household", "known")  # checked in this order: household wins a tie
FUZZY_THRESHOLD = 95.0
FUZZY_MIN_LENGTH = 6

_LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "gmbh", "mbh", "corp",
     "corporation", "co", "company", "plc", "ag", "sa", "sas", "sarl", "srl", "spa", "bv",
     "nv", "pbc", "pty", "ab", "oy", "as", "asa", "kk", "se", "ug"}
)  # fmt: skip
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


@dataclass(frozen=True)
class ProminenceTag:
    prominence: str
    basis: str
    evidence: str


def normalize_company(name: str) -> str:
    """'The Acme Co., Inc.' -> 'acme'; 'Iodine%20Software' -> 'iodine software'."""
    text = unicodedata.normalize("NFKD", unquote(name)).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace(".", "")  # "S.A." -> "sa"
    words = _NON_WORD.sub(" ", text).split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def homepage_host(homepage: str) -> str | None:
    """'https://www.Acme.com/about' -> 'acme.com'."""
    text = homepage.strip().lower()
    if not text:
        return None
    if "//" not in text:
        text = "//" + text
    host = urlsplit(text).hostname or ""
    host = host.removeprefix("www.")
    return host or None


@dataclass(frozen=True)
class _Employer:
    listed_in: str
    name: str


class FamousEmployers:
    """The famous-employer lists, indexed by normalized name and by domain."""

    def __init__(self, entries: list[tuple[str, str, list[str], list[str]]]) -> None:
        self.by_key: dict[str, _Employer] = {}
        self.by_domain: dict[str, _Employer] = {}
        for listed_in, name, aliases, domains in entries:
            employer = _Employer(listed_in, name)
            for alias in (name, *aliases):
                key = normalize_company(alias).replace(" ", "")
                if key:
                    self.by_key.setdefault(key, employer)
            for domain in domains:
                self.by_domain.setdefault(domain, employer)
        self._fuzzy_keys = [k for k in self.by_key if len(k) >= FUZZY_MIN_LENGTH]

    def count(self, listed_in: str) -> int:
        return len({e.name for e in self.by_key.values() if e.listed_in == listed_in})

    def find(self, company: str, homepage: str | None = None) -> tuple[_Employer, str] | None:
        """The listed employer and how it matched, or None."""
        key = normalize_company(company).replace(" ", "") if company else ""
        if key and key in self.by_key:
            return self.by_key[key], "name"
        host = homepage_host(homepage) if homepage else None
        if host:
            labels = host.split(".")
            for i in range(len(labels) - 1):
                employer = self.by_domain.get(".".join(labels[i:]))
                if employer is not None:
                    return employer, f"domain {host}"
        if len(key) >= FUZZY_MIN_LENGTH:
            best = process.extractOne(
                key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD
            )
            if best is not None:
                return self.by_key[best[0]], f"near name {best[0]!r} ({best[1]:.0f})"
        return None


@functools.lru_cache(maxsize=4)
def load_famous_employers(path: Path = FAMOUS_EMPLOYERS_PATH) -> FamousEmployers:
    """Read and validate famous_employers.yaml; TaxonomyError names the bad entry."""
    data = read_taxonomy(path)
    if not isinstance(data, dict) or any(not isinstance(data.get(k), list) for k in LISTS):
        raise TaxonomyError(f"{path.name}: expected top-level 'household:' and 'known:' lists")
    entries: list[tuple[str, str, list[str], list[str]]] = []
    claimed: dict[str, str] = {}
    for listed_in in LISTS:
        for number, entry in enumerate(data[listed_in], start=1):
            name, aliases, domains = _parse_employer(path, listed_in, number, entry)
            for alias in (name, *aliases):
                key = normalize_company(alias).replace(" ", "")
                if not key:
                    raise TaxonomyError(f"{where(path, entry)}: {name!r}: empty name {alias!r}")
                _claim(path, entry, claimed, f"name {key!r}", name)
            for domain in domains:
                _claim(path, entry, claimed, f"domain {domain!r}", name)
            entries.append((listed_in, name, aliases, domains))
    return FamousEmployers(entries)


def _claim(path: Path, entry: Any, claimed: dict[str, str], what: str, name: str) -> None:
    owner = claimed.setdefault(what, name)
    if owner != name:
        raise TaxonomyError(f"{where(path, entry)}: {name!r}: {what} already belongs to {owner!r}")


def _parse_employer(
    path: Path, listed_in: str, number: int, entry: Any
) -> tuple[str, list[str], list[str]]:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise TaxonomyError(f"{where(path, entry)}: {listed_in} entry #{number} has no 'name'")
    name = entry["name"].strip()
    unknown = set(entry) - {"name", "aliases", "domains", "__line__"}
    if unknown:
        raise TaxonomyError(f"{where(path, entry)}: {name!r}: unknown keys {sorted(unknown)}")
    aliases = string_list(path, entry, "aliases", repr(name))
    domains = [d.lower() for d in string_list(path, entry, "domains", repr(name))]
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise TaxonomyError(
                f"{where(path, entry)}: {name!r}: {domain!r} is not a domain (like acme.com)"
            )
    return name, aliases, domains


def classify_prominence(
    company: str, homepage: str | None = None, hint: str | None = None
) -> ProminenceTag:
    """household / known / unheard, with its basis and evidence."""
    if hint is not None and hint.strip().lower() in PROMINENCE_CODES:
        return ProminenceTag(hint.strip().lower(), "registry", f"registry hint: {hint.strip()}")
    found = load_famous_employers().find(company, homepage)
    if found is not None:
        employer, how = found
        return ProminenceTag(
            employer.listed_in, "rule", f"{employer.listed_in} list: {employer.name} ({how})"
        )
    return ProminenceTag("unheard", "rule", "not on a famous-employer list")
