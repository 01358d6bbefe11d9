"""The Markdown tables on asset pages: what a person reads in the UI after a run."""

from __future__ import annotations

from pipelines.assets.metadata import markdown_table


def test_null_cells_are_empty_and_pipes_and_newlines_cannot_break_the_table() -> None:
    rows = [{"board": "a|b", "outcome": "ok", "error": None}, {"board": "c", "error": "x\ny"}]
    assert markdown_table(rows, ["board", "outcome", "error"]).splitlines() == [
        "| board | outcome | error |",
        "|---|---|---|",
        "| a\\|b | ok |  |",
        "| c |  | x y |",
    ]


def test_long_tables_say_how_many_rows_were_left_out() -> None:
    table = markdown_table([{"n": i} for i in range(25)], limit=20)
    assert table.count("\n| ") == 20 and table.endswith("_5 more rows_")
    assert markdown_table([]) == "_no rows_"
