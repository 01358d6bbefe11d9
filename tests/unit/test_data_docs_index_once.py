"""The Data Docs index, the dearest page, is rendered once a run: by the run's last GX check,
or by a check that fails; validations before it leave the index alone."""

import re
from pathlib import Path

import dagster as dg
import pytest

from pipelines.checks.gx_suites import data_docs_index, render_data_docs_index, validate
from pipelines.checks.quality import GX_CHECKS, later_gx_check_planned


def indexed_runs(docs: Path, suite: str) -> set[str]:
    index = data_docs_index(docs).read_text(encoding="utf-8")
    return set(re.findall(rf"validations/{suite}/[^/\"]+/([0-9T.]+Z)/", index))


def stored_runs(docs: Path, suite: str) -> set[str]:
    folder = docs / "gx" / "uncommitted" / "validations" / suite
    return {path.name for path in folder.glob("*/*")}


def test_a_validation_can_leave_the_index_to_a_later_render(con, tmp_path: Path) -> None:
    docs = tmp_path / "quality"
    validate(con, "staging", docs_root=docs)
    first = stored_runs(docs, "staging")
    assert indexed_runs(docs, "staging") == first

    outcome = validate(con, "staging", docs_root=docs, render_index=False)
    both = stored_runs(docs, "staging")
    assert len(both) == 2
    assert indexed_runs(docs, "staging") == first  # not listed yet
    pages = (data_docs_index(docs).parent / "validations" / "staging").glob("*/*/*.html")
    assert {page.parent.name for page in pages} == both  # its own page is there

    render_data_docs_index(docs, outcome)
    assert indexed_runs(docs, "staging") == both

    in_memory = validate(con, "staging")
    with pytest.raises(ValueError, match="staging: validated without a docs root"):
        render_data_docs_index(docs, in_memory)


def planned_by_layer(selection: list[str] | None = None) -> dict[str, bool]:
    """What later_gx_check_planned says in each check of a small real Dagster run whose
    checks carry the GX check names, one asset a layer."""
    seen: dict[str, bool] = {}

    def layer_asset(layer: str) -> dg.AssetsDefinition:
        @dg.asset(name=f"{layer}_layer")
        def _asset() -> None:
            return None

        return _asset

    assets = {layer: layer_asset(layer) for layer in GX_CHECKS}

    def layer_check(layer: str) -> dg.AssetChecksDefinition:
        @dg.asset_check(asset=assets[layer], name=GX_CHECKS[layer])
        def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
            seen[layer] = later_gx_check_planned(context, layer)
            return dg.AssetCheckResult(passed=True)

        return _check

    result = dg.materialize(
        [*assets.values(), *(layer_check(layer) for layer in GX_CHECKS)],
        selection=selection,
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    return seen


def test_only_the_last_gx_check_of_a_run_is_told_it_is_last() -> None:
    assert planned_by_layer() == {"staging": True, "core": True, "tags": True, "marts": False}
    # a run of the first two layers: its core check renders the index
    assert planned_by_layer(["staging_layer", "core_layer"]) == {"staging": True, "core": False}
    assert planned_by_layer(["tags_layer"]) == {"tags": False}


def test_a_run_whose_plan_cannot_be_read_renders_the_index() -> None:
    from types import SimpleNamespace

    # a Dagster whose job has no asset graph where this one has it
    context = SimpleNamespace(
        run=SimpleNamespace(asset_check_selection=None, asset_selection=None),
        job_def=SimpleNamespace(asset_layer=SimpleNamespace()),
    )
    assert later_gx_check_planned(context, "staging") is False
