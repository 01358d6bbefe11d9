"""The `unheard` entry point exits without collecting the garbage of everything it loaded."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

from tests.conftest import PROJECT_ROOT

# An atexit handler runs after sys.exit and before the interpreter's shutdown collections:
# it reports how many objects those collections will skip.
PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count(), flush=True))
import pipelines.cli as cli
sys.argv = ["unheard"]
{call}
"""


def _run(call: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(call=call)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _frozen(output: str) -> int:
    line = next(line for line in output.splitlines() if line.startswith("frozen "))
    return int(line.split()[1])


def test_the_console_script_freezes_what_is_loaded_before_it_exits() -> None:
    result = _run("cli.entry()")
    # no command: the help, and exit status 2, as from main()
    assert result.returncode == 2, result.stderr[-2000:]
    assert "usage: unheard" in result.stdout
    assert _frozen(result.stdout) > 10_000  # the modules the command imported, at least


def test_main_alone_leaves_the_collector_as_it_was() -> None:
    # main() is what tests and other code call in-process: no freezing there
    result = _run("cli.main()")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _frozen(result.stdout) == 0


def test_the_installed_console_script_is_the_entry_point() -> None:
    (script,) = entry_points(group="console_scripts", name="unheard")
    assert script.value == "pipelines.cli:entry"
