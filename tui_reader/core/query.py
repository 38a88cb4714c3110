"""The search language shared by the reader, `dump --query` and `export --query`:
parse_query, Query.matches, SearchIndex (fast search over a whole library), highlight_spans."""
from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from .model import Paper
from .query_parse import (
    And, DateTerm, MatchAll, Node, Not, Or, QueryError, StateTerm, TagTerm, TextTerm, fold,
    fold_phrase, parse_tree,
)
from .text import render_latex

if TYPE_CHECKING:
    from .store import Mark

__all__ = [
    "Query", "QueryError", "SearchIndex", "filter_papers", "fold", "highlight_spans",
    "parse_query", "paper_haystacks",
]

HAYSTACK_FIELDS = ("ti", "au", "abs", "tldr", "cat", "id")
"""The text fields a paper is searched in, in the order the index stores them."""
_SUMMARY_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")
_CACHED_TERMS = 64


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


def _mark_texts(mark: Mark | None) -> tuple[str, tuple[str, ...]]:
    """A mark's folded note and folded tags ("" and () for no mark)."""
    if mark is None:
        return "", ()
    note = fold_phrase(mark.note or "")
    tags = tuple(fold_phrase(t) for t in (mark.tags or ()))
    return note, tags


class Query:
    """A parsed query: test one paper with `matches`, or hand it to SearchIndex.search."""

    __slots__ = ("text", "tree")

    def __init__(self, text: str, tree: Node) -> None:
        self.text = text
        self.tree = tree

    def __repr__(self) -> str:
        return f"Query({self.text!r})"

    @property
    def is_empty(self) -> bool:
        """True for a blank query, which matches every paper."""
        return isinstance(self.tree, MatchAll)

    def matches(self, paper: Paper, mark: Mark | None) -> bool:
        """Whether one paper (with its reading mark, None = unread) satisfies the query."""
        haystacks = paper_haystacks(paper)
        note, tags = _mark_texts(mark)
        read = bool(mark and mark.read)
        starred = bool(mark and mark.starred)
        dates = paper.dates

        def test(node: Node) -> bool:
            if isinstance(node, TextTerm):
                if node.field == "any":
                    return (any(node.value in h for h in haystacks) or node.value in note
                            or any(node.value in t for t in tags))
                if node.field == "note":
                    return node.value in note
                return node.value in haystacks[HAYSTACK_FIELDS.index(node.field)]
            if isinstance(node, TagTerm):
                return node.value in tags
            if isinstance(node, DateTerm):
                return any(_in_range(d, node) for d in dates)
            if isinstance(node, StateTerm):
                return {"read": read, "unread": not read, "starred": starred}[node.state]
            if isinstance(node, Not):
                return not test(node.child)
            if isinstance(node, And):
                return all(test(c) for c in node.children)
            if isinstance(node, Or):
                return any(test(c) for c in node.children)
            return True

        return test(self.tree)

    def terms(self) -> list[str]:
        """The words and phrases to highlight (not excluded ones, not dates or states),
        as typed, each once, in query order."""
        found: dict[str, None] = {}

        def walk(node: Node) -> None:
            if isinstance(node, TextTerm) and node.field not in ("cat", "id", "note"):
                found.setdefault(" ".join(node.raw.split()), None)
            elif isinstance(node, (And, Or)):
                for child in node.children:
                    walk(child)

        walk(self.tree)
        return [t for t in found if t]

    def uses_marks(self) -> bool:
        """True when the result depends on reading state (states, tags, notes, bare words)."""
        def walk(node: Node) -> bool:
            if isinstance(node, (StateTerm, TagTerm)):
                return True
            if isinstance(node, TextTerm):
                return node.field in ("any", "note")
            if isinstance(node, Not):
                return walk(node.child)
            if isinstance(node, (And, Or)):
                return any(walk(c) for c in node.children)
            return False

        return walk(self.tree)


def parse_query(text: str, *, today: date | None = None) -> Query:
    """Parse the search language (see the README); raises QueryError with a column."""
    return Query(text, parse_tree(text, today=today))


def _in_range(day: str, term: DateTerm) -> bool:
    return (term.start is None or day >= term.start) and (term.stop is None or day < term.stop)


class SearchIndex:
    """Every paper's folded text in one string, searched with str.find and bisect.

    Paper i's field f occupies text[bounds[i*F + f] : bounds[i*F + f + 1]] (F fields, each
    ending in a newline). A full scan jumps past a paper as soon as it matches, so a scan
    costs one C-speed pass plus one step per matching paper. Results of single terms over
    the whole library are kept (LRU); a term that extends a kept one (typing `diffu` after
    `diff`) only re-checks the kept term's papers."""

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
        self._cache: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        self._lock = threading.Lock()  # searches from worker threads share the cache

    def clear_cache(self) -> None:
        """Forget the kept results of single terms (they are only a speed-up)."""
        with self._lock:
            self._cache.clear()

    def search(self, query: Query, marks: Mapping[str, Mark],
               subset: Sequence[int] | None = None) -> list[int]:
        """Indices (into the papers given at construction) of the papers matching, in
        ascending order, or in `subset`'s order when a subset is given. Safe to call from
        several threads (one search runs at a time); `marks` must not change meanwhile."""
        with self._lock:
            return self._search(query, marks, subset)

    def _search(self, query: Query, marks: Mapping[str, Mark],
                subset: Sequence[int] | None) -> list[int]:
        if subset is None:
            if query.is_empty:
                return list(range(self.size))
            return sorted(self._evaluate(query.tree, None, marks))
        pool = set(subset)
        found = self._evaluate(query.tree, pool, marks)
        return [i for i in subset if i in found]

    # Evaluation: each node gives the set of matching papers within `pool` (None = all). ----

    def _evaluate(self, node: Node, pool: set[int] | frozenset[int] | None,
                  marks: Mapping[str, Mark]) -> set[int] | frozenset[int]:
        if isinstance(node, And):
            # Cheap, narrowing terms first; exclusions last, applied to what is left.
            ordered = sorted(node.children, key=_cost)
            result = pool
            for child in ordered:
                if isinstance(child, Not):
                    current = self._all if result is None else result
                    result = current - self._evaluate(child.child, current, marks)
                else:
                    result = self._evaluate(child, result, marks)
                if not result:
                    return set()
            return self._all if result is None else result
        if isinstance(node, Or):
            found: set[int] = set()
            for child in node.children:
                found |= self._evaluate(child, pool, marks)
            return found
        if isinstance(node, Not):
            base = self._all if pool is None else pool
            return base - self._evaluate(node.child, pool, marks)
        if isinstance(node, MatchAll):
            return self._all if pool is None else pool
        if isinstance(node, TextTerm):
            return self._text_term(node, pool, marks)
        if isinstance(node, DateTerm):
            found = set()
            for day, members in self._by_date.items():
                if _in_range(day, node):
                    found.update(members)
            return found if pool is None else found & pool
        found = self._mark_term(node, marks)
        if isinstance(node, StateTerm) and node.state == "unread":
            return (self._all if pool is None else pool) - found
        return found if pool is None else found & pool

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
                hit = node.value in _mark_texts(mark)[1]
            if hit:
                found.add(i)
        return found

    def _text_term(self, node: TextTerm, pool: set[int] | frozenset[int] | None,
                   marks: Mapping[str, Mark]) -> set[int] | frozenset[int]:
        found: set[int] | frozenset[int] = set()
        if node.field != "note":
            found = self._haystack_term(node.field, node.value, pool)
        if node.field in ("any", "note"):
            extra = set()
            for paper_id, mark in marks.items():
                i = self._position.get(paper_id)
                if i is None or (pool is not None and i not in pool):
                    continue
                note, tags = _mark_texts(mark)
                if node.value in note or (node.field == "any" and any(node.value in t for t in tags)):
                    extra.add(i)
            if extra:
                found = found | extra
        return found

    def _haystack_term(self, field: str, value: str,
                       pool: set[int] | frozenset[int] | None) -> set[int] | frozenset[int]:
        key = (field, value)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached if pool is None else cached & pool
        wider = self._narrowest_cached(field, value)
        if pool is not None and (wider is None or len(pool) < len(wider)):
            return self._scan_papers(field, value, pool)
        full = frozenset(self._scan_all(field, value) if wider is None
                         else self._scan_papers(field, value, wider))
        self._cache[key] = full
        if len(self._cache) > _CACHED_TERMS:
            self._cache.popitem(last=False)
        return full if pool is None else full & pool

    def _narrowest_cached(self, field: str, value: str) -> frozenset[int] | None:
        """The smallest kept result for a term of the same field contained in `value`:
        every paper containing `value` is among its papers."""
        best: frozenset[int] | None = None
        for (kept_field, kept_value), papers in self._cache.items():
            if kept_field == field and kept_value in value and (best is None or len(papers) < len(best)):
                best = papers
        return best

    def _scan_all(self, field: str, value: str) -> list[int]:
        count = len(HAYSTACK_FIELDS)
        bounds, find = self._bounds, self._text.find
        last = len(bounds) - 1
        found: list[int] = []
        pos = find(value)
        if field == "any":
            while pos != -1:
                paper = (bisect_right(bounds, pos) - 1) // count
                found.append(paper)
                nxt = (paper + 1) * count
                if nxt >= last:
                    break
                pos = find(value, bounds[nxt])
            return found
        wanted = HAYSTACK_FIELDS.index(field)
        while pos != -1:
            slot = bisect_right(bounds, pos) - 1
            paper, where = divmod(slot, count)
            if where == wanted:
                found.append(paper)
                paper += 1
            elif where > wanted:
                paper += 1
            nxt = paper * count + wanted
            if nxt >= last:
                break
            pos = find(value, bounds[nxt])
        return found

    def _scan_papers(self, field: str, value: str, papers: set[int] | frozenset[int]) -> set[int]:
        count = len(HAYSTACK_FIELDS)
        bounds, find = self._bounds, self._text.find
        if field == "any":
            return {i for i in papers if find(value, bounds[i * count], bounds[(i + 1) * count]) != -1}
        f = HAYSTACK_FIELDS.index(field)
        return {i for i in papers if find(value, bounds[i * count + f], bounds[i * count + f + 1]) != -1}


def _cost(node: Node) -> int:
    """Rough order for evaluating a conjunction: narrow, cheap terms first, exclusions last."""
    if isinstance(node, Not):
        return 9
    if isinstance(node, TextTerm):
        return 2 if node.field == "any" else 1
    if isinstance(node, (DateTerm, StateTerm, TagTerm)):
        return 0 if not (isinstance(node, StateTerm) and node.state == "unread") else 3
    return 5


def filter_papers(papers: Sequence[Paper], text: str, *,
                  marks: Mapping[str, Mark] | None = None) -> list[Paper]:
    """The papers matching a query, in their order; the same code path the reader uses.
    Raises QueryError for a bad query."""
    query = parse_query(text)
    index = SearchIndex(papers)
    return [papers[i] for i in index.search(query, marks or {})]


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
