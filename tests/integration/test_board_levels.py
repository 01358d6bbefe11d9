"""A board's level field, crawled for real, fills the seniority its titles leave unsaid."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.paths import DataPaths
from pipelines.runner import run_pipeline
from tests.conftest import one_board_sources


def test_a_workable_boards_levels_reach_the_marts(board_server, tmp_path: Path) -> None:
    sources = one_board_sources(
        tmp_path / "sources.yaml",
        board_server,
        "Tidewater Energy (demo)",
        "workable",
        "tidewater-energy-demo",
    )
    paths = DataPaths.at(tmp_path / "data")
    summary = run_pipeline(paths, sources=str(sources), as_of="2026-11-20T06:00:00Z")
    assert summary.published, summary
    con = duckdb.connect(str(paths.published_warehouse), read_only=True)
    found = {
        title: (seniority, basis, raw)
        for title, seniority, basis, raw in con.execute(
            "select title, seniority, seniority_basis, seniority_raw from marts.postings"
        ).fetchall()
    }
    assert found == {
        # the board's "Entry level" and "Associate" where the title names no level
        "Commercial Analyst, Energy Markets": ("junior", "stated", "Entry level"),
        "Power Systems Engineer": ("junior", "stated", "Associate"),
        # the title's "Senior" goes before the board's field
        "Senior Data Scientist, Battery Degradation": ("senior", "title", "Mid-Senior level"),
        # "Mid-Senior level" spans two levels: none is read, the field is kept
        "Machine Learning Engineer – Battery Dispatch Optimisation": (
            None, None, "Mid-Senior level",
        ),
        "Site Reliability Engineer": (None, None, "Mid-Senior level"),
    }  # fmt: skip
