"""Imported once by the worker forkserver (database.worker_context) before its first fork.

Worker processes fork from that server, so each starts with the parsers imported and the
taxonomies loaded instead of paying it again: ~0.9 s CPU to import the cleaning parsers,
~0.6 s to read GeoNames' towns and ~1 s more to load the tagging taxonomies, per worker,
two workers per stage. Warming runs
the worker functions on one tiny made-up row each, which loads exactly what they use.
"""

import contextlib
import gc
from collections.abc import Callable
from datetime import UTC, datetime

import pyarrow as pa

from pipelines.cleaning.gazetteer import world_city
from pipelines.transforms.cleaner import clean_version
from pipelines.transforms.tagger import tag_batch, tag_company_batch

SAMPLE_TEXT = "Acme builds forecasting software for power grids. You will train models in Python."


def _clean() -> None:
    row = {
        "content_hash": "warm-up",
        "posting_key": "warm-up",
        "title": "Senior Data Scientist",
        "description_html": f"<p>{SAMPLE_TEXT}</p>",
        "location_raw": "Berlin, Germany",
        "salary_text": "$120,000 - $150,000 a year",
        "posted_at_raw": "2026-01-02",
    }
    clean_version(row, datetime.now(UTC))


def _world_towns() -> None:
    # GeoNames' towns (~0.6 s to read) load on a posting's first town the gazetteer lacks:
    # once here, not once in every worker
    world_city("Erfurt")


def _tag_postings() -> None:
    row = {
        "content_hash": "warm-up",
        "title": "Data Scientist",
        "department": "Data",
        "team": None,
        "description_text": SAMPLE_TEXT,
    }
    tag_batch(pa.RecordBatch.from_pylist([row]))


def _tag_companies() -> None:
    row = {
        "company": "acme",
        "homepage": None,
        "sector_hint": None,
        "prominence_hint": None,
        "texts": [f"Data Scientist\n\n{SAMPLE_TEXT}"],
    }
    tag_company_batch(pa.RecordBatch.from_pylist([row]))


WARM_UPS: tuple[Callable[[], None], ...] = (_clean, _world_towns, _tag_postings, _tag_companies)


def warm() -> None:
    """Load what each worker function uses. A warm-up that fails (say, a broken taxonomy
    file) leaves that loading to the workers: the error is raised there, by the stage that
    needs it, as without the warm-up, instead of breaking the server and every stage."""
    for warm_up in WARM_UPS:
        with contextlib.suppress(Exception):
            warm_up()


warm()
# Workers fork from this server and keep what it loaded: frozen, those objects are never
# walked by a worker's collector, which would otherwise copy the pages they sit on (the
# copy-on-write the fork saves) and spend its full passes on them (Python's gc.freeze docs).
gc.freeze()
