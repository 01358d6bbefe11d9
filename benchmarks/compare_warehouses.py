"""Compare two warehouse files table by table and view by view, row for row.

    python -m benchmarks.compare_warehouses BEFORE.duckdb AFTER.duckdb \
        [--ignore schema.table.column] [--skip-schema quality]

How a change to the build is shown to keep its behaviour: build the same raw lake (a
rebuild, then an incremental day) with the code before and after, and compare the
published files. Every relation both files hold is compared with `EXCEPT ALL` both ways
(duplicates count; row order does not) on the columns both have, minus the columns that
legitimately depend on when the run happened (IGNORED). Relations only one side holds and
columns only one side has are listed. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

# columns that record when or by which run something happened, not what the data is
IGNORED = {
    "raw.crawl_runs.loaded_at",
    "quality.validation_results.run_id",
    "quality.validation_results.validated_at",
    "quality.quarantine.run_id",
    "quality.quarantine.quarantined_at",
}


def relations(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, str]:
    rows = con.execute(
        """
        select schema_name || '.' || table_name, 'table' from duckdb_tables()
        where database_name = $db and not internal and not temporary
        union all
        select schema_name || '.' || view_name, 'view' from duckdb_views()
        where database_name = $db and not internal and not temporary
        """,
        {"db": catalog},
    ).fetchall()
    return dict(rows)


def columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> list[str]:
    schema, name = relation.split(".", 1)
    rows = con.execute(
        "select column_name from duckdb_columns() where database_name = ? and schema_name = ? "
        "and table_name = ? order by column_index",
        [catalog, schema, name],
    ).fetchall()
    return [row[0] for row in rows]


def compare(
    before: Path, after: Path, ignored: set[str], skip: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    con = duckdb.connect()
    con.execute(f"attach '{before}' as a (read_only)")
    con.execute(f"attach '{after}' as b (read_only)")
    left, right = relations(con, "a"), relations(con, "b")
    left = {k: v for k, v in left.items() if k.split(".", 1)[0] not in skip}
    right = {k: v for k, v in right.items() if k.split(".", 1)[0] not in skip}
    problems: list[str] = []
    for name in sorted(set(left) - set(right)):
        problems.append(f"{name}: only in {before.name} ({left[name]})")
    for name in sorted(set(right) - set(left)):
        print(f"{name}: only in {after.name} ({right[name]}), not compared")
    for name in sorted(set(left) & set(right)):
        a_cols, b_cols = columns(con, "a", name), columns(con, "b", name)
        common = [c for c in a_cols if c in b_cols and f"{name}.{c}" not in ignored]
        only = sorted(set(a_cols) ^ set(b_cols))
        if only:
            problems.append(f"{name}: columns on one side only: {only}")
        if not common:
            continue
        cols = ", ".join(f'"{c}"' for c in common)
        count_a = con.execute(f"select count(*) from a.{name}").fetchone()[0]
        count_b = con.execute(f"select count(*) from b.{name}").fetchone()[0]
        missing = con.execute(
            f"select count(*) from (select {cols} from a.{name} except all "
            f"select {cols} from b.{name})"
        ).fetchone()[0]
        extra = con.execute(
            f"select count(*) from (select {cols} from b.{name} except all "
            f"select {cols} from a.{name})"
        ).fetchone()[0]
        kind = f"{left[name]}->{right[name]}" if left[name] != right[name] else left[name]
        status = "same" if missing == extra == 0 and count_a == count_b else "DIFFERENT"
        print(
            f"{status:9} {name} ({kind}): {count_a} vs {count_b} rows, "
            f"{missing} only before, {extra} only after ({len(common)} columns)"
        )
        if status != "same":
            problems.append(f"{name}: {missing} rows only before, {extra} only after")
    con.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument(
        "--ignore", action="append", default=[], help="schema.table.column (repeatable)"
    )
    parser.add_argument(
        "--skip-schema", action="append", default=[], help="a schema not to compare (repeatable)"
    )
    args = parser.parse_args(argv)
    ignored = IGNORED | set(args.ignore)
    problems = compare(args.before, args.after, ignored, set(args.skip_schema))
    for problem in problems:
        print(f"DIFFERENT: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
