"""The one fold for every matching (search, watch list, killfile): case, accents and letter variants."""
from __future__ import annotations

import re
import unicodedata
from itertools import filterfalse

__all__ = ["fold", "fold_latin", "fold_phrase"]

_EXTRA_FOLDS = str.maketrans({
    "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe",
    "þ": "th", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-",
    "‘": "'", "’": "'", "“": '"', "”": '"',
})


def fold(text: str) -> str:
    """Casefold and strip accents, so that `muller` finds `Müller`, `soren` finds `Søren`,
    `lukasz` finds `Łukasz` and `ss` finds `ß`. Hangul syllables are kept whole (NFKD
    would split them into letters, so that `하` found `한`).

    Folding works character by character: fold(a + b) == fold(a) + fold(b)."""
    if text.isascii():
        return text.lower()
    if _HANGUL_RE.search(text):
        return "".join(part if part[:1] >= "\uac00" and _HANGUL_RE.fullmatch(part) else _fold_other(part)
                       for part in _HANGUL_RE.split(text) if part)
    return _fold_other(text)


def fold_latin(text: str) -> str:
    """fold(text) for a text known to hold no Hangul syllable (spares fold's search for them)."""
    return text.lower() if text.isascii() else _fold_other(text)


_HANGUL_RE = re.compile("([\uac00-\ud7a3]+)")
"""Runs of precomposed Hangul syllables (no case, no accents: left as they are)."""


def _fold_other(text: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    if text.isascii():
        return text
    # The accents go in one C-level pass (no bytecode per character: CJK summaries are
    # most of a library's text); the rare letter variants only where there are some.
    text = "".join(filterfalse(unicodedata.combining, text))
    return text.translate(_EXTRA_FOLDS) if _EXTRA_RE.search(text) else text


_EXTRA_RE = re.compile("[" + "".join(map(chr, _EXTRA_FOLDS)) + "]")
"""Any character _EXTRA_FOLDS changes (a translate by dict costs a lookup per character)."""


_ASCII_SPACES_BUT_SPACE = tuple("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")


def fold_phrase(text: str) -> str:
    """Fold and collapse whitespace runs to one space (how haystacks are stored too)."""
    folded = fold(text)
    if (folded.isascii() and "  " not in folded and not folded.startswith(" ")
            and not folded.endswith(" ") and not any(c in folded for c in _ASCII_SPACES_BUT_SPACE)):
        return folded  # already collapsed: the common case, worth skipping split and join
    return " ".join(folded.split())
