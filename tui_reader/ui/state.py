"""ReaderState: the one owner of what the reader shows, without Textual: the library view,
the marks (through Reading), the listing (node, sort, hiding), the scores, and version
counters that caches key on. Its methods say what they changed (a Changed)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..core.model import Paper
from ..core.state.store import Mark
from .library_view import FOR_YOU, STARRED, LibraryView
from .reading import Reading

if TYPE_CHECKING:
    from ..core.state.queue import QueueMove

SORTS = ("digest", "newest", "title", "relevance", "stars", "importance")
"""The list's orders, in the order the sort key cycles through them."""
SORT_NAMES = {"digest": "digest order", "newest": "newest first", "title": "by title",
              "relevance": "best first (For you's scores)", "stars": "by code stars",
              "importance": "by importance (where a fork scores it)"}


@dataclass(frozen=True, slots=True)
class ShownPaper:
    """A paper on screen and its place in the library (the index rows and marks use)."""

    index: int
    paper: Paper


@runtime_checkable
class ShowsPaper(Protocol):
    """A screen showing one paper that the marking and link keys act on."""

    def current_paper(self) -> ShownPaper | None: ...

    def toggle_authors(self) -> None:
        """Expand or fold the paper's long author list."""


@dataclass(slots=True)
class Changed:
    """What one change of the state touched, so the screen repaints that and nothing else."""

    counts: set[str] | None = field(default_factory=set)
    """Keys of the nodes whose counts changed; None: every node's."""
    marks: bool = False
    """Some paper's mark changed (rows, the detail pane, the header)."""
    listing: bool = False
    """The current node lists other papers or another order: list it again."""
    library: bool = False
    """The library was replaced: indices into the old one mean nothing now."""
    scores: bool = False
    """For you's scores changed."""

    def __or__(self, other: Changed) -> Changed:
        counts = None if self.counts is None or other.counts is None else self.counts | other.counts
        return Changed(counts, self.marks or other.marks, self.listing or other.listing,
                       self.library or other.library, self.scores or other.scores)


@dataclass(slots=True)
class Listing:
    """How the current node is listed."""

    node: str | None = None
    sort: str = SORTS[0]
    hide_read: bool = False
    """Papers done with (read or dismissed) are left out."""
    show_hidden: bool = False
    """Papers a [[hide]] rule hides are listed too (with their reason in the detail pane)."""


class ReaderState:
    """Everything the reader's panes show, in one place. Marks are written through
    `reading` (the store, undo, pending writes) and mirrored into `view` here, nowhere else;
    `marks` is a mapping replaced (never changed in place) on each change, so a thread may
    read the one it was given while the reader marks on."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.view: LibraryView | None = None
        self.listing = Listing()
        self.scores: dict[int, float] = {}
        """For you's score of each ranked paper (0..1), by index into the library."""
        self.hidden: dict[int, str] = {}
        """Papers a [[hide]] rule hides, with the rule's reason."""
        self.watched: set[int] = set()
        """Papers the watch list finds (their titles are marked)."""
        self.library_version = 0
        self.scores_version = 0
        self.searches_version = 0
        """Bumped when the hidden or watched papers change (they style and filter rows)."""

    # -- reading ----------------------------------------------------------------------------
    @property
    def marks(self) -> Mapping[str, Mark]:
        return self.reading.marks

    @property
    def marks_version(self) -> int:
        return self.reading.version

    @property
    def versions(self) -> tuple[int, int, int, int]:
        """What a drawn row depends on besides its paper: a cache keyed on this misses
        once anything it shows changed."""
        return self.library_version, self.marks_version, self.scores_version, self.searches_version

    def mark(self, paper_id: str) -> Mark:
        return self.reading.get(paper_id)

    def paper(self, index: int | None) -> ShownPaper | None:
        if index is None or self.view is None:
            return None
        return ShownPaper(index, self.view.papers[index])

    def score(self, index: int) -> float | None:
        """For you's score of a paper; None when it is not ranked."""
        return self.scores.get(index)

    def is_done(self, index: int) -> bool:
        """Read or dismissed: no longer new (what unread counts and `n` skip)."""
        return self.view is not None and self.view.done[index]

    def queue_order(self) -> list[str] | None:
        """The stored reading queue's ids; None when the store cannot say (the queue is an
        order, never a reason not to show the library)."""
        try:
            return self.reading.queue()
        except Exception:
            return None

    # -- the library ------------------------------------------------------------------------
    def replace_library(self, view: LibraryView) -> Changed:
        """Show `view` with the marks as they are now. What was found in the old library
        (scores, hidden and watched papers) is forgotten: its indices mean nothing here."""
        view.set_marks(self.reading.marks, self.queue_order())
        self.view = view
        self.scores = {}
        self.hidden = {}
        self.watched = set()
        self.library_version += 1
        self.scores_version += 1
        self.searches_version += 1
        return Changed(None, marks=True, listing=True, library=True, scores=True)

    def set_found(self, hidden: dict[int, str], watched: set[int]) -> Changed:
        """The [[hide]] rules' and the watch list's papers, found by the saved searches."""
        self.hidden, self.watched = hidden, watched
        self.searches_version += 1
        return Changed(listing=bool(hidden))

    def set_scores(self, order: list[int], scores: list[float]) -> Changed:
        """For you's ranking: its node lists `order`; the relevance sort uses the scores."""
        assert self.view is not None
        self.scores = dict(zip(order, scores))
        self.view.set_search_members(FOR_YOU, "For you", order)
        self.scores_version += 1
        return Changed({FOR_YOU}, scores=True, listing=self.listing.node == FOR_YOU)

    def forget_scores(self) -> None:
        self.scores = {}
        self.scores_version += 1

    # -- marks ------------------------------------------------------------------------------
    def marks_saved(self, marks: list[Mark]) -> Changed:
        """Mirror the marks one change saved (Reading returned them) into the view."""
        if self.view is None:
            return Changed()
        counts: set[str] = set()
        for mark in marks:
            index = self.view.index.get(mark.id)
            if index is not None:
                counts.update(self.view.set_mark(index, mark))
        return Changed(counts, marks=True)

    def marks_reloaded(self) -> Changed:
        """Every mark was read again (another process changed them): mirror them all."""
        if self.view is None:
            return Changed()
        self.view.set_marks(self.reading.marks, self.queue_order())
        return Changed(None, marks=True, listing=self.listing.node == STARRED)

    def queue_reordered(self) -> Changed:
        """The queue's order changed in the store: the Starred node lists it anew."""
        if self.view is None:
            return Changed()
        self.view.set_queue(self.queue_order())
        return Changed(listing=self.listing.node == STARRED)

    def set_read(self, indices: list[int], read: bool, *, automatic: bool = False) -> list[Mark]:
        """Mark papers read or unread in the store (raises MarkingPending / MarkingFailed);
        the marks saved, for marks_saved."""
        assert self.view is not None
        ids = [self.view.papers[i].id for i in indices]
        return self.reading.set_read(ids, read, automatic=automatic)

    def toggle_read(self, shown: ShownPaper) -> list[Mark]:
        return self.reading.set_read([shown.paper.id], not self.mark(shown.paper.id).read)

    def toggle_star(self, shown: ShownPaper) -> list[Mark]:
        return self.reading.set_starred(shown.paper.id, not self.mark(shown.paper.id).starred)

    def toggle_dismissed(self, shown: ShownPaper) -> list[Mark]:
        return self.reading.set_dismissed(shown.paper.id, not self.mark(shown.paper.id).dismissed)

    def move_in_queue(self, paper_id: str, where: QueueMove) -> list[Mark]:
        return self.reading.move_in_queue(paper_id, where)

    # -- the listing ------------------------------------------------------------------------
    def next_sort(self) -> Changed:
        self.listing.sort = SORTS[(SORTS.index(self.listing.sort) + 1) % len(SORTS)]
        return Changed(listing=True)

    def toggle_hide_read(self) -> Changed:
        self.listing.hide_read = not self.listing.hide_read
        return Changed(listing=True)

    def toggle_show_hidden(self) -> Changed:
        self.listing.show_hidden = not self.listing.show_hidden
        return Changed(listing=True)

    def rows_of(self, key: str) -> list[int]:
        """The papers a node lists now, in the chosen order, without those hidden."""
        assert self.view is not None
        view, listing = self.view, self.listing
        rows = view.papers_of(key)
        if self.hidden and not listing.show_hidden:
            rows = [i for i in rows if i not in self.hidden]
        if listing.hide_read:
            rows = [i for i in rows if not view.done[i]]
        if key in (STARRED, FOR_YOU) or listing.sort == "digest":
            return rows  # the queue's and For you's own orders
        if listing.sort == "newest":
            rows.sort(key=lambda i: view.papers[i].date or "", reverse=True)
        elif listing.sort == "title":
            rows.sort(key=lambda i: view.papers[i].title.casefold())
        elif listing.sort == "relevance":
            rows.sort(key=lambda i: -self.scores.get(i, -1.0))
        else:  # stars or importance, those without the value after the rest
            from ..core.library.order import sort_papers

            by_id = {view.papers[i].id: i for i in rows}
            ordered = sort_papers([view.papers[i] for i in rows], listing.sort)
            rows = [by_id[p.id] for p in ordered]
        return rows

    def not_done(self, rows: list[int]) -> list[int]:
        """The papers of `rows` still new (neither read nor dismissed)."""
        view = self.view
        return [] if view is None else [i for i in rows if not view.done[i]]

    def next_unread(self, rows: list[int], cursor: int, step: int) -> tuple[str | None, int] | None:
        """Where n (step 1) or p (step -1) goes from row `cursor` of the listed `rows`: (None,
        a row of this list) while it has an unread paper that way, else (a node, a paper)
        of the next node with unread papers, in browsing order (as newsboat does); None
        when there is none."""
        view = self.view
        if view is None:
            return None
        positions = range(cursor + 1, len(rows)) if step > 0 else range(cursor - 1, -1, -1)
        for row in positions:
            if not view.done[rows[row]]:
                return None, row
        order = view.browse_order()
        if self.listing.node in order:
            start = order.index(self.listing.node)
            for key in order[start + 1:] if step > 0 else order[:start][::-1]:
                papers = self.not_done(self.rows_of(key))
                if papers:
                    return key, papers[0] if step > 0 else papers[-1]
        return None

    def header_line(self, rows: int, cursor: int, for_you_note: str) -> str:
        """The header's line: the position in the node listed (`rows` papers, the cursor on
        row `cursor`), then the library's summary."""
        assert self.view is not None
        key = self.listing.node
        summary = self.view.summary(with_papers=not rows)
        if not rows or key is None:
            return summary
        position = f"{self.view.nodes[key].label} {cursor + 1}/{rows}"
        if key == STARRED:
            position = f"queue {cursor + 1}/{rows}"
        elif key == FOR_YOU:
            position = f"{position} · {for_you_note}"
        return f"{position} · {summary}"
