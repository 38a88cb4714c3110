"""The folded text SearchIndex searches: made per field, a batch of papers at a time, on demand."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from tui_reader.core.fold import fold, fold_phrase
from tui_reader.core.formats.text import render_latex

if TYPE_CHECKING:
    from tui_reader.core.model import Paper

HAYSTACK_FIELDS = ("ti", "au", "abs", "tldr", "cat", "id", "comment", "kw")
"""The text fields a paper is searched in, in the order paper_haystacks gives them."""
SUMMARY_FIELDS = ("tldr", "task", "motivation", "method", "result", "conclusion")
"""Searched by `tldr:`, with a fork's other AI fields (extra_texts) after them."""

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
    summaries += [v for text in extra_texts(paper) for v in _shown_and_raw(text)]
    categories = dict.fromkeys([paper.category, *paper.categories])
    parts = (
        _shown_and_raw(paper.title),
        paper.authors,
        _shown_and_raw(paper.abstract),
        summaries,
        [c for c in categories if c],
        [paper.id],
        _shown_and_raw(paper.comment),
        list(paper.keywords),
    )
    return tuple("\n".join(fold_phrase(value) for value in values) for values in parts)


def extra_texts(paper: Paper) -> list[str]:
    """A paper's extra AI fields as texts, a list field's items one by one."""
    texts: list[str] = []
    for value in paper.extra.values():
        if isinstance(value, list):
            texts.extend(value)
        else:
            texts.append(value)
    return texts


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
        summaries = [[v for values in parts for v in values] for parts in zip(*per_field)]
        for paper, values in zip(papers, summaries):
            if paper.extra:
                values.extend(v for text in extra_texts(paper) for v in _shown_and_raw(text))
        return summaries
    if field == "cat":
        return [[c for c in dict.fromkeys([p.category, *p.categories]) if c] for p in papers]
    if field == "comment":
        return _shown_and_raw_many([p.comment for p in papers])
    if field == "kw":
        return [list(p.keywords) for p in papers]
    return [[p.id] for p in papers]


def field_texts(papers: Sequence[Paper], field: str) -> list[str]:
    """Each paper's field folded, its values joined by VALUE_BREAK, whitespace runs made
    one space: found in a second, where paper_haystacks takes several. A word or phrase
    occurs in it exactly where it occurs in the paper_haystacks string (which differs
    only in VALUE_BREAK for newlines and spaces left at the ends of values)."""
    texts = []
    for values in _values(papers, field):
        joined = VALUE_BREAK.join(values)
        if joined.isascii():
            texts.append(joined.lower())
        else:  # names and categories recur from paper to paper: fold each once
            texts.append(VALUE_BREAK.join([_fold_short(v) if len(v) < 80 else fold(v) for v in values]))
    batch = "".join(texts)
    if batch.isascii() and not any(space in batch for space in _ODD_ASCII_SPACES) and "  " not in batch:
        return texts  # only single spaces: the common case, checked for the whole batch at once
    return [_single_spaces(t) for t in texts]


def _single_spaces(text: str) -> str:
    """Every whitespace run made one space (a value may keep one at either end)."""
    text = text.translate(_ODD_ASCII_TO_SPACE) if text.isascii() else _ODD_SPACE_RE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    return text


_ODD_SPACE_RE = re.compile(r"[^\S ]")
"""Whitespace other than the space (re's \\s is exactly str.isspace for str patterns)."""


_fold_short = lru_cache(maxsize=50_000)(fold)
"""fold, remembering short values (an author's name is folded once per library)."""


_ODD_ASCII_SPACES = tuple("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_ODD_ASCII_TO_SPACE = str.maketrans(dict.fromkeys(_ODD_ASCII_SPACES, " "))
OWN_LISTS = ("ti", "au", "cat", "id", "comment", "kw")
"""Short fields searched in lists of their own rather than inside the whole paper."""
BUILD_BATCH = 64
"""Papers whose text is prepared between two chances for other threads to run."""
WHOLE_FIELDS = ("any", "abs", "tldr")
"""The fields searched in `whole`, whose text is UTF-8 bytes (see needle)."""


def to_bytes(text: str) -> bytes:
    """A folded text as `whole` holds it: UTF-8 (a lone surrogate kept as written)."""
    return text.encode("utf-8", "surrogatepass")


def needle(field: str, value: str) -> str | bytes:
    """A folded search value as the strings searched for `field` hold text."""
    return to_bytes(value) if field in WHOLE_FIELDS else value


class PreparedText:
    """A library's field_texts as SearchIndex searches them: `whole` (every field of a
    paper, VALUE_BREAK between, as UTF-8 bytes: a summary in CJK would otherwise make
    the whole paper's text two bytes a character), `own` lists for the short fields,
    and where the abstract and the summaries lie in each whole text (`spans`, in
    bytes). Made on demand by `ensure`, a batch of papers at a time."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = papers
        self.size = len(papers)
        self.whole: list[bytes] = []
        self.own: dict[str, list[str]] = {name: [] for name in OWN_LISTS}
        self.spans: list[tuple[int, int, int]] = []

    def of(self, field: str) -> list[str] | list[bytes]:
        """The texts searched for `field` ("any" or an own list's), once ensured."""
        return self.whole if field == "any" else self.own[field]

    def ensure(self, field: str, between_batches: Callable[[], None]) -> None:
        """Make the strings a field is searched in, for every paper, if not made yet,
        calling between_batches (which may raise to give up; what was made stays)."""
        if field in OWN_LISTS:
            own = self.own[field]
            while len(own) < self.size:
                start = len(own)
                own.extend(field_texts(self.papers[start:start + BUILD_BATCH], field))
                between_batches()
            return
        while len(self.whole) < self.size:
            start = len(self.whole)
            batch = self.papers[start:start + BUILD_BATCH]
            texts = {name: (self.own[name][start:start + len(batch)]
                            if len(self.own.get(name, ())) >= start + len(batch) else field_texts(batch, name))
                     for name in HAYSTACK_FIELDS}
            for name in OWN_LISTS:
                if len(self.own[name]) == start:
                    self.own[name].extend(texts[name])
            columns = [texts[name] for name in HAYSTACK_FIELDS]
            self.whole.extend(map(to_bytes, map(VALUE_BREAK.join, zip(*columns))))
            for ti, au, abstract, summary in zip(*columns[:4]):
                abs_start = _utf8_length(ti) + _utf8_length(au) + 2
                abs_end = abs_start + _utf8_length(abstract)
                self.spans.append((abs_start, abs_end, abs_end + 1 + _utf8_length(summary)))
            between_batches()


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(to_bytes(text))
