"""SearchBar: the `/` search line that filters the paper list as the person types.

API for its owner (ui/screens/search_session.py wires it into the main screen):

- Mount `SearchBar(id="search-bar")` above the paper list; it starts hidden.
- `set_papers(papers)` whenever the library is (re)loaded: the SearchIndex is built in a
  thread worker (group "search-index"; ~5-10 s at 50,000 papers), the bar says "indexing"
  meanwhile and searches as soon as it is ready. Or `set_index(index)` with one built
  elsewhere, or `SearchBar(index)`. Until there is an index, searching does nothing.
- `marks_source`: a callable giving the reading marks now (the reader's ReaderState.marks,
  a mapping replaced, never changed in place, on every change); each search reads it (an open
  filter is not re-run, so a paper marked read under `is:unread` stays in the list until the
  query changes). `set_marks(marks)` searches with a fixed mapping instead.
- `set_scope(all_indices, node_indices, node_label="")`: the papers of the whole library
  (None = every paper of the index) and of the selected tree node (None = no node). The
  `toggle_scope` action (ctrl+t, shown in the bar) switches "library" / "this node"; the
  search re-runs. `scope` is the reactive ("library" or "node").
- `open()` shows the bar and focuses its input (bind it to `/`); `clear()` empties it, hides
  it and posts Cleared. `query_text` and `last_query` (last good Query or None) are readable.
- Messages (all with `control` = the SearchBar):
  `SearchBar.ResultsChanged(search_bar, query_text, indices, query, complete)`: new matches
      (posted straight to the bar's screen, ahead of the key's own repaint),
      indices into the index's papers in scope order; `query.terms()` gives words to
      highlight. An empty query reports every paper in scope. On a large scope the first
      rows come first (complete=False: the head of the result, which only grows), the
      whole result follows (complete=True); see core.search.query.search_in_stages.
  `SearchBar.Failed(search_bar, query_text, message, position)`: a bad query; the bar shows
      the message and column itself; keep the list as it was.
  `SearchBar.Submitted(search_bar, query_text)`: Enter; keep the filter, focus the list.
  `SearchBar.Cleared(search_bar)`: Esc (or Enter on an empty line); show every paper.
- Bindings: the SEARCH entries of ui/keys.py KEY_TABLE (ctrl+t "search.scope", escape
  "search.clear"). A failing search or index build shows "search failed: ..." in the bar.

Typing never waits: each key's query is searched at once, whole if that takes under 10 ms,
else among the scope's first papers (core.search.query.search_in_stages: 2,000, a few milliseconds),
so the list changes in the frame that shows the key; the whole result then follows from a
thread worker (group "search", exclusive). An older search gives up as soon as a newer one
starts (SearchIndex checks between slices of papers) and its results, if any, are dropped.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from ...core.search.query import (
    WHOLE_SEARCH_BUDGET, Query, QueryError, SearchCancelled, SearchIndex, parse_query, search_in_stages,
)
from ...core.formats.text import strip_controls
from ...core.search.parse import MAX_QUERY_LENGTH
from ..keys import SEARCH, bindings

if TYPE_CHECKING:
    from ...core.model import Paper
    from ...core.search.haystack import PreparedText
    from ...core.state.store import Mark

SCOPES = ("library", "node")
BURST_SECONDS = 0.05
"""A key that comes sooner than this after the last search waits (at most this long) for the
keys behind it: a paste that arrives as keys, one per character, is searched a few times,
not once per character. People type slower than this, so each of their keys searches at once."""


class _QueryInput(Input):
    """The search line's Input: tells its SearchBar of every change as it happens, in the
    key's own handler. (Input.Changed arrives a message later, after the screen may have
    painted the key alone: the list would change a frame, about 17 ms, after the key.)
    It holds at most MAX_QUERY_LENGTH characters: what a paste brings beyond is dropped,
    quietly (no bell per character), and `cut` says so."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_QUERY_LENGTH, **kwargs)
        self.cut = False

    def watch_value(self, value: str) -> None:
        if len(value) < MAX_QUERY_LENGTH:
            self.cut = False
        bar = self.parent
        if isinstance(bar, SearchBar):
            bar._typed(value)

    def restricted(self) -> None:
        if not self.cut:
            self.cut = True
            bar = self.parent
            if isinstance(bar, SearchBar):
                bar._show_status()

    def _on_paste(self, event: events.Paste) -> None:
        """A bracketed paste: its first line, as much of it as the line still holds."""
        line = (event.text.splitlines() or [""])[0]
        start, end = sorted(self.selection)
        room = MAX_QUERY_LENGTH - len(self.value) + (end - start)
        if len(line) > room:
            line = line[:max(0, room)]
            self.restricted()
        if line:
            self.replace(line, start, end)
        event.prevent_default()
        event.stop()


class SearchBar(Horizontal):
    """A one-line query input with the match count, errors and scope beside it."""

    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        display: none;
        background: $boost;
    }
    SearchBar.-open {
        display: block;
    }
    SearchBar > Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    SearchBar > Input:focus {
        border: none;
    }
    SearchBar > #search-status {
        width: auto;
        max-width: 60%;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    SearchBar.-error > #search-status {
        color: $error;
    }
    /* A mistake's message goes under the query, wrapped, so 80 columns show it whole
       (beside it when it fits: the list below then stays where it is). */
    SearchBar.-error-below {
        height: auto;
        layout: vertical;
    }
    SearchBar.-error-below > #search-status {
        width: 1fr;
        max-width: 100%;
        height: auto;
    }
    """

    BINDINGS = bindings(SEARCH)

    scope: reactive[str] = reactive("library")
    """Where to search: "library" (every paper) or "node" (the selected tree node)."""

    @dataclass
    class ResultsChanged(Message):
        """The matches of the current query changed."""

        search_bar: SearchBar
        query_text: str
        indices: list[int]
        query: Query
        complete: bool = True

        @property
        def control(self) -> SearchBar:
            return self.search_bar

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SearchBar.ResultsChanged) and message.search_bar is self.search_bar

    @dataclass
    class Failed(Message):
        """The text is not a valid query; `position` is the 0-based offset of the problem."""

        search_bar: SearchBar
        query_text: str
        message: str
        position: int

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    @dataclass
    class Submitted(Message):
        """Enter was pressed: keep the filter and return to the list."""

        search_bar: SearchBar
        query_text: str

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    @dataclass
    class Cleared(Message):
        """The search was cleared: show every paper again."""

        search_bar: SearchBar

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    @dataclass
    class _Indexed(Message):
        """A worker finished building an index (posted from its thread)."""

        index: SearchIndex
        papers: Sequence[Paper]

    @dataclass
    class _Found(Message):
        """A worker finished a search (posted from its thread)."""

        generation: int
        query_text: str
        query: Query
        indices: list[int]
        complete: bool

    def __init__(self, index: SearchIndex | None = None, *,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._index = index
        self._papers: Sequence[Paper] | None = None
        self._indexing = False
        self.marks_source: Callable[[], Mapping[str, Mark]] = dict
        """The reading marks for is:, tag: and note:, read at each search."""
        self._all: list[int] | None = None
        self._node: list[int] | None = None
        self._node_label = ""
        self._generation = 0
        self._searched_at = 0.0
        self._burst: Timer | None = None
        self._count: int | None = None
        self._complete = True
        self._error: str | None = None
        self.last_query: Query | None = None
        """The last query that parsed, or None."""
        self.library_loading = False
        """Set while the searched papers are the first part of a library still loading: a
        count is then said to be partial, not final."""

    def compose(self) -> ComposeResult:
        line = _QueryInput(placeholder="search: words \"phrase\" -not OR au: ti: cat: date: is:unread",
                           id="search-input", select_on_focus=False)
        line.can_focus = False  # hidden: never take focus (nor auto focus)
        yield line
        yield Static(id="search-status")

    def on_mount(self) -> None:
        if self.is_attached and self.query(Static):  # mounted as the app ends: nothing to show
            self._show_status()

    # ------------------------------------------------------------------ public API

    @property
    def query_text(self) -> str:
        """The text in the search line."""
        return self.query_one(Input).value

    def set_index(self, index: SearchIndex) -> None:
        """Search this index from now on (re-running the current query)."""
        self._index = index
        self._show_status()
        if self.has_class("-open"):
            self._start_search()

    def set_papers(self, papers: Sequence[Paper], search_text: PreparedText | None = None) -> None:
        """Build the index for these papers (with their search text when it came with them)
        off the UI thread, then search with it."""
        self._index = None
        self._indexing = True
        self._show_status()

        def build() -> None:
            index = SearchIndex(papers, prepared=search_text)
            gc.freeze()  # lives as long as the library: later collections need not walk it (14-31 ms each at 50k)
            self.post_message(self._Indexed(index, papers))

        self._papers = papers
        self.run_worker(build, thread=True, exclusive=True, group="search-index",
                        name="search index", exit_on_error=False)

    @on(_Indexed)
    def _indexed(self, message: _Indexed) -> None:
        message.stop()
        if message.papers is not self._papers:
            return  # an older library; a newer index is being built
        self._indexing = False
        self.set_index(message.index)

    def set_marks(self, marks: Mapping[str, Mark]) -> None:
        """Use these reading marks (not changed in place meanwhile) from the next search on."""
        self.marks_source = lambda: marks

    def set_scope(self, all_indices: Sequence[int] | None, node_indices: Sequence[int] | None,
                  node_label: str = "") -> None:
        """The papers of the library and of the selected node; re-runs an open search."""
        self._all = None if all_indices is None else list(all_indices)
        self._node = None if node_indices is None else list(node_indices)
        self._node_label = node_label
        self._show_status()
        if self.has_class("-open"):
            self._start_search()

    @property
    def is_open(self) -> bool:
        """The bar is shown: its query filters the list."""
        return self.has_class("-open")

    def open(self) -> None:
        """Show the bar and put the cursor in it."""
        self.add_class("-open")
        search_input = self.query_one(Input)
        search_input.can_focus = True
        # Focus now, not on the next idle (Widget.focus defers): keys typed right after
        # `/` are already queued and would otherwise reach the list (g = first row, ...).
        self.screen.set_focus(search_input)

    def clear(self, *, announce: bool = True) -> None:
        """Empty and hide the bar, drop any search in flight, and post Cleared (unless not
        announce: the screen ending the search itself, when the person leaves its node)."""
        self._generation += 1
        self.last_query = None
        self._count = None
        self._error = None
        self.remove_class("-open", "-error", "-error-below")
        if self._burst is not None:
            self._burst.stop()
            self._burst = None
        search_input = self.query_one(_QueryInput)
        with self.prevent(Input.Changed):
            search_input.value = ""
        search_input.cut = False
        search_input.can_focus = False
        self._show_status()
        if announce:
            self.post_message(self.Cleared(self))

    # ------------------------------------------------------------------ actions

    def action_toggle_scope(self) -> None:
        self.scope = "library" if self.scope == "node" else "node"

    def action_clear(self) -> None:
        self.clear()

    def watch_scope(self) -> None:
        self._show_status()
        if self.is_mounted and self.has_class("-open"):
            self._start_search()

    # ------------------------------------------------------------------ typing and searching

    def _typed(self, value: str) -> None:
        """The line changed (called by _QueryInput at once); clear() empties it closed.
        Searched at once, unless keys come faster than BURST_SECONDS (a paste)."""
        if not self.has_class("-open"):
            return
        if self._burst is None and time.monotonic() - self._searched_at >= BURST_SECONDS:
            self._start_search()
        elif self._burst is None:
            self._burst = self.set_timer(BURST_SECONDS, self._burst_over)

    def _burst_over(self) -> None:
        self._burst = None
        if self.has_class("-open"):
            self._start_search()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # searched already, by _typed

    @on(Input.Submitted, "#search-input")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.clear()
            return
        self.post_message(self.Submitted(self, event.value))

    def _scope_indices(self) -> list[int] | None:
        if self.scope == "node" and self._node is not None:
            return self._node
        return self._all

    def _start_search(self) -> None:
        self._searched_at = time.monotonic()
        self._generation += 1
        text = self.query_one(Input).value
        try:
            query = parse_query(text)
        except QueryError as err:
            self._show_error(strip_controls(str(err)))
            self.post_message(self.Failed(self, text, err.message, err.position))
            return
        self._error = None
        self.remove_class("-error", "-error-below")
        self.last_query = query
        index = self._index
        if index is None:
            self._show_status()
            return
        generation = self._generation
        stages = search_in_stages(index, query, self.marks_source(), self._scope_indices(),
                                  stop=lambda: self._generation != generation, budget=WHOLE_SEARCH_BUDGET,
                                  enough=self.app.size.height)  # no list shows more rows than that
        # The first stage here, on the UI thread (the whole search if it ends within the
        # budget, else a few thousand papers), so that the list changes in the frame that
        # shows the key; the rest, if any, in a thread.
        try:
            indices, complete = next(stages)
        except Exception as error:  # a search bug must not take the reader down
            self._failed(error)
            return
        self._found(self._Found(generation, text, query, indices, complete))
        if not complete:
            # Once those rows are painted: a thread scanning meanwhile would hold the GIL
            # the frame needs, and its whole result would come first (about 60 ms later).
            self.call_after_refresh(self._search_on, generation, text, query, stages)

    def _search_on(self, generation: int, text: str, query: Query,
                   stages: Iterator[tuple[list[int], bool]]) -> None:
        """The rest of a staged search, in a thread worker, unless typing went on."""
        if generation != self._generation:
            return

        def search_on() -> None:
            try:  # a newer keystroke or Esc makes this search give up at once
                for indices, complete in stages:
                    self.post_message(self._Found(generation, text, query, indices, complete))
            except SearchCancelled:
                return

        self.run_worker(search_on, thread=True, exclusive=True, group="search",
                        name="search", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A search or index build that failed says so in the bar (one line), never a traceback."""
        worker = event.worker
        if worker.group in ("search", "search-index") and event.state == WorkerState.ERROR:
            event.stop()
            self._indexing = False
            self._failed(worker.error or RuntimeError("the search stopped"))

    def _failed(self, error: BaseException) -> None:
        first_line = (str(error).splitlines() or [""])[0]
        self._show_error(strip_controls(f"search failed: {type(error).__name__}: {first_line}"))

    def _show_error(self, message: str) -> None:
        """The message in the status, beside the query when it fits there, else under it."""
        self._error = message
        self.add_class("-error")
        if self.is_mounted:
            self.set_class(cell_len(self._status_text().plain) + 2 > self.size.width * 0.6, "-error-below")
        self._show_status()

    @on(_Found)
    def _found(self, message: _Found) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # typing went on; a newer search is coming
        self._count = len(message.indices)
        self._complete = message.complete
        self._show_status()
        # Straight to the screen, not bubbled through this bar's queue: the Input's repaint
        # reaches the screen as a message too, and the results must come before it, or the
        # key is painted a frame before its matches (measured: 3 frames a key instead of 1.6).
        self.screen.post_message(self.ResultsChanged(self, message.query_text, message.indices, message.query,
                                                     message.complete))

    # ------------------------------------------------------------------ status

    def _newest_day_hint(self) -> str:
        """For an empty date:today or date:yesterday: the wall clock is not the library's
        clock (a fork that has not run for days), so name the library's newest day."""
        text = self.query_one(Input).value.lower()
        if self._index is None or ("date:today" not in text and "date:yesterday" not in text):
            return ""
        newest = self._index.newest_day()
        return f" (the library's newest day is {newest}: date:newest)" if newest else ""

    def _show_status(self) -> None:
        if not self.is_mounted or not self.query("#search-status"):  # not yet, or no more (the app ends)
            return
        self.query_one("#search-status", Static).update(self._status_text())

    def _status_text(self) -> Text:
        status = Text(no_wrap=self._error is None, overflow="ellipsis" if self._error is None else "fold")
        if self._error is not None:
            status.append(self._error)
        elif self._indexing:
            status.append("indexing…")
        elif self._count is not None and self.library_loading:
            status.append(f"{self._count:,} match{'' if self._count == 1 else 'es'} so far, library still loading…")
        elif self._count is not None and not self._complete:
            status.append(f"{self._count:,}+ matches, searching…")
        elif self._count is not None:
            status.append(f"{self._count:,} match" + ("" if self._count == 1 else "es"))
            if not self._count:
                status.append(self._newest_day_hint())
        status.append("  ")
        if self.scope == "node" and self._node is not None:
            status.append("in " + strip_controls(self._node_label or "this node"), style="bold")
        else:
            status.append("in library", style="bold")
        if self.query_one(_QueryInput).cut:
            status.append(f"  line cut at {MAX_QUERY_LENGTH:,} characters", style="bold")
        status.append("  ^t scope", style="dim")
        return status
