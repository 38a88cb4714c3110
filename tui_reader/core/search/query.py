"""The search language shared by the reader, `dump --query` and `export --query`:
parse_query, Query.matches (core/search/parsed_query.py), SearchIndex (fast search over a whole
library), highlight_spans."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from tui_reader.core.fold import fold, fold_phrase
from tui_reader.core.model import Paper
from tui_reader.core.search.haystack import paper_haystacks
from tui_reader.core.search.index import SearchCancelled, SearchIndex
from tui_reader.core.search.parse import QueryError, parse_tree
from tui_reader.core.search.parsed_query import Query

if TYPE_CHECKING:
    from tui_reader.core.state.store import Mark

__all__ = [
    "Query", "QueryError", "SearchCancelled", "SearchIndex", "filter_papers", "fold", "highlight_spans",
    "parse_query", "paper_haystacks", "search_in_stages",
]

WHOLE_SEARCH_BUDGET = 0.010
"""Seconds a search line may spend on a key's whole search (search_in_stages's budget)
before it settles for the first rows: well under a frame at 60 Hz plus its painting."""
WITHIN_BUDGET_BYTES = 12_000_000
"""search_in_stages tries the whole search within its budget only when it looks through at
most about this much text (SearchIndex.bytes_to_scan): a term looked for in every paper
(the first key of a word) cannot end within it, and trying would only delay the first rows."""
PREVIEW_STAGES = (2_000, 4_000, 8_000, 16_000)
"""search_in_stages: how many of a large scope's first papers the partial results come from
(doubling: a term found in one paper of a hundred fills a screen by the second stage, and
the stages cost at most twice the last one)."""


def parse_query(text: str, *, today: date | None = None) -> Query:
    """Parse the search language (see the README); raises QueryError with a column."""
    return Query(text, parse_tree(text, today=today))


def filter_papers(papers: Sequence[Paper], text: str, *,
                  marks: Mapping[str, Mark] | None = None) -> list[Paper]:
    """The papers matching a query, in their order; the same code path the reader uses.
    Raises QueryError for a bad query."""
    query = parse_query(text)
    index = SearchIndex(papers, lazy=True)  # only the fields the query names
    return [papers[i] for i in index.search(query, marks or {})]


def search_in_stages(index: SearchIndex, query: Query, marks: Mapping[str, Mark],
                     subset: Sequence[int] | None = None, *, stop: Callable[[], bool] | None = None,
                     enough: int = 100, budget: float = 0.0) -> Iterator[tuple[list[int], bool]]:
    """index.search, with the top of a large result first: yields (indices, complete).

    Given a `budget` (seconds), the whole search is tried first and yielded complete if it
    ends within it, as most keystrokes do thanks to the terms kept from earlier ones (what
    an overrun scanned is kept too: the next try goes on from there); not tried when it
    would look through more than WITHIN_BUDGET_BYTES of text. Otherwise, on a scope
    larger than a stage, the matches among its first PREVIEW_STAGES papers (in scope order,
    so the first rows a list shows) come first, each marked incomplete, until a stage finds
    `enough` or finds so few that the whole scope would hold under twice `enough` at that
    rate (a screen of them needs the whole search anyway); then the matches among all,
    complete. Each partial result is
    exactly the head of the complete one: a screen showing it only grows. So the first
    yield costs at most `budget` plus a search of PREVIEW_STAGES[0] papers, even for a key
    whose term must be looked for in every paper's text (150-250 ms at 50,000 papers).
    Partial searches leave the kept results alone."""
    scope = range(index.size) if subset is None else subset

    def whole_within(seconds: float) -> list[int] | None:
        deadline = time.perf_counter() + seconds

        def overrun() -> bool:
            return (stop is not None and stop()) or time.perf_counter() > deadline

        try:
            return index.search(query, marks, subset, stop=overrun)
        except SearchCancelled:
            if stop is not None and stop():
                raise
            return None

    staged = len(scope) > PREVIEW_STAGES[0]
    if (budget > 0 and staged and index.bytes_to_scan(query, subset) <= WITHIN_BUDGET_BYTES
            and (whole := whole_within(budget)) is not None):
        yield whole, True
        return
    for n, size in enumerate(PREVIEW_STAGES):
        if len(scope) <= size:
            break
        found = index.search(query, marks, scope[:size], stop=stop, remember=False)
        yield found, False
        if len(found) >= enough:
            break
        if len(found) * len(scope) < 2 * enough * size:
            break  # too few matches for later stages to fill a screen: the whole search does
    yield index.search(query, marks, subset, stop=stop), True


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) spans of `text` where any term occurs, compared folded (so `muller`
    lights up `Müller`), as offsets into the original text; sorted, overlaps merged."""
    needles = [fold_phrase(t) for t in terms]
    needles = [n for n in needles if n]
    if not needles or not text:
        return []
    folded, origin = _fold_mapped(text)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        pos = folded.find(needle)
        while pos != -1:
            spans.append((origin[pos], _span_end(text, origin[pos + len(needle) - 1])))
            pos = folded.find(needle, pos + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


_ASCII_SPACES = str.maketrans("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", " " * 9)


def _fold_mapped(text: str) -> tuple[str, range | list[int]]:
    """The folded text (whitespace runs collapsed, as in the haystacks) and, for each folded
    character, the offset of the original character it came from."""
    if text.isascii():
        folded = text.lower().translate(_ASCII_SPACES)
        if "  " not in folded:
            return folded, range(len(text))
    out: list[str] = []
    origin: list[int] = []
    previous_space = False
    for i, c in enumerate(text):
        if c.isspace():
            if not previous_space:
                out.append(" ")
                origin.append(i)
            previous_space = True
            continue
        previous_space = False
        for piece in fold(c):
            out.append(piece)
            origin.append(i)
    return "".join(out), origin


def _span_end(text: str, last: int) -> int:
    """One past the original character `last`, plus any accents written after it as
    separate characters (they fold to nothing)."""
    end = last + 1
    while end < len(text) and not text[end].isspace() and fold(text[end]) == "":
        end += 1
    return end
