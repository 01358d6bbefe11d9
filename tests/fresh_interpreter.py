"""Run a snippet in a fresh Python interpreter at the project's root: for what a process does
once (imports, the garbage collector's state), which this test process did long ago."""

import subprocess
import sys
import textwrap

from tests.conftest import PROJECT_ROOT


def run_python(code: str) -> str:
    """The snippet's standard output, stripped; a failure shows its standard error."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
