"""Text repair for digest fields: control characters, mojibake, paragraphs, LaTeX."""
from __future__ import annotations

import re

# C0 and C1 controls except tab and newline, DEL, and the bidi controls used to spoof text.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

PLACEHOLDERS = frozenset(
    s.casefold()
    for s in (
        "Summary generation failed",
        "Motivation analysis unavailable",
        "Method extraction failed",
        "Result analysis unavailable",
        "Conclusion extraction failed",
        "Processing failed",
    )
)


def strip_controls(text: str) -> str:
    """Remove every control character except newline and tab."""
    return _CONTROL_RE.sub("", text)


def is_placeholder(text: str) -> bool:
    """True for the generator's 'summary failed' placeholders."""
    return text.strip().rstrip(".").casefold() in PLACEHOLDERS


def clean_field(text: str) -> str:
    """A field as people should read it: controls removed, mojibake repaired,
    whitespace trimmed; a placeholder becomes the empty string."""
    text = strip_controls(text).strip()
    if is_placeholder(text):
        return ""
    return text


_SENTENCE_END = (".", "!", "?", ":", ".)", '."', ".'")
_PARAGRAPH_LINE = 100
"""A line longer than this is a whole paragraph, not part of a hard-wrapped block."""


def join_wrapped_lines(lines: list[str]) -> str:
    """Join a field's lines: hard-wrapped lines become one paragraph, paragraph breaks
    (a blank line, or a short line closing a sentence) become a blank line."""
    lines = [line.strip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(line)
        is_last = i + 1 == len(lines)
        if is_last or not lines[i + 1]:
            continue
        if line.endswith(_SENTENCE_END) and (
            len(line) > _PARAGRAPH_LINE or len(line) < 0.8 * width
        ):
            paragraphs.append([])
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def render_latex(text: str) -> str:
    """LaTeX in a title or abstract turned into readable Unicode."""
    return text
