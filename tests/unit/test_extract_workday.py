"""The Workday token parser and extractor on the fixture site's list entries and details."""

from __future__ import annotations

import json

import pytest

from spiders.extract import workday
from spiders.registry import Source
from tests.conftest import TEST_BOARDS

BOARD = json.loads(
    (TEST_BOARDS / "workday" / "northbayhealth.wd5_NorthbayCareers.json").read_text("utf-8")
)
SOURCE = Source(company="Northbay", family="workday", token="northbayhealth.wd5/NorthbayCareers")
HOST = "https://northbayhealth.wd5.myworkdayjobs.com"


def test_tokens_name_tenant_instance_and_site() -> None:
    site = workday.parse_token("acme.wd12/External_Careers")
    assert (site.tenant, site.instance, site.site) == ("acme", "12", "External_Careers")
    assert site.host == "https://acme.wd12.myworkdayjobs.com"
    assert site.api_base() == "https://acme.wd12.myworkdayjobs.com/wday/cxs/acme/External_Careers"
    assert (
        site.api_base("http://127.0.0.1:9/x/")
        == "http://127.0.0.1:9/x/wday/cxs/acme/External_Careers"
    )
    for bad in ("acme", "acme/External", "acme.wd/External", "acme.wd5/a/b"):
        with pytest.raises(ValueError, match="Workday token"):
            workday.parse_token(bad)


def test_list_entries_alone_make_postings() -> None:
    items = workday.extract_postings({"total": 7, "jobPostings": BOARD["jobPostings"]}, SOURCE)
    assert len(items) == len(BOARD["jobPostings"])
    first = items[0]
    path = BOARD["jobPostings"][0]["externalPath"]
    assert first.url == f"{HOST}/NorthbayCareers{path}"
    assert first.source_job_id == "R0041207"  # the path's trailing id
    assert (first.title, first.location_raw) == (
        "Machine Learning Engineer, Clinical Imaging", "Duluth, MN",
    )  # fmt: skip
    assert first.posted_at_raw == "Posted 10 Days Ago" and first.description_html is None
    counted = next(i for i in items if i.title == "Senior Data Engineer")
    assert counted.location_raw is None  # "2 Locations" names no place


def test_the_detail_completes_the_posting() -> None:
    entry = BOARD["jobPostings"][5]
    detail = BOARD["details"][entry["externalPath"]]
    item = workday.extract_posting(entry, SOURCE, detail)
    info = detail["jobPostingInfo"]
    assert item.source_job_id == info["jobReqId"]
    assert item.description_html == info["jobDescription"]
    assert item.location_raw == "Duluth, MN; Minneapolis, MN"
    assert (item.country_raw, item.remote_raw, item.employment_type_raw) == (
        "US",
        "Hybrid",
        "Full time",
    )
    assert item.posted_at_raw == info["startDate"]
    assert item.raw == {**entry, "detail": detail}


def test_job_req_id_wins_over_the_path_and_errors_are_noted() -> None:
    entry = {"title": "T", "externalPath": "/job/Berlin/Data-Scientist_R-1234-1"}
    assert workday.extract_posting(entry, SOURCE).source_job_id == "R-1234-1"
    detail = {"jobPostingInfo": {"jobReqId": "R-1234"}}
    assert workday.extract_posting(entry, SOURCE, detail).source_job_id == "R-1234"
    failed = workday.extract_posting(entry, SOURCE, detail_error="HTTP 500")
    assert failed.raw["detail_error"] == "HTTP 500" and failed.raw["detail"] is None
    assert workday.path_id("/job/Remote/Analyst") == "Analyst"


def test_bad_answers_raise_and_entries_without_a_path_are_skipped() -> None:
    assert workday.extract_postings({"jobPostings": [{"title": "no path"}]}, SOURCE) == []
    with pytest.raises(ValueError, match="jobPostings"):
        workday.extract_postings({"errorCode": "HTTP_400"}, SOURCE)
    assert workday.total({"total": "12"}) == 12 and workday.total({}) == 0
