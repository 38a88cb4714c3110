"""SearchIndex: a whole library's folded text, searched per keystroke."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, filterfalse, repeat
from operator import sub
from typing import TYPE_CHECKING, Any

from tui_reader.core.search.haystack import HAYSTACK_FIELDS, VALUE_BREAK, PreparedText, paper_haystacks, to_bytes
from tui_reader.core.search.marks import MarkSets, mark_texts
from tui_reader.core.search.fields import HasTerm, NumberTerm, number_matches, paper_has
from tui_reader.core.search.parse import And, DateTerm, LikeTerm, MatchAll, Node, Not, Or, StateTerm, TagTerm, TextTerm, in_range

if TYPE_CHECKING:
    from tui_reader.core.model import Paper
    from tui_reader.core.search.parsed_query import Query
    from tui_reader.core.state.store import Mark

__all__ = ["HAYSTACK_FIELDS", "SearchCancelled", "SearchIndex", "mark_texts", "paper_haystacks"]

_KEPT_RESULTS = 400_000
"""How many paper indices the kept term results may hold, over all terms."""
_KEPT_FIELD_TERMS = 64
"""has:/number terms whose papers are kept (each a set of indices)."""
_SLICE = 256
"""Papers searched per C-level call (a millisecond or two of holding the GIL)."""
SCAN_CALL_BYTES = 512
"""What looking at one more paper costs a scan, in bytes of text it could look through meanwhile."""
_SHORT_TERM_BYTES = {1: 64, 2: 512}
"""How far into a paper's text a term of 1 or 2 bytes is found, about (for bytes_to_scan)."""
_FOUND = (-1).__ne__
"""True for a str.find result that found something."""
_Found = tuple[list[int], list[int]]
"""Ascending paper indices, and where the term first occurs in each paper's string."""


_YIELD_EVERY = 0.002


class SearchCancelled(Exception):
    """A search given up because its `stop` callable said so."""


class _Stopped(Exception):
    """A scan stopped half way, with what it found and what it did not look at yet."""

    def __init__(self, found: _Found) -> None:
        super().__init__()
        self.found = found


class SearchIndex:
    """The library's folded text (PreparedText: one flat buffer, every field of every paper),
    searched with C-speed loops.

    A term is tested against every candidate paper by `map(data.find, ...)` between the
    field's bounds and `itertools.compress`, so no Python bytecode runs per paper; results
    are ascending lists. The results of recent terms are kept: a term that contains a kept
    one (`diffu` after `diff`) is looked for only in the kept term's papers, from where the
    kept one starts. A search stopped half way keeps what it scanned.

    With lazy=True nothing is prepared up front: the first search makes the text, a batch
    of papers at a time. Otherwise the constructor prepares it (see `prepare`). `prepared`:
    these papers' text made before (by the library snapshot). Not for papers changed after
    construction."""

    def __init__(self, papers: Sequence[Paper], *, lazy: bool = False,
                 prepared: PreparedText | None = None) -> None:
        self.papers = papers
        self.size = len(papers)
        # Text prepared already (the library snapshot's) is used as it is.
        self._text = prepared if prepared is not None and prepared.size == len(papers) else PreparedText(papers)
        self._by_date_sets: dict[str, frozenset[int]] | None = None
        self._position_map: dict[str, int] | None = None
        self._kept: OrderedDict[tuple[str, str], _Kept] = OrderedDict()
        self._marks_seen: MarkSets | None = None
        self._kept_size = 0
        self._field_found: dict[HasTerm | NumberTerm, frozenset[int]] = {}
        self._stop: Callable[[], bool] | None = None
        self._remember = True
        self._lock = threading.Lock()  # searches from worker threads share the kept results
        self._last_yield = 0.0
        if not lazy:
            self.prepare()

    def prepare(self, stop: Callable[[], bool] | None = None) -> None:
        """Make every list a search may need now (what lazy=True leaves to the first
        searches), a batch of papers at a time. `stop` as for search: SearchCancelled, and the work done so far is kept."""
        with self._lock:
            self._stop = stop
            try:
                self._position  # noqa: B018 (made on first use; here, now)
                self._by_date  # noqa: B018 (about 0.1 s at 50,000 papers: not on a keystroke)
                self._text.ensure(self._between_batches)
            finally:
                self._stop = None

    @property
    def _position(self) -> dict[str, int]:
        if self._position_map is None:
            self._position_map = {paper.id: i for i, paper in enumerate(self.papers)}
        return self._position_map

    def newest_day(self) -> str | None:
        """The newest day any of the papers appeared on (what date:newest means), or None."""
        return max(self._by_date, default=None)

    @property
    def _by_date(self) -> dict[str, frozenset[int]]:
        if self._by_date_sets is None:
            by_date: dict[str, list[int]] = {}
            for i, paper in enumerate(self.papers):
                for day in paper.dates:
                    by_date.setdefault(day, []).append(i)
            self._by_date_sets = {day: frozenset(members) for day, members in by_date.items()}
        return self._by_date_sets

    def _let_others_run(self) -> None:
        """Give up the GIL for a moment, every _YIELD_EVERY seconds at most. A thread waiting
        for it (the UI's) would otherwise wait out the switch interval (5 ms) each time while
        this one works; every call would cost too much on a busy machine (the OS runs others)."""
        if time.perf_counter() - self._last_yield >= _YIELD_EVERY:
            time.sleep(0)
            self._last_yield = time.perf_counter()

    def _between_batches(self) -> None:
        self._let_others_run()
        self._check_stop()

    def clear_cache(self) -> None:
        """Forget the kept results of earlier terms (they are only a speed-up)."""
        with self._lock:
            self._kept.clear()
            self._kept_size = 0

    def search(self, query: Query, marks: Mapping[str, Mark],
               subset: Sequence[int] | None = None, *,
               stop: Callable[[], bool] | None = None, remember: bool = True) -> list[int]:
        """Indices (into the papers given at construction) of the papers matching, in
        ascending order, or in `subset`'s order when a subset is given. Safe to call from
        several threads (one search runs at a time). What is worked out from `marks` is
        reused while the same mapping object is passed: pass a new mapping (as
        `Store.marks()` returns) when marks change, never the same one changed in place.
        `stop` is asked every few thousand papers; when it says True the search gives up
        with SearchCancelled (a worker thread whose result nobody wants any more).
        remember=False leaves the kept results of earlier terms as they were (a search of a
        few papers, as a preview, would only push out results that narrow the next keystroke)."""
        with self._lock:
            self._stop = stop
            self._remember = remember
            try:
                return self._search(query, marks, subset)
            finally:
                self._stop = None
                self._remember = True

    def _search(self, query: Query, marks: Mapping[str, Mark], subset: Sequence[int] | None) -> list[int]:
        if self._marks_seen is None or self._marks_seen.marks is not marks:
            self._marks_seen = MarkSets(marks, self._position)
        if subset is None:  # a copy: the caller may change it, the kept results must not
            return list(self._evaluate(query.tree, None, self._marks_seen))
        found = set(self._evaluate(query.tree, sorted(set(subset)), self._marks_seen))
        return list(compress(subset, map(found.__contains__, subset)))

    # Each node gives the ascending papers matching it within `pool` (None = every paper).

    def _evaluate(self, node: Node, pool: list[int] | None, marks: MarkSets) -> list[int]:
        if isinstance(node, And):
            result = pool
            # Known and narrow first, exclusions last: the term being typed is then looked
            # for only among the papers the rest of the query already allows.
            # Among unknown words the longest goes first: likely the rarest, and str.find
            # skips fastest through text for a long needle.
            for child in sorted(node.children, key=lambda c: (not self._known(c), _cost(c), -_length(c))):
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
            if node.newest:
                newest = self.newest_day()
                return self._within(pool, self._by_date[newest]) if newest is not None else []
            found = set()
            for day, members in self._by_date.items():
                if in_range(day, node):
                    found.update(members)
            return self._within(pool, found)
        if isinstance(node, TagTerm):
            return self._within(pool, marks.tagged(node.value))
        if isinstance(node, (HasTerm, NumberTerm)):
            return self._field_term(node, pool)
        if isinstance(node, LikeTerm):
            return self._within(pool, set(self.like(node.arxiv_id)))
        if node.state == "unread":
            return list(filterfalse(marks.read.__contains__, self._every(pool)))
        return self._within(pool, marks.read if node.state == "read" else marks.starred)

    def like(self, arxiv_id: str) -> list[int]:
        """The papers most like `arxiv_id`, most similar first (core.rank.similar; its
        index is built by the first `like:` over these papers and kept)."""
        from tui_reader.core.rank.similar import SimilarityStopped, similarity_index_for

        try:
            similar = similarity_index_for(self.papers, stop=self._stop)
        except SimilarityStopped:
            raise SearchCancelled() from None
        return [n.index for n in similar.neighbours(arxiv_id, words=0)]

    def bytes_to_scan(self, query: Query, subset: Sequence[int] | None = None) -> int:
        """About how much work a search of `query` would be now, in bytes of text looked
        through (each paper looked at counting SCAN_CALL_BYTES more), the kept results of
        earlier terms counted as they narrow it: a search line's guess whether a search
        ends within its budget."""
        with self._lock:
            return self._to_scan(query.tree, self.size if subset is None else len(subset))[0]

    def _to_scan(self, node: Node, pool: int) -> tuple[int, int]:
        """(bytes `node` looks through, papers it may match) among `pool` papers."""
        if isinstance(node, TextTerm):
            if node.field == "note":
                return 0, pool
            narrowest, narrowed = pool, False
            for (field, value), kept in self._kept.items():
                # Found among every paper, or (likely) among the same papers as now.
                if field == node.field and value in node.value and (kept.domain is None or len(kept.domain) == pool):
                    if value == node.value and kept.complete:
                        return 0, min(pool, len(kept.papers))
                    if len(kept.papers) <= narrowest:
                        narrowest, narrowed = len(kept.papers), True
            per_paper = self._text.mean_bytes(node.field) // (2 if narrowed else 1)  # from where the kept term is
            # A letter or two is found within the first few bytes of most papers.
            per_paper = min(per_paper, _SHORT_TERM_BYTES.get(len(to_bytes(node.value)), per_paper))
            return narrowest * (SCAN_CALL_BYTES + per_paper), narrowest
        if isinstance(node, And):
            scanned = 0
            for child in sorted(node.children, key=lambda c: (not self._known(c), _cost(c))):
                looked, pool = self._to_scan(child, pool)
                scanned += looked
            return scanned, pool
        if isinstance(node, Or):
            parts = [self._to_scan(child, pool) for child in node.children]
            return sum(looked for looked, _ in parts), min(pool, sum(found for _, found in parts))
        if isinstance(node, Not):
            return self._to_scan(node.child, pool)[0], pool
        return 0, pool

    def _known(self, node: Node) -> bool:
        """Whether a node's papers are at hand without reading any text."""
        if isinstance(node, TextTerm):
            kept = self._kept.get((node.field, node.value))
            return node.field == "note" or (kept is not None and kept.domain is None and kept.complete)
        if isinstance(node, Not):
            return self._known(node.child)
        if isinstance(node, (And, Or)):
            return all(self._known(c) for c in node.children)
        return True

    def _field_term(self, node: HasTerm | NumberTerm, pool: list[int] | None) -> list[int]:
        """Papers by a field's presence or number: each paper tested once per term (the
        papers never change), then kept, so the next keystroke of a query costs nothing."""
        found = self._field_found.get(node)
        if found is None:
            papers = self.papers
            if isinstance(node, HasTerm):
                found = frozenset(i for i in range(self.size) if paper_has(papers[i], node.what))
            else:
                found = frozenset(i for i in range(self.size) if number_matches(papers[i], node))
            if len(self._field_found) >= _KEPT_FIELD_TERMS:
                self._field_found.clear()
            self._field_found[node] = found
        return self._within(pool, found)

    def _every(self, pool: list[int] | None) -> list[int]:
        return list(range(self.size)) if pool is None else pool

    def _within(self, pool: list[int] | None, members: set[int] | frozenset[int]) -> list[int]:
        if pool is None:
            return sorted(members)
        return list(compress(pool, map(members.__contains__, pool)))

    def _text_term(self, node: TextTerm, pool: list[int] | None, marks: MarkSets) -> list[int]:
        found = [] if node.field == "note" else self._haystack_term(node.field, node.value, pool)
        if node.field not in ("any", "note"):
            return found
        extra = marks.annotated(node.value, with_tags=node.field == "any")
        if not extra:
            return found
        return self._within(pool, extra.union(found))

    def _haystack_term(self, field: str, value: str, pool: list[int] | None) -> list[int]:
        if VALUE_BREAK in value:  # never in a paper's prepared text between values: ask each paper
            return self._term_one_by_one(field, value, pool)
        wider = None
        for (kept_field, kept_value), kept in reversed(self._kept.items()):
            if kept_field != field or kept_value not in value:
                continue
            if kept.domain is not None and (pool is None or len(kept.domain) != len(pool) or kept.domain != pool):
                continue  # found among other papers than these
            if kept_value == value and kept.complete:
                self._kept.move_to_end((kept_field, kept_value))
                return kept.papers if kept.domain is not None or pool is None else self._within(pool, set(kept.papers))
            if wider is None or len(kept.papers) < len(wider.papers):
                wider, shift = kept, len(to_bytes(value[:value.find(kept_value)]))
        if wider is None or (pool is not None and wider.domain is None and len(pool) < len(wider.papers)):
            try:
                found = self._scan(field, value, pool)
            except _Stopped as stopped:
                self._keep_unfinished(field, value, stopped.found, pool)
            domain = pool
        else:
            try:
                found = self._scan(field, value, wider.papers, wider.positions, shift)
            except _Stopped as stopped:
                self._keep_unfinished(field, value, stopped.found, wider.domain)
            domain = wider.domain
        self._keep((field, value), _Kept(*found, domain))
        return found[0] if domain is not None or pool is None else self._within(pool, set(found[0]))

    def _keep_unfinished(self, field: str, value: str, found: _Found, domain: list[int] | None) -> None:
        """A scan stopped half way still narrows the next one: its papers are those found
        so far and those not looked at yet (positions: where it may start), not complete."""
        self._keep((field, value), _Kept(*found, domain, complete=False))
        raise SearchCancelled

    def _term_one_by_one(self, field: str, value: str, pool: list[int] | None) -> list[int]:
        """The slow, plain way: each paper's paper_haystacks, as Query.matches does."""
        fields = range(len(HAYSTACK_FIELDS)) if field == "any" else [HAYSTACK_FIELDS.index(field)]
        found = []
        for i in self._every(pool):
            self._check_stop()
            hays = paper_haystacks(self.papers[i])
            if any(value in hays[k] for k in fields):
                found.append(i)
        return found

    def _keep(self, key: tuple[str, str], kept: _Kept) -> None:
        if not self._remember:
            return
        old = self._kept.pop(key, None)
        if old is not None:
            self._kept_size -= old.size
        self._kept[key] = kept
        self._kept_size += kept.size
        while self._kept_size > _KEPT_RESULTS and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self._kept_size -= dropped.size

    def _scan(self, field: str, value: str, pool: list[int] | None,
              after: list[int] | None = None, shift: int = 0) -> _Found:
        """The papers of `pool` (None = all) whose field contains `value`, ascending, and
        where it first occurs in each (an offset into the prepared text). `after` (one per
        pool paper): where a shorter term kept from the previous keystroke occurs, `shift`
        bytes into this one, so this one may only start `shift` bytes before (worked out a
        slice at a time, as the scan goes: a scan stopped early pays only for its part)."""
        papers = range(self.size) if pool is None else pool
        text = self._text
        text.ensure(self._between_batches)
        find = text.data.find
        field_starts, field_ends = text.field_bounds(field)
        wanted = to_bytes(value)
        positions: list[int] = []
        # In slices: a C-level loop holds the GIL throughout, and the UI thread must get
        # it back every few milliseconds; between slices a newer search may stop this one.
        for low in range(0, len(papers), _SLICE):
            high = low + _SLICE
            if pool is None:
                begins: Any = field_starts[low:high]
                ends: Any = field_ends[low:high]
                first, last = low, min(high, self.size) - 1
            else:
                chosen = pool[low:high]
                begins = map(field_starts.__getitem__, chosen)
                ends = map(field_ends.__getitem__, chosen)
                first, last = chosen[0], chosen[-1]
            if after is not None:
                begins = map(max, map(sub, after[low:high], repeat(shift)), begins)
            positions.extend(map(find, repeat(wanted), begins, ends))
            text.release(field_starts[first], field_ends[last])
            self._let_others_run()
            if self._stop is not None and self._stop():
                done = len(positions)
                flags = list(map(_FOUND, positions))
                rest: Any = map(field_starts.__getitem__, papers[done:])
                if after is not None:
                    rest = map(max, map(sub, after[done:], repeat(shift)), rest)
                raise _Stopped((list(compress(papers, flags)) + list(papers[done:]),
                                list(compress(positions, flags)) + list(rest)))
        flags = list(map(_FOUND, positions))
        return list(compress(papers, flags)), list(compress(positions, flags))

    def _check_stop(self) -> None:
        if self._stop is not None and self._stop():
            raise SearchCancelled


@dataclass(slots=True)
class _Kept:
    """A term's papers (ascending) and where it first occurs in each, found among `domain`
    (None = every paper); a term containing it need only look there, from there.
    Not `complete`: a search stopped half way; some papers are only candidates, and
    their positions only where the term may start."""

    papers: list[int]
    positions: list[int]
    domain: list[int] | None
    complete: bool = True

    @property
    def size(self) -> int:
        return len(self.papers) + (len(self.domain) if self.domain is not None else 0)


def _length(node: Node) -> int:
    return len(node.value) if isinstance(node, TextTerm) else 0


def _cost(node: Node) -> int:
    """Rough order for evaluating a conjunction: narrow, cheap terms first, exclusions last."""
    if isinstance(node, Not):
        return 9
    if isinstance(node, TextTerm):
        return 2 if node.field == "any" else 1
    if isinstance(node, StateTerm) and node.state == "unread":
        return 3
    if isinstance(node, (DateTerm, StateTerm, TagTerm, HasTerm, NumberTerm)):
        return 0
    return 5
