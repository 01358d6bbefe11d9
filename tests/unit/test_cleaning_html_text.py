"""clean_description: sanitized HTML and line-structured plain text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleaning.html_text import (
    _CONTROL_RE,
    MAX_TEXT_CHARS,
    _may_hold_controls,
    clean_description,
)
from pipelines.cleaning.types import CleanText


def test_none_and_empty_give_nothing():
    assert clean_description(None) == CleanText(None, None)
    assert clean_description("") == CleanText(None, None)
    assert clean_description("   \n ") == CleanText(None, None)


def test_dangerous_content_is_dropped_with_its_text():
    html = (
        '<p onclick="steal()" style="color:red">Hello<script>alert(1)</script></p>'
        "<style>p{background:url(javascript:x)}</style>"
        '<iframe src="https://evil.example">framed</iframe>'
        '<object data="x">obj</object><embed src="y">'
        '<a href="javascript:alert(1)">bad link</a> <a href="https://ok.example/job">good</a>'
        '<a href="mailto:jobs@example.com">mail</a>'
    )
    result = clean_description(html)
    assert result.html is not None and result.text is not None
    for banned in (
        "script",
        "alert",
        "style",
        "onclick",
        "iframe",
        "framed",
        "object",
        "embed",
        "javascript",
        "obj",
    ):
        assert banned not in result.html
    assert 'href="https://ok.example/job"' in result.html
    assert 'href="mailto:jobs@example.com"' in result.html
    assert "alert" not in result.text and "framed" not in result.text
    assert "Hello" in result.text and "bad link" in result.text


def test_blocks_lists_and_breaks_become_lines():
    html = (
        "<h2>About the role</h2><p>We   build\nthings.</p>"
        "<ul><li><p>Python</p></li><li>SQL<br></li></ul>"
        "<p>first<br><br><br>second</p><p></p><ol><li>one</li></ol><p>end</p>"
    )
    text = clean_description(html).text
    assert text == (
        "About the role\nWe build things.\n- Python\n- SQL\nfirst\n\nsecond\n- one\nend"
    )


def test_entities_are_decoded_once_and_literal_markup_survives_as_text():
    text = clean_description("<p>R&amp;D &lt;b&gt;not bold&lt;/b&gt; caf&eacute;&nbsp;ok</p>").text
    assert text == "R&D <b>not bold</b> café ok"


def test_escaped_greenhouse_content_is_unescaped_once():
    escaped = (
        "&lt;div class=&quot;content-intro&quot;&gt;&lt;h2&gt;About Vercel:&lt;/h2&gt;"
        "&lt;p&gt;Ship what&#39;s next &amp;amp; more&lt;/p&gt;&lt;/div&gt;"
    )
    result = clean_description(escaped, escaped=True)
    assert result.text == "About Vercel:\nShip what's next & more"
    assert "<h2>" in (result.html or "")
    # without the flag the escaped markup is just text
    assert "<h2>" in (clean_description(escaped).text or "")


def test_control_characters_and_nul_are_stripped():
    result = clean_description("<p>a\x00b\x07c&#1;d&#x1e;e\x9f</p>")
    assert result.text == "abcde"
    assert result.html is not None and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.html)


def test_long_text_is_capped_and_flagged():
    result = clean_description("<p>" + "x" * (MAX_TEXT_CHARS + 500) + "</p>")
    assert result.text is not None and len(result.text) == MAX_TEXT_CHARS
    assert result.flags == ("truncated",)
    assert clean_description("<p>short</p>").flags == ()


def test_markup_without_text_gives_no_text():
    assert clean_description("<script>x()</script><style>p{}</style>").text is None


def test_table_cells_stay_on_one_line():
    text = clean_description("<table><tr><td>Base</td><td>$100k</td></tr></table>").text
    assert text == "Base $100k"


_html_pieces = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<li>",
        "<ul>",
        "<br>",
        "<script>",
        "</script>",
        "<a href='javascript:x'>",
        "&amp;",
        "&#0;",
        "&#x1e;",
        "<div onclick=x>",
        "\x00",
        "\x1d",
        "\x1f",
        "<h1>",
        "text",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), st.lists(st.one_of(_html_pieces, st.text()), max_size=30).map("".join)),
    st.booleans(),
)
def test_any_input_is_cleaned_without_error(html, escaped):
    result = clean_description(html, escaped=escaped)
    assert isinstance(result, CleanText)
    if result.text is not None:
        assert result.text.strip() == result.text and result.text
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.text)
        assert len(result.text) <= MAX_TEXT_CHARS
    if result.html is not None:
        assert "<script" not in result.html.lower()
        assert 'href="javascript' not in result.html.lower()


@given(st.text(alphabet=st.characters(max_codepoint=0x3000)))
def test_control_precheck_never_misses_a_control_character(text):
    # the bytes pre-check may send a clean text to the regex, never skip a dirty one
    if _CONTROL_RE.search(text):
        assert _may_hold_controls(text)


def test_control_precheck_skips_ordinary_text():
    assert not _may_hold_controls("<p>Café – naïve 🚀</p>\n\t\r")
    assert _may_hold_controls("a\x85b") and _may_hold_controls("a\x1fb")
