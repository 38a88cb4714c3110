"""The reader's search: the `/` line, saved searches as tree nodes and the watch list (a mixin of ReaderApp)."""
from __future__ import annotations

import gc

from rich.text import Text
from textual import work

from ..core.text import strip_controls
from .library_view import ALL, LibraryView, search_key


class SearchingMixin:
    """Wires widgets/search_bar.py to the list, and core.query to saved-search nodes."""

    @work(thread=True, exclusive=True, group="saved-searches")
    def _prepare_searches(self, view: LibraryView, marks: dict) -> None:
        """Saved searches and the watch list, off the UI thread once the list is up."""
        try:
            watched = view.watched(self.config.watch_keywords, self.config.watch_authors)
            index, found, problems = None, [], []
            if self.config.searches:
                from ..core.query import QueryError, SearchIndex, parse_query

                index = SearchIndex(view.papers)
                gc.freeze()  # lives as long as the library: later collections need not walk it
                for saved in self.config.searches:
                    try:
                        query = parse_query(saved.query)
                    except QueryError as err:
                        problems.append(f"Saved search {saved.name!r}: {err}")
                        continue
                    found.append((saved.name, query, index.search(query, marks)))
        except Exception as err:  # a search bug must not take the reader down
            self.call_from_thread(self.notify, f"Saved searches unavailable: {type(err).__name__}: {err}",
                                  severity="error", markup=False)
            return
        self.call_from_thread(self._searches_prepared, index, watched, found, problems)

    async def _searches_prepared(self, index, watched: set[int], found: list, problems: list[str]) -> None:
        assert self.view is not None
        self.watched = watched
        self.search_index = index
        keys = []
        for name, query, members in found:
            key = search_key(name)
            self.saved_queries[key] = query
            self.view.set_search_members(key, name, members)
            keys.append(key)
        self.tree.add_searches(keys)
        self.paper_list.clear_cache()
        pending, self._pending_session = self._pending_session, None
        if pending is not None and pending.node in keys and self.current_key == ALL:
            self.show_node(pending.node, paper_id=pending.paper)
            self.tree.select_key(pending.node)
        for problem in problems:
            self.notify(strip_controls(problem), severity="warning", timeout=8, markup=False)
        await self.mount_search_bar()

    async def action_search(self) -> None:
        # `/` is a priority binding: without it the keys typed right after it were
        # dispatched to the list before the search line took the focus, and lost. So in
        # a text field (the search line itself, a note or tags dialog) it is just a slash.
        from textual.widgets import Input

        if isinstance(self.focused, Input):
            self.focused.insert_text_at_cursor("/")
            return
        await self.open_search()

    async def open_search(self) -> None:
        """Show the search line above the list."""
        if self.view is None:
            return
        bar = await self.mount_search_bar()
        bar.open()

    async def mount_search_bar(self):
        """Mount the search line (hidden) and start indexing the library in its thread.
        Called a moment after loading, or by the first `/`: the first screen does not pay
        for the query engine."""
        if self.search_bar is None and self.view is not None:
            from .widgets.search_bar import SearchBar

            bar = self.search_bar = SearchBar(id="search-bar", on_results=self.show_search_results)
            # Full width above the panes: beside the detail pane the list column is too
            # narrow for a query, its match count and its errors.
            await self.mount(bar, before=self.query_one("#panes"))
            if self.search_index is not None:
                bar.set_index(self.search_index)
            else:
                bar.set_papers(self.view.papers)
            bar.set_marks(self.marks)
            self._update_search_scope(bar)
        return self.search_bar

    def _update_search_scope(self, bar=None) -> None:
        bar = bar or self.search_bar
        if bar is not None and self.view is not None and self.current_key is not None:
            bar.set_scope(None, self.view.papers_of(self.current_key), self.view.nodes[self.current_key].label)

    def show_search_results(self, event) -> None:
        """The search line's matches (SearchBar.ResultsChanged), in the list."""
        if self.view is None:
            return
        self.search_terms = event.query.terms() if event.query is not None and event.query_text.strip() else []
        self.paper_list.decoration_key = tuple(self.search_terms)
        current = self.paper_list.current
        rows = list(event.indices)
        cursor = rows.index(current) if current in rows else 0
        self.paper_list.set_rows(self.view.papers, rows, cursor)

    def on_search_bar_submitted(self, event) -> None:
        self.set_focus(self.paper_list)

    def on_search_bar_cleared(self, event) -> None:
        self.search_terms = []
        self.paper_list.decoration_key = ()
        if self.current_key is not None:
            self.show_node(self.current_key, index=self.paper_list.current)
        self.set_focus(self.paper_list)

    def highlight(self, index: int, text: Text) -> None:
        """Colour watched papers' titles; light up the words of the active search."""
        if index in self.watched:
            text.stylize(self.paper_list.get_component_rich_style("paper-list--watched", partial=True))
        if not self.search_terms:
            return
        from ..core.query import highlight_spans

        for start, end in highlight_spans(text.plain, self.search_terms):
            text.stylize("reverse", start, end)
