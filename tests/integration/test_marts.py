"""The marts people query, checked for what they say after several weeks of crawls.

One warehouse is built for the whole module from the local demo boards, crawled four times
across six ISO weeks and a year boundary, with changes staged between crawls:

    crawl A  2026-11-24 (2026-W48)  the demo boards as they are
    crawl B  2026-12-01 (2026-W49)  Gridwise: one ML posting gone, one new ML posting;
                                    Clinica's board answers 404 (first failure)
    crawl C  2026-12-08 (2026-W50)  Ferrous: one posting gone; Clinica 404 again (second)
    (2026-W51, W52, W53: no crawl)
    crawl D  2027-01-05 (2027-W01)  Gridwise: one more posting gone; Clinica answers again
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.demo.fixture_server import DEMO_BOARDS, BoardServer, not_found
from pipelines.demo.registry import DEMO_REGISTRY, write_demo_sources
from pipelines.paths import DataPaths
from tests.conftest import materialize_pipeline

CRAWLS = {
    "A": "2026-11-24T06:00:00Z",
    "B": "2026-12-01T06:00:00Z",
    "C": "2026-12-08T06:00:00Z",
    "D": "2027-01-05T06:00:00Z",
}
WEEKS = [date(2026, 11, 23) + timedelta(weeks=n) for n in range(7)]  # W48 .. 2027-W01

GRIDWISE = "gridwise-demo"  # energy (registry hint)
FERROUS = "ferrous-vision-demo"  # industrial (registry hint)
CLINICA = "clinica-scribe-demo"
GRIDWISE_ML_GONE_AT_B = "4430745002"  # Senior Machine Learning Engineer, Load Forecasting
GRIDWISE_NEW_AT_B = "4499999002"
GRIDWISE_GONE_AT_D = "4492802002"  # Product Designer
FERROUS_GONE_AT_C = "6967958004"  # Data Analyst, Reliability
CLINICA_PATH = f"/ashby/posting-api/job-board/{CLINICA}"


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def load_board(family: str, token: str) -> dict:
    return json.loads((DEMO_BOARDS / family / f"{token}.json").read_text(encoding="utf-8"))


def write_board(folder: Path, family: str, token: str, payload: dict) -> None:
    (folder / family).mkdir(parents=True, exist_ok=True)
    (folder / family / f"{token}.json").write_text(json.dumps(payload), encoding="utf-8")


def without(payload: dict, *job_ids: str) -> dict:
    kept = [job for job in payload["jobs"] if str(job["id"]) not in job_ids]
    assert len(kept) == len(payload["jobs"]) - len(job_ids)
    return {**payload, "jobs": kept, "meta": {"total": len(kept)}}


def new_ml_posting(payload: dict) -> dict:
    """A fresh ML posting on Gridwise, published the day before crawl B."""
    template = next(job for job in payload["jobs"] if job["title"] == "Staff MLOps Engineer")
    job = copy.deepcopy(template)
    job.update(
        id=int(GRIDWISE_NEW_AT_B),
        internal_job_id=int(GRIDWISE_NEW_AT_B) + 1,
        title="Machine Learning Engineer, Grid Edge Forecasting",
        first_published="2026-11-30T09:00:00-07:00",
        updated_at="2026-11-30T09:00:00-07:00",
        absolute_url=f"https://gridwise.example/jobs/{GRIDWISE_NEW_AT_B}",
    )
    return job


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("marts")
    staged = root / "boards"  # board files here override the demo's
    data_dir = root / "data"
    gridwise = load_board("greenhouse", GRIDWISE)
    with BoardServer([staged, DEMO_BOARDS]) as server:
        sources = write_demo_sources(server, DEMO_REGISTRY, root / "sources.yaml")

        def crawl(name: str) -> None:
            result = materialize_pipeline(data_dir, sources, CRAWLS[name])
            assert result.success, f"crawl {name} failed"
            assert not server.scripted[CLINICA_PATH], "a scripted answer was left unused"

        crawl("A")
        gridwise_b = without(gridwise, GRIDWISE_ML_GONE_AT_B)
        gridwise_b["jobs"].append(new_ml_posting(gridwise))
        write_board(staged, "greenhouse", GRIDWISE, gridwise_b)
        server.script(CLINICA_PATH, not_found())
        crawl("B")
        write_board(
            staged,
            "greenhouse",
            FERROUS,
            without(load_board("greenhouse", FERROUS), FERROUS_GONE_AT_C),
        )
        server.script(CLINICA_PATH, not_found())
        crawl("C")
        write_board(staged, "greenhouse", GRIDWISE, without(gridwise_b, GRIDWISE_GONE_AT_D))
        crawl("D")

    con = duckdb.connect(str(DataPaths.at(data_dir).published_warehouse), read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    result = con.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def key(board: str, job_id: str) -> str:
    return f"greenhouse:{board}:{job_id}"


# -- ml_jobs ------------------------------------------------------------------------------


def test_ml_jobs_are_the_open_ml_postings_at_important_companies_newest_first(warehouse) -> None:
    jobs = rows(warehouse, "select * from marts.ml_jobs")  # the table's own order
    expected = {
        r["posting_key"]
        for r in rows(
            warehouse,
            "select posting_key from marts.postings "
            "where is_open and is_ml_role and is_important_problem",
        )
    }
    assert jobs and {j["posting_key"] for j in jobs} == expected
    facts = {
        r["posting_key"]: r
        for r in rows(
            warehouse, "select posting_key, is_open, is_ml_role, company from marts.postings"
        )
    }
    assert all(
        facts[j["posting_key"]]["is_open"] and facts[j["posting_key"]]["is_ml_role"] for j in jobs
    )
    assert not [
        j for j in jobs if j["company"].startswith("MegaMart")
    ]  # sector other: not important
    assert key(GRIDWISE, GRIDWISE_ML_GONE_AT_B) not in expected  # closed at B
    # newest first: posted_at descending with unknown dates last, then first seen descending
    order = [
        (
            j["posted_at"] is None,
            -(j["posted_at"] or j["first_seen_at"]).timestamp(),
            -j["first_seen_at"].timestamp(),
        )
        for j in jobs
    ]
    assert order == sorted(order)
    assert jobs[0]["posting_key"] == key(GRIDWISE, GRIDWISE_NEW_AT_B)
    assert jobs[0]["first_seen_at"] == at(CRAWLS["B"])
    assert jobs[0]["sector"] == "energy"
    assert jobs[0]["role_family"] in {"ml_engineering", "data_science", "research", "ml_platform"}


def ml_jobs_as_in_postings(con: duckdb.DuckDBPyConnection, columns: str) -> list[dict]:
    """`columns` of marts.ml_jobs, checked to be what marts.postings says of the same rows."""
    jobs = rows(con, f"select {columns} from marts.ml_jobs order by posting_key")
    postings = rows(
        con,
        f"select {columns} from marts.postings where posting_key in "
        "(select posting_key from marts.ml_jobs) order by posting_key",
    )
    assert jobs == postings
    return jobs


def test_ml_jobs_say_where_remote_applicants_may_be_and_the_employment_type(warehouse) -> None:
    jobs = ml_jobs_as_in_postings(
        warehouse, "posting_key, remote_type, remote_scope, employment_type"
    )
    assert any(j["employment_type"] for j in jobs)


def test_postings_and_ml_jobs_say_the_years_the_degree_and_the_visa_sponsorship(
    warehouse,
) -> None:
    columns = (
        "posting_key, experience_years_min, experience_years_max, degree_required, visa_sponsorship"
    )
    assert any(
        j["experience_years_min"] is not None for j in ml_jobs_as_in_postings(warehouse, columns)
    )
    found = {
        r["posting_key"]: r
        for r in rows(
            warehouse,
            f"select {columns}, experience_raw, degree_required, degree_raw from marts.postings "
            f"where board = '{CLINICA}'",
        )
    }
    # "8+ years of infrastructure or backend engineering" (an open-ended ask), and a
    # research scientist's "a PhD ..., plus 3+ years of research experience"
    platform = found[f"ashby:{CLINICA}:9ace9a88-b5f2-4cc0-b9e0-d2878423c894"]
    assert (platform["experience_years_min"], platform["experience_years_max"]) == (8, None)
    assert platform["experience_raw"] == "8+ years"
    research = found[f"ashby:{CLINICA}:789444f1-4bad-43e8-8f69-cdcc8fc431dd"]
    assert research["experience_years_min"] == 3
    assert research["experience_raw"] == "3+ years of research experience"
    # "A PhD in speech processing, machine learning or a related field"; the platform role
    # names no degree
    assert (research["degree_required"], platform["degree_required"]) == ("doctorate", None)
    assert research["degree_raw"].startswith("A PhD in speech processing")
    # no demo posting speaks of sponsoring visas ("sponsored products" are ads)
    said = rows(warehouse, "select count(visa_sponsorship) as n from marts.postings")[0]["n"]
    assert said == 0


def test_employment_type_says_whether_the_board_stated_it_or_the_title_did(warehouse) -> None:
    found = {
        r["posting_key"]: r
        for r in rows(
            warehouse,
            "select posting_key, source, employment_type, employment_type_raw, employment_basis "
            "from marts.postings",
        )
    }
    # a Greenhouse board with no employment field: the intern's title says it
    intern = found["greenhouse:ferrous-vision-demo:7033314004"]
    assert (intern["employment_type"], intern["employment_basis"]) == ("INTERN", "parsed")
    assert intern["employment_type_raw"] is None  # the board sent none
    # Ashby's field is the board's own statement
    ashby = [r for r in found.values() if r["source"] == "ashby"]
    assert ashby and all(r["employment_basis"] == "stated" for r in ashby)
    assert all(
        (r["employment_type"] is None) == (r["employment_basis"] is None) for r in found.values()
    )


def test_company_skills_count_each_companys_postings_naming_a_skill(warehouse) -> None:
    mart = rows(warehouse, "select * from marts.company_skills")
    expected = rows(
        warehouse,
        """
        with postings as (
            select posting_key, company, role_family = 'other' as outside from marts.postings
        ),
        totals as (
            select company, count(*) as total, count(*) filter (where outside) as outside_total
            from postings group by company
        )
        select p.company, s.skill, count(*) as postings,
            count(*) filter (where p.outside) as outside,
            any_value(t.total) as company_postings, any_value(t.outside_total) as outside_total
        from marts.posting_skills as s
        join postings as p using (posting_key)
        join totals as t using (company)
        group by p.company, s.skill
        """,
    )
    assert {(r["company"], r["skill"], r["postings"], r["company_postings"]) for r in mart} == {
        (r["company"], r["skill"], r["postings"], r["company_postings"]) for r in expected
    }
    by_key = {(r["company"], r["skill"]): r for r in expected}
    for r in mart:
        e = by_key[(r["company"], r["skill"])]
        wide = (
            e["company_postings"] >= 5
            and e["outside_total"] >= 3
            and e["postings"] >= 0.8 * e["company_postings"]
            and e["outside"] >= 0.8 * e["outside_total"]
        )
        assert r["is_company_wide"] == wide, r
    # the demo companies repeat their "About us" in every posting: its skills are company-wide
    assert any(r["is_company_wide"] for r in mart)
    assert any(not r["is_company_wide"] and r["postings"] > 1 for r in mart)


# -- unheard_companies ----------------------------------------------------------------------


def test_unheard_companies_exclude_household_and_rank_by_open_ml_postings(warehouse) -> None:
    ranked = rows(warehouse, "select * from marts.unheard_companies")
    companies = {r["company"]: r for r in rows(warehouse, "select * from marts.companies")}
    assert {r["company"] for r in ranked} == {
        name for name, c in companies.items() if c["prominence"] != "household"
    }
    assert "MegaMart Online (demo)" in companies and all(
        r["prominence"] != "household" for r in ranked
    )
    # competition ranking: 1 + how many companies have strictly more open ML postings
    for r in ranked:
        higher = sum(1 for o in ranked if o["open_ml_postings"] > r["open_ml_postings"])
        assert r["rank"] == higher + 1, r["company"]
        assert r["open_ml_postings"] == companies[r["company"]]["open_ml_postings"]
        assert r["ml_share"] == pytest.approx(r["open_ml_postings"] / r["open_postings"])
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)

    gridwise = next(r for r in ranked if r["company"].startswith("Gridwise"))
    open_gridwise = rows(
        warehouse,
        "select count(*) as n, count(*) filter (where is_ml_role) as ml from marts.postings "
        "where board = ? and is_open",
        [GRIDWISE],
    )[0]
    assert (gridwise["open_postings"], gridwise["open_ml_postings"]) == (
        open_gridwise["n"],
        open_gridwise["ml"],
    )
    assert open_gridwise["n"] == 9  # 10, minus two gone, plus one new


def test_unheard_companies_salary_range_is_per_single_currency(warehouse) -> None:
    pay = rows(
        warehouse,
        "select company, min(salary_yearly_min) as low, max(salary_yearly_max) as high, "
        "count(distinct salary_currency) as currencies, any_value(salary_currency) as currency "
        "from marts.postings where is_open and is_ml_role and salary_currency is not null "
        "and salary_yearly_min is not null group by company",
    )
    by_company = {r["company"]: r for r in rows(warehouse, "select * from marts.unheard_companies")}
    singles = mixed = 0
    for p in pay:
        company = by_company.get(p["company"])
        if company is None:
            continue  # household
        got = (
            company["salary_yearly_min"],
            company["salary_yearly_max"],
            company["salary_currency"],
        )
        if p["currencies"] == 1:
            singles += 1
            assert got == (p["low"], p["high"], p["currency"])
        else:
            mixed += 1
            assert got == (None, None, None)
    assert singles and mixed  # the demo has both kinds


# -- sector_trends_weekly ------------------------------------------------------------------


def trends(con: duckdb.DuckDBPyConnection, sector: str) -> list[dict]:
    return rows(
        con,
        "select * from marts.sector_trends_weekly where sector = ? order by week_start",
        [sector],
    )


def test_sector_trends_span_every_week_from_first_to_last_crawl(warehouse) -> None:
    all_rows = rows(warehouse, "select * from marts.sector_trends_weekly")
    sectors = {r["sector"] for r in rows(warehouse, "select distinct sector from marts.postings")}
    assert Counter(r["sector"] for r in all_rows) == {s: len(WEEKS) for s in sectors}
    assert sorted({r["week_start"] for r in all_rows}) == WEEKS
    iso = {r["week_start"]: (r["iso_year"], r["iso_week"]) for r in all_rows}
    assert iso[date(2026, 11, 23)] == (2026, 48)
    assert iso[date(2026, 12, 28)] == (2026, 53)
    assert iso[date(2027, 1, 4)] == (2027, 1)


def test_sector_trends_count_what_was_staged_between_crawls(warehouse) -> None:
    energy = trends(warehouse, "energy")
    assert [r["new_postings"] for r in energy] == [10, 1, 0, 0, 0, 0, 0]
    assert [r["closed_postings"] for r in energy] == [0, 1, 0, 0, 0, 0, 1]
    assert [r["open_postings"] for r in energy] == [10, 10, 10, 10, 10, 10, 9]
    # the ML posting that closed at B had been open a week; the designer, six weeks
    assert [r["median_days_open"] for r in energy] == [None, 7.0, None, None, None, None, 42.0]

    ml_at_a = rows(
        warehouse,
        "select count(*) as n from marts.postings where board = ? and is_ml_role "
        "and first_seen_at = ?",
        [GRIDWISE, at(CRAWLS["A"])],
    )[0]["n"]
    assert ml_at_a >= 2
    assert [r["new_ml_postings"] for r in energy] == [ml_at_a, 1, 0, 0, 0, 0, 0]
    assert [r["open_ml_postings"] for r in energy] == [ml_at_a] * 7  # one gone, one new

    industrial = trends(warehouse, "industrial")
    assert [r["new_postings"] for r in industrial] == [8, 0, 0, 0, 0, 0, 0]
    assert [r["closed_postings"] for r in industrial] == [0, 0, 1, 0, 0, 0, 0]
    assert [r["open_postings"] for r in industrial] == [8, 8, 7, 7, 7, 7, 7]
    assert industrial[2]["median_days_open"] == 14.0


def test_sector_trends_totals_match_the_postings(warehouse) -> None:
    weekly = rows(
        warehouse,
        "select week_start, sum(new_postings) as new, sum(closed_postings) as closed, "
        "sum(open_postings) as open from marts.sector_trends_weekly group by 1 order by 1",
    )
    postings = rows(
        warehouse,
        "select first_seen_at, closed_at, is_unconfirmed, board_confirmed_at from marts.postings",
    )
    for week in weekly:
        start = datetime.combine(week["week_start"], datetime.min.time(), UTC)
        end = start + timedelta(days=7)
        assert week["new"] == sum(start <= p["first_seen_at"] < end for p in postings)
        assert week["closed"] == sum(
            p["closed_at"] is not None and start <= p["closed_at"] < end for p in postings
        )
        assert week["open"] == sum(
            p["first_seen_at"] < end
            and (p["closed_at"] is None or p["closed_at"] >= end)
            and (not p["is_unconfirmed"] or p["board_confirmed_at"] >= end)
            for p in postings
        )
    # Clinica's failed crawls closed nothing: its postings are open throughout
    clinica = rows(
        warehouse, "select bool_and(is_open) as open from marts.postings where board = ?", [CLINICA]
    )
    assert clinica == [{"open": True}]


# -- role_trends_weekly --------------------------------------------------------------------


def test_role_trends_add_up_to_the_sector_trends(warehouse) -> None:
    summed = rows(
        warehouse,
        """
        select week_start, sector, sum(new_postings) as new, sum(closed_postings) as closed,
            sum(open_postings) as open,
            coalesce(sum(new_postings) filter (where is_ml_role), 0) as new_ml,
            coalesce(sum(open_postings) filter (where is_ml_role), 0) as open_ml
        from marts.role_trends_weekly
        group by all order by week_start, sector nulls last
        """,
    )
    sectors = rows(
        warehouse,
        "select week_start, sector, new_postings as new, closed_postings as closed, "
        "open_postings as open, new_ml_postings as new_ml, open_ml_postings as open_ml "
        "from marts.sector_trends_weekly order by week_start, sector nulls last",
    )
    assert summed == sectors
    assert len({r["week_start"] for r in summed}) == len(WEEKS)


def test_role_trends_count_each_role_family_from_the_postings(warehouse) -> None:
    postings = rows(
        warehouse,
        "select sector, role_family, is_ml_role, first_seen_at, closed_at, "
        "epoch(closed_at - first_seen_at) / 86400.0 as days_open from marts.postings",
    )
    trends = rows(warehouse, "select * from marts.role_trends_weekly")
    pairs = {(p["sector"], p["role_family"]) for p in postings}
    assert {(t["sector"], t["role_family"]) for t in trends} == pairs
    assert len(trends) == len(pairs) * len(WEEKS)
    for t in trends:
        start = datetime.combine(t["week_start"], datetime.min.time(), UTC)
        end = start + timedelta(days=7)
        mine = [
            p
            for p in postings
            if (p["sector"], p["role_family"]) == (t["sector"], t["role_family"])
        ]
        assert t["is_ml_role"] == any(p["is_ml_role"] for p in mine)
        assert t["new_postings"] == sum(start <= p["first_seen_at"] < end for p in mine)
        closed = [p for p in mine if p["closed_at"] is not None and start <= p["closed_at"] < end]
        assert t["closed_postings"] == len(closed)
        assert t["open_postings"] == sum(
            p["first_seen_at"] < end and (p["closed_at"] is None or p["closed_at"] >= end)
            for p in mine
        )
        if closed:
            days = sorted(p["days_open"] for p in closed)
            middle = len(days) // 2
            expected = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
            assert t["median_days_open"] == pytest.approx(expected)
        else:
            assert t["median_days_open"] is None
    # the ML engineer Gridwise closed at crawl B: energy's ml_engineering, week 2026-W49
    energy_mle = {
        t["week_start"]: t
        for t in trends
        if (t["sector"], t["role_family"]) == ("energy", "ml_engineering")
    }
    assert energy_mle[date(2026, 11, 30)]["closed_postings"] >= 1


# -- skills_by_sector ----------------------------------------------------------------------


def ml_postings_naming(warehouse, company_wide_only: bool = False) -> dict:
    """(sector, skill) → ML postings naming it, counted straight from the tags (only those
    at companies that name it company-wide, with `company_wide_only`)."""
    company_wide = (
        "join marts.company_skills as c on c.company = p.company and c.skill = s.skill "
        "and c.is_company_wide "
        if company_wide_only
        else ""
    )
    return {
        (r["sector"], r["skill"]): r["n"]
        for r in rows(
            warehouse,
            "select p.sector, s.skill, count(distinct p.posting_key) as n "
            "from marts.postings as p join tags.posting_skills as s using (posting_key) "
            f"{company_wide}where p.is_ml_role group by all",
        )
    }


def test_skills_by_sector_counts_each_ml_posting_once(warehouse) -> None:
    skills = rows(warehouse, "select * from marts.skills_by_sector")
    assert skills
    direct = ml_postings_naming(warehouse)
    assert {(r["sector"], r["skill"]): r["postings"] for r in skills} == direct
    totals = {
        r["sector"]: r["n"]
        for r in rows(
            warehouse,
            "select sector, count(*) as n from marts.postings where is_ml_role group by sector",
        )
    }
    for r in skills:
        assert 0 < r["share"] <= 1
        assert r["sector_ml_postings"] == totals[r["sector"]]
        assert r["share"] == pytest.approx(r["postings"] / totals[r["sector"]])
        same_sector = [o for o in skills if o["sector"] == r["sector"]]
        assert r["rank"] == 1 + sum(o["postings"] > r["postings"] for o in same_sector)
    # closed ML postings count too: the energy denominator includes the one gone at B
    energy_ml = rows(
        warehouse,
        "select count(*) filter (where not is_open) as closed from marts.postings "
        "where sector = 'energy' and is_ml_role",
    )[0]["closed"]
    assert energy_ml == 1


def test_skills_by_sector_say_how_many_postings_name_a_skill_only_company_wide(warehouse) -> None:
    skills = rows(warehouse, "select * from marts.skills_by_sector")
    direct = ml_postings_naming(warehouse, company_wide_only=True)
    assert {
        (r["sector"], r["skill"]): r["company_wide_postings"]
        for r in skills
        if r["company_wide_postings"]
    } == direct
    assert direct  # the demo companies' About text names skills in every posting
    assert all(0 <= r["company_wide_postings"] <= r["postings"] for r in skills)


# -- source_health -------------------------------------------------------------------------


def board_history(con: duckdb.DuckDBPyConnection, board: str) -> list[dict]:
    return rows(
        con, "select * from marts.source_health where board = ? order by crawled_at", [board]
    )


def test_source_health_counts_consecutive_failures(warehouse) -> None:
    assert rows(warehouse, "select count(*) as n from marts.source_health") == [{"n": 6 * 4}]
    clinica = board_history(warehouse, CLINICA)
    assert [r["crawled_at"] for r in clinica] == [at(c) for c in CRAWLS.values()]
    assert [r["outcome"] for r in clinica] == ["ok", "missing", "missing", "ok"]
    assert [r["is_complete"] for r in clinica] == [True, False, False, True]
    assert [r["http_status"] for r in clinica] == [None, 404, 404, None]
    assert [r["consecutive_failures"] for r in clinica] == [0, 1, 2, 0]
    first = clinica[0]["postings"]
    assert [r["previous_postings"] for r in clinica] == [None, first, first, first]
    assert [r["postings_change"] for r in clinica] == [None, None, None, 0]

    others = rows(
        warehouse,
        "select max(consecutive_failures) as worst from marts.source_health where board <> ?",
        [CLINICA],
    )
    assert others == [{"worst": 0}]


def test_source_health_tracks_posting_count_changes(warehouse) -> None:
    gridwise = board_history(warehouse, GRIDWISE)
    assert [r["postings"] for r in gridwise] == [10, 10, 10, 9]
    assert [r["previous_postings"] for r in gridwise] == [None, 10, 10, 10]
    assert [r["postings_change"] for r in gridwise] == [None, 0, 0, -1]
    ferrous = board_history(warehouse, FERROUS)
    assert [r["postings_change"] for r in ferrous] == [None, 0, -1, 0]
    # newest crawl first in the table's own order
    crawled = [
        r["crawled_at"] for r in rows(warehouse, "select crawled_at from marts.source_health")
    ]
    assert crawled == sorted(crawled, reverse=True)


def test_every_mart_column_carries_its_dictionary_comment(warehouse) -> None:
    undocumented = rows(
        warehouse,
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'marts' and (comment is null or comment = '')",
    )
    assert undocumented == []


# -- postings -----------------------------------------------------------------------------


def test_postings_take_each_latest_text_from_the_one_place_it_is_stored(warehouse) -> None:
    """marts.postings is a view: its description_text is joined by version from
    staging.stg_posting_versions, the only table that stores the text."""
    kinds = dict(
        warehouse.execute(
            "select table_schema || '.' || table_name, table_type from information_schema.tables "
            "where table_name in ('postings', 'postings_without_text')"
        ).fetchall()
    )
    assert kinds == {"marts.postings": "VIEW", "intermediate.postings_without_text": "BASE TABLE"}
    holding_text = rows(
        warehouse,
        "select schema_name, table_name from duckdb_columns() "
        "join duckdb_tables() using (database_name, schema_name, table_name) "
        "where column_name = 'description_text'",
    )
    assert holding_text == [{"schema_name": "staging", "table_name": "stg_posting_versions"}]
    # every posting once, with the text of its latest version (core.core_postings)
    counts = warehouse.execute(
        "select count(*), count(distinct posting_key), count(description_text), "
        "(select count(*) from intermediate.postings_without_text) from marts.postings"
    ).fetchall()[0]
    assert counts[0] == counts[1] == counts[3] and 0 < counts[2] <= counts[0]
    other_text = rows(
        warehouse,
        "select posting_key from marts.postings as m join core.core_postings as c "
        "using (posting_key) where m.description_text is distinct from c.description_text",
    )
    assert other_text == []
