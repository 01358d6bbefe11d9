"""Every board family's employment-type words → one closed set (types.EMPLOYMENT_TYPES).

Exact spellings are looked up after folding case and punctuation ("Full-time", "FullTime",
"FULL_TIME" and "full time" are one key); longer free text falls back to keyword rules
in a fixed priority order, so "Full-time internship" is an internship.
"""

from __future__ import annotations

import re

from pipelines.cleaning.types import TitleInfo

# Folded key (lower case, letters and digits only) → code.
# fmt: off
_EXACT: dict[str, str] = {
    # full time: Ashby FullTime, Lever Full-time/Regular, schema.org FULL_TIME, Recruitee,
    # SmartRecruiters "Permanent", Personio "permanent", German, French.
    **dict.fromkeys(
        [
            "fulltime", "fulltimepermanent", "fulltimeregular", "permanent", "regular",
            "permanentfulltime", "fulltimeemployee", "vollzeit", "festanstellung",
            "unbefristet", "cdi", "tempsplein", "fte", "salaried",
        ],
        "FULL_TIME",
    ),
    **dict.fromkeys(
        ["parttime", "parttimepermanent", "permanentparttime", "teilzeit", "tempspartiel",
         "minijob"],
        "PART_TIME",
    ),
    **dict.fromkeys(
        [
            "contract", "contractor", "contracttohire", "freelance", "freelancer",
            "selfemployed", "consultant", "independentcontractor", "1099", "c2h",
            "freiberuflich", "freiemitarbeit",
        ],
        "CONTRACTOR",
    ),
    **dict.fromkeys(
        [
            "temporary", "temp", "seasonal", "fixedterm", "shortterm", "befristet", "cdd",
            "interim", "fulltimetemporary", "parttimetemporary",
        ],
        "TEMPORARY",
    ),
    **dict.fromkeys(
        [
            "intern", "internship", "trainee", "praktikum", "praktikant", "werkstudent",
            "workingstudent", "coop", "apprentice", "apprenticeship", "ausbildung", "stage",
            "stagiaire", "alternance", "student", "graduateinternship", "thesis",
            "abschlussarbeit",
        ],
        "INTERN",
    ),
    **dict.fromkeys(["volunteer", "voluntary", "ehrenamt", "ehrenamtlich", "benevole"],
                    "VOLUNTEER"),
# fmt: on
    **dict.fromkeys(["perdiem", "prn", "asneeded", "oncall"], "PER_DIEM"),
    **dict.fromkeys(["other", "others", "various"], "OTHER"),
}

# Keyword fallback for free text, most specific first.
_KEYWORD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), code)
    for pattern, code in (
        (r"intern|praktik|werkstudent|working student|trainee|apprentic|co-?op\b", "INTERN"),
        (r"per[ -]?diem|\bprn\b", "PER_DIEM"),
        (r"volunt", "VOLUNTEER"),
        (r"\btemp\b|temporar|seasonal|fixed[ -]?term|(?<!un)befristet", "TEMPORARY"),
        (r"contract|freelanc|\b1099\b|self[ -]?employed", "CONTRACTOR"),
        (r"part[ -_]?time|teilzeit", "PART_TIME"),
        (r"full[ -_]?time|permanent|regular|vollzeit|festanstellung", "FULL_TIME"),
    )
)
_FOLD_RE = re.compile(r"[^0-9a-zäöüéèß]+")
_LIST_SPLIT_RE = re.compile(r"\s*[,;|]\s*")


def _classify(term: str) -> str | None:
    key = _FOLD_RE.sub("", term.lower())
    if not key:
        return None
    code = _EXACT.get(key)
    if code is not None:
        return code
    for pattern, keyword_code in _KEYWORD_RULES:
        if pattern.search(term):
            return keyword_code
    return None


def normalize_employment_type(raw: str | None) -> str | None:
    """Map a board's employment-type text to the closed set; unknown text is "OTHER"."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    # schema.org allows a list ("FULL_TIME, CONTRACTOR"): the first recognised term wins.
    for term in _LIST_SPLIT_RE.split(text):
        code = _classify(term)
        if code is not None:
            return code
    return "OTHER"


# What a posting says of itself: "This is a contract position", "This role is a 12-month
# fixed-term contract", "This is a part-time role". Only sentences about this role count: a
# benefits paragraph about "full-time employees" says nothing of it.
_TERMS = (
    r"full[- ]time|part[- ]time|contract(?:[- ]to[- ]hire|or)?|freelance|temporary|temp"
    r"|fixed[- ]term|seasonal|permanent|internship|per[- ]diem"
)
_QUALIFIERS = r"(?:(?:\d+|one|two|three|four|six|nine|twelve)[- ](?:month|week|year)s?\s+|paid\s+)*"
_SELF_STATEMENT_RE = re.compile(
    rf"\bthis (?:role|position|job|opportunity|opening) is (?:an? )?{_QUALIFIERS}(?P<a>{_TERMS})\b"
    rf"|\bthis is an? {_QUALIFIERS}(?P<b>{_TERMS})[- ](?:role|position|job|opportunity|opening"
    r"|engagement|contract)\b",
    re.IGNORECASE,
)


def employment_in_text(text: str | None) -> str | None:
    """The employment type a posting's text states for this role, or None."""
    if not text:
        return None
    # A statement starts at "this " or "This ": two str.find scans and a regex match where
    # one is found cost ~10 µs a posting; lower-casing the text first costs ~19.
    for word in ("this ", "This "):
        start = text.find(word)
        while start != -1:
            if start == 0 or not text[start - 1].isalnum():
                match = _SELF_STATEMENT_RE.match(text, start)
                if match:
                    return normalize_employment_type(match.group("a") or match.group("b"))
            start = text.find(word, start + 5)
    return None


def employment_type_of(
    raw: str | None, title: TitleInfo, text: str | None = None
) -> tuple[str | None, str | None]:
    """(employment type, basis): the board's own field ("stated"); else a term the title
    carries, "Agronomist (Fixed-Term)", or an intern's level ("parsed"); else what the text
    says of this role, "This is a contract position" ("inferred"). Nothing is assumed: with
    none of these it stays NULL, not full time.

    A stated FULL_TIME gives way when the title or text names another type: boards default
    their field to full time (Ashby does), and in the real Ashby capture 14 postings stated
    FullTime while saying "This is a contract position" or "a 12 month fixed term contract"."""
    stated = normalize_employment_type(raw)
    if stated is not None and stated != "FULL_TIME":
        return stated, "stated"
    if title.employment_term is not None:
        parsed = normalize_employment_type(title.employment_term)
        if stated is None or parsed != "FULL_TIME":
            return parsed, "parsed"
    elif title.seniority == "intern":
        return "INTERN", "parsed"
    said = employment_in_text(text)
    if said is not None and (stated is None or said != "FULL_TIME"):
        return said, "inferred"
    return (stated, "stated") if stated is not None else (None, None)
