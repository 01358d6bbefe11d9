"""The run imports Great Expectations in the background while its load runs (~5 s CPU)."""

import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_warm_up_imports_gx_in_another_thread_and_validation_waits_for_it() -> None:
    out = run_python(
        """
        import sys, threading
        from pipelines.checks import gx_suites
        assert "great_expectations" not in sys.modules
        gx_suites.start_gx_import()
        gx_suites.start_gx_import()  # a second call starts nothing more
        names = [t.name for t in threading.enumerate()]
        print(names.count("gx-import"))
        gx_suites._wait_for_gx_import()
        print("great_expectations" in sys.modules)
        """
    )
    assert out.splitlines() == ["1", "True"]


def test_a_failed_warm_up_surfaces_at_validation_not_silently() -> None:
    out = run_python(
        """
        import sys
        sys.modules["great_expectations"] = None  # makes every import of it fail
        from pipelines.checks import gx_suites
        gx_suites._gx_import = None
        import threading
        t = threading.Thread(target=gx_suites._import_quietly, args=("great_expectations",))
        t.start(); t.join()  # the thread swallows the error...
        try:
            gx_suites.validate(None, "staging")
        except ImportError as error:  # ...validate raises it in the caller
            print("ImportError")
        """
    )
    assert out == "ImportError"
