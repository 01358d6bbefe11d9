"""The Personio feed parser and extractor on the fixture feed and on hostile XML."""

from __future__ import annotations

import pytest

from spiders.extract import personio
from spiders.registry import Source
from tests.conftest import TEST_BOARDS

FEED = (TEST_BOARDS / "personio" / "feldwerk-robotics-demo.xml").read_bytes()
SOURCE = Source(company="Feldwerk", family="personio", token="feldwerk-robotics-demo")


def test_every_position_becomes_plain_data() -> None:
    positions = personio.parse_feed(FEED)
    assert [p["id"] for p in positions] == ["1874021", "1874022", "1874023", "1874024", "1874025"]
    first = positions[0]
    assert first["office"] == "München" and first["additionalOffices"] == ["Remote"]
    assert first["createdAt"] == "2026-09-29T09:12:00+00:00"
    assert first["jobDescriptions"][1]["name"] == "Your tasks"
    assert first["jobDescriptions"][1]["value"].startswith("<p>Train and deploy")  # CDATA as HTML


def test_positions_become_postings() -> None:
    items = personio.extract_positions(personio.parse_feed(FEED), SOURCE)
    first = items[0]
    assert first.url == "https://feldwerk-robotics-demo.jobs.personio.de/job/1874021?language=en"
    assert first.title == "Computer Vision Engineer – Weed Detection (m/w/d)"
    assert (first.location_raw, first.department) == ("München; Remote", "Perception")
    assert first.employment_type_raw == "permanent, full-time"
    assert first.description_html.startswith("<h3>About us</h3>\n<p>Feldwerk Robotics")
    assert first.description_html.count("<h3>") == 3
    assert first.seniority_raw == "experienced"
    student = items[2]
    assert student.employment_type_raw == "working_student, part-time"
    assert student.seniority_raw == "student"
    german = items[3]
    assert german.location_raw == "Freising; Hannover"
    assert "<h3>Deine Aufgaben</h3>" in german.description_html


def test_a_position_without_descriptions_or_id() -> None:
    feed = (
        b"<workzag-jobs><position><id>7</id><name>Lead</name></position><position/></workzag-jobs>"
    )
    items = personio.extract_positions(personio.parse_feed(feed), SOURCE)
    assert len(items) == 1
    assert items[0].description_html is None and items[0].employment_type_raw is None
    assert items[0].location_raw is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<workzag-jobs><position><id>1</id>", "not well-formed"),
        (b'{"error": "not xml"}', "not well-formed"),
        (b"<html><body>Login</body></html>", "expected a <workzag-jobs> feed"),
        (b"", "not well-formed"),
    ],
)
def test_what_is_not_a_feed_raises(body: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        personio.parse_feed(body)


def test_external_entities_are_not_resolved() -> None:
    feed = (
        b'<?xml version="1.0"?><!DOCTYPE workzag-jobs [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
        b"<workzag-jobs><position><id>1</id><name>&leak;</name></position></workzag-jobs>"
    )
    positions = personio.parse_feed(feed)
    assert "root" not in (positions[0].get("name") or "")
