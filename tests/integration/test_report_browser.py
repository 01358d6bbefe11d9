"""The report as a person sees it: `unheard demo`, render the report, open it in headless
Chromium (Debian's `chromium`, no downloaded browser) with the network cut off, and check
that the charts drew, nothing logged an error and the filters change the visible rows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.report import build_report
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS, PROJECT_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (dev extra)")
    folder = tmp_path_factory.mktemp("report-browser")
    data_dir = folder / "data"
    demo = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "demo", "--data-dir", str(data_dir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ),
    )
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    con = duckdb.connect(str(data_dir / "warehouse" / "unheard.duckdb"), read_only=True)
    try:
        return build_report(con, folder / "report" / "index.html")
    finally:
        con.close()


def test_report_renders_offline_in_chromium(report_file: Path, tmp_path: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    profile = tmp_path / "chromium-profile"  # a fresh --user-data-dir
    problems: list[str] = []
    outside: list[str] = []

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1366, "height": 900},
        )
        try:
            context.route("**/*", only_local)
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(report_file.as_uri())
            page.wait_for_selector("body[data-charts='done']", timeout=30_000)

            # every chart container drew an SVG with something in it
            charts = page.query_selector_all("[data-chart]")
            assert len(charts) >= 4, "expected the trend, new/closed, skills and salary charts"
            for chart in charts:
                name = chart.get_attribute("data-chart")
                assert chart.get_attribute("data-rendered") == "true", name
                svg = chart.query_selector("svg")
                assert svg is not None, f"chart {name} has no SVG"
                box = svg.bounding_box()
                assert box and box["width"] > 100 and box["height"] > 50, (name, box)
                assert chart.query_selector_all("svg path, svg rect, svg line"), name

            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)

            # the filters change the visible rows, and the count says so
            def visible_rows() -> list[dict[str, str]]:
                return page.eval_on_selector_all(
                    "tr[data-role]",
                    "rows => rows.filter(r => !r.hidden && r.offsetParent !== null)"
                    ".map(r => ({sector: r.dataset.sector, remote: r.dataset.remote,"
                    " country: r.dataset.country, seniority: r.dataset.seniority,"
                    " experience: r.dataset.experience, degree: r.dataset.degree}))",
                )

            everything = visible_rows()
            assert len(everything) > 1
            assert page.inner_text("#roles-shown") == str(len(everything))
            sectors = sorted(
                {row["sector"] for row in everything},
                key=lambda s: sum(r["sector"] == s for r in everything),
            )
            assert len(sectors) > 1, "the demo should span several sectors"
            page.select_option("#filter-sector", sectors[0])
            narrowed = visible_rows()
            assert 0 < len(narrowed) < len(everything)
            assert {row["sector"] for row in narrowed} == {sectors[0]}
            assert page.inner_text("#roles-shown") == str(len(narrowed))
            hidden_groups = page.eval_on_selector_all(
                "[data-sector-group]", "groups => groups.filter(g => g.hidden).length"
            )
            assert hidden_groups == len(sectors) - 1

            # two filters at once, then reset
            page.select_option("#filter-sector", "")
            remote = next(row["remote"] for row in everything)
            page.select_option("#filter-remote", remote)
            by_remote = visible_rows()
            assert by_remote and all(row["remote"] == remote for row in by_remote)
            page.click("button.reset[data-reset]")
            assert len(visible_rows()) == len(everything)
            # the years asked for: the demo's roles ask 3+ and 8+, or say nothing
            bands = {row["experience"] for row in everything}
            assert {"3-4", "8+"} <= bands
            page.select_option("#filter-experience", "8+")
            senior_asks = visible_rows()
            assert senior_asks and all(row["experience"] == "8+" for row in senior_asks)
            assert len(senior_asks) < len(everything)
            page.click("button.reset[data-reset]")
            # the degree required: the demo's speech research scientist asks for a PhD
            assert "doctorate" in {row["degree"] for row in everything}
            page.select_option("#filter-degree", "doctorate")
            doctorates = visible_rows()
            assert doctorates and all(row["degree"] == "doctorate" for row in doctorates)
            assert len(doctorates) < len(everything)
            page.click("button.reset[data-reset]")
            assert page.is_hidden("#no-match")
        finally:
            context.close()

    assert outside == [], f"the report reached for the network: {outside}"
    assert problems == [], f"console errors: {problems}"
    screenshot = tmp_path / "report.png"
    assert screenshot.stat().st_size > 50_000
    if target := os.environ.get("UNHEARD_REPORT_SCREENSHOT"):
        shutil.copyfile(screenshot, target)  # to look at it outside the test
