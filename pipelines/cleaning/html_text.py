"""Posting HTML → sanitized HTML (nh3) and plain text (selectolax/lexbor).

Runs on every posting, so it avoids Python-level tree walks: nh3 re-serializes the HTML
with lower-case tags and no attributes beyond `href`, which makes a regex over its *tags*
exact (text `<` is always escaped as `&lt;` there). We mark block boundaries with
sentinel control characters, let lexbor decode entities and drop tags, then turn the
sentinels into lines.
"""

from __future__ import annotations

import html as html_lib
import re
from itertools import repeat

import nh3
from selectolax.lexbor import LexborHTMLParser

from pipelines.cleaning.types import CleanText

MAX_TEXT_CHARS = 200_000

# fmt: off
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s",
    "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "u", "ul",
}
# Dropped with everything inside them (not just unwrapped): their content is never prose.
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template",
    "svg", "math", "head", "title", "frameset", "frame", "applet", "form",
    "select", "textarea", "button",
}
# fmt: on
_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes={"a": {"href"}},  # no style/on*/class: nothing executable or styling survives
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)

# Sentinels: control characters, which are stripped from nh3's output, so unambiguous.
_SOFT = "\x1e"  # block boundary: merges with neighbours, never makes a blank line
_HARD = "\x1f"  # <br>: an explicit line break
_ITEM = "\x1d"  # list item start, rendered as "- "

_BLOCK_TAGS = "p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr|dl|dt|dd|hr|section"
# nh3 serializes tags in lower case and keeps attributes only on <a>, so literal patterns
# (and str.replace) find every block tag; static replacements avoid a Python callback per tag.
_BLOCK_TAG_RE = re.compile(rf"</?(?:{_BLOCK_TAGS})(?: [^>]*)?>")
_CELL_TAG_RE = re.compile(r"</?t[dh](?: [^>]*)?>")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The C0 characters (and DEL) of _CONTROL_RE as UTF-8 bytes; C1 ones are b"\xc2\x80"-"\x9f".
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Runs (of whitespace, of markers) are collapsed with str.replace loops, not regexes: sre
# scans non-ASCII text at ~30 ns/char and a run regex was the slowest step of the function.
_COMMON_SPACES = "\n\t\r\f\v\xa0"
_RARE_SPACES = "".join(map(chr, [*range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]))
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# An item marker swallows the spaces and block/<br> markers after it. Spaces are included
# so "<li> <p>" needs no separate pass removing the spaces next to each marker.
_AFTER_ITEM_RE = re.compile(f"{_ITEM}[ {_SOFT}{_HARD}]+")
_LINE_EDGE = " " + _HARD  # stripped from both ends of each block line

# The entities Greenhouse (and html.escape) write when they escape HTML. When every "&" of
# a text starts one of them, html.unescape is the same as these replacements with "&amp;"
# last (so "&amp;lt;" becomes "&lt;", unescaped once), at a tenth of its cost; any other
# entity sends the text through html.unescape.
_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&#x27;", "'"))


def _unescape(escaped: str) -> str:
    """html.unescape, exactly, with a fast path for the five entities escaping writes."""
    if "&" not in escaped:
        return escaped
    # Replacing an entity removes its "&" and adds none (nor any "&amp;"), so every "&"
    # left is "&amp;" exactly when every "&" started one of the six entities: checked
    # after the replacements, with no count pass per entity.
    text = escaped
    for entity, char in _ESCAPES:
        if entity in text:
            text = text.replace(entity, char)
    amps = text.count("&amp;")
    if text.count("&") != amps:
        return html_lib.unescape(escaped)
    return text.replace("&amp;", "&") if amps else text


def _may_hold_controls(text: str) -> bool:
    """False when `text` surely holds none of _CONTROL_RE's characters. They are rare, and
    deleting bytes from the UTF-8 (a C loop) is ~3x cheaper than the regex scan: a C0
    character is one byte below 0x20 (or 0x7F) and a C1 one starts with the byte 0xC2
    (as do "©" or "°": those texts take the regex)."""
    utf8 = text.encode("utf-8", "surrogatepass")
    return len(utf8.translate(None, _C0_BYTES)) != len(utf8) or b"\xc2" in utf8


def _mark_blocks(sanitized: str) -> str:
    marked = sanitized.replace("<li>", _SOFT + _ITEM).replace("<br>", _HARD)
    marked = _CELL_TAG_RE.sub(" ", marked)  # cells of one row stay on one line
    return _BLOCK_TAG_RE.sub(_SOFT, marked)


def _collapse_spaces(text: str) -> str:
    """HTML whitespace semantics: every run of whitespace is one space; zero-width gone."""
    for space in _COMMON_SPACES:
        if space in text:
            text = text.replace(space, " ")
    if not text.isascii():
        for space in _RARE_SPACES:
            if space in text:
                text = text.replace(space, " ")
        for invisible in _ZERO_WIDTH:
            if invisible in text:
                text = text.replace(invisible, "")
    return _squeeze(text, " ")


def _squeeze(text: str, unit: str) -> str:
    """Runs of `unit` become one `unit` (a loop of C-speed replaces halves each run)."""
    double = unit + unit
    while double in text:
        text = text.replace(double, unit)
    return text


def _render_lines(marked_text: str) -> str:
    # Each step is a full pass over ~6 KB of text, so steps whose marker is absent are
    # skipped, and block boundaries are handled by one split instead of replace loops.
    text = _collapse_spaces(marked_text)  # after this, spaces come one at a time
    has_hard, has_item = _HARD in text, _ITEM in text
    if has_hard:
        text = text.replace(" " + _HARD, _HARD).replace(_HARD + " ", _HARD)
    if has_item:  # <li><p>x</p></li> is one item line, not two
        text = _AFTER_ITEM_RE.sub(_ITEM, text.replace(" " + _ITEM, _ITEM))
    # Lines between block markers, without edge spaces or edge <br> (invisible at a block
    # edge in browsers); empty ones vanish, so runs of block markers make one line break.
    # (map and filter run the per-line strip in C: ~150 lines per posting)
    parts = text.split(_SOFT)
    text = "\n".join(filter(None, map(str.strip, parts, repeat(_LINE_EDGE, len(parts)))))
    if has_hard:  # <br><br> (or more) is one blank line
        while _HARD * 3 in text:
            text = text.replace(_HARD * 3, _HARD * 2)
        text = text.replace(_HARD * 2, "\n\n").replace(_HARD, "\n")
    if has_item:
        text = text.replace(_ITEM, "- ")
    return text.strip()


def clean_description(html: str | None, *, escaped: bool = False) -> CleanText:
    """Sanitize posting HTML and derive its plain text; None/empty gives CleanText(None, None).

    `escaped`: Greenhouse's `content` (and RSS descriptions after XML decoding) are
    entity-escaped HTML; unescape exactly once so literal "&lt;" in the text survives.
    """
    if not html or not html.strip():
        return CleanText(None, None)
    if escaped:
        html = _unescape(html)
    # nh3 passes control characters through and decodes entities such as "&#1;" into them,
    # so they are stripped from its output (which also keeps the sentinels unambiguous).
    if "\x00" in html:  # html5ever would turn NUL into U+FFFD; drop it instead
        html = html.replace("\x00", "")
    sanitized = _CLEANER.clean(html)
    if _may_hold_controls(sanitized):
        sanitized = _CONTROL_RE.sub("", sanitized)
    sanitized = sanitized.strip()
    if not sanitized:
        return CleanText(None, None)

    marked = _mark_blocks(sanitized)
    body = LexborHTMLParser(marked).body
    text = _render_lines(body.text(deep=True) if body is not None else "")

    flags: tuple[str, ...] = ()
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS].rstrip()
        flags = ("truncated",)
    return CleanText(sanitized, text or None, flags)
