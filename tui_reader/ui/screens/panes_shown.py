"""PanesShown: what the main screen's panes show: a node's papers in the list, the paper under
the cursor in the detail pane, the header's line, and the repaint after a change of the state
(counts, rows, header, detail: what the change names, nothing more); and the session, the node
and paper shown, saved for the next start."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..library_view import FOR_YOU
from ..session import SESSION_FILE, Session, save_session

if TYPE_CHECKING:
    from pathlib import Path

    from textual.timer import Timer

    from ..state import Changed, ShownPaper
    from .panes_host import PanesHost
    from .search_session import SearchSession


class PanesShown:
    """The node listed and the paper shown."""

    def __init__(self, host: PanesHost, search: SearchSession) -> None:
        self.host, self.search = host, search
        self.paper_id: str | None = None
        """The paper in the detail pane."""
        self.partial_position: tuple[str | None, str | None] | None = None
        """(node, paper) as the start showed the newest day, before the rest loaded."""
        self._session_timer: Timer | None = None
        self._detail_shown: tuple[object, ...] | None = None
        """What the detail pane shows (paper, search words, mark, model): the same again is not redrawn."""

    def wire(self) -> None:
        """How the list and the detail pane show a paper: its marks, score and badge (from the
        state and For you), its watched title and searched words lit up (the search)."""
        host, state = self.host, self.host.state
        papers = host.paper_list
        papers.is_done = state.is_done
        papers.is_starred = lambda i: state.view is not None and i in state.view.starred_at
        papers.is_dismissed = lambda i: state.view is not None and i in state.view.dismissed
        papers.score_of = state.score
        papers.badge_of = host.for_you.badge
        papers.decorate = self.search.highlight
        host.detail.decorate = lambda text: self.search.highlight(-1, text)
        host.category_tree.count_text = host.for_you.count_text

    def node(self, key: str, *, paper_id: str | None = None, index: int | None = None,
             keep_rows: bool = False) -> None:
        """List the papers of a node, with the cursor on a paper when given. `keep_rows`: the
        node is shown again because marks or scores changed, not by the person: the rows up
        to the cursor stay where they are (see stable_rows)."""
        host, state = self.host, self.host.state
        view, papers = host.view, host.paper_list
        assert view is not None
        same_node = key == host.current_key
        if not same_node:
            self.search.end_in_other_node()
        state.listing.node = key
        if state.rerun_saved_search(key):
            host.category_tree.refresh_counts([key])
        rows = state.rows_of(key)
        papers.show_scores = key == FOR_YOU or state.listing.sort == "relevance"
        if paper_id is not None and paper_id in view.index:
            index = view.index[paper_id]
        cursor = rows.index(index) if index is not None and index in rows else 0
        if keep_rows and same_node:
            from ..stable_rows import keep_in_place

            rows, cursor = keep_in_place(papers.rows, papers.cursor, rows)
        papers.set_rows(view.papers, rows, cursor, view.spans_years)
        self.search.update_scope()
        self.save_session_soon()

    def paper(self, index: int | None, *, keep_scroll: bool = False) -> None:
        """Put a paper in the detail pane."""
        host = self.host
        view = host.view
        if index is None or view is None:
            self._detail_shown = None
            host.detail.show(None)
            return
        paper = view.papers[index]
        mark = host.reader.reading.marks.get(paper.id)
        for_you = host.for_you
        shown = (index, paper, tuple(self.search.terms), mark, for_you.model)
        if shown == self._detail_shown and not keep_scroll:
            return  # already on screen
        self._detail_shown = shown
        self.paper_id = paper.id
        host.detail.show(paper, index, note=mark.note if mark else "", tags=mark.tags if mark else (),
                         keep_scroll=keep_scroll, about=for_you.about(index))
        if not keep_scroll:
            self.save_session_soon()

    def current(self) -> ShownPaper | None:
        """The highlighted paper."""
        return self.host.state.paper(self.host.paper_list.current)

    def refresh_detail(self, *, again: bool = False) -> None:
        """Redraw the detail pane after the current paper's marks (or, `again`, what the
        reader says of it) changed."""
        if again:
            self._detail_shown = None
        current = self.current()
        if current is not None and self.host.detail.index == current.index:
            self.paper(current.index, keep_scroll=True)

    def forget(self) -> None:
        """The library was replaced: the paper shown is to be drawn again."""
        self._detail_shown = None

    def toggle_authors(self) -> None:
        """Expand or fold the highlighted paper's long author list."""
        current = self.current()
        if current is not None:
            mark = self.host.state.mark(current.paper.id)
            self.host.detail.toggle_authors(mark.note, mark.tags)

    def header(self) -> None:
        """The header's line: the node's count, the cursor's place, For you's note."""
        host = self.host
        if host.view is not None and host.loading_done:  # the header tells the loading's progress meanwhile
            rows = host.paper_list.rows
            note = host.for_you.header_note() if host.current_key == FOR_YOU and rows else ""
            host.app.sub_title = host.state.header_line(len(rows), host.paper_list.cursor, note)

    def change(self, changed: Changed) -> None:
        """Repaint what a change of the state touched: counts, rows, header, detail pane."""
        host = self.host
        if host.view is None:
            return
        with host.app.batch_update():  # tree counts, row and detail change in one repaint
            host.category_tree.refresh_counts(changed.counts)
            if changed.listing and host.current_key is not None:
                self.node(host.current_key, index=host.paper_list.current, keep_rows=changed.scores)
            host.paper_list.data_version = host.state.versions
            if changed.marks or changed.scores:
                self.header()
                self.refresh_detail(again=changed.scores)

    # -- the session --------------------------------------------------------------------------
    @property
    def session_file(self) -> Path:
        return self.host.reader.app_paths.cache_dir / SESSION_FILE

    def save_session_soon(self) -> None:
        """The node or paper changed: saved a moment later (moving on fast saves once)."""
        if self._session_timer is not None:
            self._session_timer.stop()
        self._session_timer = self.host.set_timer(self.host.reader.timings.session_save, self.save_session)

    def save_session(self) -> None:
        """Remember the node and paper for the next start."""
        # (No widget is asked: this also runs as the app unmounts, when the panes are gone.)
        host = self.host
        if not host.loading_done and (host.current_key, self.paper_id) == self.partial_position:
            # Still the newest day as the start showed it (the last node may be missing from
            # it, so All stood in): not the person's choice, and would replace the last one.
            return
        if host.current_key is not None and host.view is not None:
            save_session(self.session_file, Session(host.current_key, self.paper_id))
