"""An HTML page is read only within bounds its tree can be held in: a hostile page gets one
clear line instead of exhausting memory."""
from __future__ import annotations

import pytest

from tui_reader.core.formats import DigestError, parse_digest
from tui_reader.core.formats.html import MAX_HTML_CHARS, MAX_HTML_TAGS

PAPER = ('<h3><a href="https://arxiv.org/abs/2512.{n:05d}">Paper {n}</a></h3>'
         '<p><em>A. Author</em></p><p><strong>TL;DR:</strong> x</p>\n')


def test_a_flat_page_with_more_tags_than_the_bound_is_refused_with_one_line():
    count = MAX_HTML_TAGS // 7 + 10
    page = "<!DOCTYPE html><html><body>" + "".join(PAPER.format(n=n) for n in range(count)) + "</body></html>"
    assert len(page) < MAX_HTML_CHARS
    with pytest.raises(DigestError) as raised:
        parse_digest(page, "big.html", None)
    message = str(raised.value)
    assert "\n" not in message and "too many" in message and "Markdown" in message


def test_a_page_larger_than_the_html_size_bound_is_refused_with_one_line():
    page = "<!DOCTYPE html><html><body><p>" + "x" * MAX_HTML_CHARS + "</p></body></html>"
    with pytest.raises(DigestError) as raised:
        parse_digest(page, "big.html", None)
    assert "\n" not in str(raised.value) and "too large" in str(raised.value)


def test_a_page_within_the_bounds_is_read():
    page = "<!DOCTYPE html><html><body>" + "".join(PAPER.format(n=n) for n in range(1, 2001)) + "</body></html>"
    digest = parse_digest(page, "ok.html", None)
    assert len(digest.papers) == 2000
