"""Whether a posting says it sponsors work visas: "Visa sponsorship available", "We do
sponsor visas", "Relocation and immigration support" (yes), or "we are unable to sponsor work
visas", "cannot offer sponsorship", "without the need for sponsorship" (no).

For an applicant who needs a visa, the question that ends most searches early. Only what a
posting states about sponsoring is read: "must have US work authorization" does not say
whether the company would sponsor, and an equal-opportunity paragraph naming "citizenship or
immigration status" says nothing about visas. A posting that says both (sponsorship only
"for positions based in France", none "for remote positions outside of France") is left
unknown, its statements kept.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import ahocorasick_rs

from pipelines.cleaning.literals import find_literals
from pipelines.cleaning.types import clip_statement

# sentences that may speak of sponsoring: one scan of the literals finds them (a regex
# alternation costs ~100 µs a posting), the rules then read only those
_CUES = ahocorasick_rs.AhoCorasick(
    ["sponsor", "Sponsor", "SPONSOR", "visa", "Visa", "VISA", "immigration", "Immigration",
     "work permit", "Work permit", "Work Permit"]
)  # fmt: skip
_SPONSORING = (
    r"(?:sponsor(?:s|ed|ing|ship)?|visas?|H-?1-?B|work\s+permits?|green\s+cards?"
    r"|immigration)"
)
# "we are unable to sponsor work visas", "cannot offer sponsorship", "not able to provide
# visa sponsorship", "sponsorship is not available", "without the need for sponsorship"
_NO = re.compile(
    r"\b(?:unable|not\s+able|cannot|can\s*not|can['’]t|won['’]t|will\s+not|do(?:es)?\s+not"
    r"|don['’]t|doesn['’]t|not\s+(?:currently\s+)?(?:in\s+a\s+position|offer\w*|provid\w*)"
    r"|no\s+longer|unfortunately)\b[^.\n;]{0,60}?\b" + _SPONSORING + r"\b"
    r"|\b(?:visa\s+)?sponsorship\s+(?:is\s+)?(?:not|un)\s*(?:available|offered|provided|possible)"
    r"|\bwithout\s+(?:the\s+need\s+for\s+|requiring\s+|any\s+)?(?:current\s+or\s+future\s+)?"
    r"(?:visa\s+|employer\s+)?sponsorship\b"
    r"|\bnot\s+eligible\s+for\s+(?:visa\s+)?sponsorship\b",
    re.IGNORECASE,
)
# "Visa sponsorship" (a benefit), "we do sponsor visas", "we can sponsor your visa", "willing to
# provide sponsorship for H1-B visas", "relocation and immigration support", "help you get a
# visa", "supporting you with the visa procedure" (not "immigration processes": an HR duty)
_YES = re.compile(
    r"\bvisa\s+sponsorship\b|\bsponsorship\s+for\s+(?:H-?1-?B|TN|O-?1|work|employment)?\s*visas?\b"
    r"|\b(?:we|will|can|do|does|able\s+to|happy\s+to|willing\s+to)\b[^.\n;]{0,40}?\bsponsor\w*"
    r"\b[^.\n;]{0,30}?\b(?:visas?|H-?1-?B|immigration|work\s+permits?|green\s+cards?)\b"
    r"|\b(?:visa|immigration)\s+(?:support|assistance|help)\b"
    r"|\b(?:support\w*|help\w*|assist\w*)\s+(?:you\s+)?with\s+(?:the\s+|your\s+)?visa\b"
    r"|\b(?:get|obtain|obtaining|with)\s+(?:a|your)\s+(?:work\s+)?visa\b",
    re.IGNORECASE,
)
# a visa the company does business with or reports about, not a work visa; an
# equal-opportunity statement ("we do not discriminate on ... immigration status")
_NOT_WORK_VISA = re.compile(
    r"\bVisa(?:['’]s|,|\s+x\s+|\s+and\s+Mastercard)|Mastercard|\bstudent\s+visa"
    r"|discriminat|national\s+origin|equal\s+opportunity",
    re.IGNORECASE,
)
# a line that only names the subject: a heading, unless it is an item of a benefits list
_HEADING = re.compile(r"(?:visa\s+)?sponsorship\s*:?", re.IGNORECASE)


class Sponsorship(NamedTuple):
    """`offered`: True (the posting says it sponsors), False (says it does not), None; `raw`
    the statements read."""

    offered: bool | None = None
    raw: str | None = None


NO_STATEMENT = Sponsorship()


def parse_sponsorship(text: str | None) -> Sponsorship:
    """What `text` states about sponsoring work visas, or NO_STATEMENT."""
    if not text:
        return NO_STATEMENT
    yes: list[str] = []
    no: list[str] = []
    for sentence, bullet in _sentences_with_cue(text):
        if _NOT_WORK_VISA.search(sentence):
            continue
        if not bullet and _HEADING.fullmatch(sentence):
            continue  # "Visa Sponsorship" heading what follows, not a benefit listed
        if _NO.search(sentence):
            no.append(sentence)
        elif _YES.search(sentence):
            yes.append(sentence)
    if not yes and not no:
        return NO_STATEMENT
    offered = None if yes and no else bool(yes)
    raw = " | ".join(dict.fromkeys(no + yes))  # the same boilerplate said twice, once
    return Sponsorship(offered, clip_statement(raw))


def _sentences_with_cue(text: str) -> list[tuple[str, bool]]:
    """(sentence, whether it is a list item) for each sentence or bullet of `text` that holds
    a cue, stripped of list marks."""
    found: list[tuple[str, bool]] = []
    for _, cue_start, cue_end in find_literals(_CUES, text):
        line_start = text.rfind("\n", 0, cue_start) + 1
        full_stop = text.rfind(". ", 0, cue_start)
        start = max(line_start, full_stop + 2 if full_stop >= 0 else 0)
        ends = [i for i in (text.find("\n", cue_end), text.find(". ", cue_end)) if i >= 0]
        sentence = " ".join(text[start : min(ends) if ends else len(text)].strip(" -•*·").split())
        bullet = text[line_start : line_start + 2].lstrip().startswith(("-", "•", "*", "·"))
        if sentence and (not found or found[-1][0] != sentence):
            found.append((sentence, bullet))
    return found
