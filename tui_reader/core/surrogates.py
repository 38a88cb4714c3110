"""Lone UTF-16 surrogates, which no encoder can write, replaced by U+FFFD (kept light: the store imports it)."""
from __future__ import annotations

import re

# A JSON string may hold half a UTF-16 pair ("\\ud800"): one such character would stop
# every output (dump, export, a backup) at that paper, and SQLite cannot store it.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> str:
    """Text with every lone surrogate replaced by U+FFFD."""
    if text.isascii():
        return text
    return _SURROGATE_RE.sub("\ufffd", text)
