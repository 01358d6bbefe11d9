"""A board's level field ("Mid-Senior level", "entry_level", "Director") → a seniority code.

SmartRecruiters, Workable and many Greenhouse boards use LinkedIn's levels, Recruitee its
experience codes, Personio its seniority words. Only words that name one code are read:
LinkedIn's "Mid-Senior level" spans mid and senior, Personio's "experienced" everything
above entry level, so both stay NULL (the raw text is kept beside). The title's own level
wins over the board's field: "Senior Data Scientist" filed under "Mid-Senior level" is senior.
"""

from __future__ import annotations

import re

# Folded key (lower case, letters only) → code.
# fmt: off
_LEVELS = {
    **dict.fromkeys(["internship", "intern", "student", "workingstudent", "werkstudent",
                     "studentcollege", "studenthighschool", "apprenticeship", "apprentice",
                     "trainee"], "intern"),
    **dict.fromkeys(["entrylevel", "entry", "associate", "junior", "juniorlevel", "graduate",
                     "newgrad", "berufseinsteiger", "einsteiger"], "junior"),
    **dict.fromkeys(["midlevel", "mid", "intermediate"], "mid"),
    **dict.fromkeys(["senior", "seniorlevel"], "senior"),
    **dict.fromkeys(["staff", "principal", "staffprincipal"], "staff"),
    **dict.fromkeys(["manager", "managerlevel", "seniormanager", "seniormanagerlevel",
                     "director", "directorlevel", "head", "teamlead"], "manager"),
    **dict.fromkeys(["executive", "executivelevel", "clevel", "vp", "vicepresident"],
                    "executive"),
}
# fmt: on
_FOLD_RE = re.compile(r"[^a-z]+")


def stated_seniority(raw: str | None) -> str | None:
    """The seniority code a board's level field names, or None when it names none."""
    if not raw:
        return None
    return _LEVELS.get(_FOLD_RE.sub("", str(raw).lower()))
