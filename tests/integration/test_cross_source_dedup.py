"""Across boards, the same role merges only when every signal agrees; each merge has a reason."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb

from pipelines.paths import DataPaths
from pipelines.runner import run_pipeline
from tests.conftest import write_sources


def test_same_role_on_two_boards_merges_and_near_misses_stay_apart(
    board_server, tmp_path: Path
) -> None:
    gridwise = json.loads(board_server.board_file("greenhouse", "gridwise-demo"))
    jobs = [j for j in gridwise["jobs"] if j["location"]["name"]]
    same, other_level, other_place, other_text = (copy.deepcopy(jobs[0]) for _ in range(4))
    for index, job in enumerate((same, other_level, other_place, other_text)):
        job["id"] = 9_000_000_000 + index
    other_level["title"] = other_level["title"] + " II"
    other_place["location"]["name"] = "Reykjavik, Iceland"
    other_text["content"] = "&lt;p&gt;A completely different role description.&lt;/p&gt;"
    mirror_dir = tmp_path / "mirror" / "greenhouse"
    mirror_dir.mkdir(parents=True)
    (mirror_dir / "gridwise-mirror.json").write_text(
        json.dumps({"jobs": [same, other_level, other_place, other_text], "meta": {}})
    )
    board_server.boards_dirs.append(mirror_dir.parent)
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "company": "Gridwise Analytics (demo)",
                "family": "greenhouse",
                "token": "gridwise-demo",
                "url": board_server.url_for("greenhouse", "gridwise-demo"),
            },
            {
                "company": "Gridwise Analytics (demo)",
                "family": "greenhouse",
                "token": "gridwise-mirror",
                "url": board_server.url_for("greenhouse", "gridwise-mirror"),
            },
        ],
    )
    data_dir = tmp_path / "data"
    summary = run_pipeline(
        DataPaths.at(data_dir), sources=str(sources), as_of="2026-11-20T06:00:00Z"
    )
    assert summary.published, summary

    con = duckdb.connect(str(DataPaths.at(data_dir).published_warehouse), read_only=True)
    merges = con.execute("select kept_key, merged_key, reason from core.posting_merges").fetchall()
    assert [(k, m) for k, m, _ in merges] == [
        (f"greenhouse:gridwise-demo:{jobs[0]['id']}", f"greenhouse:gridwise-mirror:{same['id']}")
    ]
    assert "text" in merges[0][2] and "title" in merges[0][2]
    rows = con.execute("select count(*) from marts.postings").fetchall()[0][0]
    assert rows == len(gridwise["jobs"]) + 3  # the three near-misses stay separate postings
    listed = con.execute(
        "select also_listed_as from marts.postings where posting_key = ?",
        [f"greenhouse:gridwise-demo:{jobs[0]['id']}"],
    ).fetchall()
    assert listed == [([f"greenhouse:gridwise-mirror:{same['id']}"],)]
    con.close()
