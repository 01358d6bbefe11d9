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


def employment_type_of(raw: str | None, title: TitleInfo) -> tuple[str | None, str | None]:
    """(employment type, basis): the board's own field ("stated"), else what the title says
    ("parsed"): a term it carries, "Agronomist (Fixed-Term)", or an intern's level.
    Nothing is assumed: a title with neither stays NULL, not full time."""
    stated = normalize_employment_type(raw)
    if stated is not None:
        return stated, "stated"
    if title.employment_term is not None:
        return normalize_employment_type(title.employment_term), "parsed"
    if title.seniority == "intern":
        return "INTERN", "parsed"
    return None, None
