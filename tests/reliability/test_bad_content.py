"""Hostile postings end stored safely: sanitized text, the raw payload kept in the raw lake,
implausible values NULL with a flag — never a crash, never a silently dropped posting. And
every posting sent is accounted for: stored, or quarantined with a reason."""

from __future__ import annotations

import html

import pytest

from pipelines.demo.hostile_server import (
    EMOJI_RTL_TITLE,
    HOSTILE_HTML_BOARD,
    HOSTILE_PAY_BOARD,
    HOSTILE_PLACES_BOARD,
    HOSTILE_TEXT_BOARD,
    SQL_TITLES,
)
from tests.reliability.conftest import HostileRun
from tests.reliability.tally import TALLY

# what no sanitized HTML may contain (compared in lower case)
EXECUTABLE = (
    "<script",
    "onerror",
    "javascript:",
    "<iframe",
    "expression(",
    "<style",
    "style=",
    "<img",
)


def stored(run: HostileRun, key: str, columns: str) -> tuple:
    rows = run.query(f"select {columns} from marts.postings where posting_key = ?", [key])
    assert len(rows) == 1, f"{key}: {len(rows)} rows in marts.postings"
    return rows[0]


def versions(run: HostileRun, key: str, columns: str) -> list[tuple]:
    return run.query(
        f"select {columns} from staging.stg_posting_versions where posting_key = ? "
        "order by content_hash",
        [key],
    )


def raw(run: HostileRun, board: str, job_id: str) -> list[dict]:
    return [r for r in run.raw_lines(board) if r["source_job_id"] == job_id]


HTML_CASES = {
    # name: (job id, the text that must remain, the raw fragment kept in the raw lake)
    "script-tag": ("9100", "Build forecasting models.\nApply today.", "<script>alert('pwned')"),
    "onerror-attribute": ("9101", "Our team\ngrows.", 'onerror="alert(document.cookie)"'),
    "javascript-link": ("9102", "Apply here or there.", 'href="javascript:alert(1)"'),
    "iframe": ("9103", "Watch:\nThanks.", '<iframe src="https://evil.example/phish">'),
    "css-expression": ("9104", "Pay well.", "expression(alert(1))"),
    "nul-bytes": ("9105", "Line one\nLine two", "Line one\x00"),
}


@pytest.mark.parametrize("name", sorted(HTML_CASES))
def test_hostile_html_is_sanitized_and_kept_raw(hostile_run: HostileRun, name: str) -> None:
    job_id, text, fragment = HTML_CASES[name]
    key = f"greenhouse:{HOSTILE_HTML_BOARD}:{job_id}"
    (description_text,) = stored(hostile_run, key, "description_text")
    assert description_text == text
    for (sanitized,) in versions(hostile_run, key, "description_html"):
        lowered = sanitized.lower()
        assert not [bad for bad in EXECUTABLE if bad in lowered], sanitized
        assert "\x00" not in sanitized
    (line,) = raw(hostile_run, HOSTILE_HTML_BOARD, job_id)
    assert fragment in html.unescape(line["raw"]["content"])  # the raw lake keeps every byte
    TALLY.bad_input(name)


def test_a_2mb_description_is_kept_raw_and_stored_truncated(hostile_run: HostileRun) -> None:
    key = f"greenhouse:{HOSTILE_HTML_BOARD}:9106"
    (text,) = stored(hostile_run, key, "description_text")
    assert 0 < len(text) <= 200_000
    assert versions(hostile_run, key, "description_flags") == [(["truncated"],)]
    assert stored(hostile_run, key, "description_flags") == (["truncated"],)  # and in marts
    (line,) = raw(hostile_run, HOSTILE_HTML_BOARD, "9106")
    assert len(html.unescape(line["raw"]["content"])) >= 2 * 1024 * 1024
    TALLY.bad_input("2mb-description")


def test_emoji_and_right_to_left_text_survive(hostile_run: HostileRun) -> None:
    title, text = stored(
        hostile_run, f"greenhouse:{HOSTILE_HTML_BOARD}:9107", "title, description_text"
    )
    assert title == EMOJI_RTL_TITLE
    assert "נשמח לשמוע ממך 🌍" in text and "טקסט מימין לשמאל" in text
    TALLY.bad_input("emoji-and-rtl")


def test_sql_looking_titles_are_stored_verbatim_and_harmless(hostile_run: HostileRun) -> None:
    for job_id, title in zip(("9200", "9201"), SQL_TITLES, strict=True):
        assert stored(hostile_run, f"greenhouse:{HOSTILE_TEXT_BOARD}:{job_id}", "title") == (title,)
    # the tables those titles name are still there, with their rows
    assert hostile_run.query("select count(*) > 0 from marts.postings") == [(True,)]
    assert hostile_run.query("select count(*) from raw.crawl_runs") == [(1,)]
    TALLY.bad_input("sql-looking-titles")


def test_a_repeated_id_in_one_page_is_one_posting_with_both_copies_kept(
    hostile_run: HostileRun,
) -> None:
    key = f"greenhouse:{HOSTILE_TEXT_BOARD}:9202"
    assert len(raw(hostile_run, HOSTILE_TEXT_BOARD, "9202")) == 2
    assert len(versions(hostile_run, key, "title")) == 2  # both contents kept as versions
    stored(hostile_run, key, "title")  # exactly one row
    TALLY.bad_input("duplicate-ids-in-one-page")


def test_a_lone_surrogate_is_kept_not_dropped(hostile_run: HostileRun) -> None:
    (title,) = stored(hostile_run, f"greenhouse:{HOSTILE_TEXT_BOARD}:9203", "title")
    assert title == "Analyst \ufffd Lone"
    TALLY.bad_input("lone-surrogate")


SALARY_CASES = {
    # name: (job id, flag in staging, salary_raw kept in marts)
    "salary-$1": ("pay-one-dollar", "implausible", "$1"),  # no period, too little for any
    "salary-$1,000,000,000/hr": ("pay-billion-hourly", "implausible", "$1,000,000,000/hr"),
    "salary-negative": (
        "pay-negative",
        "negative",
        "min=-50000; max=90000; currency=USD; interval=1 YEAR",
    ),
    "salary-min-greater-than-max": (
        "pay-min-over-max",
        "min_gt_max",
        "min=200000; max=100000; currency=USD; interval=1 YEAR",
    ),
}


@pytest.mark.parametrize("name", sorted(SALARY_CASES))
def test_implausible_pay_is_null_with_a_flag(hostile_run: HostileRun, name: str) -> None:
    job_id, flag, salary_raw = SALARY_CASES[name]
    key = f"ashby:{HOSTILE_PAY_BOARD}:{job_id}"
    row = stored(
        hostile_run, key, "salary_min, salary_max, salary_yearly_min, salary_raw, salary_flag"
    )
    assert row == (None, None, None, salary_raw, flag)  # an analyst sees why in marts
    assert versions(hostile_run, key, "salary_flag") == [(flag,)]
    TALLY.bad_input(name)


def test_pay_outside_the_suites_band_is_stored_and_quarantined_with_a_reason(
    hostile_run: HostileRun,
) -> None:
    key = f"ashby:{HOSTILE_PAY_BOARD}:pay-large-units"
    assert stored(hostile_run, key, "salary_min, salary_currency") == (200_000_000.0, "IDR")
    reasons = hostile_run.query(
        "select layer, expectation, column_name from quality.quarantine where row_key = ? "
        "order by all",
        [key],
    )
    # the core suite's band is in currency units, not scaled by currency: a warning only
    assert ("core", "expect_column_values_to_be_between", "salary_yearly_min") in reasons
    TALLY.bad_input("salary-in-large-units")


@pytest.mark.parametrize("job_id, flag", [("date-1970", "before_2000"), ("date-2100", "future")])
def test_implausible_dates_are_null_with_a_flag(
    hostile_run: HostileRun, job_id: str, flag: str
) -> None:
    key = f"ashby:{HOSTILE_PAY_BOARD}:{job_id}"
    posted_at, posted_at_raw, marts_flag = stored(
        hostile_run, key, "posted_at, posted_at_raw, posted_at_flag"
    )
    assert marts_flag == flag
    assert posted_at is None and posted_at_raw.startswith(job_id[-4:])
    assert versions(hostile_run, key, "posted_at_flag") == [(flag,)]
    TALLY.bad_input(job_id)


def test_ten_thousand_locations_are_stored(hostile_run: HostileRun) -> None:
    (line,) = raw(hostile_run, HOSTILE_PLACES_BOARD, "places-10000")
    assert len(line["raw"]["categories"]["allLocations"]) == 10_000
    (location_raw,) = stored(
        hostile_run, f"lever:{HOSTILE_PLACES_BOARD}:places-10000", "location_raw"
    )
    assert location_raw.count("; ") == 9_999
    TALLY.bad_input("10000-locations")


def test_fields_of_the_wrong_json_type_keep_the_posting(hostile_run: HostileRun) -> None:
    (line,) = raw(hostile_run, HOSTILE_PLACES_BOARD, "wrong-json-types")
    assert line["raw"]["lists"] is True  # the raw lake keeps the payload as sent
    assert line["raw"]["categories"] == "Oslo, Norway"
    title, text, location_raw, salary_min = stored(
        hostile_run,
        f"lever:{HOSTILE_PLACES_BOARD}:wrong-json-types",
        "title, description_text, location_raw, salary_min",
    )
    assert (title, text) == ("Grid Analyst (odd shapes)", "Fields of the wrong JSON type.")
    assert (location_raw, salary_min) == (None, None)  # unreadable shapes are unknown
    TALLY.bad_input("wrong-json-types")


def test_no_control_characters_reach_stored_titles(hostile_run: HostileRun) -> None:
    (title,) = stored(hostile_run, f"greenhouse:{HOSTILE_HTML_BOARD}:9105", "title")
    assert "\x00" not in title


def test_every_bad_input_is_in_the_catalogue(hostile_run: HostileRun) -> None:
    names = {b.name for b in hostile_run.server.bad_inputs}
    covered = (
        set(HTML_CASES)
        | set(SALARY_CASES)
        | {
            "2mb-description",
            "emoji-and-rtl",
            "sql-looking-titles",
            "duplicate-ids-in-one-page",
            "lone-surrogate",
            "date-1970",
            "date-2100",
            "10000-locations",
            "wrong-json-types",
            "salary-in-large-units",
        }
    )
    assert names == covered


def test_every_posting_sent_is_stored_or_quarantined(hostile_run: HostileRun) -> None:
    sent = hostile_run.sent_keys()
    core = {k for (k,) in hostile_run.query("select posting_key from core.core_postings")}
    marts = {
        k
        for (k,) in hostile_run.query(
            "select posting_key from marts.postings "
            "union all select unnest(also_listed_as) from marts.postings"
        )
    }
    quarantine = hostile_run.query(
        "select row_key, expectation, column_name from quality.quarantine"
    )
    quarantined = {key for key, expectation, _ in quarantine if expectation}  # with a reason
    assert core == marts, "marts.postings lost or invented postings against core"
    missing = sent - core - quarantined
    assert not missing, f"postings sent but neither stored nor quarantined: {sorted(missing)}"
    assert core - sent == set(), "stored postings nobody sent"
    TALLY.postings_sent = len(sent)
    TALLY.postings_accounted = len(sent & (core | quarantined))
    TALLY.postings_stored = len(sent & core)
    TALLY.postings_quarantined = len(sent & quarantined)
    assert TALLY.postings_accounted == len(sent)
    # and nothing was dropped on the way into the raw lake
    assert all(b["dropped"] == 0 for b in hostile_run.manifest["boards"])
