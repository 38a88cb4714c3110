"""Input formats: sniffing a file's content and dispatching to its parser."""
from __future__ import annotations

from ..model import Digest


class DigestError(ValueError):
    """A file that cannot be read as a digest at all; the message is one line."""


def sniff_format(text: str) -> str | None:
    """Name the format of a file's text ('markdown', 'jsonl', 'html') or None."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if head.startswith("{"):
        return "jsonl"
    lowered = head.lower()
    if lowered.startswith(("<!doctype html", "<html", "<head", "<body", "<meta")) or (
        "<h3" in lowered and "<a " in lowered
    ):
        return "html"
    if "### " in text[:200_000] or "arxiv.org/abs/" in text[:200_000]:
        return "markdown"
    return None


def parse_digest(text: str, source: str, date: str | None) -> Digest:
    """Parse one file's text in whatever format it is; raise DigestError if none fits."""
    fmt = sniff_format(text)
    if fmt == "markdown":
        from .markdown import parse_markdown_digest

        return parse_markdown_digest(text, source, date)
    if fmt == "jsonl":
        from .jsonl import parse_jsonl_digest

        return parse_jsonl_digest(text, source, date)
    if fmt == "html":
        from .html import parse_html_digest

        return parse_html_digest(text, source, date)
    raise DigestError("not a digest (no papers found)")
