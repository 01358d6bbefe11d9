"""Property-based tests over every parser a board's bytes reach: each family's extractor fed
arbitrary JSON-ish payloads (shaped with the keys it reads, so the generator reaches deep),
the XML and HTML parsers fed arbitrary bytes, and the staging cleaner fed arbitrary rows.
An extractor returns items or raises ValueError — nothing else; every item it returns can
be written to the raw lake; the cleaner never raises."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.transforms.cleaner import clean_version
from spiders.extract import (
    ashby,
    greenhouse,
    lever,
    personio,
    recruitee,
    rss,
    schemaorg,
    smartrecruiters,
    workable,
    workday,
)
from spiders.items import PostingItem
from spiders.raw_lake import _utf8
from spiders.registry import Source

# kept small so the suite stays fast; raise it for a deeper search (UNHEARD_PROPERTY_EXAMPLES)
PROPERTY = settings(
    max_examples=int(os.environ.get("UNHEARD_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def keys_read_by(module: ModuleType) -> list[str]:
    """The dictionary keys an extractor reads, from its source: `.get("k")` and `["k"]`."""
    text = Path(module.__file__).read_text(encoding="utf-8")
    return sorted(set(re.findall(r"""(?:\.get\(|\[)\s*["']([A-Za-z_][\w]*)["']""", text)))


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "",
            " ",
            "null",
            "0",
            "-1",
            "1e309",
            "2026-11-20T06:00:00Z",
            "1970-01-01",
            "USD",
            "1 YEAR",
            "$1",
            "<script>x</script>",
            "\x00",
            "\ud800",
            "Remote",
            "a" * 300,
        ]
    )
)
ID = st.integers(min_value=0, max_value=2**64) | st.text(min_size=1, max_size=8).filter(str.strip)


def json_ish(keys: list[str]) -> st.SearchStrategy:
    key = st.sampled_from(keys) | st.text(max_size=4)
    return st.recursive(
        LEAVES,
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(key, children, max_size=5)
        ),
        max_leaves=12,
    )


def payloads(module: ModuleType, top: str | None, identity: str) -> st.SearchStrategy:
    """Anything JSON-ish, or the family's own shape ({top: [entries]} or [entries]) whose
    entries carry an identity and any of the keys the extractor reads, with any values."""
    keys = keys_read_by(module)
    entry = st.builds(
        lambda extra, key: {**extra, identity: key},
        st.dictionaries(st.sampled_from(keys), json_ish(keys), max_size=10),
        ID,
    )
    entries = st.lists(entry | json_ish(keys), max_size=3)
    shaped = entries if top is None else st.fixed_dictionaries({top: entries})
    return shaped | json_ish(keys)


def check_items(items: object, family: str) -> None:
    assert isinstance(items, list)
    for item in items:
        assert isinstance(item, PostingItem)
        assert item.source == family and item.board == "acme"
        assert isinstance(item.source_job_id, str) and item.source_job_id.strip()
        assert isinstance(item.url, str) and item.url.startswith("https://")
        assert isinstance(item.raw, dict)
        record = asdict(item)
        line = json.dumps(record, ensure_ascii=False, default=str)  # as the raw lake writes it
        _utf8(line).decode("utf-8")


def source(family: str, token: str = "acme") -> Source:
    return Source(company="Acme", family=family, token=token)


JSON_FAMILIES = [
    ("greenhouse", greenhouse, greenhouse.extract_jobs, "jobs", "id"),
    ("ashby", ashby, ashby.extract_jobs, "jobs", "id"),
    ("lever", lever, lever.extract_postings, None, "id"),
    ("recruitee", recruitee, recruitee.extract_offers, "offers", "id"),
    ("smartrecruiters", smartrecruiters, smartrecruiters.extract_postings, "content", "id"),
    ("workable", workable, workable.extract_jobs, "jobs", "shortcode"),
    ("workday", workday, workday.extract_postings, "jobPostings", "externalPath"),
]
# Crashes these properties found, each fixed and kept as a regression: a field of an
# unexpected JSON type reached `for x in value or []` and raised TypeError, failing the
# whole page of its board. family: (the smallest payload that raised, its posting's id)
FOUND_CRASHES = {
    "lever": ([{"id": "1", "text": "Analyst", "lists": True}], "1"),
    "recruitee": ({"offers": [{"id": 1, "title": "Analyst", "locations": 5}]}, "1"),
    "smartrecruiters": ({"content": [{"id": "1", "name": "Analyst", "customField": 5}]}, "1"),
    "workable": ({"jobs": [{"shortcode": "AB1", "title": "Analyst", "locations": 5}]}, "AB1"),
}


@pytest.mark.parametrize(
    "family, module, extract, top, identity", JSON_FAMILIES, ids=[f[0] for f in JSON_FAMILIES]
)
def test_a_json_extractor_returns_items_or_raises_value_error(  # noqa: ANN001
    family, module, extract, top, identity
):
    token = "tenant.wd5/Site" if family == "workday" else "acme"

    @PROPERTY
    @given(payloads(module, top, identity))
    def run(payload: object) -> None:
        try:
            items = extract(payload, source(family, token))
        except ValueError:
            return
        for item in items:
            item.board = "acme"  # the Workday token is not "acme"
        check_items(items, family)

    run()


@pytest.mark.parametrize("family", sorted(FOUND_CRASHES))
def test_a_field_of_the_wrong_json_type_keeps_the_posting(family: str) -> None:
    extract = next(f[2] for f in JSON_FAMILIES if f[0] == family)
    payload, job_id = FOUND_CRASHES[family]
    items = extract(payload, source(family))
    assert [(item.source_job_id, item.title) for item in items] == [(job_id, "Analyst")]
    check_items(items, family)


def test_a_json_extractor_survives_every_payload_the_wire_can_carry() -> None:
    """Bytes → json.loads → extractor, as the spiders do: includes NaN, huge numbers and
    lone surrogate escapes that only arrive through JSON text."""
    wire = [
        b'{"jobs": [{"id": NaN, "title": Infinity}]}',
        b'{"jobs": [{"id": 1e400}]}',
        b'{"jobs": [{"id": "\\ud800", "title": "\\udfff"}]}',
        b'[{"id": -0.0}]',
        b'{"jobs": [{"id": 99999999999999999999999999999}]}',
    ]
    for body in wire:
        payload = json.loads(body)
        for family, _, extract, _, _ in JSON_FAMILIES:
            try:
                items = extract(payload, source(family, "tenant.wd5/Site"))
            except ValueError:
                continue
            for item in items:
                item.board = "acme"
            check_items(items, family)


XMLISH = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(
        lambda root, inner: f"<?xml version='1.0'?><{root}>{inner}</{root}>".encode(),
        st.sampled_from(["rss", "feed", "workzag-jobs", "RDF", "html", "urlset"]),
        st.text(alphabet="<>/=\"' abcdefghijklmnopqrstuvwxyz&;#x0123456789", max_size=200),
    ),
)


@PROPERTY
@given(XMLISH)
def test_the_feed_parsers_return_items_or_raise_value_error(body: bytes) -> None:
    try:
        items, _next = rss.extract_feed(body, source("rss"), "https://acme.example/feed")
    except ValueError:
        items = []
    check_items(items, "rss")
    try:
        positions = personio.parse_feed(body)
    except ValueError:
        positions = []
    check_items(personio.extract_positions(positions, source("personio")), "personio")


HTMLISH = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda node: (
            '<html><script type="application/ld+json">' + json.dumps(node) + "</script></html>"
        ).encode(),
        json_ish(keys_read_by(schemaorg) + ["@type", "@context", "@graph", "JobPosting"]),
    ),
    st.builds(
        lambda node: (
            '<html><script type="application/ld+json">'
            + json.dumps({"@type": "JobPosting", **node})
            + "</script></html>"
        ).encode(),
        st.dictionaries(
            st.sampled_from(keys_read_by(schemaorg)),
            json_ish(keys_read_by(schemaorg)),
            max_size=10,
        ),
    ),
)


@PROPERTY
@given(HTMLISH)
def test_the_schemaorg_extractor_returns_items_or_raises_value_error(body: bytes) -> None:
    try:
        items = schemaorg.extract_postings(body, "https://acme.example/jobs/1", source("schemaorg"))
    except ValueError:
        return
    check_items(items, "schemaorg")


STATED_JSON = json_ish(["min", "max", "currency", "interval"]).map(
    lambda v: json.dumps(v, default=str)
)
ROW_TEXT = st.none() | st.text(max_size=200) | LEAVES.map(lambda v: None if v is None else str(v))


@PROPERTY
@given(
    st.fixed_dictionaries(
        {
            "content_hash": st.just("h"),
            "posting_key": st.just("greenhouse:acme:1"),
            "title": ROW_TEXT,
            "description_html": ROW_TEXT,
            "description_is_escaped": st.booleans() | st.none(),
            "posted_at_raw": ROW_TEXT,
            "updated_at_raw": ROW_TEXT,
            "location_raw": ROW_TEXT,
            "country_raw": ROW_TEXT,
            "remote_raw": ROW_TEXT,
            "employment_type_raw": ROW_TEXT,
            "salary_text": ROW_TEXT,
            "salary_stated": st.none() | ROW_TEXT | STATED_JSON,
            "department": ROW_TEXT,
            "team": ROW_TEXT,
            "apply_url": ROW_TEXT,
        }
    )
)
def test_the_cleaner_never_raises_on_a_raw_version(row: dict) -> None:
    cleaned = clean_version(row, datetime(2026, 11, 20, tzinfo=UTC))
    assert cleaned["posting_key"] == row["posting_key"]
    for column in ("salary_min", "salary_max", "salary_yearly_min", "salary_yearly_max"):
        value = cleaned[column]
        assert value is None or (value == value and abs(value) != float("inf"))
