"""The run imports Great Expectations in the background while its load runs (~1.4 s CPU)."""

from tests.fresh_interpreter import run_python


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


def test_gx_imports_without_scipy_stats_until_something_reads_it() -> None:
    """scipy.stats (~0.8 s CPU of GX's import) is left to the first attribute read: GX only
    calls it in expectations no suite here uses. A validation still runs, and a read
    answers from the real module, which then takes the stand-in's place. What the import
    loaded is frozen out of the collector's passes."""
    out = run_python(
        """
        import sys
        import duckdb
        from pipelines.checks import gx_suites
        import gc
        assert gc.get_freeze_count() == 0
        gx_suites.start_gx_import()
        gx_suites._wait_for_gx_import()
        # GX's objects were frozen after the import: the collector's full passes skip them
        print(gc.get_freeze_count() > 100_000, len(gc.get_objects()) < 50_000)
        print(type(sys.modules["scipy.stats"]).__name__)
        print(len([m for m in sys.modules if m.startswith("scipy.stats.")]))
        from great_expectations.expectations.core import (
            expect_column_kl_divergence_to_be_less_than as kl,
        )
        print(kl.stats.entropy([0.5, 0.5]) > 0.69)  # read through the stand-in
        print(type(sys.modules["scipy.stats"]).__name__, kl.stats.__name__)
        """
    )
    assert out.splitlines() == [
        "True True",
        "DeferredModule",
        "0",
        "True",
        "module scipy.stats",
    ]


def test_a_validation_runs_with_scipy_stats_deferred() -> None:
    """A real validation of the staging suite, one failing row, with the stand-in in place."""
    out = run_python(
        """
        import sys
        import duckdb
        from pipelines.checks import gx_suites
        from pipelines.transforms import database
        from warehouse import STAGING_VIEWS, read_sql
        gx_suites.start_gx_import()
        con = duckdb.connect()
        con.execute(read_sql("schema.sql"))
        database.run_models(con, STAGING_VIEWS, kind="view")
        con.execute("insert into raw.crawl_runs (run_id, crawled_at, loaded_at) "
                    "values ('r1', now(), now())")
        for job, remote in (("1", "remote"), ("2", "sometimes")):
            con.execute(
                "insert into staging.stg_observations values ('r1', now(), ?, 'ashby', "
                "'acme', 'Acme', ?, 'https://jobs.example/acme', ?)",
                [f"ashby:acme:{job}", job, job],
            )
            con.execute(
                "insert into staging.stg_posting_versions (content_hash, posting_key, title, "
                "employment_type, remote_type, country_code) values (?, ?, 'Data Engineer', "
                "'FULL_TIME', ?, 'DE')",
                [job, f"ashby:acme:{job}", remote],
            )
        outcome = gx_suites.validate(con, "staging")
        failed = [o for o in outcome.outcomes if not o.success]
        print(outcome.passed, [(o.column, o.unexpected_count) for o in failed])
        print(type(sys.modules["scipy.stats"]).__name__)
        """
    )
    assert out.splitlines() == ["False [('remote_type', 1)]", "DeferredModule"]


def test_a_deferred_module_that_is_not_installed_is_left_alone() -> None:
    out = run_python(
        """
        import sys
        from pipelines.checks import gx_suites
        gx_suites.DEFERRED_MODULES = ("no_such_package_here.stats", "scipy.stats")
        gx_suites.defer_unused_gx_imports()
        print("no_such_package_here.stats" in sys.modules)
        print(type(sys.modules["scipy.stats"]).__name__)
        """
    )
    assert out.splitlines() == ["False", "DeferredModule"]
