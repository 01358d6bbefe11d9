"""Job titles → a root (no level, place or gender decorations) and a seniority code.

Seniority codes follow TAXONOMY.md. Rules, in priority order:
  intern     intern, internship, Praktikum, Werkstudent, working student, co-op, apprentice
  executive  VP, Vice President, Chief (not "Chief of Staff"), CEO/CTO/CFO/COO/CSO..., President,
             (Co-)Founder
  manager    Manager (not an IC "Product/Program/Project/Account... Manager"), Director,
             Head of, Team Lead, Chief of Staff
  IC levels  the highest of: staff (Staff, Principal, Distinguished, Fellow, IV+, L6+),
             senior (Senior, Sr, Lead as an IC level, III, L5), mid (Mid-level,
             Intermediate, II, Level 2, L4), junior (Junior, Jr, Entry level, Graduate,
             New grad, Trainee, "Associate" before an IC role, I, L3)
"Senior Staff" is therefore staff and "Senior Engineering Manager" a manager. Whom a role
serves is not its level: "Executive Assistant to the CEO" has no seniority from "CEO".
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.cleaning.locations import is_location_decoration
from pipelines.cleaning.types import TitleInfo

_I = re.IGNORECASE
_SPACE_RE = re.compile(r"\s+")

_GENDER_TOKEN = r"(?:m|w|f|d|x|h|i|a|div|diverse?|divers|gn|nb|\*)"
_GENDER_RE = re.compile(
    rf"\s*[(\[]\s*(?:{_GENDER_TOKEN}\s*[/|,\\]\s*){{1,4}}{_GENDER_TOKEN}\s*[)\]]"
    r"|\s*[(\[]\s*(?:all genders|alle geschlechter|gn\*?|genderneutral|any gender)\s*[)\]]"
    rf"|\s+(?<![\w/]){_GENDER_TOKEN}/{_GENDER_TOKEN}/{_GENDER_TOKEN}(?![\w/])",
    _I,
)
_PAREN_RE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_DASH_TAIL_RE = re.compile(r"\s+[-–—|@]\s+(?!.*\s[-–—|@]\s)(.+)$")
_COMMA_TAIL_RE = re.compile(r",\s*([^,]+)$")
_TAIL_SEPARATORS = (",", " - ", " – ", " — ", " | ", " @ ")
_SEASON_RE = re.compile(
    r"^(?:(?:summer|winter|spring|fall|autumn)\s*)?20\d\d(?:\s*/\s*\d{2,4})?$", _I
)


# Employment terms a title carries beside the job ("Technical Sourcer (Contract)", "Agronomist
# (Fixed-Term)"): employment_type says them. Intern words stay: they are the seniority.
_EMPLOYMENT_RE = re.compile(
    r"^(?:\d{1,2}[- ]?months?\s+)?(?:full[- ]?time|part[- ]?time|contract(?:or)?"
    r"|contract[- ]to[- ]hire|freelancer?|temporary|temp|fixed[- ]?term|seasonal|per[- ]diem"
    r"|permanent)(?:\s+(?:role|position|contract|basis))?$",
    _I,
)


# An employment term in front of the job: "Part-Time Behavior Technician", "Full-time ABA
# Therapist", "Freelance Production Designer". "Contract" is left alone there: "Contract
# Administrator" and "Contract Manufacturing Engineer" are jobs.
_LEADING_EMPLOYMENT_RE = re.compile(
    r"^(part[- ]?time|full[- ]?time|freelance|seasonal|temporary|per[- ]diem)\b[\s,:-]+(?=\w)",
    _I,
)


def _is_decoration(part: str, terms: list[str]) -> bool:
    """A season, an employment term (kept in `terms`) or a place decorating the title."""
    part = part.strip()
    if _EMPLOYMENT_RE.match(part):
        terms.append(part)
        return True
    return bool(_SEASON_RE.match(part)) or is_location_decoration(part)


_INTERN_RE = re.compile(
    r"\b(?:interns?|internship|praktikum|praktikant(?:in)?|werkstudent(?:in)?|working student"
    r"|co-?op|apprentice(?:ship)?|stagiaire|summer student)\b",
    _I,
)
_EXECUTIVE_RE = re.compile(
    r"\b(?:chief(?! of staff)|c(?:e|t|f|o|s|m|p|i|r|d|h|is|hr|c)o|vp|svp|evp"
    r"|vice[ -]president|president|(?:co-?)?founder(?!'?s? (?:associate|office)))\b",
    _I,
)
# "<word> Manager" titles that name an individual contributor's remit, not a team.
# fmt: off
_IC_MANAGER_WORDS = frozenset({
    "product", "program", "programme", "project", "account", "accounts", "success", "partner",
    "partnership", "partnerships", "community", "content", "brand", "campaign", "event",
    "events", "category", "case", "territory", "relationship", "release", "portfolio",
    "office", "property", "asset", "generation", "growth",
})
# fmt: on
_MANAGER_WORD_RE = re.compile(r"\bmanager\b", _I)
_LAST_WORD_RE = re.compile(r"(\w+)\W*$")
_MANAGER_RE = re.compile(
    r"\bdirector\b|\bhead of\b|^head\b|\bteam ?lead(?:er)?\b|\bteamleiter(?:in)?\b"
    r"|\bchief of staff\b|\bgeschäftsführer",
    _I,
)
_STAFF_RE = re.compile(
    r"\b(?:principal|distinguished)\b|(?<!chief of )\bstaff\b(?! (?:accountant|nurse|auditor"
    r"|attorney|writer|assistant|pharmacist|physician))|(?<!research )(?<!postdoctoral )"
    r"(?<!teaching )(?<!clinical )\bfellow\b",
    _I,
)
_SENIOR_RE = re.compile(
    r"\b(?:senior|sr|snr|mid-senior|lead(?! gen)(?!er)(?!s\b))\b(?<!\bteam lead)", _I
)
_MID_RE = re.compile(r"\b(?:mid[- ]?level|intermediate|mid)\b", _I)
_JUNIOR_RE = re.compile(
    r"\b(?:junior|jr|entry[- ]level|graduates?|new grads?|trainee)\b|\(\s*entry\s*\)"
    r"|^associate\s+(?!director|general|vice|partner|professor|principal|dean|counsel"
    r"|attorney|manager|creative|editor|producer|chief|head|to\b)",
    _I,
)
_ROMAN_LEVEL_RE = re.compile(r"\s(I{1,3}|IV|V|VI)(?=\s*(?:$|[,(\-–—|/:]))")
_NUMBER_LEVEL_RE = re.compile(r"\b(?:level\s*([1-9])|(?<![\w-])l([1-9])(?![\w-]))\b|\s([1-4])$", _I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
_LEVEL_CODES = {1: "junior", 2: "mid", 3: "senior", 4: "staff"}
_RANK = {"junior": 1, "mid": 2, "senior": 3, "staff": 4}

# What the root drops: level words, never the role ("Manager", "Director" stay).
_ROOT_DROP_RES = (
    re.compile(
        r"\b(?:(?:summer|winter|spring|fall|autumn)\s+)?(?:20\d\d\s+)?(?:interns?|internship"
        r"|praktikum|praktikant(?:in)?|werkstudent(?:in)?|working student|co-?op"
        r"|apprentice(?:ship)?)\b(?:\s+20\d\d)?",
        _I,
    ),
    re.compile(
        r"\b(?:senior|sr\.?|snr|junior|jr\.?|(?<!chief of )staff(?! (?:accountant|nurse"
        r"|auditor|attorney|writer|assistant))|principal|distinguished|mid[- ]?level"
        r"|mid-senior|intermediate|entry[- ]level|lead[- ]level|new grads?)(?:[- ]level)?"
        r"(?=\W|$)\.?|\(\s*entry\s*\)",
        _I,
    ),
    re.compile(r"^(?:lead(?! gen)|graduate)\s+", _I),
    _ROMAN_LEVEL_RE,
    _NUMBER_LEVEL_RE,
)
_CLEANUP_RES = (
    (re.compile(r"(?:\s*[-–—/,;&|])+\s*([)\]])"), r"\1"),  # "(8 weeks, Summer 2026)" → "(8 weeks)"
    (re.compile(r"\(\s*[-–—/,&|+]*\s*\)|\[\s*[-–—/,&|+]*\s*\]"), ""),  # "(Senior/Staff)" → "(/)"
    (re.compile(r"\s+([,)\]])"), r"\1"),
    (re.compile(r"([(\[])\s*[-–—/,&|+]*\s+"), r"\1"),  # "(New Grad / Spring)" → "(Spring)"
    (re.compile(r"(\s*[-–—|,:/]\s*){2,}"), lambda m: m.group(1)),
    (re.compile(r"^\s*[-–—|,:/+&]+\s*|\s*[-–—|,:/+&]+\s*$"), ""),
)
# The hiring season or class a title names is not the job: "(2026 Start)", "Fall 2025",
# "Q1 2026", "- 2027 Graduates", "(Winter or Summer 2026)", "(New Grad 2025 & 2026)". A bare
# year goes only where it ends a part of the title: "SQL Server 2019 DBA" keeps its year.
_SEASON_WORD = r"(?:summer|winter|spring|fall|autumn)"
_YEARS = r"20\d\d(?:\s*(?:-|/|&|and|or)\s*(?:20)?\d\d)?"
_SEASON_IN_ROOT_RE = re.compile(
    rf"\b(?:start(?:ing)?(?: in)?\s+)?"
    rf"(?:{_SEASON_WORD}(?:\s*(?:or|and|&|/)\s*{_SEASON_WORD})?\s*|q[1-4]\s*|h[12]\s+)"
    rf"{_YEARS}(?:\s+(?:start|graduates?|grads?|cohort))?\b"
    rf"|\b(?:start(?:ing)?(?: in)?\s+)?{_YEARS}\s+(?:start|graduates?|grads?|cohort)\b"
    rf"|(?<![\w.])(?:start(?:ing)?(?: in)?\s+)?{_YEARS}(?=\s*(?:$|[)\],|–—-]))",
    _I,
)
# Whom a role serves is not its level: "Executive Assistant to the CEO", "Office of the CTO".
_SERVES_RE = re.compile(
    r"\b(?:to|of|for|supporting) (?:the |our )?(?:ceo|cto|cfo|coo|cso|cpo|founders?|president"
    r"|vp\b|chief \w+ officer|c-suite|executive team)\b",
    _I,
)
_SERVES_HINTS = (" to ", " of ", " for ", "supporting ")


def _strip_decorations(title: str, terms: list[str]) -> str:
    """Remove gender markers and place/remote decorations, keep everything else; the
    employment terms removed go to `terms`."""
    # Cheap `in` checks skip regexes that cannot match; titles are millions of rows.
    text = _GENDER_RE.sub("", title) if "/" in title or "(" in title or "[" in title else title
    if "(" in text or "[" in text:
        text = _PAREN_RE.sub(
            lambda m: "" if _is_decoration(m.group(1), terms) else m.group(0), text
        )
    if not any(sep in text for sep in _TAIL_SEPARATORS):
        return text.strip(" -–—|,:")
    while True:  # trailing "- Remote", "– London, UK", ", Berlin", repeatedly
        for tail_re in (_DASH_TAIL_RE, _COMMA_TAIL_RE):
            match = tail_re.search(text)
            if match and match.start() > 0 and _is_decoration(match.group(1), terms):
                text = text[: match.start()]
                break
        else:
            break
    return _SPACE_RE.sub(" ", text).strip(" -–—|,:")


def _ic_level(text: str) -> str | None:
    levels: list[str] = []
    if _STAFF_RE.search(text):
        levels.append("staff")
    if _SENIOR_RE.search(text):
        levels.append("senior")
    if _MID_RE.search(text):
        levels.append("mid")
    if _JUNIOR_RE.search(text):
        levels.append("junior")
    roman = _ROMAN_LEVEL_RE.search(text)
    if roman:
        levels.append(_LEVEL_CODES[min(_ROMAN[roman.group(1)], 4)])
    number = _NUMBER_LEVEL_RE.search(text)
    if number:
        level, ladder, trailing = number.groups()
        if ladder:  # big-tech ladders start at L3 (entry) and L6 is staff
            levels.append(_LEVEL_CODES[max(1, min(int(ladder) - 2, 4))])
        else:
            levels.append(_LEVEL_CODES[min(int(level or trailing), 4)])
    return max(levels, key=_RANK.__getitem__) if levels else None


def _leads_people(text: str) -> bool:
    if _MANAGER_RE.search(text):
        return True
    for match in _MANAGER_WORD_RE.finditer(text):
        before = _LAST_WORD_RE.search(text, 0, match.start())
        if before is None or before.group(1).lower() not in _IC_MANAGER_WORDS:
            return True
    return False


def _seniority(title: str) -> str | None:
    low = title.lower()
    text = _SERVES_RE.sub(" ", title) if any(w in low for w in _SERVES_HINTS) else title
    if _INTERN_RE.search(text):
        return "intern"
    if _EXECUTIVE_RE.search(text):
        return "executive"
    if _leads_people(text):
        return "manager"
    return _ic_level(text)


def _root(text: str, seniority: str | None) -> str:
    root = _SEASON_IN_ROOT_RE.sub(" ", text) if any(ch.isdigit() for ch in text) else text
    if seniority is None and root == text:  # no level word and no season: nothing to drop
        return text
    if seniority is not None:
        for drop_re in _ROOT_DROP_RES:
            if drop_re is _ROOT_DROP_RES[2] and seniority == "manager":
                continue
            root = drop_re.sub(" ", root)
        if seniority == "junior":
            root = re.sub(r"^associate\s+", "", root.strip(), flags=_I)
    root = _SPACE_RE.sub(" ", root)
    for pattern, replacement in _CLEANUP_RES:
        root = pattern.sub(replacement, root)
    return root.strip() or text


@lru_cache(maxsize=100_000)
def parse_title(title: str | None) -> TitleInfo:
    """Split a title into its root and seniority; both None when there is no title."""
    if not title:
        return TitleInfo()
    text = _SPACE_RE.sub(" ", title).strip()
    if not text:
        return TitleInfo()
    terms: list[str] = []
    leading = _LEADING_EMPLOYMENT_RE.match(text)
    if leading:
        terms.append(leading.group(1))
        text = text[leading.end() :]
    undecorated = _strip_decorations(text, terms) or text
    seniority = _seniority(undecorated)
    return TitleInfo(
        root=_root(undecorated, seniority),
        seniority=seniority,
        seniority_basis="title" if seniority else None,
        employment_term=terms[0] if terms else None,
    )
