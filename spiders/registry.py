"""The sources registry: one YAML entry per company job board, validated on load.

A bad entry is a clear error naming the file, the entry and the field, so a typo in a
registry a user edits by hand never turns into a silent skip.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from warehouse import load_yaml
from warehouse.codes import PROMINENCE_CODES, SECTOR_CODES

# families whose endpoint cannot be built from a token alone
URL_REQUIRED = ("schemaorg", "rss")

Family = Literal[
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "recruitee",
    "personio",
    "workday",
    "schemaorg",
    "rss",
]


class RegistryError(ValueError):
    """A registry file or entry is invalid; the message names file, entry and field."""


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    company: str
    family: Family
    token: str
    url: str | None = None
    homepage: str | None = None
    sector: str | None = None
    prominence: str | None = None
    note: str | None = None

    @field_validator("company", "token")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value or not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("token")
    @classmethod
    def _token_is_safe(cls, value: str) -> str:
        # tokens become URL path segments and file names: no traversal, no spaces
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._%/-]*", value) or ".." in value:
            raise ValueError(f"{value!r} is not a valid board token")
        return value

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://[^/\s]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str | None) -> str | None:
        if value is not None and value not in SECTOR_CODES:
            raise ValueError(f"{value!r} is not a sector code ({', '.join(SECTOR_CODES)})")
        return value

    @field_validator("prominence")
    @classmethod
    def _known_prominence(cls, value: str | None) -> str | None:
        if value is not None and value not in PROMINENCE_CODES:
            raise ValueError(f"{value!r} is not one of {', '.join(PROMINENCE_CODES)}")
        return value

    @property
    def key(self) -> str:
        return f"{self.family}:{self.token}"


def load_sources(path: str | Path) -> list[Source]:
    """Load and validate a registry file; raise RegistryError naming what is wrong."""
    path = Path(path)
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise RegistryError(f"{path}: sources registry not found") from error
    except yaml.YAMLError as error:
        raise RegistryError(f"{path}: not valid YAML: {error}") from error
    entries = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: expected a top-level 'sources:' list")
    return parse_sources(entries, origin=str(path))


def parse_sources(entries: Sequence[object], origin: str = "<registry>") -> list[Source]:
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        label = _entry_label(entry, index)
        if not isinstance(entry, dict):
            raise RegistryError(
                f"{origin}: {label}: expected a mapping, got {type(entry).__name__}"
            )
        try:
            source = Source.model_validate(entry)
        except ValidationError as error:
            problems = "; ".join(
                f"field '{'.'.join(str(p) for p in e['loc']) or '?'}': {e['msg']}"
                for e in error.errors()
            )
            raise RegistryError(f"{origin}: {label}: {problems}") from None
        if source.family in URL_REQUIRED and not source.url:
            raise RegistryError(
                f"{origin}: {label}: field 'url': required for family {source.family}"
            )
        if source.key in seen:
            first = seen[source.key]
            raise RegistryError(
                f"{origin}: {label}: field 'token': duplicates entry #{first} ({source.key})"
            )
        seen[source.key] = index
        sources.append(source)
    return sources


def _entry_label(entry: object, index: int) -> str:
    if isinstance(entry, dict) and entry.get("company"):
        return f"entry #{index} ({entry['company']})"
    return f"entry #{index}"
