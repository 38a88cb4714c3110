"""SearchSession: the search line's part in the main screen: the bar mounted once the reader is
idle (or at the first `/`), the saved searches worked out in a thread, the search's scope (the
node listed), its matches in the list, and the words it lights up."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ...core.formats.text import strip_controls
from ..library_view import ALL
from ..messages import SearchesPrepared

if TYPE_CHECKING:
    from rich.text import Text
    from textual.timer import Timer

    from ...core.state.store import Mark
    from ..library_view import LibraryView
    from ..session import Session
    from ..widgets.search_bar import SearchBar
    from .panes_host import PanesHost


class SearchSession:
    """The search bar (None until mounted), the words searched and where the cursor was before."""

    def __init__(self, host: PanesHost) -> None:
        self.host = host
        self.bar: SearchBar | None = None
        self.terms: list[str] = []
        """The words of the active search (lit up in the list and the detail pane)."""
        self.cursor_before: int | None = None
        """The list's row (a paper index) when `/` opened the search line; Esc returns to it."""
        self.pending_session: Session | None = None
        """The last session's node, a saved search: shown once the saved searches are worked out."""
        self._idle_timer: Timer | None = None

    # -- the index, built when the reader is idle ----------------------------------------------
    def user_input(self) -> None:
        """A key or a click: the bar's index build waits for the reader to be idle again."""
        if self._idle_timer is not None and self.bar is None:
            self.index_when_idle()

    def index_when_idle(self) -> None:
        """(Re)arm the timer that mounts the search bar and starts its index build."""
        if self._idle_timer is not None:
            self._idle_timer.stop()
        self._idle_timer = self.host.set_timer(self.host.reader.timings.search_idle, self._idle_index)

    async def _idle_index(self) -> None:
        self._idle_timer = None
        await self.mount_bar()

    async def mount_bar(self) -> SearchBar | None:
        """Mount the search line (hidden) and start indexing the library in its thread.
        Called a moment after loading, or by the first `/`: the first screen does not pay
        for the query engine."""
        host = self.host
        view = host.view
        if self.bar is None and view is not None:
            from ..widgets.search_bar import SearchBar

            bar = self.bar = SearchBar(id="search-bar")
            bar.library_loading = not host.loading_done
            # Full width above the panes: beside the detail pane the list column is too
            # narrow for a query, its match count and its errors.
            await host.mount(bar, before="#panes")
            if host.state.search_index is not None:
                bar.set_index(host.state.search_index)
            else:
                bar.set_papers(view.papers, view.search_text)
            bar.marks_source = lambda: host.state.marks
            self.update_scope()
        return self.bar

    def library_shown(self, view: LibraryView) -> None:
        """The whole library (or a newer reading) is shown: search all of it now."""
        if self.bar is not None:
            self.bar.library_loading = False
            self.bar.set_papers(view.papers, view.search_text)
            self.update_scope()

    # -- saved searches -----------------------------------------------------------------------
    def prepare_saved(self, view: LibraryView, marks: Mapping[str, Mark]) -> None:
        """Saved searches and the watch list, off the UI thread once the list is up;
        SearchesPrepared follows."""
        self.host.run_worker(lambda: self._prepare_saved(view, marks), thread=True, exclusive=True,
                             group="saved-searches")

    def _prepare_saved(self, view: LibraryView, marks: Mapping[str, Mark]) -> None:
        from ..searches import prepare_searches

        host = self.host
        try:
            prepared = prepare_searches(view.papers, marks, host.reader.config, view.search_text)
        except Exception as err:  # a search bug must not take the reader down
            host.app.notify(f"Saved searches unavailable: {type(err).__name__}: {err}", severity="error",
                            markup=False)
            return
        host.post_message(SearchesPrepared(view, prepared))

    def saved_prepared(self, message: SearchesPrepared) -> None:
        """The saved searches are in: their nodes in the tree, the last session's if it was one."""
        host, prepared = self.host, message.prepared
        if message.view is not host.view:
            return  # prepared for a library since replaced
        keys = host.state.searches_prepared(prepared)
        host.category_tree.add_searches(keys)
        host.paper_list.data_version = host.state.versions
        pending, self.pending_session = self.pending_session, None
        if pending is not None and pending.node in keys and host.current_key == ALL:
            host.show_node(pending.node, paper_id=pending.paper)
            host.category_tree.select_key(pending.node)
        for problem in prepared.problems:
            host.app.notify(strip_controls(problem), severity="warning", timeout=8, markup=False)
        host.call_later(self.mount_bar)

    # -- the search line ----------------------------------------------------------------------
    async def open(self) -> None:
        """Show the search line above the list."""
        if self.host.view is None:
            return
        bar = await self.mount_bar()
        if bar is not None:
            if not bar.is_open:  # Esc puts the cursor back here
                self.cursor_before = self.host.paper_list.current
            bar.open()

    def end_in_other_node(self) -> None:
        """A search filters the node it was made in: moving to another node ends it."""
        if self.bar is not None and self.bar.is_open:
            self.bar.clear(announce=False)
            self.terms = []
            self.host.paper_list.decoration_key = ()
            self.cursor_before = None

    def update_scope(self) -> None:
        """The node listed is the bar's "this node"."""
        host = self.host
        bar, view, key = self.bar, host.view, host.current_key
        if bar is not None and view is not None and key is not None:
            bar.set_scope(None, host.state.rows_of(key), view.nodes[key].label)

    def show_results(self, event: SearchBar.ResultsChanged) -> None:
        """The search line's matches, in the list."""
        view, papers = self.host.view, self.host.paper_list
        if view is None:
            return
        self.terms = event.query.terms() if event.query is not None and event.query_text.strip() else []
        papers.decoration_key = tuple(self.terms)
        current = papers.current
        rows = list(event.indices)
        if event.query is not None and event.complete and event.query.like_ids():
            from ...core.rank.similar import built_similarity_index, order_by_likeness

            similar = built_similarity_index(view.papers)  # built by the search itself
            if similar is not None:
                rows = order_by_likeness(similar, event.query.like_ids(), rows)
        cursor = rows.index(current) if current in rows else 0
        papers.set_rows(view.papers, rows, cursor, view.spans_years)

    def cleared(self) -> None:
        """Esc: every paper of the node again, the cursor where it was before `/`."""
        host = self.host
        self.terms = []
        host.paper_list.decoration_key = ()
        before, self.cursor_before = self.cursor_before, None
        if host.current_key is not None and host.view is not None:
            host.show_node(host.current_key, index=host.paper_list.current if before is None else before)
        host.app.set_focus(host.paper_list)

    def highlight(self, index: int, text: Text) -> None:
        """Mark watched papers' titles; light up the words of the active search."""
        if index in self.host.state.watched:
            text.stylize(self.host.paper_list.get_component_rich_style("paper-list--watched", partial=True))
        if not self.terms:
            return
        from ...core.search.query import highlight_spans

        for start, end in highlight_spans(text.plain, self.terms):
            text.stylize("reverse", start, end)
