"""Imported once by the worker forkserver (database.worker_context) before its first fork.

Worker processes fork from that server, so each starts with the parsers imported and the
taxonomies loaded instead of paying it again: ~0.9 s CPU to import the cleaning parsers and
~1 s more to load the tagging taxonomies, per worker, two workers per stage. Warming runs
the worker functions on one tiny made-up row each, which loads exactly what they use.
"""

from datetime import UTC, datetime

import pyarrow as pa

from pipelines.transforms.cleaner import clean_version
from pipelines.transforms.tagger import tag_batch, tag_company_batch

SAMPLE_TEXT = "Acme builds forecasting software for power grids. You will train models in Python."


def warm() -> None:
    clean_version(
        {
            "content_hash": "warm-up",
            "posting_key": "warm-up",
            "title": "Senior Data Scientist",
            "description_html": f"<p>{SAMPLE_TEXT}</p>",
            "location_raw": "Berlin, Germany",
            "salary_text": "$120,000 - $150,000 a year",
            "posted_at_raw": "2026-01-02",
        },
        datetime.now(UTC),
    )
    tag_batch(
        pa.RecordBatch.from_pylist(
            [
                {
                    "content_hash": "warm-up",
                    "title": "Data Scientist",
                    "department": "Data",
                    "team": None,
                    "description_text": SAMPLE_TEXT,
                }
            ]
        )
    )
    tag_company_batch(
        pa.RecordBatch.from_pylist(
            [
                {
                    "company": "acme",
                    "homepage": None,
                    "sector_hint": None,
                    "prominence_hint": None,
                    "texts": [f"Data Scientist\n\n{SAMPLE_TEXT}"],
                }
            ]
        )
    )


warm()
