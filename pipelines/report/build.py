"""The static HTML report: "where to work in ML", one self-contained file.

`build_report(con, out)` reads the published warehouse (read-only) and writes one HTML file
that works offline: the Vega, Vega-Lite and Vega-Embed JavaScript is inlined (from the
`vl-convert-python` bundle), the chart specs are built with Altair and embedded as JSON, and
the filters are a few lines of plain JavaScript over data attributes. Every value from the
data (titles, company names, locations, errors) is other people's text and is escaped.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from string import Template
from typing import Any

import altair as alt
import duckdb
import platformdirs
import yaml

from pipelines.paths import DataPaths
from pipelines.tagging.sectors import IMPORTANT_SECTORS, SECTOR_CODES
from warehouse import TAXONOMIES_DIR, load_yaml

TEMPLATE = Path(__file__).resolve().parent / "template.html"
UNKNOWN = "unknown"  # the filter value for NULL (the posting did not say)
ML_BADGE = ' <span class="badge ml">ML</span>'
LIST_LIMIT = 40  # rows per "what changed" list before "and N more"

SECTOR_COLORS = {
    "energy": "#e9a23b",
    "climate": "#2a9d8f",
    "health": "#e76f51",
    "life_sciences": "#9b5de5",
    "agriculture_food": "#6a994e",
    "industrial": "#577590",
    "mobility": "#277da1",
    "education": "#f28482",
    "public_good": "#c9184a",
    "finance": "#8d99ae",
    "software": "#6c757d",
    "other": "#adb5bd",
    UNKNOWN: "#ced4da",
}
SENIORITY_ORDER = ("intern", "junior", "mid", "senior", "staff", "manager", "executive")
SENIORITY_COLORS = (
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08306b",
    "#f4a261",
    "#e76f51",
    "#b8c0cb",
)
REMOTE_LABELS = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site", UNKNOWN: "Not stated"}
# the lowest degree a role requires, as its row says it
DEGREE_LABELS = {"bachelor": "Bachelor's", "master": "Master's", "doctorate": "PhD"}
# the experience filter's bands, by the fewest years a role asks for: (key, label, most years)
EXPERIENCE_BANDS = (
    ("0-2", "Up to 2 years", 2),
    ("3-4", "3–4 years", 4),
    ("5-7", "5–7 years", 7),
    ("8+", "8 years or more", None),
)
# Employment terms a job seeker should see beside the title (full time is the default).
EMPLOYMENT_LABELS = {
    "PART_TIME": "part time",
    "CONTRACTOR": "contract",
    "TEMPORARY": "temporary",
    "INTERN": "internship",
    "VOLUNTEER": "volunteer",
    "PER_DIEM": "per diem",
}
PERIOD_LABELS = {"hour": "hour", "day": "day", "week": "week", "month": "month", "year": "year"}
CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "INR": "₹",
    "JPY": "¥",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "SGD": "S$",
    "HKD": "HK$",
    "CHF": "CHF ",
}
EMBED_CONFIG = {
    "font": "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
    "view": {"stroke": None},
    "axis": {
        "labelColor": "#5d6b7d",
        "titleColor": "#5d6b7d",
        "gridColor": "#edf0f4",
        "domainColor": "#cfd6e0",
        "tickColor": "#cfd6e0",
        "labelFontSize": 11.5,
        "titleFontSize": 12,
        "titleFontWeight": 600,
    },
    "legend": {
        "labelColor": "#1c2430",
        "titleColor": "#5d6b7d",
        "labelFontSize": 12,
        "titleFontSize": 12,
        "orient": "bottom",
        "direction": "horizontal",
        "columns": 5,
        "symbolType": "circle",
    },
}


# --------------------------------------------------------------------------- public API


def report_path(paths: DataPaths) -> Path:
    """Where a deployment's report lives: `<data-dir>/report/index.html`."""
    return paths.root / "report" / "index.html"


def build_report(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    """Query the published warehouse on `con` and write the report to `out` (atomically)."""
    document = render_report(collect(con))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(document, encoding="utf-8")
    os.replace(partial, out)
    return out


def report_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The headline numbers of the report, for run metadata."""
    return collect(con).counts()


# --------------------------------------------------------------------------- data


@dataclass
class ReportData:
    generated_at: datetime
    runs: list[dict[str, Any]]  # latest crawl runs, newest first (at most two)
    roles: list[dict[str, Any]]  # open ML roles at non-household important-problem companies
    companies: dict[str, dict[str, Any]]  # marts.unheard_companies + homepage, by company
    trends: list[dict[str, Any]]  # marts.sector_trends_weekly
    skills: list[dict[str, Any]]  # marts.skills_by_sector (top ranks)
    salaries: list[dict[str, Any]]  # open ML roles' yearly salary by sector x seniority x currency
    new_companies: list[dict[str, Any]] = field(default_factory=list)
    new_roles: list[dict[str, Any]] = field(default_factory=list)
    closed_roles: list[dict[str, Any]] = field(default_factory=list)
    total_companies: int = 0
    total_ml_roles: int = 0
    boards: list[dict[str, Any]] = field(default_factory=list)  # latest run's source health
    # boards whose open postings are unconfirmed (no complete crawl for a week), by board
    unconfirmed: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)  # latest run, grouped
    quarantined_rows: int = 0
    checks: dict[str, int] = field(default_factory=dict)
    # the run's checks that warned (not blocking): what to look at, though it published
    warnings: list[dict[str, Any]] = field(default_factory=list)
    validation_run: str | None = None

    @property
    def latest_run(self) -> dict[str, Any] | None:
        return self.runs[0] if self.runs else None

    @property
    def previous_run(self) -> dict[str, Any] | None:
        return self.runs[1] if len(self.runs) > 1 else None

    def counts(self) -> dict[str, int]:
        return {
            "unheard_companies_hiring_ml": len({r["company"] for r in self.roles}),
            "open_ml_roles": len(self.roles),
            "sectors": len({r["group_sector"] for r in self.roles}),
            "new_companies": len(self.new_companies) if self.previous_run else 0,
            "new_ml_roles": len(self.new_roles) if self.previous_run else 0,
            "closed_roles": len(self.closed_roles) if self.previous_run else 0,
            "boards_crawled": len(self.boards),
            "boards_failed": sum(1 for b in self.boards if not b["is_complete"]),
            "postings_quarantined": self.quarantined_rows,
        }


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable[Any] = ()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
    )


def _group_sector(sector: str | None, secondary: str | None) -> str:
    """The important problem a company is listed under: its primary sector when that is an
    important one, else its secondary (a lender to farmers is listed under agriculture)."""
    if sector in IMPORTANT_SECTORS:
        return sector
    if secondary in IMPORTANT_SECTORS:
        return secondary
    return sector or UNKNOWN


def collect(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Everything the report shows, read from the published warehouse."""
    runs = _rows(
        con,
        "select run_id, crawled_at from raw.crawl_runs order by crawled_at desc, run_id desc "
        "limit 2",
    )
    roles = _rows(
        con,
        """
        select posting_key, company, title, url, sector, sector_secondary, prominence,
            role_family, seniority, experience_years_min, experience_years_max, degree_required,
            visa_sponsorship, location_raw,
            city, country_code, remote_type, remote_scope, employment_type, salary_min,
            salary_max, salary_currency, salary_period,
            salary_yearly_min, salary_yearly_max, skills, posted_at, first_seen_at
        from marts.ml_jobs
        where prominence is distinct from 'household'
        order by company, seniority nulls last, title, posting_key
        """,
    )
    for role in roles:
        role["group_sector"] = _group_sector(role["sector"], role["sector_secondary"])
    companies = {
        row["company"]: row
        for row in _rows(
            con,
            """
            with company_wide as (
                select company, list(skill order by postings desc, skill) as company_wide_skills
                from marts.company_skills
                where is_company_wide
                group by company
            )
            select u.*, c.homepage, coalesce(w.company_wide_skills, []) as company_wide_skills
            from marts.unheard_companies as u
            left join marts.companies as c using (company)
            left join company_wide as w using (company)
            """,
        )
    }
    trends = _rows(
        con,
        """
        select week_start, coalesce(sector, 'unknown') as sector, new_postings,
            closed_postings, open_postings, new_ml_postings, open_ml_postings
        from marts.sector_trends_weekly
        order by week_start, sector
        """,
    )
    skills = _rows(
        con,
        """
        -- what roles ask for on their own: less the postings that name a skill only as
        -- their company does in every posting (its About text, its stack)
        with asked_by_roles as (
            select coalesce(sector, 'unknown') as sector, skill, category,
                postings - company_wide_postings as postings, sector_ml_postings
            from marts.skills_by_sector
            where postings > company_wide_postings
        )
        select sector, rank() over (partition by sector order by postings desc) as rank,
            skill, category, postings, postings / sector_ml_postings as share,
            sector_ml_postings
        from asked_by_roles
        qualify rank <= 8
        """,
    )
    salaries = _rows(
        con,
        """
        select
            coalesce(sector, 'unknown') as sector,
            coalesce(seniority, 'not stated') as seniority,
            salary_currency as currency,
            count(*) as postings,
            min(coalesce(salary_yearly_min, salary_yearly_max)) as low,
            max(coalesce(salary_yearly_max, salary_yearly_min)) as high,
            median((coalesce(salary_yearly_min, salary_yearly_max)
                + coalesce(salary_yearly_max, salary_yearly_min)) / 2) as midpoint
        from marts.postings
        where is_open and not is_unconfirmed and is_ml_role and salary_currency is not null
            and coalesce(salary_yearly_min, salary_yearly_max) is not null
        group by all
        order by currency, sector, seniority
        """,
    )
    data = ReportData(
        generated_at=datetime.now(UTC),
        runs=runs,
        roles=roles,
        companies=companies,
        trends=trends,
        skills=skills,
        salaries=salaries,
    )
    data.total_companies = con.execute("select count(*) from marts.companies").fetchall()[0][0]
    data.total_ml_roles = con.execute(
        "select count(*) from marts.postings where is_open and not is_unconfirmed and is_ml_role"
    ).fetchall()[0][0]
    _collect_changes(con, data)
    _collect_quality(con, data)
    return data


def _collect_changes(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    """New companies, new ML roles and closed roles: what the latest crawl run found that the
    one before it had not (first seen, or closed, after the previous run's crawl time)."""
    if data.latest_run is None:
        return
    since = data.previous_run["crawled_at"] if data.previous_run else None
    data.new_companies = _rows(
        con,
        """
        select company, sector, sector_secondary, prominence, open_ml_postings, open_postings
        from marts.companies
        where ?::timestamptz is null or first_seen_at > ?::timestamptz
        order by open_ml_postings desc, company
        """,
        [since, since],
    )
    data.new_roles = _rows(
        con,
        """
        select company, title, url, sector, prominence, location_raw, remote_type, is_open
        from marts.postings
        where is_ml_role and (?::timestamptz is null or first_seen_at > ?::timestamptz)
        order by company, title, posting_key
        """,
        [since, since],
    )
    if since is not None:
        data.closed_roles = _rows(
            con,
            """
            select company, title, url, sector, prominence, is_ml_role, role_family,
                first_seen_at, closed_at
            from marts.postings
            where closed_at > ?::timestamptz
            order by is_ml_role desc nulls last, company, title, posting_key
            """,
            [since],
        )


def _collect_quality(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    if data.latest_run is not None:
        data.boards = _rows(
            con,
            """
            select source, board, company, outcome, is_complete, error, http_status,
                postings, consecutive_failures, postings_change
            from marts.source_health
            where run_id = ?
            order by is_complete, source, board
            """,
            [data.latest_run["run_id"]],
        )
    data.unconfirmed = _rows(
        con,
        """
        select source, board, any_value(company) as company, count(*) as postings,
            max(board_confirmed_at) as confirmed_at
        from marts.postings
        where is_unconfirmed
        group by source, board
        order by postings desc, source, board
        """,
    )
    if not _has_table(con, "quality", "validation_results"):
        return
    latest = con.execute(
        "select run_id from quality.validation_results order by validated_at desc limit 1"
    ).fetchall()
    if not latest:
        return
    data.validation_run = latest[0][0]
    checks = con.execute(
        """
        select count(*), count(*) filter (where success),
            count(*) filter (where not success and blocking),
            count(*) filter (where not success and not blocking)
        from quality.validation_results where run_id = ?
        """,
        [data.validation_run],
    ).fetchall()[0]
    data.checks = dict(
        zip(("expectations", "passed", "blocking_failed", "warnings"), checks, strict=True)
    )
    data.warnings = _rows(
        con,
        """
        select layer, expectation, unexpected_count, element_count,
            try_cast(details as varchar[]) as details
        from quality.validation_results
        where run_id = ? and not success and not blocking
        order by layer, expectation
        """,
        [data.validation_run],
    )
    if _has_table(con, "quality", "quarantine"):
        data.quarantine = _rows(
            con,
            """
            select layer, expectation, column_name, count(*) as rows,
                count(distinct row_key) as postings,
                list(distinct value order by value) filter (where value is not null)[1:3]
                    as examples
            from quality.quarantine
            where run_id = ?
            group by all
            order by rows desc, layer, expectation
            """,
            [data.validation_run],
        )
        data.quarantined_rows = con.execute(
            "select count(distinct row_key) from quality.quarantine where run_id = ?",
            [data.validation_run],
        ).fetchall()[0][0]


# --------------------------------------------------------------------------- formatting


def esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


@functools.lru_cache(maxsize=1)
def sector_names() -> dict[str, str]:
    names = {code: code.replace("_", " ").capitalize() for code in SECTOR_CODES}
    try:
        document = load_yaml((TAXONOMIES_DIR / "sectors.yaml").read_text(encoding="utf-8"))
        for code, entry in (document.get("sectors") or {}).items():
            if isinstance(entry, dict) and entry.get("name"):
                names[code] = str(entry["name"])
    except (OSError, yaml.YAMLError):
        pass
    names[UNKNOWN] = "Sector unknown"
    return names


SHORT_SECTOR_NAMES = {
    "agriculture_food": "Agriculture & food",
    "industrial": "Industry",
    "mobility": "Transport",
    "public_good": "Public good",
    "climate": "Climate",
    "health": "Health",
    "life_sciences": "Life sciences",
    UNKNOWN: "Unknown",
}


def short_sector_name(code: str | None) -> str:
    """A sector's name short enough for a chart axis or legend."""
    return SHORT_SECTOR_NAMES.get(code or UNKNOWN) or sector_name(code)


def sector_name(code: str | None) -> str:
    return sector_names().get(code or UNKNOWN, code or UNKNOWN)


def country_name(code: str | None) -> str:
    if not code:
        return "Not stated"
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code)
    except (ImportError, KeyError, LookupError):
        country = None
    return getattr(country, "common_name", None) or getattr(country, "name", None) or code


def _when(value: Any) -> datetime | date | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value if isinstance(value, date) else None


def fmt_date(value: Any) -> str:
    moment = _when(value)
    return f"{moment:%b} {moment.day}, {moment.year}" if moment else "—"


def fmt_time(value: Any) -> str:
    moment = _when(value)
    if isinstance(moment, datetime):
        return f"{fmt_date(moment)}, {moment:%H:%M} UTC"
    return fmt_date(moment)


def _amount(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.3g}k"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fmt_money(value: float | None, currency: str | None) -> str:
    if value is None:
        return ""
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{_amount(value)}" if symbol else f"{_amount(value)} {code}".strip()


def fmt_salary(row: dict[str, Any]) -> str:
    """Stated pay as it was stated ("$170k – $205k / year"), or '' when none was."""
    low, high, currency = row.get("salary_min"), row.get("salary_max"), row.get("salary_currency")
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        text = f"{fmt_money(low, currency)} – {fmt_money(high, currency)}"
    elif low is not None and high is not None:
        text = fmt_money(low, currency)
    elif low is not None:
        text = f"from {fmt_money(low, currency)}"
    else:
        text = f"up to {fmt_money(high, currency)}"
    period = PERIOD_LABELS.get(row.get("salary_period") or "")
    return f"{text} / {period}" if period else text


def _salary_cell(row: dict[str, Any]) -> str:
    text = fmt_salary(row)
    if not text:
        return '<span class="muted">not stated</span>'
    note = ""
    if row.get("salary_period") not in (None, "year") and row.get("salary_yearly_max"):
        yearly = fmt_money(row["salary_yearly_max"], row.get("salary_currency"))
        note = f' title="{esc("about " + yearly + " a year at full time")}"'
    return f"<span{note}>{esc(text)}</span>"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def safe_url(url: Any) -> str | None:
    """Only http(s) links are rendered as links (no javascript: or data: URLs)."""
    if isinstance(url, str) and re.match(r"^https?://[^\s\"'<>]+$", url):
        return url
    return None


def link(text: Any, url: Any) -> str:
    href = safe_url(url)
    if href is None:
        return esc(text)
    return f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def remote_badge(remote_type: str | None) -> str:
    key = remote_type if remote_type in REMOTE_LABELS else UNKNOWN
    return f'<span class="badge {key}">{esc(REMOTE_LABELS[key])}</span>'


def employment_badge(employment_type: str | None) -> str:
    label = EMPLOYMENT_LABELS.get(employment_type or "")
    return f' <span class="badge term">{esc(label)}</span>' if label else ""


def visa_badge(sponsorship: bool | None) -> str:
    """What the posting says of sponsoring work visas, when it says anything."""
    if sponsorship is None:
        return ""
    label, kind = ("visa sponsorship", "visa") if sponsorship else ("no visa sponsorship", "novisa")
    return f' <span class="badge {kind}">{label}</span>'


def work_mode_cell(remote_type: str | None, scope: list[str] | None) -> str:
    """The work-mode badge, and for a remote role where applicants may be ("US, CA")."""
    cell = remote_badge(remote_type)
    if remote_type == "remote" and scope:
        cell += f'<div class="muted scope">{esc(", ".join(scope))}</div>'
    return cell


def prominence_badge(prominence: str | None) -> str:
    if prominence in ("known", "household"):
        return f' <span class="badge {prominence}">{esc(prominence)}</span>'
    return ""


def _json_for_script(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in."""
    text = json.dumps(value, ensure_ascii=True, default=str, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --------------------------------------------------------------------------- sections


def _kpis(data: ReportData) -> str:
    counts = data.counts()
    tiles = [
        (counts["unheard_companies_hiring_ml"], "unheard companies hiring for ML"),
        (counts["open_ml_roles"], "open ML roles at them"),
        (counts["sectors"], "important-problem sectors"),
        (
            f"{counts['boards_crawled'] - counts['boards_failed']}/{counts['boards_crawled']}",
            "boards crawled in the latest run",
        ),
    ]
    return "".join(
        f'<div class="kpi"><b>{esc(v)}</b><span>{esc(label)}</span></div>' for v, label in tiles
    )


def _options(values: Iterable[tuple[str, str]], everything: str) -> str:
    options = [f'<option value="">{esc(everything)}</option>']
    options += [f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values]
    return "".join(options)


def _filters(data: ReportData) -> str:
    if not data.roles:
        return ""
    sectors = sorted({r["group_sector"] for r in data.roles}, key=sector_name)
    remotes = [k for k in REMOTE_LABELS if any(_remote_key(r) == k for r in data.roles)]
    countries = sorted(
        {r["country_code"] or UNKNOWN for r in data.roles},
        key=lambda c: (c == UNKNOWN, country_name(None if c == UNKNOWN else c)),
    )
    levels = [
        s
        for s in (*SENIORITY_ORDER, UNKNOWN)
        if any((r["seniority"] or UNKNOWN) == s for r in data.roles)
    ]

    bands = [
        (key, label)
        for key, label in [*((k, la) for k, la, _ in EXPERIENCE_BANDS), (UNKNOWN, "Not stated")]
        if any(_experience_key(r) == key for r in data.roles)
    ]

    degrees = [
        (key, DEGREE_LABELS.get(key, "None named"))
        for key in (*DEGREE_LABELS, UNKNOWN)
        if any((r.get("degree_required") or UNKNOWN) == key for r in data.roles)
    ]

    def level_label(level: str) -> str:
        return "Not stated" if level == UNKNOWN else level.capitalize()

    selects = [
        ("sector", "Sector", _options(((s, sector_name(s)) for s in sectors), "All sectors")),
        (
            "remote",
            "Work mode",
            _options(((k, REMOTE_LABELS[k]) for k in remotes), "Any work mode"),
        ),
        (
            "country",
            "Country",
            _options(
                ((c, country_name(None if c == UNKNOWN else c)) for c in countries), "Any country"
            ),
        ),
        (
            "seniority",
            "Seniority",
            _options(((s, level_label(s)) for s in levels), "Any seniority"),
        ),
        ("experience", "Experience asked", _options(bands, "Any experience")),
        ("degree", "Degree required", _options(degrees, "Any degree")),
    ]
    fields = "".join(
        f'<label>{esc(label)}<select data-filter="{key}" id="filter-{key}">{options}</select>'
        f"</label>"
        for key, label, options in selects
    )
    return (
        f'<div class="filters card" role="search">{fields}'
        '<button class="reset" type="button" data-reset>Reset</button>'
        f'<div class="count"><b id="roles-shown">{len(data.roles)}</b> of '
        f"{len(data.roles)} roles shown</div></div>"
    )


def _experience_key(role: dict[str, Any]) -> str:
    """The experience filter's band for the fewest years `role` asks for."""
    low = role.get("experience_years_min")
    if low is None:
        return UNKNOWN
    return next(key for key, _, most in EXPERIENCE_BANDS if most is None or low <= most)


def _remote_key(role: dict[str, Any]) -> str:
    return role["remote_type"] if role["remote_type"] in REMOTE_LABELS else UNKNOWN


def _is_new(role: dict[str, Any], data: ReportData) -> bool:
    previous = data.previous_run
    return bool(
        previous and role["first_seen_at"] and role["first_seen_at"] > previous["crawled_at"]
    )


def experience_text(low: int | None, high: int | None) -> str | None:
    """The years a posting asks for, as a job seeker reads them: "5+ yrs", "3–5 yrs"."""
    if low is None:
        return None
    if high is None:
        return f"{low}+ yr{'s' if low != 1 else ''}"
    return f"{low}–{high} yrs"


def _role_row(role: dict[str, Any], data: ReportData) -> str:
    # the skills the company names in nearly every posting are said once, on its card
    company_wide = set(data.companies.get(role["company"], {}).get("company_wide_skills") or ())
    skills = [s for s in role.get("skills") or [] if s not in company_wide]
    chips = "".join(f'<span class="chip">{esc(s)}</span>' for s in skills[:6])
    if len(skills) > 6:
        chips += f'<span class="chip">+{len(skills) - 6}</span>'
    new = ' <span class="badge new">new</span>' if _is_new(role, data) else ""
    level = role["seniority"] or UNKNOWN
    attrs = {
        "data-role": role["posting_key"],
        "data-sector": role["group_sector"],
        "data-remote": _remote_key(role),
        "data-country": role["country_code"] or UNKNOWN,
        "data-seniority": level,
        "data-experience": _experience_key(role),
        "data-degree": role.get("degree_required") or UNKNOWN,
    }
    attributes = " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items())
    location = esc(role["location_raw"]) if role["location_raw"] else '<span class="muted">—</span>'
    level_text = esc(level.capitalize()) if role["seniority"] else '<span class="muted">—</span>'
    asks = [
        text
        for text in (
            experience_text(role.get("experience_years_min"), role.get("experience_years_max")),
            DEGREE_LABELS.get(role.get("degree_required") or ""),
        )
        if text
    ]
    if asks:
        level_text += f'<div class="meta years">{esc(" · ".join(asks))}</div>'
    return (
        f"<tr {attributes}>"
        f'<td class="role">{link(role["title"], role["url"])}{new}'
        f"{employment_badge(role.get('employment_type'))}"
        f"{visa_badge(role.get('visa_sponsorship'))}"
        f"{f'<div class=chips>{chips}</div>' if chips else ''}</td>"
        f"<td>{level_text}</td><td>{location}</td>"
        f"<td>{work_mode_cell(role['remote_type'], role.get('remote_scope'))}</td>"
        f'<td class="num">{_salary_cell(role)}</td></tr>'
    )


def _company_card(name: str, roles: list[dict[str, Any]], data: ReportData) -> str:
    info = data.companies.get(name, {})
    meta = [f"{len(roles)} open ML role{'s' if len(roles) != 1 else ''}"]
    if info.get("open_postings"):
        meta.append(f"{info['open_postings']} open roles in all")
    if info.get("ml_share") is not None:
        meta.append(f"{info['ml_share']:.0%} of its hiring is ML")
    homepage = info.get("homepage")
    home = ""
    if homepage and re.match(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", homepage):
        home = f" · {link(homepage, 'https://' + homepage)}"
    elif homepage:
        home = f" · {esc(homepage)}"
    rows = "".join(_role_row(r, data) for r in roles)
    company_wide = info.get("company_wide_skills") or []
    every_posting = (
        f'<div class="meta every">In all its postings: {esc(", ".join(company_wide))}</div>'
        if company_wide
        else ""
    )
    return (
        f'<div class="company card" data-company="{esc(name)}">'
        f'<div class="company-head"><h4>{esc(name)}{prominence_badge(info.get("prominence"))}'
        f'</h4><span class="meta">{esc(" · ".join(meta))}{home}</span></div>{every_posting}'
        '<table class="roles"><colgroup><col class="c-role"><col class="c-level">'
        '<col class="c-location"><col class="c-mode"><col class="c-salary"></colgroup>'
        "<thead><tr><th>Role</th><th>Level</th><th>Location</th><th>Work mode</th>"
        f'<th class="num">Salary</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _companies(data: ReportData) -> str:
    if not data.roles:
        return (
            '<div class="empty">No open ML roles at unheard companies on important problems '
            "yet. They will appear here after a crawl finds some.</div>"
        )
    by_sector: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for role in data.roles:
        by_sector[role["group_sector"]][role["company"]].append(role)
    order = sorted(by_sector, key=lambda s: (-sum(map(len, by_sector[s].values())), sector_name(s)))
    parts = []
    for sector in order:
        companies = by_sector[sector]
        roles = sum(map(len, companies.values()))
        cards = "".join(
            _company_card(name, companies[name], data)
            for name in sorted(companies, key=lambda n: (-len(companies[n]), n.lower()))
        )
        color = SECTOR_COLORS.get(sector, SECTOR_COLORS[UNKNOWN])
        parts.append(
            f'<div class="sector" data-sector-group="{esc(sector)}">'
            f'<h3><span class="swatch" style="background:{color}"></span>{esc(sector_name(sector))}'
            f"<small data-group-count>{plural(len(companies), 'company', 'companies')} · "
            f"{plural(roles, 'ML role', 'ML roles')}</small></h3>{cards}</div>"
        )
    return "".join(parts)


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f'<div class="empty">{esc(empty)}</div>'
    more = ""
    if len(items) > LIST_LIMIT:
        more = f'<div class="more">and {len(items) - LIST_LIMIT} more</div>'
    return (
        f"<ul{' class=scroll' if len(items) > 8 else ''}>"
        + "".join(f"<li>{i}</li>" for i in items[:LIST_LIMIT])
        + "</ul>"
        + more
    )


def _changes(data: ReportData) -> str:
    latest, previous = data.latest_run, data.previous_run
    if latest is None:
        return '<div class="empty">No crawl has run yet.</div>'
    if previous is None:
        return (
            f'<div class="notice">The first crawl ran on {esc(fmt_time(latest["crawled_at"]))}: '
            f"it found {data.total_companies} companies and {len(data.new_roles)} ML roles, all "
            "of them new. From the next run on, this section lists the new companies, new ML "
            "roles and closed roles since the run before.</div>"
        )
    companies = [
        f"<b>{esc(c['company'])}</b>{prominence_badge(c['prominence'])}"
        f'<span class="sub">{esc(sector_name(c["sector"]))} · {c["open_ml_postings"]} open ML '
        f"of {c['open_postings']} open roles</span>"
        for c in data.new_companies
    ]
    new_roles = [
        f"{link(r['title'], r['url'])}"
        f'<span class="sub">{esc(r["company"])} · {esc(sector_name(r["sector"]))}'
        f"{' · ' + esc(r['location_raw']) if r['location_raw'] else ''}</span>"
        for r in data.new_roles
    ]
    closed = [
        f"{esc(r['title'])}{ML_BADGE if r['is_ml_role'] else ''}"
        f'<span class="sub">{esc(r["company"])} · open {_days(r)} · closed '
        f"{esc(fmt_date(r['closed_at']))}</span>"
        for r in data.closed_roles
    ]
    cards = [
        ("New companies", companies, "No new companies since the last run."),
        ("New ML roles", new_roles, "No new ML roles since the last run."),
        ("Closed roles", closed, "No roles closed since the last run."),
    ]
    body = "".join(
        f'<div class="card"><h3>{esc(title)} <b>{len(items)}</b></h3>{_list(items, empty)}</div>'
        for title, items, empty in cards
    )
    return (
        f'<p class="section-lede">The latest crawl ({esc(fmt_time(latest["crawled_at"]))}) '
        f"against the one before ({esc(fmt_time(previous['crawled_at']))}).</p>"
        f'<div class="changes">{body}</div>'
    )


def _days(row: dict[str, Any]) -> str:
    first, closed = _when(row.get("first_seen_at")), _when(row.get("closed_at"))
    if not isinstance(first, datetime) or not isinstance(closed, datetime):
        return "for an unknown time"
    days = max(0, round((closed - first).total_seconds() / 86400))
    return f"{days} day{'s' if days != 1 else ''}"


def _quality(data: ReportData) -> str:
    latest = data.latest_run
    if latest is None:
        return '<div class="empty">No crawl has run yet.</div>'
    failed = [b for b in data.boards if not b["is_complete"]]
    crawled = len(data.boards)
    fetched = sum(b["postings"] or 0 for b in data.boards if b["is_complete"])
    checks = data.checks
    tiles = [
        ("", crawled, "boards crawled"),
        ("bad" if failed else "good", len(failed), "boards failed"),
        ("", fetched, "postings fetched"),
        (
            "warn" if data.quarantined_rows else "good",
            data.quarantined_rows,
            "postings quarantined",
        ),
    ]
    if checks:
        failing = checks["blocking_failed"] + checks["warnings"]
        tiles.append(
            (
                "warn" if failing else "good",
                f"{checks['passed']}/{checks['expectations']}",
                "quality expectations met",
            )
        )
    kpis = "".join(
        f'<div class="qk {cls}"><b>{esc(v)}</b><span>{esc(label)}</span></div>'
        for cls, v, label in tiles
    )
    if failed:
        rows = "".join(
            f"<tr><td><b>{esc(b['company'] or b['board'])}</b><br>"
            f"<code>{esc(b['source'])}:{esc(b['board'])}</code></td>"
            f"<td>{esc(b['outcome'])}"
            f"{' (HTTP ' + esc(b['http_status']) + ')' if b['http_status'] else ''}</td>"
            f'<td class="error">{esc(_clip(b["error"]))}</td>'
            f'<td class="num">{esc(b["consecutive_failures"])}</td></tr>'
            for b in failed
        )
        boards = (
            "<table><thead><tr><th>Board</th><th>Outcome</th><th>Error</th>"
            f'<th class="num">Runs failing</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        boards = (
            '<div class="empty">No failed boards: every board in the latest crawl completed.</div>'
        )
    if data.unconfirmed:
        rows = "".join(
            f"<tr><td><b>{esc(b['company'] or b['board'])}</b><br>"
            f"<code>{esc(b['source'])}:{esc(b['board'])}</code></td>"
            f'<td class="num">{esc(b["postings"])}</td>'
            f"<td>{esc(fmt_time(b['confirmed_at']))}</td></tr>"
            for b in data.unconfirmed
        )
        boards += (
            '<h3>Not read whole for a week</h3><p class="muted">Open postings of boards no '
            "complete crawl has read for 7 days (removed from the registry, or failing): "
            "nothing can close them, so the roles above leave them out.</p>"
            '<table><thead><tr><th>Board</th><th class="num">Open postings</th>'
            f"<th>Last read whole</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if data.quarantine:
        rows = "".join(
            f"<tr><td>{esc(q['layer'])}</td><td><code>{esc(q['expectation'])}</code>"
            f"{' on <code>' + esc(q['column_name']) + '</code>' if q['column_name'] else ''}"
            f"{_examples(q['examples'])}</td>"
            f'<td class="num">{esc(q["postings"])}</td></tr>'
            for q in data.quarantine
        )
        quarantine = (
            "<table><thead><tr><th>Layer</th><th>Failed expectation</th>"
            f'<th class="num">Postings</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        quarantine = '<div class="empty">Nothing quarantined: every row met its expectations.</div>'
    if data.warnings:
        rows = "".join(
            f"<tr><td>{esc(w['layer'])}</td><td><code>{esc(w['expectation'])}</code>"
            f"{_examples(w['details'][:3] if w['details'] else None)}</td>"
            f'<td class="num">{esc(w["unexpected_count"])}'
            f"{' of ' + esc(w['element_count']) if w['element_count'] is not None else ''}"
            "</td></tr>"
            for w in data.warnings
        )
        quarantine += (
            '<h3>Checks that warned</h3><p class="muted">Not blocking: the warehouse was '
            "published, but these are worth a look (a board that collapsed or could not be "
            "read, versions cleaned by an older release's rules).</p>"
            "<table><thead><tr><th>Layer</th><th>Check</th>"
            f'<th class="num">Found</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    return (
        f'<p class="section-lede">The latest crawl ({esc(fmt_time(latest["crawled_at"]))}, run '
        f"<code>{esc(latest['run_id'])}</code>) and the quality checks of the run that "
        "published this warehouse.</p>"
        f'<div class="quality-kpis">{kpis}</div>'
        f'<div class="quality-grid"><div class="card"><h3>Failed boards</h3>{boards}</div>'
        f'<div class="card"><h3>Quarantined postings</h3>{quarantine}</div></div>'
    )


def _examples(values: list[Any] | None) -> str:
    if not values:
        return ""
    shown = ", ".join(f"<code>{esc(_clip(v, 60))}</code>" for v in values)
    return f'<div class="chips muted">e.g. {shown}</div>'


def _clip(text: Any, limit: int = 240) -> str:
    value = "" if text is None else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --------------------------------------------------------------------------- charts


def _sector_scale(codes: Iterable[str]) -> alt.Scale:
    present = sorted(set(codes), key=lambda c: (c not in IMPORTANT_SECTORS, sector_name(c)))
    return alt.Scale(
        domain=[short_sector_name(c) for c in present],
        range=[SECTOR_COLORS.get(c, SECTOR_COLORS[UNKNOWN]) for c in present],
    )


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def chart_ml_trend(data: ReportData) -> dict | None:
    if not data.trends:
        return None
    rows = [
        {
            "week": _iso(t["week_start"]),
            "sector": short_sector_name(t["sector"]),
            "open": t["open_ml_postings"],
            "new": t["new_ml_postings"],
        }
        for t in data.trends
    ]
    scale = _sector_scale(t["sector"] for t in data.trends)
    weeks = {r["week"] for r in rows}
    tooltip = [
        alt.Tooltip("sector:N", title="Sector"),
        alt.Tooltip("week:T", title="Week of", format="%b %d, %Y", timeUnit="utcyearmonthdate"),
        alt.Tooltip("open:Q", title="Open ML postings at week end"),
        alt.Tooltip("new:Q", title="New ML postings that week"),
    ]
    color = alt.Color("sector:N", scale=scale, title=None)
    if len(weeks) < 2:
        chart = (
            alt.Chart(alt.Data(values=rows))
            .mark_bar(cornerRadiusEnd=3)
            .encode(
                y=alt.Y("sector:N", sort="-x", title=None),
                x=alt.X("open:Q", title="Open ML postings", axis=alt.Axis(tickMinStep=1)),
                color=alt.Color("sector:N", scale=scale, legend=None),
                tooltip=tooltip,
            )
        )
    else:
        chart = (
            alt.Chart(alt.Data(values=rows))
            .mark_line(point=alt.OverlayMarkDef(size=45, filled=True), strokeWidth=2.5)
            .encode(
                # weeks are UTC dates: read and labelled as UTC, one tick per crawled week
                x=alt.X(
                    "week:T",
                    timeUnit="utcyearmonthdate",
                    title="Week (starting Monday)",
                    axis=alt.Axis(format="%b %d", values=_week_ticks(weeks), labelOverlap=True),
                ),
                y=alt.Y(
                    "open:Q", title="Open ML postings at week end", axis=alt.Axis(tickMinStep=1)
                ),
                color=color,
                tooltip=tooltip,
            )
        )
    return _finish(chart, height=260)


def _week_ticks(weeks: Iterable[str], most: int = 12) -> list[dict[str, Any]]:
    """Axis values at the weeks' Mondays (Vega's own week ticks fall on Sundays)."""
    ordered = sorted(weeks)
    step = max(1, -(-len(ordered) // most))
    ticks = []
    for week in ordered[::step]:
        day = date.fromisoformat(week[:10])
        ticks.append({"year": day.year, "month": day.month, "date": day.day, "utc": True})
    return ticks


def chart_skills(data: ReportData) -> dict | None:
    if not data.skills:
        return None
    totals: dict[str, int] = defaultdict(int)
    for row in data.skills:
        totals[row["skill"]] += row["postings"]
    # the skills sectors rank highest, at most 22, most asked-for first
    top = {r["skill"] for r in data.skills if r["rank"] <= 3}
    top |= set(sorted(totals, key=lambda s: (-totals[s], s.lower()))[: max(0, 22 - len(top))])
    skills = sorted(top, key=lambda s: (-totals[s], s.lower()))[:22]
    rows = [
        {
            "sector": short_sector_name(r["sector"]),
            "skill": r["skill"],
            "postings": r["postings"],
            "share": r["share"],
            "sector_postings": r["sector_ml_postings"],
            "category": (r["category"] or "").replace("_", " "),
        }
        for r in data.skills
        if r["skill"] in skills
    ]
    sectors = sorted(
        {r["sector"] for r in data.skills},
        key=lambda c: (c not in IMPORTANT_SECTORS, sector_name(c)),
    )
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X(
            "sector:N",
            sort=[short_sector_name(s) for s in sectors],
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=110, domain=False, ticks=False),
        ),
        y=alt.Y("skill:N", sort=skills, title=None, axis=alt.Axis(domain=False, ticks=False)),
    )
    cells = base.mark_rect(cornerRadius=3, stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(
            "share:Q",
            title="Share of the sector's ML postings",
            scale=alt.Scale(scheme="tealblues", domain=[0, 1]),
            legend=alt.Legend(format="%", orient="bottom", gradientLength=220, titleLimit=400),
        ),
        tooltip=[
            alt.Tooltip("skill:N", title="Skill"),
            alt.Tooltip("category:N", title="Kind"),
            alt.Tooltip("sector:N", title="Sector"),
            alt.Tooltip("postings:Q", title="ML postings asking for it"),
            alt.Tooltip("sector_postings:Q", title="ML postings in the sector"),
            alt.Tooltip("share:Q", title="Share", format=".0%"),
        ],
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("postings:Q"),
        color=alt.condition("datum.share > 0.55", alt.value("#ffffff"), alt.value("#1c2430")),
    )
    return _finish(cells + labels, height=max(160, 22 * len(skills)))


def chart_salaries(data: ReportData) -> list[tuple[str, dict, int]]:
    """One chart per currency (amounts in different currencies are never on one axis): a
    row per sector and seniority, a bar from the lowest to the highest yearly figure and a
    dot at the median midpoint."""
    by_currency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in data.salaries:
        by_currency[row["currency"]].append(row)
    order = sorted(by_currency, key=lambda c: (-sum(r["postings"] for r in by_currency[c]), c))
    levels = [*SENIORITY_ORDER, "not stated"]
    charts = []
    for currency in order:
        ranked = sorted(
            by_currency[currency],
            key=lambda r: (
                r["sector"] not in IMPORTANT_SECTORS,
                sector_name(r["sector"]),
                levels.index(r["seniority"]) if r["seniority"] in levels else 99,
            ),
        )
        rows = [
            {
                "row": f"{short_sector_name(r['sector'])} · {r['seniority']}",
                "sector": sector_name(r["sector"]),
                "seniority": r["seniority"],
                "low": r["low"],
                "high": r["high"],
                "midpoint": r["midpoint"],
                "postings": r["postings"],
            }
            for r in ranked
        ]
        present = [lv for lv in levels if any(r["seniority"] == lv for r in rows)]
        color = alt.Color(
            "seniority:N",
            title="Seniority",
            sort=present,
            scale=alt.Scale(
                domain=present, range=[SENIORITY_COLORS[levels.index(lv)] for lv in present]
            ),
            legend=alt.Legend() if len(present) > 1 else None,
        )
        tooltip = [
            alt.Tooltip("sector:N", title="Sector"),
            alt.Tooltip("seniority:N", title="Seniority"),
            alt.Tooltip("postings:Q", title="Open ML roles with pay"),
            alt.Tooltip("low:Q", title=f"Lowest ({currency}/year)", format=",.0f"),
            alt.Tooltip("midpoint:Q", title=f"Median midpoint ({currency}/year)", format=",.0f"),
            alt.Tooltip("high:Q", title=f"Highest ({currency}/year)", format=",.0f"),
        ]
        y = alt.Y(
            "row:N",
            title=None,
            sort=[r["row"] for r in rows],
            axis=alt.Axis(labelLimit=220, domain=False, ticks=False, labelPadding=8),
        )
        base = alt.Chart(alt.Data(values=rows)).encode(y=y, tooltip=tooltip)
        bars = base.mark_bar(height=12, cornerRadius=6, opacity=0.9).encode(
            x=alt.X(
                "low:Q",
                title=f"Yearly salary ({currency})",
                axis=alt.Axis(format="~s", tickCount=8),
                scale=alt.Scale(zero=False, nice=True, padding=16),
            ),
            x2="high:Q",
            color=color,
        )
        dots = base.mark_point(filled=True, size=55, color="#1c2430", opacity=1).encode(
            x="midpoint:Q"
        )
        spec = _finish(bars + dots, height=max(60, 24 * len(rows)))
        charts.append((currency, spec, sum(r["postings"] for r in rows)))
    return charts


def chart_new_closed(data: ReportData) -> dict | None:
    if not data.trends:
        return None
    weeks: dict[str, dict[str, int]] = defaultdict(lambda: {"New": 0, "Closed": 0})
    for t in data.trends:
        week = _iso(t["week_start"])
        weeks[week]["New"] += t["new_postings"] or 0
        weeks[week]["Closed"] += t["closed_postings"] or 0
    rows = [
        {"week": week, "kind": kind, "postings": count}
        for week in sorted(weeks)
        for kind, count in weeks[week].items()
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(cornerRadiusTopLeft=3, cornerRadiusTopRight=3)
        .encode(
            x=alt.X(
                "week:O",
                title="Week (starting Monday)",
                timeUnit=alt.TimeUnitParams(unit="yearmonthdate", utc=True),
                axis=alt.Axis(format="%b %d", labelAngle=0),
            ),
            xOffset=alt.XOffset("kind:N", sort=["New", "Closed"]),
            y=alt.Y("postings:Q", title="Postings", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "kind:N",
                title=None,
                sort=["New", "Closed"],
                scale=alt.Scale(domain=["New", "Closed"], range=["#0f766e", "#c2c9d3"]),
            ),
            tooltip=[
                alt.Tooltip(
                    "week:T", title="Week of", format="%b %d, %Y", timeUnit="utcyearmonthdate"
                ),
                alt.Tooltip("kind:N", title="Postings"),
                alt.Tooltip("postings:Q", title="Count"),
            ],
        )
    )
    return _finish(chart, height=240)


def _finish(chart: alt.TopLevelMixin, height: int) -> dict:
    # not validated here: altair's JSON-schema validation was half of the report's time
    # (~0.4 s a run); the tests validate every chart of a report against the Vega-Lite
    # schema (test_report_build.py::test_every_chart_is_valid_vega_lite)
    spec = (
        chart.properties(width="container", height=height)
        .configure(**EMBED_CONFIG)
        .to_dict(validate=False)
    )
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def _charts(data: ReportData) -> tuple[str, dict[str, dict]]:
    specs: dict[str, dict] = {}

    def card(
        key: str,
        title: str,
        caption: str,
        spec: dict | None,
        wide: bool = False,
        body: str | None = None,
    ) -> str:
        if body is None:
            if spec is None:
                body = '<div class="empty">No data yet.</div>'
            else:
                specs[key] = spec
                body = f'<div class="chart" data-chart="{esc(key)}" id="chart-{esc(key)}"></div>'
        return (
            f'<div class="card chart-card{" wide" if wide else ""}"><h3>{esc(title)}</h3>'
            f"<p>{esc(caption)}</p>{body}</div>"
        )

    salary_charts = chart_salaries(data)
    if salary_charts:
        blocks = []
        for currency, spec, count in salary_charts:
            key = f"salaries-{re.sub(r'[^A-Za-z0-9]', '', currency)}"
            specs[key] = spec
            blocks.append(
                f'<div class="currency-block"><h4>In {esc(currency)} · {count} '
                f"role{'s' if count != 1 else ''}</h4>"
                f'<div class="chart" data-chart="{esc(key)}" id="chart-{esc(key)}"></div></div>'
            )
        salary_body = "".join(blocks)
    else:
        salary_body = '<div class="empty">No open ML role states its pay yet.</div>'

    weeks = len({t["week_start"] for t in data.trends})
    trend_caption = (
        "Open machine-learning postings at the end of each week, by the hiring company's "
        "sector (every crawled company)."
    )
    if weeks == 1:
        trend_caption += " Only one week has been crawled so far: the lines appear next week."
    html_cards = [
        card(
            "ml-trend", "ML postings per sector, week by week", trend_caption, chart_ml_trend(data)
        ),
        card(
            "new-closed",
            "New vs closed postings per week",
            "Postings first seen and postings closed each week, all roles and sectors.",
            chart_new_closed(data),
        ),
        card(
            "skills",
            "What each sector's ML roles ask for",
            "Each cell: how many of the sector's ML postings (open or closed) ask for the skill "
            "themselves, not only in the text their company repeats in every posting; darker "
            "is a larger share.",
            chart_skills(data),
            wide=True,
        ),
        card(
            "salaries",
            "Salary ranges by sector and seniority",
            "Open ML roles that state pay, annualized within their currency: each bar runs "
            "from the lowest to the highest yearly figure, the dot is the median "
            "midpoint. One chart per currency; no currency conversion.",
            None,
            wide=True,
            body=salary_body,
        ),
    ]
    return "".join(html_cards), specs


# --------------------------------------------------------------------------- page


# what the end of a whole bundle defines: a cached file without it was cut short
WHOLE_BUNDLE_MARK = "window.vegaEmbed="


@functools.lru_cache(maxsize=1)
def vega_bundle() -> tuple[str, str]:
    """The Vega + Vega-Lite + Vega-Embed JavaScript (from vl-convert), and its version.

    vl-convert bundles it anew on each call (~4 s CPU, most of a small run's report), so the
    bundle is kept in the user's cache folder, named by both versions it depends on."""
    import vl_convert

    try:  # the Vega-Lite version Altair writes its specs for, as vl-convert names it
        from altair.utils._importers import vl_version_for_vl_convert

        version = vl_version_for_vl_convert()
    except ImportError:
        major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
        version = f"v{major}_{minor}"
    cached = vega_cache_dir() / f"vega-bundle-vl-convert-{vl_convert.__version__}-{version}.js"
    try:
        bundle = cached.read_text(encoding="utf-8")
    except OSError:
        bundle = ""
    if WHOLE_BUNDLE_MARK not in bundle:  # not cached yet, or cut short: bundle it again
        bundle = vl_convert.javascript_bundle(vl_version=version)
        _write_quietly(cached, bundle)
    # it sits inside a <script> element: nothing in it may close or comment out that element
    if re.search(r"</script|<!--", bundle, flags=re.IGNORECASE):
        raise RuntimeError("the Vega JavaScript bundle cannot be inlined in a <script> element")
    return bundle, f"(Vega-Lite {version.replace('_', '.')})"


def vega_cache_dir() -> Path:
    """`UNHEARD_CACHE_DIR`, else the platform's user cache folder for unheard."""
    configured = os.environ.get("UNHEARD_CACHE_DIR")
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("unheard"))


def _write_quietly(path: Path, text: str) -> None:
    """Write whole or not at all (a temp file renamed into place: runs may race); a cache
    that cannot be written only costs the next run the bundling again."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)


def render_report(data: ReportData) -> str:
    charts, specs = _charts(data)
    bundle, version = vega_bundle()
    latest = data.latest_run
    as_of = (
        f"Data as of the crawl on {fmt_time(latest['crawled_at'])} · "
        f"{data.total_companies} companies crawled · report built {fmt_time(data.generated_at)}"
        if latest
        else "No crawl has run yet."
    )
    footer = (
        "Built by unheard from the published warehouse. Sector, role and skill tags are rules "
        "and will sometimes be wrong; every tag carries its evidence in the warehouse "
        "(<code>marts.postings</code>). Salaries are shown as the postings state them."
    )
    template = Template(TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(
        vega_bundle=bundle,
        vega_version=esc(version),
        as_of=esc(as_of),
        kpis=_kpis(data),
        filters=_filters(data),
        companies=_companies(data),
        charts=charts,
        changes=_changes(data),
        quality=_quality(data),
        footer=footer,
        chart_specs=_json_for_script(specs),
    )
