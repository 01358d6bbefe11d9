"""`unheard sources check` against the local server: a report per board, kept in the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.demo.fixture_server import Scripted
from tests.conftest import PROJECT_ROOT, write_sources


def test_sources_check_reports_and_lands_in_marts(board_server, tmp_path: Path) -> None:
    board_server.script(
        "/ashby/posting-api/job-board/clinica-scribe-demo", *[Scripted(403, "forbidden")] * 5
    )
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "company": "Gridwise",
                "family": "greenhouse",
                "token": "gridwise-demo",
                "url": board_server.url_for("greenhouse", "gridwise-demo"),
            },
            {
                "company": "Clinica",
                "family": "ashby",
                "token": "clinica-scribe-demo",
                "url": board_server.url_for("ashby", "clinica-scribe-demo"),
            },
            {
                "company": "Gone",
                "family": "lever",
                "token": "gone-demo",
                "url": board_server.url_for("lever", "gone-demo"),
            },
        ],
    )
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "UNHEARD_DATA_DIR": str(data_dir),
        "UNHEARD_START_DELAY": "0",
        "UNHEARD_DOWNLOAD_DELAY": "0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "sources", "check", "--sources", str(sources)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    lines = {
        line.split()[1]: line
        for line in result.stdout.splitlines()
        if line.split()[:1] and line.split()[0] in {"greenhouse", "ashby", "lever"}
    }
    assert "ok" in lines["gridwise-demo"] and "refused" in lines["clinica-scribe-demo"]
    assert "missing" in lines["gone-demo"]

    con = duckdb.connect(str(data_dir / "warehouse" / "unheard.duckdb"), read_only=True)
    rows = dict(con.execute("select board, outcome from marts.source_checks").fetchall())
    counts = con.execute(
        "select posting_count from marts.source_checks where board = 'gridwise-demo'"
    ).fetchall()
    con.close()
    assert rows == {"gridwise-demo": "ok", "clinica-scribe-demo": "refused", "gone-demo": "missing"}
    assert counts[0][0] > 0
