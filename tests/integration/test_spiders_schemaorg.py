"""Real crawls over HTTP of careers sites with schema.org JobPosting markup."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import board_outcome, read_raw, run_crawl, write_sources

TIDEWATER = "/schemaorg/tidewater-grid"
HARVEST = "/schemaorg/harvest-loop"


def site_entry(server, token: str, company: str, page: str = "") -> dict:
    return {
        "company": company,
        "family": "schemaorg",
        "token": token,
        "url": f"{server.base_url}/schemaorg/{token}/{page}",
    }


def test_careers_page_is_followed_to_its_job_pages(board_server, tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            site_entry(board_server, "tidewater-grid", "Tidewater Grid Analytics"),
            site_entry(board_server, "no-such-site", "Gone Inc"),
        ],
    )
    raw = tmp_path / "raw"
    manifest = run_crawl(sources, raw)

    outcome = board_outcome(manifest, "tidewater-grid")
    assert outcome["outcome"] == "ok" and outcome["postings"] == 4
    records = {r["title"]: r for r in read_raw(raw, manifest, "tidewater-grid")}
    assert set(records) == {
        "Machine Learning Engineer, Grid Forecasting",
        "Computer Vision Scientist, Field Inspection",
        "Data Engineer (Remote, US)",
        "Substation Technician",
    }

    # JSON-LD: identifier -> job id, list employment type, PostalAddress, yearly range
    ml = records["Machine Learning Engineer, Grid Forecasting"]
    assert ml["source_job_id"] == "TGA-2026-014"
    assert ml["url"] == f"{board_server.base_url}{TIDEWATER}/jobs/grid-forecasting-ml-engineer.html"
    assert ml["employment_type_raw"] == "FULL_TIME; CONTRACTOR"
    assert (ml["location_raw"], ml["country_raw"]) == ("Portland, OR, US", "US")
    assert ml["salary_stated"] == {
        "min": 145000.0,
        "max": 182000.0,
        "currency": "USD",
        "interval": "YEAR",
    }
    assert ml["posted_at_raw"] == "2026-10-02" and "<strong>" in ml["description_html"]
    assert ml["raw"]["job_posting"]["validThrough"] == "2026-12-31T23:59"
    assert ml["raw"]["syntax"] == "json-ld"

    # microdata: nested Country {name}, hourly pay, the description kept as HTML
    cv = records["Computer Vision Scientist, Field Inspection"]
    assert cv["raw"]["syntax"] == "microdata" and cv["source_job_id"] == "TGA-2026-009"
    assert cv["location_raw"] == "Halifax, NS, Canada"
    assert cv["salary_stated"]["interval"] == "HOUR" and cv["salary_stated"]["min"] == 58.5
    assert "<em>corrosion" in cv["description_html"]

    # @graph / mainEntity beside a broken JSON-LD block; TELECOMMUTE; no identifier;
    # the canonical URL drops the query the careers page linked with
    remote = records["Data Engineer (Remote, US)"]
    assert remote["url"] == f"{board_server.base_url}{TIDEWATER}/jobs/remote-data-engineer.html"
    assert remote["remote_raw"] == "remote" and remote["location_raw"] == "USA"
    assert len(remote["source_job_id"]) == 16  # a stable hash of the canonical URL
    assert remote["description_is_escaped"] is True
    assert (
        remote["salary_stated"]["min"] == 9500.0 and remote["salary_stated"]["interval"] == "MONTH"
    )

    # several places; a full-IRI @type inside a top-level list
    tech = records["Substation Technician"]
    assert tech["location_raw"] == "Salem, OR, United States; Eugene, Oregon"

    # each page once (a fragment or query variant is the same page); nothing off-host,
    # nothing that does not look like a job
    assert board_server.hits[f"{TIDEWATER}/jobs/grid-forecasting-ml-engineer.html"] == 1
    assert board_server.hits[f"{TIDEWATER}/about.html"] == 0
    assert outcome["requests"] == 6 and outcome["error"] is None
    # a listed job page that is gone (404) is a stale link, not a dead board
    assert board_server.hits[f"{TIDEWATER}/jobs/battery-dispatch-analyst.html"] == 1
    assert outcome["complete"] is True

    missing = board_outcome(manifest, "no-such-site")
    assert (missing["outcome"], missing["http_status"]) == ("missing", 404)


def test_sitemap_index_leads_to_the_job_pages(board_server, tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "sources.yaml",
        [site_entry(board_server, "harvest-loop", "Harvest Loop", "sitemap_index.xml")],
    )
    raw = tmp_path / "raw"
    manifest = run_crawl(sources, raw)

    outcome = board_outcome(manifest, "harvest-loop")
    assert outcome["outcome"] == "ok" and outcome["postings"] == 2
    records = {r["source_job_id"]: r for r in read_raw(raw, manifest, "harvest-loop")}
    assert set(records) == {"88213", "88240"}  # PropertyValue with a number; a bare string
    lead = records["88213"]
    assert lead["salary_stated"] == {
        "min": 78000.0,
        "max": 96000.0,
        "currency": "EUR",
        "interval": "YEAR",
    }
    assert lead["company"] == "Harvest Loop"  # the registry's name; the markup's is in raw
    assert lead["raw"]["job_posting"]["hiringOrganization"]["name"] == "Harvest Loop B.V."
    # the jobs sitemap is read, the pages sitemap is not; the off-site <loc> is skipped
    assert board_server.hits[f"{HARVEST}/sitemap-jobs.xml"] == 1
    assert board_server.hits[f"{HARVEST}/sitemap-pages.xml"] == 0
    assert outcome["requests"] == 4


def test_page_cap_bounds_a_site_and_keys_are_stable(board_server, tmp_path: Path) -> None:
    sources = write_sources(
        tmp_path / "sources.yaml",
        [site_entry(board_server, "tidewater-grid", "Tidewater Grid Analytics")],
    )
    full = run_crawl(sources, tmp_path / "raw-full")
    capped = run_crawl(
        sources, tmp_path / "raw-capped", settings={"UNHEARD_MAX_PAGES_PER_BOARD": "5"}
    )

    outcome = board_outcome(capped, "tidewater-grid")
    assert outcome["capped"] is True and outcome["requests"] == 5
    # a capped crawl saw part of the board: it is not complete, so it closes nothing
    assert outcome["outcome"] == "capped" and outcome["postings"] == 4
    assert board_outcome(full, "tidewater-grid")["capped"] is False

    # the same pages give the same posting keys run after run, hashed ids included
    def keys(manifest: dict, raw: Path) -> list[str]:
        return sorted(r["posting_key"] for r in read_raw(raw, manifest, "tidewater-grid"))

    assert keys(capped, tmp_path / "raw-capped") == keys(full, tmp_path / "raw-full")
    assert len(set(keys(full, tmp_path / "raw-full"))) == 4
