"""The settings every build connection writes with (database.connect_build)."""

from pathlib import Path

from pipelines.paths import DataPaths
from pipelines.transforms.cleaner import row_group_rows
from pipelines.transforms.database import BUILD_ROW_GROUP_ROWS, connect_build


def test_the_build_file_is_written_in_row_groups_of_the_build_size(tmp_path: Path) -> None:
    paths = DataPaths.at(tmp_path).ensure()
    rows = 2 * BUILD_ROW_GROUP_ROWS + 5
    with connect_build(paths) as con:
        assert row_group_rows(con) == BUILD_ROW_GROUP_ROWS  # what the cleaning checkpoints on
        con.execute(f"create table t as select range as i, repeat('x', 50) as s from range({rows})")
        con.execute("checkpoint")
        groups = con.execute("select count(distinct row_group_id) from pragma_storage_info('t')")
        # several row groups, which DuckDB compresses and scans on several threads
        assert groups.fetchall()[0][0] == 3
