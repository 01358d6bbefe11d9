"""Pay → min, max, ISO 4217 currency, period and a yearly figure within the currency.

Structured fields win ("stated"); otherwise the first pay-like amount in the text is read
("parsed"). Text is only trusted when it clearly concerns pay: an amount with a currency
that is a range or sits next to pay words, never funding ("$5M Series A"), benefits
("$300 commuter stipend") or "401(k)". Implausible values keep their raw text and a flag.
A range whose bottom pays less than any year's work ("$0 – $65K") states no floor: its
minimum is None, as for "up to $65K".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from price_parser import Price

from pipelines.cleaning import currencies as cur
from pipelines.cleaning.types import Salary

PERIOD_FACTORS = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
# fmt: off
_INTERVALS = {
    **dict.fromkeys(["1 year", "year", "years", "yearly", "annual", "annually", "per year",
                     "per annum", "annum", "yr", "y", "per year salary"], "year"),
    **dict.fromkeys(["1 month", "month", "months", "monthly", "per month", "mo",
                     "per month salary", "m"], "month"),
    **dict.fromkeys(["1 week", "week", "weekly", "per week", "wk", "per week salary", "w"],
                    "week"),
    **dict.fromkeys(["1 day", "day", "daily", "per day", "per day wage", "d"], "day"),
    **dict.fromkeys(["1 hour", "hour", "hourly", "per hour", "hr", "per hour wage", "h"],
                    "hour"),
}  # "NONE", "one-time", "1 TIME": no period, so no yearly figure
# fmt: on

_YEARLY_MIN_USD, _YEARLY_MAX_USD = 1_000, 5_000_000  # bounds scaled by currency
# With no period the yearly bounds cannot apply; an amount under this pays for no period
# at all, not even an hour ("$1"), so it is as implausible as "$55-$65 per year".
_ANY_PERIOD_MIN_USD = 2

_CUR = (
    r"US\$|C(?:AD?)?\$|AU?\$|NZ\$|SG?\$|HK\$|R\$|MX\$|[$€£¥₹₩₱₪₺₦]"
    rf"|\b(?:{cur.TEXT_CODES})\b|\bRs\.?"
)
_CUR_POST = rf"\(?(?:{cur.TEXT_CODES})\b\)?|[€£₹]|\beuros?\b|\bdollars?\b|\bpounds?\b"
_NUM = (
    r"\d{1,3}(?:,\d{2,3})+(?:\.\d{1,2})?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2}|,-)?"
    r"|\d{1,3}(?:['’\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
)
_MULT = r"\s?(?:[kK](?![a-zA-Z])|thousand\b|lakhs?\b|lacs?\b|LPA\b)"
_AMOUNT = (
    r"(?:(?P<c{i}>{cur})\s?)?(?P<n{i}>{num})(?P<k{i}>{mult})?(?:\s?(?P<p{i}>{post}))?"
    r"(?P<q{i}>\s?/\s?(?:hr|hour|h|yr|year|annum|mo|month|wk|week|day)\b)?"
)
_RANGE_RE = re.compile(
    _AMOUNT.format(i=1, cur=_CUR, num=_NUM, mult=_MULT, post=_CUR_POST)
    + r"(?:(?:\s*\[[^\]]{0,140}\])?\s*(?:-|–|—|~|\bto\b|\bbis\b|\band\b|\buntil\b|\bthrough\b"
    # "tussen 3.200 en 4.800", "de R$ 8.000 a R$ 12.000", "od 15 000 do 20 000": the word
    # counts only before an amount that is clearly money (a currency or thousands groups)
    + r"|\b(?:en|a|à|do|till?|hasta)\b(?=\s*(?:[A-Z]{0,2}\$|[€£¥₹]|[A-Z]{3}\s?\d"
    + r"|\d{1,3}(?:[.,'’\u00a0\u202f ]\d{3})+)))\s*"
    + _AMOUNT.format(i=2, cur=_CUR, num=_NUM, mult=_MULT, post=_CUR_POST)
    + ")?"
)
_SYMBOL_CHARS = "$€£¥₹₩₱₪₺₦"
_ANCHOR_CODES = frozenset(cur.TEXT_CODES.split("|")) | {"LPA"}
_ANCHOR_CODE_BYTES = frozenset(code.encode("ascii") for code in _ANCHOR_CODES)
# Every byte but A-Z becomes a space, so bytes.split() yields the runs of capitals.
_CAPITALS_ONLY = bytes(byte if 65 <= byte <= 90 else 32 for byte in range(256))
# "12 lakh", "60.000 Euro" (not "Europe"). Both spellings of a word are looked for only
# when the letters they share are there: each str.find is a pass over the text.
_ANCHOR_WORDS = {"akh": ("lakh", "Lakh"), "uro": ("euro", "Euro")}
_BIG_UNIT_RE = re.compile(r"\+?\s?(?:m|mm|mn|million|b|bn|billion|trillion|%)(?![a-z])", re.I)

_PERIOD_PATTERNS = (
    (
        r"/\s?(?:hr|hour|h|hora|std|stunde)\b|\bper hour\b|\bhourly\b|(?<!\d )\ban hour\b"
        r"|\bp/h\b|\bpro stunde\b|\bstundenlohn\b|\bde l'heure\b"
        # nl, pt/es, it, sv, pl
        r"|\bper uur\b|\bpor hora\b|\ball'ora\b|\bper timme\b|\bza godzin[eę]\b",
        "hour",
    ),
    (
        r"/\s?day\b|\bper day\b|\bdaily\b|\bday rate\b|/tag\b|\bpro tag\b|\btagessatz\b"
        r"|\bpar jour\b",
        "day",
    ),
    (r"/\s?(?:week|wk)\b|\bper week\b|\bweekly\b|(?<!days )\ba week\b", "week"),
    (
        r"/\s?(?:month|mo|mth|monat)\b|\bper month\b|\bmonthly\b|(?<!days )\ba month\b"
        r"|\bp\.\s?m\.(?!\w)|\bpro monat\b|\bmonatlich\b|\bpar mois\b|\bmensuel"
        # nl, pl, pt, es, it, sv, da/no, fi
        r"|\bper maand\b|\bp/m\b|\bmaandelijks|\bmiesi[eę]cznie\b|/\s?mies\b"
        r"|\bpor m[eê]s\b|\bmensa(?:l|is)\b|\bal mes\b|\bmensual(?:es)?\b|\bal mese\b"
        r"|\bmensile\b|\bper m[aå]nad\b|/\s?m[aå]n\b|\bm[aå]nadsl[oö]n|\bom m[aå]neden\b"
        r"|\bpr\.?\s?m[aå]ned\b|\bper m[aå]ned\b|\bkuukaudessa\b|/\s?kk\b",
        "month",
    ),
    (
        r"/\s?(?:year|yr|annum|jahr|an)\b|\bper (?:year|annum)\b|\bannual(?:ly|ized)?\b"
        r"|\byearly\b|(?<!days )\ba year\b|\bp\.\s?a\.?(?!\w)|\bpa\b|\bpro jahr\b"
        r"|\bjährlich|\bjahres|\bpar an\b|\bannuel|\bote\b|\bLPA\b"
        # nl, pl, pt, es, it (RAL: retribuzione annua lorda), sv, da/no, fi
        r"|\bper jaar\b|\bjaarlijks|\brocznie\b|\bpor ano\b|\banua(?:l|is|les)\b"
        r"|\bal año\b|\bannu[oa]\b|\ball'anno\b|\bRAL\b|\bper år\b|\bårsl[oö]n"
        r"|\bom året\b|\bårligt?\b|\bvuodessa\b",
        "year",
    ),
)
# One alternation with a named group per period: a single scan finds every period word.
_PERIOD_RE = re.compile(
    "|".join(f"(?P<{period}>{pattern})" for pattern, period in _PERIOD_PATTERNS), re.IGNORECASE
)
_PAY_RE = re.compile(
    r"\b(?:salary|salaries|pay|paid|compensation|comp|wages?|base|(?:pay|hourly|day|daily"
    r"|base) rate|rate of pay|ote|earn(?:ing)?s?"
    r"|income|remuneration|gehalt|vergütung|brutto|salaire|rémunération|sueldo|salario"
    r"|salaris|salário|wynagrodzenie|stipendio|retribuzione|retribución|lön|løn|lønn|palkka"
    r"|package|range|hourly|annual(?:ly)?|per (?:hour|year|annum))\b",
    re.IGNORECASE,
)
_NOT_PAY_RE = re.compile(
    r"\b(?:bonus|bonuses|relocation|signing|sign-on|equity|stock|rsus?|stipends?|allowances?"
    r"|reimburs\w*|insurance|coverage|covering|benefits?|perks?|commuter|wellness|well-being"
    r"|wellbeing|learning|education|training|home office|equipment|gym|referral|funding"
    r"|raised?|series [a-f]|revenue|arr|valuation|market|industry|loans?|spend|worth"
    r"|invest\w*|assets|customers|sav(?:e|es|ed|ing|ings)|donat\w*|grants?|prizes?|gifts?|credits?"
    r"|budgets?|campaigns?|advertising|ads|subsid\w*|rent|housing|meals?|lunch|phone"
    r"|internet|childcare|deal size|quotas?"
    r"|health|acv|tcv|deals?|contract value|pipeline|gmv|aum|sales of|volume|development"
    r"|funds?|conferences?|books?|courses?|certifications?|hra|fertility|tuition|adoption"
    r"|transit|parking|coworking|co-working|wifi|vacation|holidays?|pto"
    r"|fees?|costs?|prices?|pricing|deposit|discount|contribut\w*|match\w*|hsa|fsa|401\(?k"
    r"|pension|retirement|in value)\b|(?:times|x|of) (?:your|the|their) (?:annual |base )*salary",
    re.IGNORECASE,
)
# What ends the clause an amount belongs to. "exclusive of equity", "excluding bonus": what
# the pay leaves out is not what the amount is; "•" and "|" separate items of one line.
_CLAUSE_END_RE = re.compile(
    r"[+;.!?\n•|]|,\s|\band (?!wellness)|\bplus\b|\bwith\b"
    r"|\b(?:exclusive of|excluding|excl|not including|before)\b",
    re.IGNORECASE,
)
# Pay plus more, written on the amount: "$325,000+ Bonus", "$180k+ equity" (not "300k+ ARR").
_PLUS_EXTRAS_RE = re.compile(
    r"\+\s?(?:bonus|equity|commission|benefits|stock|rsus?|incentives?|variable)\b", re.I
)
# "Compensation and benefits" heads the pay: its "benefits" is not a non-pay cue.
_PAY_HEADING_RE = re.compile(
    r"\b(?:compensation|salary|pay|remuneration)\s?(?:and|&)\s?benefits\b", re.IGNORECASE
)
# The role a pay sentence names is not a cue: "salary for the Business Development
# Representative role is", "compensation for this position in the market is".
_ROLE_PHRASE_RE = re.compile(
    r"\bfor (?:the|this|our|each)\b[^.;:!?\n$€£]{0,80}?\b(?:role|position|job|opening)s?\b"
    r"(?: in (?:the|this) market)?",
    re.IGNORECASE,
)
_UP_TO_RE = re.compile(r"\b(?:up to|max(?:imum)?|bis zu|jusqu'à)\s*$", re.IGNORECASE)
_FROM_RE = re.compile(r"\b(?:from|starting(?: at| from)?|min(?:imum)?|at least|ab)\s*$", re.I)
_DOLLAR_CODE_BEFORE_RE = re.compile(r"\b([A-Z]{3})\s?$")  # "AUD $150,000": the code names the $
_SHORT_TEXT = 80  # a text this short is a salary field, not a description
_MAX_CANDIDATES = 30


# --- numbers, currencies, periods -------------------------------------------------------


def _plain_number(token: str) -> float | None:
    """A number token as the amount regex matched it: "120,000", "60.000", "12,00,000",
    "120'000", "66.00", "4,5". Grouping vs decimal separator is told by the digits after
    the last separator: three digits are a group, one or two are decimals."""
    token = token.removesuffix(",-").replace("'", "").replace("’", "")
    token = token.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    last = max(token.rfind(","), token.rfind("."))
    if last == -1:
        return float(token) if token.isdecimal() else None
    head, tail = token[:last], token[last + 1 :]
    digits = head.replace(",", "").replace(".", "")
    if not (digits.isdecimal() and tail.isdecimal()):
        return None
    if len(tail) == 3:  # Indian "12,00,000" also ends in a 3-digit group
        return float(digits + tail)  # grouping only
    return float(f"{digits}.{tail}")


def _to_number(value: object) -> float | None:
    """A stated min/max (number or text such as "60000", "60,000", "60k") → float."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    text = str(value).strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None
    try:
        amount = Price.fromstring(text).amount
    except (InvalidOperation, ValueError, ArithmeticError):
        return None
    if amount is None:
        return None
    number = float(amount)
    if not math.isfinite(number):
        return None
    if re.search(r"\d\s*[kK]\b", text):
        number *= 1000
    return -number if text.lstrip().startswith("-") else number


def _period_from_interval(interval: object) -> str | None:
    if interval is None:
        return None
    key = re.sub(r"[\s_\-]+", " ", str(interval).strip().lower())
    return _INTERVALS.get(key)


def _period_in(text: str, *, closest_to_end: bool = False) -> str | None:
    """The period word nearest the amount: the first one after it, the last one before it."""
    if not closest_to_end:
        match = _PERIOD_RE.search(text)
        return match.lastgroup if match else None
    last = None
    for last in _PERIOD_RE.finditer(text):  # noqa: B007 - the loop keeps the last match
        pass
    return last.lastgroup if last else None


def _infer_period(value: float, currency: str | None) -> str | None:
    """Conservative: only clear magnitudes, only in currencies whose scale we know."""
    scale = cur.SCALE.get(currency or "")
    if scale is None:
        return None
    if currency == "INR":
        return "year" if value >= 300_000 else None  # lakh figures; monthly pay is lower
    if scale > 2:
        return None
    if value >= 10_000 * scale:
        return "year"
    if 10 <= value <= 500 * scale:
        return "hour"
    return None


# --- assembling a trusted result ------------------------------------------------------------


def _finish(
    low: float | None,
    high: float | None,
    currency: str | None,
    period: str | None,
    basis: str,
    raw: str,
) -> Salary:
    """Annualize and check; an untrusted reading keeps currency, period and raw, not values."""
    values = [v for v in (low, high) if v is not None]
    flag = None
    if any(v < 0 for v in values):
        flag = "negative"
    elif low is not None and high is not None and low > high:
        flag = "min_gt_max"
    factor = PERIOD_FACTORS.get(period or "")
    yearly_low = round(low * factor, 2) if factor and low is not None else None
    yearly_high = round(high * factor, 2) if factor and high is not None else None
    if flag is None and _implausible(yearly_low, yearly_high, values, currency, bool(factor)):
        flag = "implausible"
    if flag is None and _no_floor(yearly_low, yearly_high, currency):
        low = yearly_low = None  # "$0 – $65K": up to $65K, its floor stated as none
    if flag:
        return Salary(currency=currency, period=period, basis=basis, raw=raw, flag=flag)
    return Salary(low, high, currency, period, basis, raw, yearly_low, yearly_high)


def _implausible(
    yearly_low: float | None,
    yearly_high: float | None,
    values: list[float],
    currency: str | None,
    has_period: bool,
) -> bool:
    if any(v > 1e12 for v in values):
        return True
    scale = cur.SCALE.get(currency or "")
    if scale is None:
        return False  # unknown scale: flag only the absurd
    if not has_period:
        return bool(values) and max(values) < _ANY_PERIOD_MIN_USD * scale
    top = yearly_high if yearly_high is not None else yearly_low
    bottom = yearly_low if yearly_low is not None else yearly_high
    # A range is implausible when its top is too low or either end too high ("0 – 65,000" is
    # a range with no stated floor, not an implausible one; "$130,000 – $150M" is a typo).
    return (
        top is not None and (top < _YEARLY_MIN_USD * scale or top > _YEARLY_MAX_USD * scale)
    ) or (bottom is not None and bottom > _YEARLY_MAX_USD * scale)


def _no_floor(yearly_low: float | None, yearly_high: float | None, currency: str | None) -> bool:
    """A range whose bottom pays less than any year's work while its top is a salary."""
    scale = cur.SCALE.get(currency or "")
    if scale is None or yearly_low is None or yearly_high is None:
        return False
    return yearly_low < _YEARLY_MIN_USD * scale <= yearly_high


def _stated_raw(stated: dict) -> str:
    keys = ("min", "max", "currency", "interval")
    return "; ".join(f"{k}={stated[k]}" for k in keys if stated.get(k) not in (None, ""))


def _from_stated(stated: dict) -> Salary | None:
    low, high = _to_number(stated.get("min")), _to_number(stated.get("max"))
    if low is None and high is None:
        return None
    currency = cur.currency_code(str(stated["currency"])) if stated.get("currency") else None
    interval = stated.get("interval")
    period = _period_from_interval(interval)
    if interval in (None, ""):  # no interval at all (not "NONE"): infer, conservatively
        period = _infer_period(max(v for v in (low, high) if v is not None), currency)
    return _finish(low, high, currency, period, "stated", _stated_raw(stated))


# --- text -----------------------------------------------------------------------------------


def _amount(match: re.Match[str], i: int) -> float | None:
    number = _plain_number(match.group(f"n{i}"))
    multiplier = (match.group(f"k{i}") or "").strip().lower()
    if number is None:
        return None
    if multiplier in ("k", "thousand"):
        # "150,000K" is a number written out in full with a stray K, not 150 million
        return number if number >= 1000 else number * 1000
    if multiplier:  # lakh / LPA
        return number * 100_000
    return number


def _line_before(text: str, start: int, width: int = 110) -> str:
    before = text[max(0, start - width) : start]
    return before[before.rfind("\n") + 1 :]


def _line_after(text: str, end: int, width: int = 40) -> str:
    after = text[end : end + width]
    cut = after.find("\n")
    return after if cut == -1 else after[:cut]


def _pay_is_closer(before: str) -> bool | None:
    """True: a pay word is the nearest cue; False: a non-pay word is; None: neither."""
    not_cues = [(m.start(), m.end()) for m in _PAY_HEADING_RE.finditer(before)]
    not_cues += [(m.start(), m.end()) for m in _ROLE_PHRASE_RE.finditer(before)]
    negatives = [
        m for m in _NOT_PAY_RE.finditer(before) if not any(s <= m.start() < e for s, e in not_cues)
    ]
    spans = [(m.start(), m.end()) for m in negatives]
    pay = [m for m in _PAY_RE.finditer(before) if not any(s <= m.start() < e for s, e in spans)]
    last_pay = pay[-1].end() if pay else -1
    last_negative = negatives[-1].end() if negatives else -1
    if last_pay < 0 and last_negative < 0:
        return None
    return last_pay > last_negative


def _read_candidate(
    match: re.Match[str], text: str, short: bool, bare_dollar: str
) -> Salary | None:
    tokens = [match.group(g) for g in ("c1", "p1", "c2", "p2")]
    codes = [c for c in (cur.currency_code(t) for t in tokens) if c]
    if bare_dollar != "USD" and all(
        t.strip() == "$" for t in tokens if t and cur.currency_code(t) == "USD"
    ):  # only bare "$" signs, no "USD" or "US$": the posting's own dollar
        codes = [bare_dollar if c == "USD" else c for c in codes]
    multipliers = f"{match.group('k1') or ''} {match.group('k2') or ''}".lower()
    if not codes and ("lpa" in multipliers or "lakh" in multipliers or "lac" in multipliers):
        codes = ["INR"]  # "12-18 LPA": lakh figures are rupees
    if not codes:
        return None
    # "$" means USD only when nothing names another dollar: "$87,000 CAD", "AUD $150,000".
    if "$" in match.group(0):
        named = _DOLLAR_CODE_BEFORE_RE.search(text, max(0, match.start() - 8), match.start())
        if named and named.group(1) in cur.DOLLAR_CODES:
            codes.insert(0, named.group(1))
        currency = next((c for c in codes if c != "USD"), codes[0])
    else:
        currency = codes[0]
    for i in (1, 2):
        if match.group(f"n{i}") and _BIG_UNIT_RE.match(text, match.end(f"n{i}")):
            return None  # "$5M Series A", "$50B+ market", "20%"
    low, high = _amount(match, 1), _amount(match, 2) if match.group("n2") else None
    if low is None:
        return None
    # "$90 - 110K", "12-18 LPA": the second multiplier covers both ends
    if high is not None and match.group("k2") and not match.group("k1") and low < 1000 <= high:
        low *= 1000 if "k" in match.group("k2").lower() else 100_000
    before, after = _line_before(text, match.start()), _line_after(text, match.end())
    # a "+" on the amount belongs to it ("$50k-300k+ ARR" is revenue); " + " after a space
    # ends the clause ("$100k + bonus", "£45k-£55k + benefits" are pay and more)
    clause = after[1:] if after.startswith("+") else after
    if _PLUS_EXTRAS_RE.match(after):
        clause = ""
    end = _CLAUSE_END_RE.search(clause)
    if _NOT_PAY_RE.search(clause[: end.start() if end else len(clause)]):
        return None  # "$20K relocation bonus", "$100 monthly wellness benefit"
    pay_closer = _pay_is_closer(before)
    period = (
        _period_in(match.group(0))
        or _period_in(after[:30])
        or _period_in(before[-80:], closest_to_end=True)
    )
    if pay_closer is False:
        return None
    if pay_closer is None and not short:
        big_range = high is not None and max(low, high) >= 10_000
        if not (big_range or period):
            return None
    if high is None:
        if _UP_TO_RE.search(before):
            low, high = None, low
        elif not _FROM_RE.search(before):
            high = low
    if "lpa" in multipliers:  # lakh per annum
        period = period or "year"
    if period is None:
        period = _infer_period(max(v for v in (low, high) if v is not None), currency)
    lead = before[-80:]
    if len(before) > 80 and " " in lead:  # start the raw text at a whole word
        lead = lead[lead.index(" ") + 1 :]
    raw = (lead + match.group(0) + after).strip()
    return _finish(low, high, currency, period, "parsed", raw)


def _find_all(text: str, needle: str, into: list[int]) -> None:
    position = text.find(needle)
    while position != -1:
        into.append(position)
        position = text.find(needle, position + 1)


def _codes_in(text: str) -> frozenset[str]:
    """Codes written as a whole run of capitals ("USD", not "USDC"): every code _anchors
    keeps is one, since it must not touch a letter. A bytes.translate and split (C loops
    over the UTF-8) take ~15 µs for 5 KB where a regex scan for capital trigrams took
    ~40 µs; no byte of a multi-byte character (or surrogate) is in A-Z."""
    runs = text.encode("utf-8", "surrogatepass").translate(_CAPITALS_ONLY).split()
    found = _ANCHOR_CODE_BYTES.intersection(runs)
    return frozenset(code.decode("ascii") for code in found) if found else frozenset()


def _anchors(text: str) -> list[int]:
    """Where a currency is named. str.find (SIMD fast) per symbol and a scan for codes
    keep this near 30 µs for a 5 KB description; one regex alternation of all codes with
    word boundaries costs ~0.5 ms."""
    positions: list[int] = []
    for symbol in _SYMBOL_CHARS:
        if symbol in text:
            _find_all(text, symbol, positions)
    for code in _codes_in(text):
        found: list[int] = []
        _find_all(text, code, found)
        positions += [
            p
            for p in found
            if not (p and text[p - 1].isalpha()) and not text[p + 3 : p + 4].isalpha()
        ]
    for shared, words in _ANCHOR_WORDS.items():
        if shared not in text:
            continue
        for word in words:
            if word not in text:
                continue
            found = []
            _find_all(text, word, found)
            positions += [
                p for p in found if text[p + 4 : p + 5] in ("", "s") or not (text[p + 4].isalpha())
            ]
    return sorted(positions)


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Amounts (or ranges) that name a currency, in text order, each read once."""
    seen_until = -1
    for anchor in _anchors(text)[:_MAX_CANDIDATES]:
        if anchor < seen_until:
            continue
        match = _RANGE_RE.match(text, anchor)  # currency first: "$120k", "USD 100,000"
        if text[anchor] == "$":  # a dollar's prefix sits before the anchor: "CA$", "A$"
            for start in range(max(0, anchor - 3, seen_until), anchor):
                prefixed = _RANGE_RE.match(text, start)
                if prefixed and prefixed.group("c1") and prefixed.end("c1") > anchor:
                    match = prefixed
                    break
        if match is None or match.group("c1") is None:
            match = None  # currency after the number: "60.000 €", "50 - 60.000 EUR"
            window_start = max(0, anchor - 60, seen_until)
            for found in _RANGE_RE.finditer(text, window_start, min(len(text), anchor + 60)):
                if found.start() > anchor:
                    break
                if found.end() > anchor:
                    match = found
                    break
        if match is not None:
            seen_until = match.end()
            yield match


def _from_text(text: str, bare_dollar: str) -> Salary | None:
    short = len(text.strip()) <= _SHORT_TEXT
    flagged: Salary | None = None
    for match in _candidates(text):
        salary = _read_candidate(match, text, short, bare_dollar)
        if salary is not None and salary.flag is None:
            return salary
        flagged = flagged or salary  # an untrusted reading, unless a better one follows
    return flagged


def parse_salary(stated: dict | None, text: str | None, *, bare_dollar: str = "USD") -> Salary:
    """Structured pay first, else the first pay-like amount in `text`; never raises.
    `bare_dollar` is the currency a bare "$" means: USD unless the posting is in a country
    that writes its own dollar so (cur.LOCAL_DOLLARS)."""
    if isinstance(stated, dict):
        from_stated = _from_stated(stated)
        if from_stated is not None:
            return from_stated
    if text and text.strip():
        from_text = _from_text(text, bare_dollar)
        if from_text is not None:
            return from_text
        if len(text.strip()) <= 300:  # a salary field ("Competitive", "DOE"): keep it
            return Salary(raw=text.strip())
    if isinstance(stated, dict) and _stated_raw(stated):
        return Salary(raw=_stated_raw(stated))
    return Salary()
