"""HTML digests: a Markdown digest rendered by a static site or saved from a browser.

The page is turned back into the Markdown digest's lines (headings, `*authors*`, labelled
paragraphs, `<details>`) and read by the Markdown parser, so both give the same papers."""
from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING, cast

from tui_reader.core.model import Digest, find_arxiv_id
from tui_reader.core.formats.problems import DigestError
from tui_reader.core.formats.markdown import parse_markdown_lines

if TYPE_CHECKING:  # bs4 is imported when a page is parsed
    from bs4 import BeautifulSoup, Tag

_SKIPPED = frozenset({
    "script", "style", "head", "title", "noscript", "template", "svg", "math", "nav", "button",
    "iframe", "object", "select", "textarea", "canvas",
})
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "body", "html", "blockquote", "ul", "ol", "table",
    "tr", "td", "th", "thead", "tbody", "pre", "header", "footer", "aside", "figure", "dl", "dt",
    "dd", "center", "form",
})
_INLINE_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`"}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_EMPTY_BRACKETS_RE = re.compile(r"\[\s{0,8}\]")

# beautifulsoup4 keeps the whole page as a tree: about 1.1 KB per element, measured (a flat
# 3.8 MB page of 212,000 elements peaked at 237 MB; 36 MB took 133 s and 2.2 GB). Counting
# '<' (opening and closing tags) bounds the elements at ~200,000, the tree near 250 MB; a
# daily digest has a few thousand elements, a month of them on one page ~120,000.
MAX_HTML_CHARS = 16 * 1024 * 1024
"""A larger HTML page is refused (Markdown and JSON Lines digests are read up to the file limit)."""
MAX_HTML_TAGS = 400_000
"""An HTML page with more tags (opening and closing, counted as '<') is refused."""


def parse_html_digest(text: str, source: str, date: str | None) -> Digest:
    """Parse an HTML page holding a digest into papers (beautifulsoup4, html.parser); a page
    over MAX_HTML_CHARS or MAX_HTML_TAGS raises DigestError rather than exhaust memory."""
    from bs4 import BeautifulSoup

    digest = Digest(source=source, date=date, format="html")
    if len(text) > MAX_HTML_CHARS:
        raise DigestError(f"HTML page too large to read safely ({len(text) // (1024 * 1024)} MB; at most "
                          f"{MAX_HTML_CHARS // (1024 * 1024)} MB): read the digest's Markdown or JSONL instead")
    tags = text.count("<")  # an upper bound on the elements, counted without parsing
    if tags > MAX_HTML_TAGS:
        raise DigestError(f"HTML page has too many tags to read safely ({tags:,}; at most {MAX_HTML_TAGS:,}): "
                          "read the digest's Markdown or JSONL instead")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(text.lstrip("\ufeff"), "html.parser")
    except Exception as err:  # bs4 rejects some malformed markup outright
        raise DigestError(f"not readable as HTML ({type(err).__name__})") from None
    parse_markdown_lines(html_to_digest_lines(soup), digest)
    return digest


class _LineWriter:
    """Accumulates inline text and hands out finished lines."""

    __slots__ = ("lines", "parts", "quote_depth")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.quote_depth = 0

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        if not self.parts:
            return
        text = "".join(self.parts)
        self.parts.clear()
        for piece in text.split("\n"):
            piece = " ".join(piece.split())
            if piece:
                # Blockquoted text keeps its '> ' so it is never taken for the authors line.
                self.lines.append("> " * min(self.quote_depth, 3) + piece)
            elif self.lines and self.lines[-1]:
                self.lines.append("")

    def line(self, text: str) -> None:
        self.flush()
        self.lines.append(text)

    def blank(self) -> None:
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")


def html_to_digest_lines(soup: BeautifulSoup) -> list[str]:
    """The Markdown digest lines a parsed page stands for (iterative: deep nesting is safe)."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    not_text = (Comment, Declaration, Doctype, ProcessingInstruction)
    out = _LineWriter()
    stack: list[tuple[bool, object]] = [(False, soup)]
    while stack:
        closing, node = stack.pop()
        if closing:  # only tags are pushed to be closed
            _close(cast("Tag", node), out)
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, not_text):
                out.write(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = (node.name or "").lower()
        if name in _SKIPPED:
            continue
        if name in _HEADINGS:
            out.blank()
            out.line(_heading_line(node, int(name[1])))
            out.blank()
            continue
        if name == "summary":
            out.line("<summary>Details</summary>")
            continue
        if name == "hr":
            out.line("---")
            continue
        if name == "br":
            out.write("\n")
            continue
        if name == "details":
            out.line("<details>")
        elif name == "li":
            out.flush()
            out.write("- ")
        elif name in _BLOCKS:
            out.blank()
            if name == "blockquote":
                out.quote_depth += 1
        elif name in _INLINE_MARKS:
            out.write(_INLINE_MARKS[name])
        elif name == "a" and _internal_href(node):
            out.write("[")
        stack.append((True, node))
        stack.extend((False, child) for child in reversed(node.contents))
    out.flush()
    return out.lines


def _internal_href(tag: Tag) -> str:
    href = tag.get("href")
    if isinstance(href, str) and href.startswith("#"):
        return href
    return ""


def _close(tag: Tag, out: _LineWriter) -> None:
    name = (tag.name or "").lower()
    if name == "details":
        out.line("</details>")
        out.blank()
    elif name == "li":
        out.flush()
    elif name in _BLOCKS:
        out.blank()
        if name == "blockquote":
            out.quote_depth -= 1
    elif name in _INLINE_MARKS:
        out.write(_INLINE_MARKS[name])
    elif name == "a":
        href = _internal_href(tag)
        if href:
            out.write(f"]({href})")


def _heading_line(tag: Tag, level: int) -> str:
    """A heading as the Markdown digest wrote it: a paper link or a section name."""
    for anchor in tag.find_all("a", href=True):
        href = anchor.get("href")
        if isinstance(href, str) and find_arxiv_id(href.strip()) is not None:
            title = " ".join(anchor.get_text().split())
            return f"### [{title}]({href.strip()})"
    # Drop in-page anchors ('[Back]' to the table of contents, GitHub's heading anchors).
    from bs4 import NavigableString, Tag

    parts: list[str] = []
    stack = list(reversed(tag.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and (node.name or "").lower() not in _SKIPPED and not (
            (node.name or "").lower() == "a" and _internal_href(node)
        ):
            stack.extend(reversed(node.contents))
    text = " ".join(_EMPTY_BRACKETS_RE.sub("", "".join(parts)).split())
    return "#" * level + " " + text
