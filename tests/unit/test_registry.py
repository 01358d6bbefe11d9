"""The sources registry loader names the file, the entry and the field of a bad entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.paths import DEFAULT_SOURCES
from spiders.registry import RegistryError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_registry_and_demo_registry_load() -> None:
    assert len(load_sources(DEFAULT_SOURCES)) >= 150
    demo = load_sources(Path("pipelines/demo/demo_sources.yaml"))
    assert {s.family for s in demo} == {"greenhouse", "lever", "ashby"}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("  - {company: Acme, family: bamboohr, token: acme}", "entry #1 (Acme): field 'family'"),
        ("  - {company: Acme, family: lever}", "entry #1 (Acme): field 'token'"),
        ("  - {company: Acme, family: lever, token: '../etc'}", "field 'token'"),
        ("  - {company: Acme, family: lever, token: acme, sector: fintech}", "field 'sector'"),
        ("  - {company: Acme, family: rss, token: acme}", "field 'url': required"),
        ("  - {company: Acme, family: lever, token: acme, url: 'ftp://x'}", "field 'url'"),
        ("  - {company: Acme, family: lever, token: acme, colour: red}", "field 'colour'"),
    ],
)
def test_bad_entries_are_named(tmp_path: Path, entry: str, expected: str) -> None:
    path = write(tmp_path, f"sources:\n{entry}\n")
    with pytest.raises(RegistryError) as error:
        load_sources(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_duplicates_and_shape_errors(tmp_path: Path) -> None:
    dup = write(
        tmp_path,
        "sources:\n  - {company: A, family: lever, token: a}\n"
        "  - {company: B, family: lever, token: a}\n",
    )
    with pytest.raises(RegistryError, match=r"entry #2 \(B\): field 'token': duplicates entry #1"):
        load_sources(dup)
    with pytest.raises(RegistryError, match="top-level 'sources:' list"):
        load_sources(write(tmp_path, "boards: []\n"))
    with pytest.raises(RegistryError, match="not found"):
        load_sources(tmp_path / "nope.yaml")
