"""SearchIndex: a whole library's folded text in one string, searched per keystroke."""
from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .query_parse import And, DateTerm, MatchAll, Node, Not, Or, StateTerm, TagTerm, TextTerm, fold_phrase
from .text import render_latex

if TYPE_CHECKING:
    from .model import Paper
    from .query import Query
    from .store import Mark

HAYSTACK_FIELDS = ("ti", "au", "abs", "tldr", "cat", "id")
"""The text fields a paper is searched in, in the order the index stores them."""
_COUNT = len(HAYSTACK_FIELDS)
_SUMMARY_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")
_KEPT_HITS = 400_000
"""How many (paper, position) pairs the term cache may hold over all its terms."""

Hits = dict[int, int]
"""Paper index → offset (in the index text) of a term's first occurrence in that paper."""


def _shown_and_raw(text: str) -> list[str]:
    """A field as displayed (LaTeX rendered) and, when different, as written."""
    shown = render_latex(text)
    return [shown] if shown == text else [shown, text]


def paper_haystacks(paper: Paper) -> tuple[str, ...]:
    """A paper's searchable text, one folded string per HAYSTACK_FIELDS entry; whitespace
    runs become one space and separate values (authors, categories, summary fields) are
    split by newlines, so neither a word nor a phrase can match across two of them."""
    summaries = [v for name in _SUMMARY_FIELDS for v in _shown_and_raw(getattr(paper, name))]
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


def mark_texts(mark: Mark | None) -> tuple[str, tuple[str, ...]]:
    """A mark's folded note and folded tags ("" and () for no mark)."""
    if mark is None:
        return "", ()
    return fold_phrase(mark.note or ""), tuple(fold_phrase(t) for t in (mark.tags or ()))


def in_range(day: str, term: DateTerm) -> bool:
    """Whether an ISO day lies in a date term's [start, stop)."""
    return (term.start is None or day >= term.start) and (term.stop is None or day < term.stop)


class SearchIndex:
    """Every paper's folded text in one string, searched with str.find.

    Paper i's field f is text[bounds[i*F + f] : bounds[i*F + f + 1]] (F fields, each ending
    in a newline, which no term contains). A term's hits keep where it first occurs in each
    paper; while the person types (`diff` → `diffu`), the longer term is looked for only in
    the papers the shorter one matched, starting where the shorter one first occurred, so a
    keystroke rereads little text. Not for papers changed after construction."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = papers
        self.size = len(papers)
        chunks: list[str] = []
        bounds = [0]
        offset = 0
        by_date: dict[str, list[int]] = {}
        for i, paper in enumerate(papers):
            for hay in paper_haystacks(paper):
                chunks.append(hay)
                chunks.append("\n")
                offset += len(hay) + 1
                bounds.append(offset)
            for day in paper.dates:
                by_date.setdefault(day, []).append(i)
        self._text = "".join(chunks)
        self._bounds = bounds
        self._by_date = by_date
        self._position = {paper.id: i for i, paper in enumerate(papers)}
        self._all = frozenset(range(self.size))
        self._kept: OrderedDict[tuple[str, str], Hits] = OrderedDict()
        self._kept_size = 0
        self._lock = threading.Lock()  # searches from worker threads share the kept hits

    def clear_cache(self) -> None:
        """Forget the kept hits of earlier terms (they are only a speed-up)."""
        with self._lock:
            self._kept.clear()
            self._kept_size = 0

    def search(self, query: Query, marks: Mapping[str, Mark],
               subset: Sequence[int] | None = None) -> list[int]:
        """Indices (into the papers given at construction) of the papers matching, in
        ascending order, or in `subset`'s order when a subset is given. Safe to call from
        several threads (one search runs at a time); `marks` must not change meanwhile."""
        with self._lock:
            if subset is None:
                if isinstance(query.tree, MatchAll):
                    return list(range(self.size))
                return sorted(self._evaluate(query.tree, None, marks))
            found = self._evaluate(query.tree, set(subset), marks)
            return [i for i in subset if i in found]

    # Each node gives the papers matching it within `pool` (None = every paper). ----------

    def _evaluate(self, node: Node, pool: Iterable[int] | None, marks: Mapping[str, Mark]):
        if isinstance(node, And):
            result = pool
            for child in sorted(node.children, key=_cost):  # narrow first, exclusions last
                if isinstance(child, Not):
                    current = self._all if result is None else result
                    result = set(current) - set(self._evaluate(child.child, current, marks))
                else:
                    result = self._evaluate(child, result, marks)
                if not result:
                    return set()
            return self._all if result is None else result
        if isinstance(node, Or):
            found: set[int] = set()
            for child in node.children:
                found.update(self._evaluate(child, pool, marks))
            return found
        if isinstance(node, Not):
            base = self._all if pool is None else pool
            return set(base) - set(self._evaluate(node.child, pool, marks))
        if isinstance(node, MatchAll):
            return self._all if pool is None else pool
        if isinstance(node, TextTerm):
            return self._text_term(node, pool, marks)
        if isinstance(node, DateTerm):
            found = set()
            for day, members in self._by_date.items():
                if in_range(day, node):
                    found.update(members)
            return found if pool is None else found & set(pool)
        found = self._mark_term(node, marks)
        if isinstance(node, StateTerm) and node.state == "unread":
            return set(self._all if pool is None else pool) - found
        return found if pool is None else found & set(pool)

    def _mark_term(self, node: Node, marks: Mapping[str, Mark]) -> set[int]:
        """Papers whose mark satisfies a tag or state term (is:unread gives the read ones)."""
        found: set[int] = set()
        for paper_id, mark in marks.items():
            i = self._position.get(paper_id)
            if i is None or mark is None:
                continue
            if isinstance(node, StateTerm):
                hit = mark.starred if node.state == "starred" else mark.read
            else:
                hit = isinstance(node, TagTerm) and node.value in mark_texts(mark)[1]
            if hit:
                found.add(i)
        return found

    def _text_term(self, node: TextTerm, pool: Iterable[int] | None, marks: Mapping[str, Mark]):
        found = set() if node.field == "note" else self._haystack_term(node.field, node.value, pool)
        if node.field in ("any", "note"):
            extra = set()
            for paper_id, mark in marks.items():
                i = self._position.get(paper_id)
                if i is None or mark is None or (pool is not None and i not in pool):
                    continue
                note, tags = mark_texts(mark)
                if node.value in note or (node.field == "any" and any(node.value in t for t in tags)):
                    extra.add(i)
            if extra:
                found = set(found) | extra
        return found

    def _haystack_term(self, field: str, value: str, pool: Iterable[int] | None):
        key = (field, value)
        hits = self._kept.get(key)
        if hits is not None:
            self._kept.move_to_end(key)
            return hits.keys() if pool is None else hits.keys() & pool
        wider, shift = self._narrowest_kept(field, value)
        if pool is not None and (wider is None or len(pool) < len(wider)):
            return self._scan(field, value, pool).keys()  # a narrow context: not kept
        if wider is None:
            hits = self._scan_everything(value) if field == "any" else self._scan(field, value, range(self.size))
        else:
            hits = self._rescan(field, value, wider, shift)
        self._keep(key, hits)
        return hits.keys() if pool is None else hits.keys() & pool

    def _keep(self, key: tuple[str, str], hits: Hits) -> None:
        self._kept[key] = hits
        self._kept_size += len(hits)
        while self._kept_size > _KEPT_HITS and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self._kept_size -= len(dropped)

    def _narrowest_kept(self, field: str, value: str) -> tuple[Hits | None, int]:
        """The smallest kept hits of a same-field term inside `value` (every paper holding
        `value` is among them) and where that term sits in `value`."""
        best: Hits | None = None
        shift = 0
        for (kept_field, kept_value), hits in self._kept.items():
            if kept_field == field and kept_value in value and (best is None or len(hits) < len(best)):
                best, shift = hits, value.find(kept_value)
        return best, shift

    def _slots(self, field: str) -> tuple[int, int]:
        if field == "any":
            return 0, _COUNT
        f = HAYSTACK_FIELDS.index(field)
        return f, f + 1

    def _scan(self, field: str, value: str, papers: Iterable[int]) -> Hits:
        first, after = self._slots(field)
        bounds, find = self._bounds, self._text.find
        hits: Hits = {}
        for i in papers:
            base = i * _COUNT
            pos = find(value, bounds[base + first], bounds[base + after])
            if pos != -1:
                hits[i] = pos
        return hits

    def _rescan(self, field: str, value: str, wider: Hits, shift: int) -> Hits:
        """Look for `value` only in `wider`'s papers, from `shift` characters before where
        the shorter term first occurred (no occurrence of `value` can start earlier)."""
        first, after = self._slots(field)
        bounds, find = self._bounds, self._text.find
        hits: Hits = {}
        for i, known in wider.items():
            base = i * _COUNT
            start = known - shift
            if start < bounds[base + first]:
                start = bounds[base + first]
            pos = find(value, start, bounds[base + after])
            if pos != -1:
                hits[i] = pos
        return hits

    def _scan_everything(self, value: str) -> Hits:
        """One pass over the whole text, jumping to the next paper after each hit."""
        bounds, find = self._bounds, self._text.find
        last = len(bounds) - 1
        hits: Hits = {}
        pos = find(value)
        while pos != -1:
            i = (bisect_right(bounds, pos) - 1) // _COUNT
            hits[i] = pos
            following = (i + 1) * _COUNT
            if following >= last:
                break
            pos = find(value, bounds[following])
        return hits


def _cost(node: Node) -> int:
    """Rough order for evaluating a conjunction: narrow, cheap terms first, exclusions last."""
    if isinstance(node, Not):
        return 9
    if isinstance(node, TextTerm):
        return 2 if node.field == "any" else 1
    if isinstance(node, StateTerm) and node.state == "unread":
        return 3
    if isinstance(node, (DateTerm, StateTerm, TagTerm)):
        return 0
    return 5
