"""parse_timestamp: every board family's date format to aware UTC, bad values flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleaning.dates import parse_timestamp
from pipelines.cleaning.types import ParsedDate

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-08-22T13:33:29.422+00:00", datetime(2025, 8, 22, 13, 33, 29, 422000, tzinfo=UTC)),
        ("2026-07-24T15:02:41-04:00", datetime(2026, 7, 24, 19, 2, 41, tzinfo=UTC)),
        ("2025-09-25T18:18:52.891Z", datetime(2025, 9, 25, 18, 18, 52, 891000, tzinfo=UTC)),
        (1782214185805, datetime(2026, 6, 23, 11, 29, 45, 805000, tzinfo=UTC)),  # Lever ms
        ("1782214185805", datetime(2026, 6, 23, 11, 29, 45, 805000, tzinfo=UTC)),
        (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),  # epoch seconds
        (1700000000.5, datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)),
        ("2026-09-18 12:55:59 UTC", datetime(2026, 9, 18, 12, 55, 59, tzinfo=UTC)),  # Recruitee
        ("Mon, 02 Nov 2026 10:00:00 +0000", datetime(2026, 11, 2, 10, 0, tzinfo=UTC)),  # RSS
        ("Fri, 11 Sep 2026 07:30:48 +0200", datetime(2026, 9, 11, 5, 30, 48, tzinfo=UTC)),
        ("2026-09-18", datetime(2026, 9, 18, tzinfo=UTC)),
        ("2026-09-18T08:00:00", datetime(2026, 9, 18, 8, tzinfo=UTC)),  # naive is UTC
        ("20260918", datetime(2026, 9, 18, tzinfo=UTC)),
        ("Sep 18, 2026", datetime(2026, 9, 18, tzinfo=UTC)),
        ("  2026-09-18  ", datetime(2026, 9, 18, tzinfo=UTC)),
    ],
)
def test_formats_parse_to_utc(raw, expected):
    parsed = parse_timestamp(raw, now=NOW)
    assert parsed.value == expected
    assert parsed.value.utcoffset() == timedelta(0)
    assert parsed.raw == str(raw)
    assert parsed.flag is None


def test_future_dates_are_flagged_beyond_one_day():
    assert parse_timestamp("2026-11-26T06:00:00Z", now=NOW).flag is None  # clock skew
    future = parse_timestamp("2026-11-27T13:00:00Z", now=NOW)
    assert future == ParsedDate(None, "2026-11-27T13:00:00Z", "future")


def test_old_dates_are_flagged():
    assert parse_timestamp("1999-12-31", now=NOW) == ParsedDate(None, "1999-12-31", "before_2000")
    assert parse_timestamp(0, now=NOW).flag == "before_2000"


@pytest.mark.parametrize(
    "raw", ["garbage", "yesterday", "Posted 3 days ago", "2026-13-45", float("nan"), True, "9" * 40]
)
def test_unparseable_values_keep_their_raw_text(raw):
    parsed = parse_timestamp(raw, now=NOW)
    assert parsed.value is None
    assert parsed.flag == "unparseable"
    assert parsed.raw == str(raw)


def test_missing_values_are_not_flagged():
    assert parse_timestamp(None, now=NOW) == ParsedDate(None, None, None)
    assert parse_timestamp("", now=NOW) == ParsedDate(None, "", None)


def test_naive_now_is_treated_as_utc():
    assert parse_timestamp("2026-01-01", now=datetime(2026, 11, 25)).flag is None


def test_offset_now_is_compared_in_utc():
    plus_fourteen = timezone(timedelta(hours=14))
    now = datetime(2026, 11, 26, 0, 0, tzinfo=plus_fourteen)  # 2026-11-25T10:00Z
    assert parse_timestamp("2026-11-26T09:00:00Z", now=now).flag is None


_values = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(min_value=0, max_value=2**45).map(str),
)


@settings(max_examples=400, deadline=None)
@given(_values, st.datetimes(timezones=st.sampled_from([UTC, None])))
def test_any_value_parses_without_error(value, now):
    parsed = parse_timestamp(value, now=now)
    assert isinstance(parsed, ParsedDate)
    if parsed.value is not None:
        assert parsed.value.tzinfo is not None and parsed.value.utcoffset() == timedelta(0)
        assert parsed.value >= datetime(2000, 1, 1, tzinfo=UTC)
        assert parsed.flag is None
    else:
        assert parsed.flag in (None, "future", "before_2000", "unparseable")
    if value is not None:
        assert parsed.raw == str(value)
