"""parse_salary: structured pay first, then pay sentences; never an error."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleaning import salary
from pipelines.cleaning.salary import parse_salary
from pipelines.cleaning.types import SALARY_PERIODS, Salary


def reading(salary: Salary):
    return (salary.min, salary.max, salary.currency, salary.period)


@pytest.mark.parametrize(
    ("stated", "expected", "yearly"),
    [
        (
            {"min": 115000, "max": 165000, "currency": "USD", "interval": "1 YEAR"},
            (115000, 165000, "USD", "year"),
            (115000, 165000),
        ),  # Ashby
        (
            {"min": 20.5, "max": 30, "currency": "USD", "interval": "1 HOUR"},
            (20.5, 30, "USD", "hour"),
            (42640, 62400),
        ),
        (
            {"min": 1100, "max": 1500, "currency": "EUR", "interval": "1 MONTH"},
            (1100, 1500, "EUR", "month"),
            (13200, 18000),
        ),
        (
            {"min": 2400, "max": 2400, "currency": "USD", "interval": "1 WEEK"},
            (2400, 2400, "USD", "week"),
            (124800, 124800),
        ),
        (
            {"min": 60000, "max": 80000, "currency": "GBP", "interval": "per-year-salary"},
            (60000, 80000, "GBP", "year"),
            (60000, 80000),
        ),  # Lever
        (
            {"min": 40, "max": 60, "currency": "USD", "interval": "per-hour-wage"},
            (40, 60, "USD", "hour"),
            (83200, 124800),
        ),
        (
            {"min": 5000, "max": 6000, "currency": "CAD", "interval": "per-month-salary"},
            (5000, 6000, "CAD", "month"),
            (60000, 72000),
        ),
        (
            {"min": 500, "max": 700, "currency": "EUR", "interval": "DAY"},
            (500, 700, "EUR", "day"),
            (130000, 182000),
        ),  # schema.org
        (
            {"min": "3750", "max": "5250", "currency": "EUR", "interval": "month"},
            (3750, 5250, "EUR", "month"),
            (45000, 63000),
        ),  # Recruitee strings
        (
            {"min": "60,000", "max": "70k", "currency": "eur", "interval": "year"},
            (60000, 70000, "EUR", "year"),
            (60000, 70000),
        ),
        (
            {"min": 60, "max": 60, "currency": "USD", "interval": "1 TIME"},
            (60, 60, "USD", None),
            (None, None),
        ),  # one-off: no period, no yearly figure
        (
            {"min": 60000, "max": None, "currency": "EUR", "interval": "year"},
            (60000, None, "EUR", "year"),
            (60000, None),
        ),
        (
            {"min": 0, "max": 65000, "currency": "USD", "interval": "1 YEAR"},
            (None, 65000, "USD", "year"),
            (None, 65000),
        ),  # no floor stated is not implausible: it is "up to" (raw keeps min=0)
        (
            {"min": 1, "max": 500000, "currency": "USD", "interval": "1 YEAR"},
            (None, 500000, "USD", "year"),
            (None, 500000),
        ),  # a real Ashby posting's "$1.00 – $500,000.00"
        (
            {"min": 20, "max": 30, "currency": "USD", "interval": "1 HOUR"},
            (20, 30, "USD", "hour"),
            (41600, 62400),
        ),  # an hourly floor is a floor: judged per year
        (
            {"min": 100000, "max": 120000, "currency": "USD"},
            (100000, 120000, "USD", "year"),
            (100000, 120000),
        ),  # no interval: magnitude
    ],
)
def test_stated_pay(stated, expected, yearly):
    salary = parse_salary(stated, "ignored: $1 - $2 per hour")
    assert reading(salary) == expected
    assert (salary.yearly_min, salary.yearly_max) == yearly
    assert salary.basis == "stated"
    assert salary.flag is None
    assert salary.raw and "currency" in salary.raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$120,000 - $150,000", (120000, 150000, "USD", "year")),
        ("$150K – $170K", (150000, 170000, "USD", "year")),
        ("€60k–80k", (60000, 80000, "EUR", "year")),
        ("£45,000 per annum", (45000, 45000, "GBP", "year")),
        ("USD 100,000 to 130,000", (100000, 130000, "USD", "year")),
        ("CHF 120'000", (120000, 120000, "CHF", "year")),
        ("$45/hr", (45, 45, "USD", "hour")),
        ("$4,000 - $5,000 per month", (4000, 5000, "USD", "month")),
        ("₹ 12,00,000", (1200000, 1200000, "INR", "year")),
        ("60.000 € brutto/Jahr", (60000, 60000, "EUR", "year")),
        ("€ 4.500 brutto pro Monat", (4500, 4500, "EUR", "month")),
        ("Gehalt: 65.000 € - 75.000 €", (65000, 75000, "EUR", "year")),
        ("$95,000", (95000, 95000, "USD", "year")),
        ("up to $200k", (None, 200000, "USD", "year")),
        ("from €55,000 a year", (55000, None, "EUR", "year")),
        ("C$90,000 - C$110,000", (90000, 110000, "CAD", "year")),
        ("CA$90k", (90000, 90000, "CAD", "year")),
        ("A$150k", (150000, 150000, "AUD", "year")),
        ("$103,000 - $129,000 CAD", (103000, 129000, "CAD", "year")),
        ("between $87,000 CAD and $117,000 CAD", (87000, 117000, "CAD", "year")),
        ("$5,000 SGD monthly", (5000, 5000, "SGD", "month")),
        ("¥6,000,000", (6000000, 6000000, "JPY", None)),  # no period word, no guess for JPY
        ("12-18 LPA", (1200000, 1800000, "INR", "year")),
        ("Base salary $90 -110K", (90000, 110000, "USD", "year")),
        ("$20/hr - $30/hr", (20, 30, "USD", "hour")),
        ("$66.00-$80.00/hour", (66, 80, "USD", "hour")),
        ("$35 an hour", (35, 35, "USD", "hour")),
        ("hourly rate of $28", (28, 28, "USD", "hour")),
        ("$50,000 annually ($24.04 paid hourly)", (50000, 50000, "USD", "year")),
        ("$171,500 - $250,000 (USD)", (171500, 250000, "USD", "year")),
        # a stray K after a number written in full (a real Ashby posting): not $150 million
        ("salary range is $130,000 - 150,000K (OTE $260,000)", (130000, 150000, "USD", "year")),
        # pay, then " + " more: the clause ends at the plus (real Ashby postings)
        ("$160k - $220k + equity", (160000, 220000, "USD", "year")),
        ("£115K - £145K + Offers Equity", (115000, 145000, "GBP", "year")),
        ("Base Salary: $200,000 - $245,000 + equity + benefits", (200000, 245000, "USD", "year")),
        ("Compensation: €92-114k + Stock-Options/BSPCE", (92000, 114000, "EUR", "year")),
        ("Salary: $120k - $130k + 10% Bonus", (120000, 130000, "USD", "year")),
        ("range of $32-$35/hr + bonus", (32, 35, "USD", "hour")),
        # what the pay leaves out, a "+" of extras on the amount, "•" items, a comma list
        # (real Ashby postings, read as no pay before)
        (
            "base compensation range of approximately $205,000–$300,000 per year, exclusive "
            "of equity.",
            (205000, 300000, "USD", "year"),
        ),
        (
            "The annual base salary range is $75,000 - $85,000, excluding equity",
            (75000, 85000, "USD", "year"),
        ),
        ("paid in the range of up to $260,000 - $325,000+ Bonus.", (260000, 325000, "USD", "year")),
        (
            "Compensation - Cash Range$238K – $280K • Offers Equity •",
            (238000, 280000, "USD", "year"),
        ),
        (
            "Compensation and benefits - $150,000-$200,000, meaningful equity, flexible PTO",
            (150000, 200000, "USD", "year"),
        ),
        # the role a pay sentence names is not a cue, "Development" and "market" included
        (
            "Base salary for the Business Development Representative, SMB role is between"
            " $57,000 CAD and $77,000 CAD and is commission-eligible.",
            (57000, 77000, "CAD", "year"),
        ),
        (
            "The cash compensation for this position in the market is $200K-$300K.",
            (200000, 300000, "USD", "year"),
        ),
        # a dollar code written before the symbol names the dollar
        ("AUD $150,000 - $180,000 + super", (150000, 180000, "AUD", "year")),
        ("CAD $90,000", (90000, 90000, "CAD", "year")),
        # the period and range words of European and Latin American boards
        ("Salaris: €3.500 - €4.500 bruto per maand", (3500, 4500, "EUR", "month")),
        ("Salaris tussen €3.200 en €4.800 bruto per maand", (3200, 4800, "EUR", "month")),
        (
            "Wynagrodzenie: od 15 000 do 20 000 PLN brutto miesięcznie",
            (15000, 20000, "PLN", "month"),
        ),
        ("R$ 8.000 a R$ 12.000 por mês", (8000, 12000, "BRL", "month")),
        ("Salario de 40.000 a 50.000 € al año", (40000, 50000, "EUR", "year")),
        ("Salaire de 45 000 € à 55 000 € par an", (45000, 55000, "EUR", "year")),
        ("Stipendio: 35.000 - 45.000 € RAL", (35000, 45000, "EUR", "year")),
        ("Lön 45 000 till 55 000 SEK per månad", (45000, 55000, "SEK", "month")),
        ("Løn: 45.000 DKK om måneden", (45000, 45000, "DKK", "month")),
        ("Palkka: 4 000 - 5 000 € kuukaudessa", (4000, 5000, "EUR", "month")),
        ("Salaris: €25 per uur", (25, 25, "EUR", "hour")),
        # a range word only between amounts that are clearly money
        ("We pay $35 a 40-hour week", (35, 35, "USD", "hour")),
    ],
)
def test_pay_text(text, expected):
    salary = parse_salary(None, text)
    assert reading(salary) == expected
    assert salary.basis == "parsed"
    assert salary.flag is None
    assert salary.raw and text.split()[0] in salary.raw


def test_annualizing_multiplies_within_the_currency():
    salary = parse_salary(None, "$45/hr")
    assert (salary.yearly_min, salary.yearly_max) == (45 * 2080, 45 * 2080)
    month = parse_salary(None, "€3,000 - €4,000 per month")
    assert (month.yearly_min, month.yearly_max) == (36000, 48000)
    week = parse_salary(None, "£1,000 per week")
    assert week.yearly_min == 52000
    day = parse_salary(None, "€600 per day")
    assert (day.period, day.yearly_min) == ("day", 156000)


def test_structured_beats_text_and_text_fills_in_when_stated_has_no_numbers():
    stated = {"min": None, "max": None, "currency": "USD", "interval": "1 YEAR"}
    salary = parse_salary(stated, "The salary range is $120,000 - $150,000.")
    assert reading(salary) == (120000, 150000, "USD", "year")
    assert salary.basis == "parsed"


def test_description_window_finds_the_pay_sentence():
    description = (
        "We raised a $30M Series B and our customers save $2 million a year.\n"
        "Benefits: 401(k) matching, a $1,000 learning budget and a $100 monthly wellness "
        "stipend.\nThe base pay range for this role is $140,000 to $180,000 per year.\n"
        "Life insurance covering 2 times your salary, up to $200k."
    )
    salary = parse_salary(None, description)
    assert reading(salary) == (140000, 180000, "USD", "year")
    assert salary.raw is not None and "base pay range" in salary.raw and len(salary.raw) < 200


@pytest.mark.parametrize(
    "text",
    [
        "We just raised a $5M Series A.",
        "We offer a 401(k) plan with 4% match.",
        "Healthcare is a $4.5 trillion industry.",
        "A $20K relocation bonus if moving to the Bay Area.",
        "Company paid commuter benefit; $300 per month.",
        "We manage $110+ billion in loans.",
        "Life Insurance - covering 2 times your salary, up to $200k",
        "Our users already save over $1,000/year with us.",
        "We scaled from $1-500M in revenue run rate.",
        "- $100 monthly health and wellness benefit",
        "Up to $2,000 (post-tax) monthly rent subsidy for employees",
        # "paid" as in paid media, not pay (a real Ashby posting)
        "Proven track record of managing paid campaigns at a scale of $250K+ per month.",
        # a "+" on the amount belongs to it: revenue, not pay
        "Sold to companies at $50k-300k+ ARR.",
        "We raised $20M + grants from the state.",
        # extras after a "+" make pay only of pay: these amounts are revenue and budgets
        "Own $100k+ ARR accounts and a $50k+ equity portfolio of clients.",
        "A $20K relocation bonus, paid in the first month.",
        # a role phrase hides only itself: the bonus before it is still what the amount is
        "A signing bonus for this role is $10,000.",
        "Our share of spend in the market is $200K per client.",
    ],
)
def test_money_that_is_not_pay_is_ignored(text):
    salary = parse_salary(None, text)
    assert (salary.min, salary.max, salary.basis) == (None, None, None)


@pytest.mark.parametrize("text", ["Competitive", "DOE", "Depends on experience", "  "])
def test_no_numbers_keep_the_raw_text(text):
    salary = parse_salary(None, text)
    assert reading(salary) == (None, None, None, None)
    assert salary.raw == (text.strip() or None)
    assert salary.flag is None


def test_nothing_gives_an_empty_salary():
    assert parse_salary(None, None) == Salary()
    assert parse_salary({}, "") == Salary()


@pytest.mark.parametrize(
    ("stated", "flag"),
    [
        ({"min": 150000, "max": 120000, "currency": "USD", "interval": "1 YEAR"}, "min_gt_max"),
        ({"min": -5, "max": 10, "currency": "USD", "interval": "1 HOUR"}, "negative"),
        ({"min": 5, "max": 10, "currency": "USD", "interval": "1 YEAR"}, "implausible"),
        ({"min": 9e6, "max": 1e7, "currency": "EUR", "interval": "1 YEAR"}, "implausible"),
        # a plausible floor does not vouch for a top no salary reaches
        ({"min": 130000, "max": 1.5e8, "currency": "USD", "interval": "1 YEAR"}, "implausible"),
        ({"min": 200, "max": 300, "currency": "USD", "interval": "1 HOUR"}, None),
        ({"min": 3e6, "max": 5e6, "currency": "INR", "interval": "1 YEAR"}, None),  # scaled
        ({"min": 2e9, "max": 3e9, "currency": "JPY", "interval": "1 YEAR"}, "implausible"),
    ],
)
def test_untrusted_values_are_flagged_and_kept_raw(stated, flag):
    salary = parse_salary(stated, None)
    assert salary.flag == flag
    if flag:
        assert (salary.min, salary.max, salary.yearly_min, salary.yearly_max) == (None,) * 4
        assert salary.raw and salary.basis == "stated"


def test_text_min_greater_than_max_is_flagged():
    salary = parse_salary(None, "Salary: $150,000 - $120,000")
    assert salary.flag == "min_gt_max" and salary.min is None and "150,000" in salary.raw


_pay_words = st.sampled_from(
    [
        "$",
        "€",
        "£",
        "USD",
        "CAD",
        "k",
        "K",
        "120,000",
        "45",
        "- ",
        " to ",
        "per hour",
        "/yr",
        "salary",
        "bonus",
        "M",
        "12,00,000",
        "60.000",
        "'000",
        "up to",
        " ",
        "(",
        ")",
        "LPA",
    ]
)
_number = st.one_of(
    st.none(),
    st.integers(-(10**9), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {},
            optional={
                "min": _number,
                "max": _number,
                "currency": st.one_of(
                    st.none(), st.text(max_size=4), st.sampled_from(["USD", "€"])
                ),
                "interval": st.one_of(
                    st.none(),
                    st.text(max_size=10),
                    st.sampled_from(["1 YEAR", "1 HOUR", "NONE", "month"]),
                ),
            },
        ),
    ),
    st.one_of(st.none(), st.text(), st.lists(_pay_words, max_size=12).map("".join)),
)
def test_any_input_gives_a_consistent_salary(stated, text):
    salary = parse_salary(stated, text)
    assert isinstance(salary, Salary)
    if salary.min is not None and salary.max is not None:
        assert salary.min <= salary.max
    if salary.yearly_min is not None and salary.yearly_max is not None:
        assert salary.yearly_min <= salary.yearly_max
    assert salary.period in (None, *SALARY_PERIODS)
    assert salary.basis in (None, "stated", "parsed")
    if salary.currency is not None:
        assert len(salary.currency) == 3 and salary.currency.isupper()
    if salary.flag is not None:
        assert salary.min is None and salary.max is None
    for value in (salary.min, salary.max):
        assert value is None or value >= 0


_CODE_PIECES = ["USD", "EUR", "LPA", "USDC", "xUSD", "É", "EURO", "ß", "5", " ", "$", "€", "-"]


def _code_positions(text, codes):
    positions = []
    for code in codes:
        found = []
        salary._find_all(text, code, found)
        positions += [
            p
            for p in found
            if not (p and text[p - 1].isalpha()) and not text[p + 3 : p + 4].isalpha()
        ]
    return sorted(positions)


@given(st.lists(st.sampled_from(_CODE_PIECES)).map("".join))
def test_code_scan_keeps_what_a_capital_trigram_regex_kept(text):
    # _codes_in replaced a findall of capital trigrams: the codes kept must not change
    trigrams = salary._ANCHOR_CODES.intersection(re.findall(r"[A-Z][A-Z][A-Z]", text))
    assert _code_positions(text, salary._codes_in(text)) == _code_positions(text, trigrams)


@pytest.mark.parametrize(
    ("text", "bare_dollar", "expected"),
    [
        # a bare "$" in a posting placed only in Canada or Australia is that country's dollar
        # (real Ashby postings: a Canadian bank's mall staff, a Sydney internship)
        ("We pay $20.00 an hour, plus commission", "CAD", (20, 20, "CAD", "hour")),
        ("- $30 / hour", "AUD", (30, 30, "AUD", "hour")),
        ("Base Salary Range: $146,000 - $198,800", "CAD", (146000, 198800, "CAD", "year")),
        # a dollar that names itself stays what it says
        ("The salary is between $185,000 - $215,000 USD.", "CAD", (185000, 215000, "USD", "year")),
        ("Pay: US$90,000", "CAD", (90000, 90000, "USD", "year")),
        ("Pay: A$90,000", "CAD", (90000, 90000, "AUD", "year")),
        ("Salary: €50,000", "CAD", (50000, 50000, "EUR", "year")),
        # elsewhere a bare "$" is the US dollar
        ("We pay $20.00 an hour", "USD", (20, 20, "USD", "hour")),
    ],
)
def test_a_bare_dollar_is_the_postings_own_dollar(text, bare_dollar, expected):
    assert reading(parse_salary(None, text, bare_dollar=bare_dollar)) == expected
