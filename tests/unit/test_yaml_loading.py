"""YAML files are read with libyaml's parser (warehouse.SafeLoader) when PyYAML has it:
the documents must be exactly what the pure-Python safe loader reads, line numbers of the
taxonomies included, and its errors the same kind."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.paths import DEFAULT_SOURCES
from pipelines.tagging import skills
from warehouse import SUITES_DIR, TAXONOMIES_DIR, WAREHOUSE_DIR, SafeLoader, load_yaml

FILES = sorted(
    [
        *TAXONOMIES_DIR.glob("*.yaml"),
        *SUITES_DIR.glob("*.yaml"),
        WAREHOUSE_DIR / "marts" / "dictionary.yaml",
        DEFAULT_SOURCES,
    ]
)


def test_pyyaml_has_libyaml() -> None:
    # the wheels of PyYAML include it; without it the loaders below fall back to Python's
    assert SafeLoader is yaml.CSafeLoader


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_reads_as_the_python_safe_loader_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.safe_load(text)


def test_the_taxonomies_keep_their_line_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(TAXONOMIES_DIR.glob("*.yaml"))
    fast = [skills.read_taxonomy(path) for path in paths]

    class PythonLineLoader(yaml.SafeLoader):
        pass

    PythonLineLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, skills._construct_mapping_with_line
    )
    monkeypatch.setattr(skills, "_LineLoader", PythonLineLoader)
    assert fast == [skills.read_taxonomy(path) for path in paths]
    assert all(skills.LINE_KEY in document for document in fast)  # lines were recorded


def test_bad_yaml_raises_a_yaml_error() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("marts:\n  ml_jobs: [\n")
