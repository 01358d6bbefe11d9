"""Work-mode statements in a description that are about *this* role.

"This role is remote", "this is a hybrid role", "3 days a week in our office", "you will
work on-site" count; company boilerplate ("we are a remote-first company", "our
distributed team") does not, because every pattern needs the role or a schedule. Also
reads where remote applicants may be ("open to candidates in Canada or the US").

Descriptions are long, so regexes run only on small windows around anchor words found
with str.find (about 100x faster than scanning 5 KB with a regex).
"""

from __future__ import annotations

import re

from pipelines.cleaning import gazetteer as gz

_EDGE = " \t-–—:,.;/|&+*()[]{}'\"•·"

_TEXT_ANCHORS = ("remote", "hybrid", "site", "office", "person", "days", "from home")
_MODE = r"(?P<k>remote|hybrid|on-?site|on site|in-office|in-person|office-based)"
_ROLE = r"(?:role|position|job|opportunity|vacancy)"
_DAY_COUNT = r"(?P<n>[1-5]|one|two|three|four|five)(?:\s?(?:-|to|or)\s?(?:[1-5]|two|three|four))?"
_STATEMENT_PATTERNS = (
    rf"\b{_DAY_COUNT} days? (?:a|per|each|every) week (?:in|at|from|on) (?:the |our |an? )?"
    r"(?:office|studio|site|hq|headquarters|campus|lab)",
    rf"\b(?:in|at) (?:the |our )?(?:office|studio|hq) {_DAY_COUNT} days? (?:a|per|each) week",
    rf"\b(?:this|the) {_ROLE} (?:is|will be|can be|would be) (?:an? )?"
    rf"(?:fully |100% |completely |entirely |primarily |mostly )?{_MODE}\b",
    rf"\bthis is an? (?:fully |100% |completely |entirely )?{_MODE}[ -]{_ROLE}\b",
    rf"\b(?:fully|100%|completely|entirely) (?P<k>remote) {_ROLE}\b",
    rf"\b{_MODE}[ -](?:role|position)\b(?!s)",
    r"\byou(?:'ll| will)? (?:work|be working|be based|be located) (?P<k>remotely|on-?site"
    r"|on site|in (?:the|our) office|in-person|in person|from home)\b",
    r"\b(?:must|required to|need to|expected to) (?:be able to )?(?:work|be) "
    r"(?P<k>on-?site|on site|in (?:the|our) office|in-person|in person)\b(?!,? (?:in|on) a hybrid)",
    r"\bin a (?P<k>hybrid) (?:capacity|fashion|manner|setting|schedule|model)",
)
# One alternation (groups renamed k0, n0, k1, ...): a single search per window returns the
# leftmost statement, ties going to the earlier (more specific) pattern.
_STATEMENT_RE = re.compile(
    "|".join(
        re.sub(r"\(\?P<([kn])>", lambda m, i=i: f"(?P<{m.group(1)}{i}>", pattern)
        for i, pattern in enumerate(_STATEMENT_PATTERNS)
    )
)
_DAY_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_WINDOW = 90

_SCOPE_STATEMENT_RE = re.compile(
    r"(?:open to (?:candidates|applicants|people|anyone|residents)|(?:candidates|applicants|you)"
    r" (?:must|should|need to) (?:be )?(?:based|located|resid(?:e|ing)|liv(?:e|ing))"
    r"|(?:candidates|applicants) (?:based|located|residing|living)|remote (?:within|from|in|across)"
    r"|work remotely (?:from|in|within|anywhere in)|anywhere (?:in|within|across)"
    r"|(?:must|need to) (?:be )?(?:based|located|resid(?:e|ing)|live))"
    r"\s+(?:in|within|from|across)?\s*(?P<where>[^.;:\n!?]{2,100})",
    re.IGNORECASE,
)
_SCOPE_ANCHORS = (
    "candidates",
    "applicants",
    "based in",
    "located in",
    "resid",
    "remote ",
    "remotely",
    "anywhere in",
    "open to",
    "live in",
)
_PHRASE_SPLIT_RE = re.compile(r"\s*(?:,|/|\(|\)|\bor\b|\band\b|&)\s*", re.IGNORECASE)
_PHRASE_TRIM_RE = re.compile(
    r"^(?:(?:anywhere |based |located )?(?:in|within|across) )?(?:the|either|one of the following"
    r"(?: countries)?:?)?\s*|\s+(?:only|time ?zones?"
    r"|timezones?|based|residents|region)$",
    re.IGNORECASE,
)


def _mode_from_statement(match: re.Match[str]) -> str:
    groups = {name[0]: value for name, value in match.groupdict().items() if value}
    if groups.get("n"):
        days = _DAY_WORDS.get(groups["n"]) or int(groups["n"])
        return "onsite" if days >= 5 else "hybrid"
    word = groups.get("k", "")
    if word in ("remote", "remotely", "from home"):
        return "remote"
    return "hybrid" if word == "hybrid" else "onsite"


def _windows(low: str, anchors: tuple[str, ...], before: int, after: int) -> list[tuple[int, int]]:
    """Merged spans around anchor words. Regexes then run on these few hundred characters
    instead of the whole description (str.find is ~100x faster than a regex scan)."""
    hits: list[int] = []
    for anchor in anchors:
        position = low.find(anchor)
        while position != -1 and len(hits) < 60:
            hits.append(position)
            position = low.find(anchor, position + 1)
    spans: list[tuple[int, int]] = []
    for position in sorted(hits):
        start, end = max(0, position - before), position + after
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def mode_from_text(low: str) -> str | None:
    """The first statement about this role's work mode in the (lower-cased) text."""
    for start, end in _windows(low, _TEXT_ANCHORS, _WINDOW, _WINDOW):
        match = _STATEMENT_RE.search(low, start, end)
        if match:
            return _mode_from_statement(match)
    return None


def _scope_from_phrase(phrase: str) -> list[str]:
    found: list[str] = []
    for piece in _PHRASE_SPLIT_RE.split(phrase):
        piece = _PHRASE_TRIM_RE.sub("", piece.strip(_EDGE)).strip(_EDGE)
        if not piece:
            continue
        # "us" and "in" are words unless written as codes ("US", "IN")
        is_word = piece.lower() in ("us", "in") and not piece.isupper()
        code = None if is_word else gz.country_by_name(piece) or gz.country_by_code(piece)
        region = None if code else gz.scope_region(piece)
        if code or region:
            found.append(code or region or "")
        elif found:
            break  # the list of places has ended
    return found


def scope_from_text(text: str, low: str) -> tuple[str, ...]:
    for start, end in _windows(low, _SCOPE_ANCHORS, 40, 160):
        for match in _SCOPE_STATEMENT_RE.finditer(text, start, min(end, len(text))):
            scope = _scope_from_phrase(match.group("where"))
            if scope:
                return tuple(dict.fromkeys(scope))
    return ()


# The only characters whose str.lower() is ASCII (KELVIN SIGN) or longer (U+0130);
# tests/unit/test_cleaning_remote_statements.py checks this against unicodedata.
LOWER_EXCEPTIONS = ("\u212a", "\u0130")


class LazyLower:
    """The description with ASCII letters lower-cased, computed at most once and only when
    needed. Every pattern and anchor matched against it is ASCII, so folding only ASCII
    gives the same matches as str.lower() at a third of its cost on non-ASCII text (~40 µs
    for 5 KB): in Unicode 14, no other letter lowers to ASCII except KELVIN SIGN, none
    changes length except U+0130, and lowering never changes whether a character is \\w
    or \\s. Texts holding either exception take str.lower(), as before.
    """

    def __init__(self, text: str) -> None:
        self._text, self._low = text, None

    @property
    def value(self) -> str:
        if self._low is None:
            text = self._text
            if text.isascii():
                self._low = text.lower()
            elif not any(char in text for char in LOWER_EXCEPTIONS):
                # bytes.lower() changes only A-Z, never a byte of a multi-byte character
                utf8 = text.encode("utf-8", "surrogatepass")
                self._low = utf8.lower().decode("utf-8", "surrogatepass")
            else:
                low = text.lower()
                # Offsets must line up with the original text; U+0130 lowers to two chars.
                self._low = low if len(low) == len(text) else text
        return self._low
