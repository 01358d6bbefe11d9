"""The lowest degree a posting requires: bachelor, master or doctorate ("BS/MS in Computer
Science", "PhD in Machine Learning or a related field", "Master's degree required").

For ML roles the question a job seeker asks first: does it take a PhD? A degree counts when
the posting asks it of the applicant, as a requirement; the lowest of those is read, since
"MS or PhD" is open to a master. Degrees only preferred ("PhD preferred", a "Nice to have"
list) are not a requirement, so "Bachelor's required, PhD a plus" is bachelor and "PhD
preferred" alone is none. Abbreviations count only where they plainly name a degree ("BS in",
"MS/PhD", "a BA degree"): "MS Office" and "BA" the business analyst do not.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import ahocorasick_rs

from pipelines.cleaning.literals import find_literals
from pipelines.cleaning.types import clip_statement

DEGREE_ORDER = ("bachelor", "master", "doctorate")

# spelled out: they name a degree wherever they stand
_WORDS = (
    r"(?P<doctorate>Ph\.?\s?D\b\.?|[Dd]octorate\b|[Dd]octoral\s+degree|D\.?Phil\b)"
    # ("masters of their craft", "our master of first impressions" are not degrees)
    r"|(?P<master>[Mm]aster['’]s\b|Masters?\s+(?:degree|of\b|in\b)|Masters\b|masters?\s+degree"
    r"|(?:[Aa]dvanced|[Gg]raduate|[Pp]ost-?graduate)\s+degree\b)"
    r"|(?P<bachelor>[Bb]achelor(?:['’]?s)?\s+(?:degree|of\b|in\b)|[Bb]achelor['’]?s\b"
    # "an undergraduate, graduate or doctoral degree": the lowest names the list's degree
    r"|[Uu]ndergraduate(?:\s+degree|(?=\s*(?:,|/|or\b|and\b)[^.\n]{0,40}\bdegree))"
    r"|(?:4|four)[- ]year\s+(?:college\s+|university\s+)?degree)"
)
# abbreviated: "MS" is also Microsoft, "BA" a business analyst, "PHD" a tracking filter, so
# only read beside a degree's context ("in", "/", "degree", another degree)
_ABBREVIATIONS = (
    r"(?P<doctorate_short>PHD)|(?P<master_short>M\.S\.|M\.?Sc\.?|MS|M\.?Eng\.?|MBA|M\.?A\.)"
    r"|(?P<bachelor_short>B\.S\.|B\.?Sc\.?|BS|B\.?Eng\.?|B\.A\.|BA|B\.?Tech)"
)
_DEGREE = re.compile(rf"(?:{_WORDS}|(?:{_ABBREVIATIONS})(?![\w]))")
# where a degree may start, found in one pass: a regex alternation this wide tries every
# branch at every character (~160 µs a posting, pyahocorasick's automaton ~40 µs); the Rust
# automaton finds these literals in ~14 µs, and the regex is only tried where one stands
_STARTS = (
    "PhD", "Ph.D", "Ph. D", "PHD", "Doctora", "doctora", "DPhil", "D.Phil", "Master", "master",
    "Bachelor", "bachelor", "Undergraduate", "undergraduate", "4-year", "4 year", "four-year",
    "four year", "Four-year", "Advanced", "advanced", "Graduate", "graduate", "Postgraduate",
    "postgraduate", "Post-graduate", "post-graduate", "MS", "M.S", "MSc", "M.Sc", "MEng",
    "M.Eng", "MBA", "M.A.", "BS", "B.S", "BSc", "B.Sc", "BEng", "B.Eng", "BA", "B.A.", "BTech",
    "B.Tech",
)  # fmt: skip
_AUTOMATON = ahocorasick_rs.AhoCorasick(_STARTS)

_SHORT_CONTEXT = re.compile(
    r"^\s*(?:/|,\s*(?:MS|BS|PhD|M\.S\.|B\.S\.)|in\s+[A-Z]|degree|\(\s*or\b"
    r"|or\s+(?:MS|BS|PhD|Ph\.D|M\.S\.|B\.S\.|higher|above|equivalent|[A-Z][a-z]+['’]s"
    r"|(?:an?\s+)?(?:advanced|graduate|postgraduate|master|bachelor)))",
)
_SHORT_AFTER_DEGREE = re.compile(r"(?:/|\bor|,)\s*$")
# a statement that only prefers: "PhD preferred", "an MS is a plus", "Nice to have: ..."
_PREFERRED = re.compile(
    r"\b(?:prefer(?:red|ably)?|a\s+plus|is\s+a\s+plus|nice[\s-]to[\s-]have|bonus|ideal(?:ly)?"
    r"|desired|desirable|advantage(?:ous)?|strongly\s+considered|not\s+required|optional)\b",
    re.IGNORECASE,
)
_REQUIRED = re.compile(r"\b(?:required|requires?|must|minimum|at\s+least)\b", re.IGNORECASE)
# where a clause ends within a statement: "BS required; MS a plus", "... field. Master's
# preferred." (a full stop after a lower-case word: "B.S. or M.S." does not end one), a
# dash, and a comma only before another degree ("a degree in Physics, MS or PhD preferred"):
# the commas of a list of fields stay inside ("in Art, Design, or a related field is
# preferred"). A parenthesis is an aside: "Bachelor's degree (PhD preferred) in Physics" is a
# clause around one.
_CLAUSE_ENDS = re.compile(
    r"[;—]|\s–\s|(?:(?<=[a-z]{2})|(?<=\)))\.\s|,\s(?=(?:with\s+)?(?:an?\s+)?(?:M\.?S|B\.?S|B\.?A\b|Ph\.?\s?D"
    r"|MBA|[Mm]aster|[Bb]achelor|[Aa]dvanced|[Gg]raduate|[Pp]ostgraduate|[Dd]octora))"
)
_ASIDE = re.compile(r"\([^()]*\)")
# an aside that only prefers what it follows: "BA or BS degree (preferred)"
_PREFERRED_ASIDE = re.compile(
    r"\(\s*(?:strongly\s+|highly\s+)?(?:preferred|a\s+plus|desired|optional)\s*\)",
    re.IGNORECASE,
)
# a label that only prefers: "Education (preferred) - Bachelor's degree", "Bonus: a BA"
_PREFERRED_LABEL = re.compile(
    r"^(?:[\w&/ ]{0,40}?)?(?:\(\s*)?(?:prefer\w*|bonus|nice[\s-]to[\s-]have"
    r"|plus|optional)(?:\s*\))?[\w ]{0,20}?(?::|\s-\s)",
    re.IGNORECASE,
)
# someone else's degree: "supervising PhD students", "supervision from a doctorate-level"
_OTHERS = re.compile(
    r"\b(?:supervis\w*|mentor\w*|alongside|surrounded\s+by|work(?:ing)?\s+(?:\w+\s+)?with"
    r"|from\s+an?|e\.g\.|including|include|includes)\b",
    re.IGNORECASE,
)
# a founder's or a colleague's: "MIT PhD founders"
_OTHERS_AFTER = re.compile(r"^\W{0,2}\s*(?:co-?)?founders?\b", re.IGNORECASE)
# someone's story: "Before Axiom, Yi ... did a math PhD at MIT", "He has helped scale ...
# Holding both an undergraduate and master's degree in mathematics"
_STORY = re.compile(
    r"\b(?:did|earned|received|studied|was|were|before|previously|founded|co-?founded|he|she"
    r"|his|her)\b",
    re.IGNORECASE,
)
# the team's or the founders' degrees, not the applicant's
_ABOUT_US = re.compile(
    r"\b(?:we|we're|we’re|our|us|founders?|founded|team\s+(?:of|includes|has)|led\s+by"
    r"|co-?founders?|researchers\s+from)\b",
    re.IGNORECASE,
)
_ABOUT_YOU = re.compile(
    r"\b(?:you|your|candidates?|applicants?|required|requirements?|qualifications?|must"
    r"|pursuing|enrolled)\b",
    re.IGNORECASE,
)
# the heading of a list that only prefers ("Preferred Qualifications", "Nice to have",
# "Bonus points") and one that requires again ("Requirements", "What you'll need")
_HEADING_MAX = 70
_BULLETS = ("-", "•", "*", "·")
_LINES_BACK = 30  # how far up a list's heading is looked for


class Degree(NamedTuple):
    """The lowest degree required (`level`, one of DEGREE_ORDER) and the words read."""

    level: str | None = None
    raw: str | None = None


NO_DEGREE = Degree()


def parse_degree(text: str | None) -> Degree:
    """The lowest degree `text` requires of the applicant, or NO_DEGREE."""
    if not text:
        return NO_DEGREE
    lines: dict[int, list[re.Match[str]]] = {}  # line start -> the degrees named in it
    for _, start, _ in find_literals(_AUTOMATON, text):
        if start and (text[start - 1].isalnum() or text[start - 1] in "._"):
            continue  # inside a word: "AWS", "FMS"
        if (match := _DEGREE.match(text, start)) is not None:
            lines.setdefault(text.rfind("\n", 0, start) + 1, []).append(match)
    best = NO_DEGREE
    for line_start, matches in lines.items():
        if _in_preferred_list(text, line_start):
            continue
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        found = _lowest_in_line(line, [(m, m.start() - line_start) for m in matches])
        if found.level and (
            best.level is None or DEGREE_ORDER.index(found.level) < DEGREE_ORDER.index(best.level)
        ):
            best = found
    return best


def _in_preferred_list(text: str, line_start: int) -> bool:
    """Whether the line at `line_start` is in a list headed "Preferred", "Nice to have"."""
    end = line_start - 1
    for _ in range(_LINES_BACK):
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if not line.lstrip().startswith(_BULLETS) and _is_heading(line.strip()):
            return _PREFERRED.search(line) is not None
        end = start - 1
    return False


def _is_heading(line: str) -> bool:
    """A short line that introduces a list: "Preferred Qualifications", "Nice to have:"."""
    return (
        0 < len(line) <= _HEADING_MAX
        and not line.endswith((".", ";", ","))
        and _DEGREE.search(line) is None
        and (line.endswith(":") or line.istitle() or line.isupper() or len(line.split()) <= 5)
    )


def _lowest_in_line(line: str, matches: list[tuple[re.Match[str], int]]) -> Degree:
    lowest: str | None = None
    for match, at in matches:
        level = _level(match, line, at)
        if level is None or (lowest and DEGREE_ORDER.index(level) >= DEGREE_ORDER.index(lowest)):
            continue
        if _preferred(line, at, at + len(match.group())):
            continue  # "Bachelor's degree (PhD preferred)": the PhD is not asked for
        before, after = line[:at], line[at + len(match.group()) :]
        if _OTHERS.search(before) or _OTHERS_AFTER.match(after):
            continue
        if (_ABOUT_US.search(before) or _STORY.search(before)) and not _ABOUT_YOU.search(line):
            continue
        lowest = level
    if lowest is None:
        return NO_DEGREE
    # the evidence is the statement (the bullet) the degree stands in, to a length one reads
    words = " ".join(line.strip(" -•*·\t").split())
    return Degree(lowest, clip_statement(words))


def _preferred(line: str, start: int, end: int) -> bool:
    """Whether the clause of `line` around [start, end) only prefers the degree."""
    if _PREFERRED_LABEL.match(line.lstrip(" -•*·\t")):
        return True
    opened, closed = line.rfind("(", 0, start), line.rfind(")", 0, start)
    if opened > closed:  # within an aside: the aside is the clause
        close = line.find(")", end)
        clause = line[opened + 1 : close if close >= 0 else len(line)]
        return bool(_PREFERRED.search(clause)) and not _REQUIRED.search(clause)
    # the asides' words blanked out (same length, so positions hold), then the clause's ends
    flat = _ASIDE.sub(lambda aside: "(" + " " * (len(aside.group()) - 2) + ")", line)
    left = 0
    for boundary in _CLAUSE_ENDS.finditer(flat, 0, start):
        left = boundary.end()
    right = _CLAUSE_ENDS.search(flat, end)
    right_at = right.start() if right else len(line)
    clause = flat[left:right_at]
    if _PREFERRED.search(clause) and not _REQUIRED.search(clause):
        return True
    return any(
        _PREFERRED_ASIDE.fullmatch(aside.group()) for aside in _ASIDE.finditer(line, end, right_at)
    )


def _level(match: re.Match[str], line: str, at: int) -> str | None:
    for level in DEGREE_ORDER:
        if match[level]:
            return level
    short = (
        "doctorate"
        if match["doctorate_short"]
        else "master"
        if match["master_short"]
        else "bachelor"
    )
    after, before = line[at + len(match.group()) :], line[:at]
    if _SHORT_CONTEXT.match(after) or (
        _SHORT_AFTER_DEGREE.search(before[-12:]) and _DEGREE.search(before[-20:]) is not None
    ):
        return short
    return None
