"""The raw lake's lines after the crawl's CPU work (issue 8): a shallow record serialized by
orjson, gzip level 1. Every line must mean what the old writer's line meant (dataclasses.asdict
of the item, json.dumps, gzip level 5): same keys in the same order, same values, and the
same rows once DuckDB reads the file the way `raw_loader` does."""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.demo.fixture_server import DEMO_BOARDS
from spiders.extract import ashby, greenhouse, lever, recruitee, rss, workable
from spiders.items import PostingItem, StatedSalary
from spiders.pipelines import RawLakePipeline
from spiders.raw_lake import BOARD_FILE_SUFFIX, LEGACY_SUFFIX, _utf8, encode_line
from spiders.registry import Source
from warehouse import read_sql

TEST_BOARDS = Path(__file__).resolve().parents[1] / "fixtures" / "boards"
RUN_ID, CRAWLED_AT, DATE = "20261125T000000Z-abcdef", "2026-11-25T00:00:00+00:00", "2026-11-25"


def old_line(item: PostingItem) -> bytes:
    """The line as the raw lake wrote it before orjson (spiders/pipelines.py + raw_lake.py)."""
    record = asdict(item)
    record["posting_key"] = item.posting_key
    record["run_id"] = RUN_ID
    record["crawled_at"] = CRAWLED_AT
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
    return _utf8(line) + b"\n"


def new_line(item: PostingItem) -> bytes:
    record = item.to_record()
    record["run_id"] = RUN_ID
    record["crawled_at"] = CRAWLED_AT
    return encode_line(record)


def meaning(line: bytes) -> str:
    """Keys in order and values, whatever the spelling of a float (1e16 / 1e+16)."""
    return json.dumps(json.loads(line), ensure_ascii=False)


def demo_items() -> list[PostingItem]:
    items: list[PostingItem] = []
    families = [
        (DEMO_BOARDS / "greenhouse", "greenhouse", greenhouse.extract_jobs),
        (DEMO_BOARDS / "lever", "lever", lever.extract_postings),
        (DEMO_BOARDS / "ashby", "ashby", ashby.extract_jobs),
        (TEST_BOARDS / "greenhouse", "greenhouse", greenhouse.extract_jobs),
        (TEST_BOARDS / "recruitee", "recruitee", recruitee.extract_offers),
        (TEST_BOARDS / "workable", "workable", workable.extract_jobs),
    ]
    for folder, family, extract in families:
        for path in sorted(folder.glob("*.json")):
            try:
                payload = json.loads(path.read_bytes())
                items += extract(payload, Source(company="Acme", family=family, token=path.stem))
            except ValueError:
                continue  # a deliberately broken fixture
    for path in sorted((TEST_BOARDS / "rss").glob("*.xml")):
        source = Source(company="Acme", family="rss", token=path.stem)
        try:
            items += rss.extract_feed(path.read_bytes(), source, "https://example.org/feed")[0]
        except ValueError:
            continue
    return items


def item(**fields: Any) -> PostingItem:
    base: dict[str, Any] = {
        "source": "lever",
        "board": "acme",
        "company": "Acme",
        "source_job_id": "1",
        "url": "https://jobs.lever.co/acme/1",
    }
    return PostingItem(**{**base, **fields})


def test_the_fixture_boards_lines_are_byte_identical_to_the_old_writer() -> None:
    items = demo_items()
    assert len(items) > 20
    assert {i.source for i in items} >= {"greenhouse", "lever", "ashby", "rss"}
    for posting in items:
        assert new_line(posting) == old_line(posting), posting.posting_key


def test_a_lone_surrogate_in_a_title_keeps_the_posting_and_every_other_byte() -> None:
    # a board may send "\ud800" in its JSON; Python's json reads it into a lone surrogate,
    # which orjson refuses and no UTF-8 file can hold: the json path writes U+FFFD, as before
    raw = {"id": "1", "text": "ML \ud800 Engineer", "description": "<p>café – 東京</p>"}
    posting = item(title=raw["text"], description_html=raw["description"], raw=raw)
    line = new_line(posting)
    assert line == old_line(posting)
    record = json.loads(line)
    assert record["title"] == "ML \ufffd Engineer"
    assert record["raw"] == {**raw, "text": "ML \ufffd Engineer"}
    assert record["description_html"] == "<p>café – 東京</p>"
    assert record["posting_key"] == "lever:acme:1"


def test_nan_and_infinity_stay_what_the_board_sent() -> None:
    # Python's json reads NaN / Infinity / 1e999; orjson would write null
    raw = json.loads('{"id": "1", "score": NaN, "big": 1e999, "low": -Infinity, "n": 2}')
    posting = item(salary_stated=StatedSalary(min=math.inf, max=1.5), raw=raw)
    line = new_line(posting)
    assert line == old_line(posting)
    assert b'"score":NaN' in line and b'"big":Infinity' in line and b'"min":Infinity' in line


@pytest.mark.parametrize(
    "raw",
    [
        {"id": "1", "n": 2**64},  # beyond orjson's 64 bits
        {"id": "1", 7: "x", None: "y"},  # keys json.dumps turns into text
        {"id": "1", "salary": StatedSalary(min=1, max=2)},  # a dataclass inside the payload
        {"id": "1", "when": __import__("datetime").date(2026, 11, 25)},  # str() as before
        {"id": "1", "places": ("Berlin", "Paris")},
    ],
)
def test_records_orjson_would_write_differently_are_written_as_before(
    raw: dict[Any, Any],
) -> None:
    posting = item(raw=raw)
    assert new_line(posting) == old_line(posting)


def test_the_record_is_shallow_and_in_the_old_key_order() -> None:
    raw = {"id": "1", "lists": [{"text": "a"}]}
    posting = item(salary_stated=StatedSalary(min=1.0, currency="EUR"), raw=raw)
    record = posting.to_record()
    assert list(record) == [*asdict(posting), "posting_key"]
    assert record["raw"] is raw  # not a copy
    assert record["salary_stated"] == {"min": 1.0, "max": None, "currency": "EUR", "interval": None}


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from(["\ud800", "\udfff x", "\x00", "\u2028", '"\\/', "東京", "1e16"])
)
JSONISH = st.recursive(
    LEAVES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=15,
)
TEXT = st.none() | st.text(max_size=10) | st.sampled_from(["a\ud800", "\udc00"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.dictionaries(st.text(max_size=5), JSONISH, max_size=6),
    title=TEXT,
    html=TEXT,
    salary=st.none() | st.builds(StatedSalary, min=LEAVES, max=LEAVES, currency=TEXT),
)
def test_any_payload_means_the_same_as_before(
    raw: dict[str, Any], title: str | None, html: str | None, salary: StatedSalary | None
) -> None:
    posting = item(title=title, description_html=html, salary_stated=salary, raw=raw)
    new, old = new_line(posting), old_line(posting)
    assert new.endswith(b"\n") and new.count(b"\n") == 1
    new.decode("utf-8")
    assert meaning(new) == meaning(old)


def write_old_file(path: Path, items: list[PostingItem]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb", compresslevel=5) as handle:
        for posting in items:
            handle.write(old_line(posting))


def test_duckdb_loads_the_same_rows_from_new_files_as_from_old_ones(tmp_path: Path) -> None:
    items = demo_items()
    nan_raw = json.loads('{"id": "nan-1", "score": NaN}')
    items += [
        item(source_job_id="surrogate", title="a \ud800 b", raw={"t": "\udfff"}),
        item(source_job_id="nan-1", salary_stated=StatedSalary(min=1e16, max=2.5e-5), raw=nan_raw),
    ]
    pipeline = RawLakePipeline(tmp_path / "new", RUN_ID, DATE, CRAWLED_AT)
    for posting in items:
        pipeline.process_item(posting)
    pipeline.close_spider()
    new_files = sorted(str(p) for p in (tmp_path / "new").rglob(f"*{BOARD_FILE_SUFFIX}"))
    assert new_files and not list((tmp_path / "new").rglob("*.partial"))
    old_files = []
    for posting_file in new_files:
        # the old writer: gzip, under the name it gave its files
        old = tmp_path / "old" / Path(posting_file).relative_to(tmp_path / "new")
        old = old.with_name(old.name.removesuffix(BOARD_FILE_SUFFIX) + LEGACY_SUFFIX)
        board = [
            i
            for i in items
            if Path(posting_file).name == f"{i.board}{BOARD_FILE_SUFFIX}"
            and f"source={i.source}/" in posting_file
        ]
        write_old_file(old, board)
        old_files.append(str(old))

    def rows(files: list[str]) -> list[tuple[Any, ...]]:
        con = duckdb.connect()
        # an empty warehouse: the batch keeps every row's version columns (none is stored)
        con.execute(read_sql("schema.sql"))
        con.execute(read_sql("staging/raw_postings_batch.sql"), {"files": files})
        return con.execute("select * from raw_postings_batch order by posting_key").fetchall()

    new_rows, old_rows = rows(new_files), rows(old_files)
    assert len(new_rows) == len(items)
    assert new_rows == old_rows
