"""Each format's parser, called directly on arbitrary text, returns a Digest and never raises."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core.formats import DigestError
from tui_reader.core.formats.html import parse_html_digest
from tui_reader.core.formats.jsonl import parse_jsonl_digest
from tui_reader.core.formats.markdown import parse_markdown_digest

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "title", "authors", "categories", "summary", "abs", "AI", "tldr",
                         "method", "comment", "x"]), children, max_size=6),
    max_leaves=20,
)
_JSON_LINES = st.lists(
    st.one_of(_JSON_VALUES.map(json.dumps), st.text(max_size=40),
              st.just('{"id": "2401.00001v2", "title": "T", "AI": {"tldr": "Processing failed"}}')),
    max_size=12,
).map("\n".join)
_HTML_PIECES = st.sampled_from([
    "<h3>", "</h3>", "<h1>", "<a href=\"https://arxiv.org/abs/2401.00001\">", "<a href=\"#toc\">",
    "</a>", "<p>", "</p>", "<em>", "</em>", "<strong>", "<details>", "</details>", "<summary>",
    "<blockquote>", "<li>", "<hr>", "<br>", "<script>", "<!--", "-->", "<![CDATA[", "<!doctype html>",
    "TL;DR:", "Abstract:", "[Total: 3]", "\x00", "\x1b[2J", "&amp;", "&#0;", "&#x110000;", "<",
])
_HTML = st.lists(st.one_of(_HTML_PIECES, st.text(max_size=15)), max_size=50).map("".join)
_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(digest) -> None:
    for paper in digest.papers:
        assert paper.id
        for value in (paper.title, paper.tldr, paper.abstract, *paper.authors):
            assert "\x1b" not in value and "\x00" not in value
    assert all("\n" not in w for w in digest.warnings)


@pytest.mark.slow
@_SETTINGS
@given(_JSON_LINES)
def test_jsonl_parser_never_raises_on_arbitrary_lines(text):
    _check(parse_jsonl_digest(text, "fuzz.jsonl", None))


@_SETTINGS
@given(_HTML)
def test_html_parser_never_raises_except_digest_error(text):
    try:
        digest = parse_html_digest(text, "fuzz.html", None)
    except DigestError as err:
        assert "\n" not in str(err)
        return
    _check(digest)


@_SETTINGS
@given(st.text(max_size=400))
def test_markdown_parser_never_raises_on_arbitrary_text(text):
    _check(parse_markdown_digest(text, "fuzz.md", None))
