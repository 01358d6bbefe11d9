"""The years of experience a posting asks for ("5+ years of experience", "3-5 years in
backend development", "at least two years of industry experience").

What a job seeker filters on beside the level: half of the real postings state years, and
half of those have no level in their title. The first requirement the text states is read
(it is the headline one: "8+ years of software engineering, 3+ years in developer tooling"
asks for 8); its words are kept beside the numbers. Numbers that are not a requirement are
left: the company's own history ("our founders bring 20 years of experience"), a time span
("over the last 4 years"), a "10-year exercise window".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
}  # fmt: skip
_NUMBER = r"(?:\d{1,2}|" + "|".join(_WORD_NUMBERS) + r")"
_NUMBER_ENDINGS = (*_WORD_NUMBERS, "more", "plus")  # "3 or more years", "5 plus years"
# years beyond this are a company's history, not what it asks of one person
MOST_YEARS = 25

# the unit every statement turns on; the number and the words around it are read from there
# ("4-6yrs" glues them, so the letter before is checked apart: a look-behind, or ignoring
# case, makes the scan of a whole text 4x slower)
_UNIT = re.compile(r"[Yy](?:ears?|EARS?|rs?|RS?|o[Ee]|O[Ee])\b")
# what stands before the unit, read back from it: "at least 3", "5+", "3-5", "3 or more"
_BEFORE = re.compile(
    r"(?:\b(?P<lead>at\s+least|a\s+minimum\s+of|minimum\s+of|minimum|min\.|over|more\s+than)"
    rf"\s+|(?P<sign>>=?|≥)\s*)?(?<![\d.,$£€])\b(?P<low>{_NUMBER})\s*(?P<plus>\+|plus\b)?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<high>{_NUMBER})\s*(?P<high_plus>\+)?)?\s*(?P<more>or\s+more\s+)?"
    r"(?:\(\s*)?$",
    re.IGNORECASE,
)
# what follows it: "of (relevant, hands-on) experience", "+ in backend development",
# "(Required)" (Indeed's "Applied behavior analysis: 1 year (Required)")
_AFTER = re.compile(
    r"^(?P<mark>['’]|\(s\))?\s*(?P<plus>\+)?\s*\)?\s*"
    r"(?P<more>or\s+more\b|minimum\b|\(\s*(?:required|preferred)\s*\))?"
    # the words up to "experience" stay in the clause: no full stop, no " - " between
    # ("U.S." is a word; "work-experience" ends in it)
    r"(?P<experience>[ \t-]*(?:of[ \t]+)?(?:(?:\w\.){2,}[ \t]+|[\w/&,’'()-]+[ \t]+){0,5}?"
    r"(?:\w+-)?experience\b)?"
    r"(?P<span>\s*(?:in|of|with|as|at|on|\w+ing)\b)?",
    re.IGNORECASE,
)
# a time span or the company's own years, not a requirement
_NOT_REQUIREMENT_AFTER = re.compile(
    r"^['’]?\s*(?:ago|old|time|later|from|after|before|since|to\s+come|running|in\s+a\s+row)\b",
    re.IGNORECASE,
)
_NOT_REQUIREMENT_BEFORE = re.compile(
    r"\b(?:past|last|next|first|every|each|for|within|after|in\s+the|spent|founded|since|ago)"
    r"\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# a sentence about the applicant's own past: "You've worked ...", "an engineer who has ..."
_APPLICANT = re.compile(
    r"\b(?:you|you['’]ve|your|who\s+has|experienced\s+in|worked|working\s+as)\b", re.IGNORECASE
)
# the sentence is about the company, not the applicant
_ABOUT_US = re.compile(
    r"\b(?:we|we've|we’ve|our|us|founders?|company|firm|team\s+(?:has|have|brings?))\b",
    re.IGNORECASE,
)
_ABOUT_YOU = re.compile(
    r"\b(?:you|your|you've|you’ve|candidates?|applicants?|someone|looking\s+for|seeking"
    r"|hiring|require[ds]?|requirements?|must|should|need|ideal(?:ly)?|qualifications?"
    r"|minimum|at\s+least|experience)\b",
    re.IGNORECASE,
)
# "Experience: 5+ years", "design experience (typically 6+ years)"
# years of managing or leading people, not of the field ("... experience managing teams",
# "... of direct people management", "... leading a functional team")
_MANAGING = re.compile(
    r"\b(?:manag(?:e|es|ing|ement)\s+(?:\w+\s+){0,3}?(?:teams?|people|engineers|reports|"
    r"individual\s+contributors|others|staff)|people\s+management|(?:team|people|engineering)"
    r"\s+(?:management|leadership)|lead(?:ing)?\s+(?:a\s+|an\s+)?(?:\w+\s+){0,2}?teams?"
    r"|leadership|supervis\w*)\b",
    re.IGNORECASE,
)
_MANAGING_LINES = 3  # how far on the field's years are looked for
_HEADING = re.compile(
    r"\bexperience\s*(?:[:–—-]|\(\s*(?:typically|ideally|usually)?)\s*$", re.IGNORECASE
)
_SENTENCE_ENDS = (". ", "! ", "? ", "; ", ": ", "\n")
_BACK = 48  # characters read before the unit
_AHEAD = 80  # and after it


class Experience(NamedTuple):
    """Years asked for: `years_min` and, for a range, `years_max`; `raw` the words read."""

    years_min: int | None = None
    years_max: int | None = None
    raw: str | None = None


NO_EXPERIENCE = Experience()


def parse_experience(text: str | None) -> Experience:
    """The first years-of-experience requirement `text` states, or NO_EXPERIENCE.

    A manager's posting often asks first for years of managing ("2+ years managing
    engineering teams") and next for the years in the field ("5+ years of software
    engineering"): then the field's years, when more and within the next lines, are the ask.
    """
    if not text:
        return NO_EXPERIENCE
    found = _requirements(text)
    first = next(found, None)
    if first is None:
        return NO_EXPERIENCE
    end, experience = first
    if not _MANAGING.search(text, end, text.find("\n", end) % (len(text) + 1)):
        return experience
    for start, later in found:
        if text.count("\n", end, start) > _MANAGING_LINES:
            break
        if (later.years_min or 0) > (experience.years_min or 0) and not _MANAGING.search(
            text, start, text.find("\n", start) % (len(text) + 1)
        ):
            return later
    return experience


def _requirements(text: str) -> Iterator[tuple[int, Experience]]:
    """(where the unit ends, the requirement) for each requirement `text` states, in order."""
    for unit in _UNIT.finditer(text):
        start = unit.start()
        if start and text[start - 1].isalpha():  # "layers", "Surveyors"
            continue
        # most years in a posting have no number before them ("per year", "years of
        # experience in"): a look at the characters before skips them without the regexes
        tail = text[max(0, start - 16) : start].rstrip(" \t+-–—(").lower()
        if not tail or not (tail[-1].isdigit() or tail.endswith(_NUMBER_ENDINGS)):
            continue
        found = _requirement_at(text, unit)
        if found is not None:
            yield unit.end(), found


def _requirement_at(text: str, unit: re.Match[str]) -> Experience | None:
    before_text = text[max(0, unit.start() - _BACK) : unit.start()]
    before = _BEFORE.search(before_text)
    if before is None:
        return None
    after_text = text[unit.end() : unit.end() + _AHEAD]
    after = _AFTER.match(after_text)  # every part optional: always a match
    low, high = _number(before["low"]), _number(before["high"])
    if low is None or low > MOST_YEARS or (high is not None and not low < high <= MOST_YEARS):
        return None
    words_before = before_text[: before.start()]
    says_experience = after["experience"] is not None or _HEADING.search(words_before) is not None
    singular = not unit.group().lower().endswith(("s", "yoe"))
    if singular and low != 1 and not says_experience:  # "a 10-year window"
        return None
    open_ended = before["plus"] or before["sign"] or _bounded(before["lead"]) or after["plus"]
    if says_experience or after["more"] or before["more"]:
        pass
    elif not (open_ended or (high is not None and after["span"])):
        return None  # only a requirement's shape counts without the word: "5+ years in"
    elif (span := _NOT_REQUIREMENT_BEFORE.search(words_before)) is not None:
        # "the last 4 years", "trusted by hospitals for 10+ years"; but "for" in a sentence
        # about the applicant is theirs: "worked as a Software Engineer for 8+ years"
        start = unit.start() - len(before_text) + before.start()
        if not (
            span[0].lower().startswith("for") and _APPLICANT.search(_sentence_before(text, start))
        ):
            return None
    if _NOT_REQUIREMENT_AFTER.match(after_text):
        return None
    start = unit.start() - len(before_text) + before.start()
    sentence = _sentence_before(text, start)
    if _ABOUT_US.search(sentence) and not _ABOUT_YOU.search(sentence):
        return None
    end = unit.end() + (after.end("experience") if after["experience"] else 0)
    high = None if before["high_plus"] else high  # "3-10+ years": no upper bound
    return Experience(low, high, " ".join(text[start:end].split()))


def _bounded(lead: str | None) -> bool:
    """'at least 3 years' bounds from below; 'over 3 years' may be a span of time."""
    return lead is not None and not lead.lower().startswith(("over", "more"))


def _number(value: str | None) -> int | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else _WORD_NUMBERS[value.lower()]


def _sentence_before(text: str, position: int) -> str:
    """The words of the sentence (or bullet) that lead up to `position`."""
    window = text[max(0, position - 200) : position]
    return window[max(window.rfind(end) + len(end) for end in _SENTENCE_ENDS) :]
