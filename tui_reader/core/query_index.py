"""SearchIndex: a whole library's folded text in one string, searched per keystroke."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from itertools import compress, filterfalse, repeat
from operator import contains
from typing import TYPE_CHECKING

from .query_parse import And, DateTerm, MatchAll, Node, Not, Or, StateTerm, TagTerm, TextTerm, fold_phrase
from .text import render_latex

if TYPE_CHECKING:
    from .model import Paper
    from .query import Query
    from .store import Mark

HAYSTACK_FIELDS = ("ti", "au", "abs", "tldr", "cat", "id")
"""The text fields a paper is searched in, in the order the index stores them."""
_SUMMARY_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")
_KEPT_RESULTS = 400_000
"""How many paper indices the kept term results may hold, over all terms."""
_OWN_LISTS = ("ti", "au", "cat", "id")
"""Short fields searched in lists of their own rather than inside the whole paper."""


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
    """The library's folded text, one string per paper, searched with C-speed loops.

    A term is tested against every candidate paper by `map(operator.contains, ...)` and
    `itertools.compress`, so no Python bytecode runs per paper; results are ascending lists.
    The results of recent terms are kept: a term that contains a kept one (`diffu` after
    `diff`) is looked for only in the kept term's papers. Titles, authors, categories and
    ids also have lists of their own; `abs:` and `tldr:` check inside the whole-paper string.
    Not for papers changed after construction."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = papers
        self.size = len(papers)
        whole: list[str] = []
        own: dict[str, list[str]] = {name: [] for name in _OWN_LISTS}
        spans: list[tuple[int, int, int]] = []
        by_date: dict[str, list[int]] = {}
        for i, paper in enumerate(papers):
            hays = paper_haystacks(paper)
            whole.append("\n".join(hays))
            for name in _OWN_LISTS:
                own[name].append(hays[HAYSTACK_FIELDS.index(name)])
            abs_start = len(hays[0]) + len(hays[1]) + 2
            abs_end = abs_start + len(hays[2])
            spans.append((abs_start, abs_end, abs_end + 1 + len(hays[3])))
            for day in paper.dates:
                by_date.setdefault(day, []).append(i)
        self._whole = whole
        self._own = own
        self._spans = spans
        self._by_date = {day: frozenset(members) for day, members in by_date.items()}
        self._position = {paper.id: i for i, paper in enumerate(papers)}
        self._kept: OrderedDict[tuple[str, str], list[int]] = OrderedDict()
        self._kept_size = 0
        self._lock = threading.Lock()  # searches from worker threads share the kept results

    def clear_cache(self) -> None:
        """Forget the kept results of earlier terms (they are only a speed-up)."""
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
                return self._evaluate(query.tree, None, marks)
            found = set(self._evaluate(query.tree, sorted(set(subset)), marks))
            return list(compress(subset, map(found.__contains__, subset)))

    # Each node gives the ascending papers matching it within `pool` (None = every paper).

    def _evaluate(self, node: Node, pool: list[int] | None, marks: Mapping[str, Mark]) -> list[int]:
        if isinstance(node, And):
            result = pool
            for child in sorted(node.children, key=_cost):  # narrow first, exclusions last
                if isinstance(child, Not):
                    current = self._every(result)
                    excluded = set(self._evaluate(child.child, current, marks))
                    result = list(filterfalse(excluded.__contains__, current))
                else:
                    result = self._evaluate(child, result, marks)
                if not result:
                    return []
            return self._every(result)
        if isinstance(node, Or):
            found: set[int] = set()
            for child in node.children:
                found.update(self._evaluate(child, pool, marks))
            return sorted(found)
        if isinstance(node, Not):
            base = self._every(pool)
            excluded = set(self._evaluate(node.child, pool, marks))
            return list(filterfalse(excluded.__contains__, base))
        if isinstance(node, MatchAll):
            return self._every(pool)
        if isinstance(node, TextTerm):
            return self._text_term(node, pool, marks)
        if isinstance(node, DateTerm):
            found = set()
            for day, members in self._by_date.items():
                if in_range(day, node):
                    found.update(members)
            return self._within(pool, found)
        found = self._mark_term(node, marks)
        if isinstance(node, StateTerm) and node.state == "unread":
            return list(filterfalse(found.__contains__, self._every(pool)))
        return self._within(pool, found)

    def _every(self, pool: list[int] | None) -> list[int]:
        return list(range(self.size)) if pool is None else pool

    def _within(self, pool: list[int] | None, members: set[int] | frozenset[int]) -> list[int]:
        if pool is None:
            return sorted(members)
        return list(compress(pool, map(members.__contains__, pool)))

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

    def _text_term(self, node: TextTerm, pool: list[int] | None, marks: Mapping[str, Mark]) -> list[int]:
        found = [] if node.field == "note" else self._haystack_term(node.field, node.value, pool)
        if node.field not in ("any", "note"):
            return found
        extra: set[int] = set()
        for paper_id, mark in marks.items():
            i = self._position.get(paper_id)
            if i is None or mark is None:
                continue
            note, tags = mark_texts(mark)
            if node.value in note or (node.field == "any" and any(node.value in t for t in tags)):
                extra.add(i)
        if not extra:
            return found
        return self._within(pool, extra.union(found))

    def _haystack_term(self, field: str, value: str, pool: list[int] | None) -> list[int]:
        key = (field, value)
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            return kept if pool is None else self._within(pool, set(kept)) if len(kept) < len(pool) \
                else self._scan(field, value, pool)
        wider = self._narrowest_kept(field, value)
        if pool is not None and (wider is None or len(pool) < len(wider)):
            return self._scan(field, value, pool)  # a narrow context: cheap, not kept
        found = self._scan(field, value, wider)
        self._keep(key, found)
        return found if pool is None else self._within(pool, set(found))

    def _keep(self, key: tuple[str, str], found: list[int]) -> None:
        self._kept[key] = found
        self._kept_size += len(found)
        while self._kept_size > _KEPT_RESULTS and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self._kept_size -= len(dropped)

    def _narrowest_kept(self, field: str, value: str) -> list[int] | None:
        """The smallest kept result of a same-field term inside `value`: every paper
        holding `value` is among its papers."""
        best: list[int] | None = None
        for (kept_field, kept_value), found in self._kept.items():
            if kept_field == field and kept_value in value and (best is None or len(found) < len(best)):
                best = found
        return best

    def _scan(self, field: str, value: str, pool: list[int] | None) -> list[int]:
        """The papers of `pool` (None = all) whose field contains `value`, ascending."""
        if field in ("abs", "tldr"):
            candidates = self._scan("any", value, pool)
            whole, spans = self._whole, self._spans
            if field == "abs":
                return [i for i in candidates if whole[i].find(value, spans[i][0], spans[i][1]) != -1]
            return [i for i in candidates if whole[i].find(value, spans[i][1] + 1, spans[i][2]) != -1]
        hays = self._whole if field == "any" else self._own[field]
        if pool is None:
            return list(compress(range(self.size), map(contains, hays, repeat(value))))
        return list(compress(pool, map(contains, map(hays.__getitem__, pool), repeat(value))))


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
