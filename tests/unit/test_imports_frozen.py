"""A CLI run pauses the garbage collector while it imports Dagster and the definitions, then
freezes what they made out of the collector's passes (runner.imports_frozen)."""

from tests.fresh_interpreter import run_python


def test_the_definitions_import_runs_no_collection_and_ends_frozen() -> None:
    out = run_python(
        """
        import gc
        from pipelines.runner import imports_frozen
        passes = []
        gc.callbacks.append(lambda phase, info: phase == "start" and passes.append(info))
        with imports_frozen():
            assert not gc.isenabled()
            from pipelines.definitions import defs
        frozen = gc.get_freeze_count()
        print(len(passes), gc.isenabled(), frozen > 100_000)
        with imports_frozen():  # a second run in the same process freezes nothing more
            made = [[] for _ in range(1000)]
        print(gc.get_freeze_count() == frozen)
        """
    )
    assert out.split() == ["0", "True", "True", "True"]


def test_the_collector_runs_again_after_a_failed_import() -> None:
    out = run_python(
        """
        import gc
        from pipelines.runner import imports_frozen
        try:
            with imports_frozen():
                import no_such_module_here  # noqa: F401
        except ImportError:
            pass
        print(gc.isenabled())
        gc.disable()
        with imports_frozen():  # a caller that had it off keeps it off
            pass
        print(gc.isenabled())
        """
    )
    assert out.split() == ["True", "False"]
