"""Input formats: sniffing a file's content and dispatching to its parser."""
from __future__ import annotations

import re

from tui_reader.core.formats.problems import DigestError
from tui_reader.core.model import Digest

__all__ = ["DigestError", "parse_digest", "sniff_format"]  # DigestError lives in problems.py, with the parsers

_SNIFF_WINDOW = 200_000
_HTML_START_RE = re.compile(r"^(?:<!--.{0,2000}?-->\s*)?<(?:!doctype\s+html|html|head|body|meta|\?xml)\b",
                            re.IGNORECASE | re.DOTALL)
_MARKDOWN_HEADING_RE = re.compile(r"^#{1,4}[ \t]", re.MULTILINE)
_HTML_BLOCK_RE = re.compile(r"<(?:h[1-6]|p|li|ul|article|section|main)\b[^<>]{0,400}>", re.IGNORECASE)


def sniff_format(text: str) -> str | None:
    """Name the format of a file's text ('markdown', 'jsonl', 'html') or None.

    Decided by the content: a JSON object (or array of objects) first is JSON Lines; an
    HTML document, or HTML block tags without Markdown headings, is HTML; Markdown
    headings or arXiv links are Markdown."""
    head = text[:_SNIFF_WINDOW].lstrip("\ufeff \t\r\n")
    if head.startswith("{") or (head.startswith("[") and head[1:].lstrip()[:1] in ("{", "]")):
        return "jsonl"
    # JSON Lines whose first line is damaged: a later one of the first few is an object.
    first_lines = [line.strip() for line in head.split("\n", 5)[:5]]
    if any(line.startswith("{") and line.endswith("}") for line in first_lines[1:]):
        return "jsonl"
    if _HTML_START_RE.match(head):
        return "html"
    if _MARKDOWN_HEADING_RE.search(head):
        return "markdown"
    if _HTML_BLOCK_RE.search(head):
        return "html"
    if "arxiv.org/abs/" in head:
        return "markdown"
    return None


def parse_digest(text: str, source: str, date: str | None) -> Digest:
    """Parse one file's text in whatever format it is; raise DigestError if none fits."""
    fmt = sniff_format(text)
    if fmt == "markdown":
        from tui_reader.core.formats.markdown import parse_markdown_digest

        return parse_markdown_digest(text, source, date)
    if fmt == "jsonl":
        from tui_reader.core.formats.jsonl import parse_jsonl_digest

        return parse_jsonl_digest(text, source, date)
    if fmt == "html":
        from tui_reader.core.formats.html import parse_html_digest

        return parse_html_digest(text, source, date)
    raise DigestError("not a digest (no papers found)")
