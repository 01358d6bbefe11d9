"""The benchmark's bookkeeping: the incremental day runs twice from one state, so the copy
`unheard build` runs on must be independent of the original except for the raw lake a build
only reads; and a run's results never overwrite an earlier run's."""

from pathlib import Path

from benchmarks.bench_pipeline import copy_state, default_results_file


def test_the_copy_shares_the_raw_lake_and_nothing_else(tmp_path: Path) -> None:
    data = tmp_path / "n100"
    (data / "raw" / "manifests").mkdir(parents=True)
    (data / "raw" / "manifests" / "day1.json").write_text("{}")
    (data / "warehouse").mkdir()
    (data / "warehouse" / "unheard.duckdb").write_bytes(b"published")
    (data / "dagster" / "history").mkdir(parents=True)

    copy = copy_state(data, tmp_path / "n100-scheduled")
    assert (copy / "raw").is_symlink()
    assert (copy / "raw" / "manifests" / "day1.json").read_text() == "{}"
    (copy / "warehouse" / "unheard.duckdb").write_bytes(b"rebuilt by the copy")
    assert (data / "warehouse" / "unheard.duckdb").read_bytes() == b"published"
    assert (copy / "dagster" / "history").is_dir() and not (copy / "dagster").is_symlink()

    # a second copy replaces the first whole
    (copy / "stale").write_text("from the last run")
    assert not (copy_state(data, copy) / "stale").exists()


def test_a_run_never_overwrites_earlier_results(tmp_path: Path) -> None:
    first = default_results_file(tmp_path)
    first.write_text("{}")
    second = default_results_file(tmp_path)
    assert second != first and second.name.endswith("-2.json") and not second.exists()
