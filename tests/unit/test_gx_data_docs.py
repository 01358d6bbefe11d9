"""The Data Docs of real file-backed GX validations: each result gets its page, the suite's
page is rendered again only when the suite changed, and old results are pruned so the
index (which GX renders from every stored result) stays the size of a few runs."""

import os
import re
from pathlib import Path

import pytest

from pipelines.checks import gx_suites
from pipelines.checks.gx_suites import data_docs_index, suite_page, validate


def stored_results(docs: Path, suite: str) -> list[Path]:
    return sorted((docs / "gx" / "uncommitted" / "validations" / suite).glob("*/*/*.json"))


def indexed_results(docs: Path, suite: str) -> set[str]:
    index = data_docs_index(docs).read_text(encoding="utf-8")
    return set(re.findall(rf"validations/{suite}/[^/\"]+/([0-9T.]+Z)/", index))


def test_results_beyond_the_kept_runs_leave_the_store_and_the_index(
    con, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gx_suites, "DOCS_RUNS_KEPT", 2)
    docs = tmp_path / "quality"
    for _ in range(4):
        assert validate(con, "staging", docs_root=docs).passed
    kept = stored_results(docs, "staging")
    assert len(kept) == 2
    run_times = {path.parent.name for path in kept}
    assert indexed_results(docs, "staging") == run_times
    pages = (data_docs_index(docs).parent / "validations" / "staging").glob("*/*/*.html")
    assert {page.parent.name for page in pages} == run_times


def test_the_suite_page_is_rendered_again_only_when_the_suite_changed(con, tmp_path: Path) -> None:
    docs = tmp_path / "quality"
    validate(con, "staging", docs_root=docs)
    page = suite_page(docs, "staging")
    assert page.exists() and "staging" in page.read_text(encoding="utf-8")

    os.utime(page, (1_000_000_000, 1_000_000_000))  # older than the suite's file (2001)
    validate(con, "staging", docs_root=docs)
    rendered_again = page.stat().st_mtime
    assert rendered_again > 1_000_000_000

    validate(con, "staging", docs_root=docs)  # the suite did not change since
    assert page.stat().st_mtime == rendered_again
    assert len(indexed_results(docs, "staging")) == 3


def test_a_process_compiles_the_data_docs_templates_once(
    con, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from pipelines.checks.data_docs_views import TEMPLATES

    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001, ANN202
        compiled.append(name)
        return compile_template(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    TEMPLATES.clear()
    docs = tmp_path / "quality"
    assert validate(con, "staging", docs_root=docs).passed
    first = len(compiled)
    assert first > 0 and len(TEMPLATES) > 0
    # the next result's page and the index: GX makes new views, the templates are reused
    assert validate(con, "staging", docs_root=docs).passed
    assert len(compiled) == first
    assert len(indexed_results(docs, "staging")) == 2


def test_a_project_with_gx_default_site_gets_the_cached_views(tmp_path: Path) -> None:
    import great_expectations as gx

    docs = tmp_path / "quality"
    docs.mkdir()
    default = gx.get_context(mode="file", project_root_dir=str(docs))
    assert default.variables.data_docs_sites["local_site"] == gx_suites.DEFAULT_DOCS_SITE
    assert gx_suites._file_context(docs).variables.data_docs_sites["local_site"] == (
        gx_suites.docs_site()
    )
    project = (docs / "gx" / "great_expectations.yml").read_text(encoding="utf-8")
    assert project.count("class_name: CachedJinjaPageView") == 3
    assert "class_name: CachedJinjaIndexPageView" in project


def test_views_that_cannot_be_imported_leave_gx_default_site(
    con, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gx_suites, "DOCS_VIEWS", "pipelines.checks.no_such_views")
    assert gx_suites.docs_site() == gx_suites.DEFAULT_DOCS_SITE
    docs = tmp_path / "quality"
    # the check still validates and renders its pages, with GX's own views
    assert validate(con, "staging", docs_root=docs).passed
    assert indexed_results(docs, "staging")
    project = (docs / "gx" / "great_expectations.yml").read_text(encoding="utf-8")
    assert "CachedJinja" not in project


def test_the_projects_custom_styles_reach_every_page(con, tmp_path: Path) -> None:
    docs = tmp_path / "quality"
    assert validate(con, "staging", docs_root=docs).passed
    styles = docs / "gx" / "plugins" / "custom_data_docs" / "styles"
    (styles / "data_docs_custom_styles.css").write_text(
        ".unheard-test-rule { color: teal; }\n", encoding="utf-8"
    )
    assert validate(con, "staging", docs_root=docs).passed
    index = data_docs_index(docs)
    newest = max((index.parent / "validations" / "staging").glob("*/*/*.html"))
    for page in (index, newest):
        assert ".unheard-test-rule { color: teal; }" in page.read_text(encoding="utf-8"), page


def project_settings(docs: Path) -> dict:
    import yaml

    return yaml.safe_load((docs / "gx" / "great_expectations.yml").read_text(encoding="utf-8"))


def test_the_project_stops_reading_a_config_variables_file_that_holds_none(
    con, tmp_path: Path
) -> None:
    # GX parsed uncommitted/config_variables.yml ~90 times a validation for its instance id
    docs = tmp_path / "quality"
    assert validate(con, "staging", docs_root=docs).passed
    settings = project_settings(docs)
    assert settings["config_variables_file_path"] is None
    context_id = settings["data_context_id"]
    assert context_id
    assert validate(con, "staging", docs_root=docs).passed  # the project still loads
    assert project_settings(docs)["data_context_id"] == context_id


def test_a_config_variables_file_with_variables_stays_in_use(con, tmp_path: Path) -> None:
    import great_expectations as gx

    docs = tmp_path / "quality"
    assert validate(con, "staging", docs_root=docs).passed
    variables = docs / "gx" / "uncommitted" / "config_variables.yml"
    variables.write_text("instance_id: abc\nwarehouse_password: s3cret\n", encoding="utf-8")
    context = gx.get_context(mode="file", project_root_dir=str(docs))
    context.variables.config_variables_file_path = "uncommitted/config_variables.yml"
    context.variables.save()
    assert validate(con, "staging", docs_root=docs).passed
    kept = project_settings(docs)["config_variables_file_path"]
    assert kept == "uncommitted/config_variables.yml"


def test_gx_does_not_hash_the_validated_frame(con, tmp_path: Path) -> None:
    # a batch marker nothing reads, which cost 0.1-0.2 s a check per 100k rows
    import json

    docs = tmp_path / "quality"
    assert validate(con, "staging", docs_root=docs).passed
    [stored] = stored_results(docs, "staging")
    markers = json.loads(stored.read_text(encoding="utf-8"))["meta"]["batch_markers"]
    assert "ge_load_time" in markers  # the markers GX keeps are still there
    assert "pandas_data_fingerprint" not in markers
