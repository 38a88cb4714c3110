"""The folded text SearchIndex searches, built for many papers at once with whole-string passes."""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .query_parse import fold, fold_phrase
from .text import render_latex

if TYPE_CHECKING:
    from .model import Paper

HAYSTACK_FIELDS = ("ti", "au", "abs", "tldr", "cat", "id")
"""The text fields a paper is searched in, in the order paper_haystacks gives them."""
SUMMARY_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")

VALUE_BREAK = "\x00"
"""Between two values (authors, fields) in field_texts: no word or phrase crosses it."""
_LATEX_SIGNS = ("\\", "$", "--", "``")
"""render_latex leaves text holding none of these as it is."""


def _shown_and_raw(text: str) -> list[str]:
    """A field as displayed (LaTeX rendered) and, when different, as written."""
    shown = render_latex(text)
    return [shown] if shown == text else [shown, text]


def paper_haystacks(paper: Paper) -> tuple[str, ...]:
    """A paper's searchable text, one folded string per HAYSTACK_FIELDS entry; whitespace
    runs become one space and separate values (authors, categories, summary fields) are
    split by newlines, so neither a word nor a phrase can match across two of them.
    The reference for `field_haystacks`, which gives the same strings faster."""
    summaries = [v for name in SUMMARY_FIELDS for v in _shown_and_raw(getattr(paper, name))]
    categories = dict.fromkeys([paper.category, *paper.categories])
    parts = (
        _shown_and_raw(paper.title),
        paper.authors,
        _shown_and_raw(paper.abstract),
        summaries,
        [c for c in categories if c],
        [paper.id],
    )
    return tuple("\n".join(fold_phrase(value) for value in values) for values in parts)


def _shown_and_raw_many(texts: list[str]) -> list[list[str]]:
    """_shown_and_raw of each text; render_latex is skipped when no text needs it."""
    joined = VALUE_BREAK.join(texts)
    if not any(sign in joined for sign in _LATEX_SIGNS):
        return [[t] for t in texts]
    return [_shown_and_raw(t) for t in texts]


def _values(papers: Sequence[Paper], field: str) -> list[list[str]]:
    """Each paper's values for one field, as paper_haystacks takes them (before folding)."""
    if field == "ti":
        return _shown_and_raw_many([p.title for p in papers])
    if field == "abs":
        return _shown_and_raw_many([p.abstract for p in papers])
    if field == "au":
        return [list(p.authors) for p in papers]
    if field == "tldr":
        per_field = [_shown_and_raw_many([getattr(p, name) for p in papers]) for name in SUMMARY_FIELDS]
        return [[v for values in parts for v in values] for parts in zip(*per_field)]
    if field == "cat":
        return [[c for c in dict.fromkeys([p.category, *p.categories]) if c] for p in papers]
    return [[p.id] for p in papers]


def field_texts(papers: Sequence[Paper], field: str) -> list[str]:
    """Each paper's field folded but not whitespace-collapsed, its values joined by
    VALUE_BREAK: found in a second, where paper_haystacks takes several. A word (no
    whitespace) occurs in it exactly where it occurs in the paper_haystacks string;
    a phrase needs its spaces matched as whitespace runs (see phrase_pattern)."""
    texts = []
    for values in _values(papers, field):
        joined = VALUE_BREAK.join(values)
        if joined.isascii():
            texts.append(joined.lower())
        else:  # names and categories recur from paper to paper: fold each once
            texts.append(VALUE_BREAK.join([_fold_short(v) if len(v) < 80 else fold(v) for v in values]))
    return texts


_fold_short = lru_cache(maxsize=50_000)(fold)
"""fold, remembering short values (an author's name is folded once per library)."""


def phrase_pattern(value: str) -> re.Pattern[str]:
    """A regex finding a folded phrase in field_texts: each space matches a whitespace run."""
    return re.compile(r"\s+".join(re.escape(word) for word in value.split(" ")))
