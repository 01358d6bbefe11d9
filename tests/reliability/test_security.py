"""Security basics: no secret in the repository or in what a run logs; SQL from the CLI
cannot change the warehouse; values reach SQL as parameters or Arrow data, never as text
spliced into a statement."""

from __future__ import annotations

import ast
import hashlib
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT
from tests.reliability.conftest import CANARY_SECRET, SQL_COMPANY, HostileRun

# obvious secrets: provider key formats, private keys, credentials in URLs, and assignments
# of a long literal to a secret-sounding name
SECRET_PATTERNS = {
    "aws access key id": r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
    "private key": r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----",
    "github token": r"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b",
    "slack token": r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b",
    "google api key": r"\bAIza[0-9A-Za-z_-]{35}\b",
    "stripe live key": r"\b[sr]k_live_[0-9A-Za-z]{16,}\b",
    "openai-style key": r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b",
    "jwt": r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
    "password in a url": r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:[^/\s:@'\"]{6,}@[\w.-]+",
    "secret assignment": (
        r"(?i:\b(?:password|passwd|secret|api_?key|access_?key|private_?key|client_?secret"
        r"|auth_?token)\b\s*[:=]\s*['\"][^'\"\s$<>{}]{12,}['\"])"
    ),
}
SECRETS = re.compile("|".join(f"(?:{p})" for p in SECRET_PATTERNS.values()))
THIS_FILE = Path(__file__).resolve()


def repository_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    return [PROJECT_ROOT / name for name in listed if name and (PROJECT_ROOT / name).is_file()]


def secrets_in(text: str) -> list[str]:
    return [match.group(0)[:40] for match in SECRETS.finditer(text)]


def test_the_patterns_catch_what_they_should() -> None:
    fake = {  # built at run time so that this file holds no secret-shaped literal
        "aws": "AKIA" + "ABCDEFGHIJKLMNOP",
        "gh": "ghp_" + "a" * 36,
        "url": "postgres://admin:" + "hunter2hunter2" + "@db.example",
        "assign": 'API_KEY = "' + "x9" * 10 + '"',
    }
    assert all(secrets_in(value) for value in fake.values())
    assert not secrets_in('token: gridwise-demo\nUSER_AGENT = f"unheard-bot/0.1 (+{CONTACT_URL})"')


def test_no_secret_in_the_repository() -> None:
    found = {}
    for path in repository_files():
        if path.resolve() == THIS_FILE or path.stat().st_size > 5_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary
        if hits := secrets_in(text):
            found[str(path.relative_to(PROJECT_ROOT))] = hits
    assert not found, f"secret-like strings in the repository: {found}"


def test_no_secret_in_what_a_run_logs(hostile_run: HostileRun) -> None:
    """The crawl (at INFO) and the warehouse run both had a secret in their environment;
    neither the crawl log, nor the Dagster event log, nor anything under the data dir other
    than the raw lake shows it or any secret-shaped string."""
    import dagster as dg

    logs = [hostile_run.crawl_log]
    with dg.DagsterInstance.from_config(str(hostile_run.paths.dagster_home)) as instance:
        logs += [
            record.user_message or "" for record in instance.all_logs(hostile_run.summary.run_id)
        ]
    for path in hostile_run.paths.root.rglob("*"):
        if path.is_file() and path.suffix in (".log", ".out", ".err", ".txt", ".json", ".html"):
            logs.append(path.read_text(encoding="utf-8", errors="replace"))
    text = "\n".join(logs)
    assert len(text) > 1000, "the logs are unexpectedly empty"
    assert CANARY_SECRET not in text
    assert not secrets_in(text), secrets_in(text)[:5]


def unheard_sql(data_dir: Path, query: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "sql", query, "--data-dir", str(data_dir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sql_from_the_cli_cannot_change_the_warehouse(hostile_run: HostileRun) -> None:
    warehouse = hostile_run.paths.published_warehouse
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    tables = hostile_run.query("select schema_name, table_name from duckdb_tables() order by all")
    for statement in (
        "create table x(a int)",
        "drop table marts.companies",
        "delete from marts.companies",
        "update intermediate.postings_without_text set title = 'x'",
        "insert into raw.crawl_runs (run_id, crawled_at, loaded_at) values ('x', now(), now())",
        "create schema evil",
        "drop view marts.postings",
    ):
        result = unheard_sql(hostile_run.paths.root, statement)
        assert result.returncode == 1, (statement, result.stdout)
        assert "read-only" in result.stderr.lower(), (statement, result.stderr)
    # marts.postings is a view: DuckDB refuses a delete or update of it before the write
    for statement in ("delete from marts.postings", "update marts.postings set title = 'x'"):
        result = unheard_sql(hostile_run.paths.root, statement)
        assert result.returncode == 1, (statement, result.stdout)
        assert "base table" in result.stderr.lower(), (statement, result.stderr)
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert (
        hostile_run.query("select schema_name, table_name from duckdb_tables() order by all")
        == tables
    )


def test_sql_from_the_cli_cannot_write_files(hostile_run: HostileRun, tmp_path: Path) -> None:
    target = tmp_path / "copied.csv"
    unheard_sql(hostile_run.paths.root, f"copy (select 1 as a) to '{target}'")
    assert not target.exists()


def test_values_with_sql_in_them_are_data(hostile_run: HostileRun) -> None:
    """A registry company name and posting titles full of SQL travel through the manifest,
    the loaders and every layer as data (they are Arrow tables or parameters)."""
    company = hostile_run.query(
        "select distinct company from marts.source_health where board = 'hostile-text'"
    )
    assert company == [(SQL_COMPANY,)]
    assert hostile_run.query("select count(*) from raw.board_crawls") == [
        (len(hostile_run.manifest["boards"]),)
    ]


# names that hold crawled or registry data; SQL text must never interpolate them
DATA_NAMES = {
    "title",
    "titles",
    "company",
    "board",
    "token",
    "run_id",
    "posting_key",
    "value",
    "values",
    "row",
    "rows",
    "record",
    "item",
    "payload",
    "url",
    "error",
    "text",
    "manifest",
    "entry",
    "source_job_id",
    "description",
    "location",
    "raw",
}
SQL_CALLS = {"execute", "executemany", "sql", "query"}
# where DuckDB takes no parameters (COMMENT ON, COPY TO, ATTACH): quoting helpers
ESCAPERS = {"_literal", "_ident", "_quote"}


def interpolated(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return [node]
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "format":
        return [node]
    return []


def test_no_sql_statement_is_built_from_a_data_value() -> None:
    """Audit tripwire over pipelines/ and warehouse/: a statement text built with an
    f-string, % or .format() must not interpolate a name that holds data (those go in as
    `?` / `$name` parameters or registered Arrow tables). Identifiers and file paths from
    code and configuration are interpolated through _ident/_literal/_quote."""
    offending = []
    for folder in ("pipelines", "warehouse"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS
                    and node.args
                ):
                    continue
                for part in interpolated(node.args[0]):
                    if isinstance(part, ast.Call) and getattr(part.func, "id", "") in ESCAPERS:
                        continue  # a literal or identifier escaped for a statement
                    names = {n.id for n in ast.walk(part) if isinstance(n, ast.Name)}
                    names |= {n.attr for n in ast.walk(part) if isinstance(n, ast.Attribute)}
                    if names & DATA_NAMES:
                        offending.append(
                            f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: {ast.unparse(part)}"
                        )
    assert not offending, "SQL built from data values:\n" + "\n".join(offending)
