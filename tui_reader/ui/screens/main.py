"""MainScreen: the three panes, the node and paper shown, reading by dwelling, and the keys
that span the panes (pane focus, n/p, Space, the queue, sort, search)."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static, Tree

from ..keys import MAIN, PAPER, bindings
from ..reader_host import Reader
from ..library_view import FOR_YOU, LibraryView
from ..for_you import ForYou
from ..library_updates import LibraryUpdates
from ..loader import Loaded, TypingPause
from ..dwell import DwellRule
from ..messages import (
    LibraryChangedOnDisk, LibraryLoaded, MarksChanged, PullFinished, RankingFailed, ScoresReady,
    SearchesPrepared, StatusChanged,
)
from ..state import Changed, ReaderState, ShownPaper
from ..widgets.category_tree import CategoryTree
from ..widgets.detail_pane import DetailPane
from ..widgets.paper_list import PaperList
from .pane_focus import MIN_HEIGHT, MIN_WIDTH, SMALL_HEIGHT, SMALL_WIDTH, WIDE_WIDTH, PaneFocus
from .library_shown import LibraryShown
from .reading_moves import ReadingMoves
from .search_session import SearchSession
from .terminal_size import ignore_older_size
from ..widgets.reader_header import ReaderHeader

if TYPE_CHECKING:
    from ..widgets.search_bar import SearchBar


class MainScreen(Screen[None]):
    """The panes' screen. Owns what is shown (node, paper, sort, filter), when a paper
    counts as read, and the keys that act across panes; marks go through the app's Reading."""

    AUTO_FOCUS = "#papers"
    """The list takes the focus as the panes appear (the tree, first in order, would
    otherwise take it and hand it on at the cost of a restyle before the first frame)."""
    BINDINGS = [*bindings(MAIN), *bindings(PAPER, action_prefix="app.")]
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (MIN_WIDTH, "-small"), (SMALL_WIDTH, "-narrow"),
                              (WIDE_WIDTH, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-height"), (MIN_HEIGHT, "-short"), (SMALL_HEIGHT, "-tall")]

    @property
    def reader(self) -> Reader:
        """The app, as the reader it is (its state, settings and marking)."""
        return cast(Reader, self.app)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.loading_done = False
        """True once the whole library is shown (counts are final)."""
        self.shown_paper_id: str | None = None
        self.typing = TypingPause(self.reader.timings.typing_pause)
        self.search = SearchSession(self)
        self.pane_focus = PaneFocus(self)
        self.moves = ReadingMoves(self, self.pane_focus)
        self.for_you = ForYou(self, self.reader.state, self.typing, self.reader.config, self.reader.app_paths.cache_dir,
                              self.reader.timings)
        self.updates = LibraryUpdates(self, self.reader.source, self.reader.config, self.app.notify)
        self._detail_shown: tuple | None = None
        self.dwell = DwellRule(self, self._dwell_target, lambda: self.reader.config.auto_read_delay,
                               self.state.is_done, lambda index: self.reader.mark_read([index], True, automatic=True))
        self.library_shown = LibraryShown(self, self.search, self.updates)

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ReaderHeader(show_clock=False, icon="≡")
        with Horizontal(id="panes"):
            yield CategoryTree(id="tree")
            with Vertical(id="reading"):
                with Vertical(id="list-column"):
                    yield PaperList(id="papers")
                yield DetailPane(id="detail")
        yield Static(Text(f"The terminal is too small for tui-reader (needs {MIN_WIDTH}×{MIN_HEIGHT}).\n"
                          "Enlarge the window, or press q to quit."), id="too-small")
        # The footer's row, empty in the first frame (as the Footer's own would be: it lists
        # the keys a moment later); the Footer replaces it then (see mount_footer).
        yield Static(id="footer-room")

    @property
    def state(self) -> ReaderState:
        return self.reader.state

    @property
    def view(self) -> LibraryView | None:
        return self.reader.state.view

    @property
    def current_key(self) -> str | None:
        """The node listed."""
        return self.reader.state.listing.node

    @property
    def category_tree(self) -> CategoryTree:
        return self.query_one("#tree", CategoryTree)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one("#papers", PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    def mount_footer(self) -> None:
        self.pane_focus.mount_footer()

    def on_resize(self, event: events.Resize) -> None:
        if ignore_older_size(self, event):
            return
        self.pane_focus.resized()
        self.update_dwell()

    def on_descendant_focus(self) -> None:
        self.pane_focus.focus_arrived()
        self.update_dwell()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self.update_dwell)

    def on_screen_resume(self) -> None:
        self.update_dwell()

    def on_screen_suspend(self) -> None:
        self.call_after_refresh(self.update_dwell)

    def user_input(self) -> None:
        """A key or a click: the loading thread gives way, the index build waits, and papers
        can count as looked at from now on."""
        self.typing.key_pressed()
        self.search.user_input()
        if self.dwell.user_input():
            self.call_after_refresh(self.update_dwell)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.user_input()

    # -- reading by dwelling ----------------------------------------------------------------
    def _dwell_target(self) -> int | None:
        """The paper a person is looking at: under the list cursor while the list or the
        detail pane has the focus (both on screen), or open full screen; else None."""
        from .paper import PaperScreen

        screen = self.app.screen
        if screen is self:
            if (self.view is None or self.pane_focus.small_layout
                    or self.app.focused not in (self.paper_list, self.detail)):
                return None
            return self.paper_list.current
        return screen.shown.index if isinstance(screen, PaperScreen) else None

    def update_dwell(self) -> None:
        self.dwell.update()

    def forget_dwell(self) -> None:
        self.dwell.forget()

    # -- loading --------------------------------------------------------------------------
    def on_mount(self) -> None:
        state = self.state
        papers = self.paper_list
        papers.is_done = state.is_done
        papers.is_starred = lambda i: state.view is not None and i in state.view.starred_at
        papers.is_dismissed = lambda i: state.view is not None and i in state.view.dismissed
        papers.score_of = state.score
        papers.badge_of = self.for_you.badge
        papers.decorate = self.search.highlight
        self.detail.decorate = lambda text: self.search.highlight(-1, text)
        self.category_tree.count_text = self.for_you.count_text
        self.library_shown.start(self.typing)

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        self.show_library(message.loaded)

    def show_library(self, loaded: Loaded) -> None:
        """Show a reading of the library (see LibraryShown)."""
        self.library_shown.show(loaded)

    # -- new digests while running ----------------------------------------------------------
    def action_pull(self) -> None:
        self.updates.pull()

    def action_switch_language(self) -> None:
        self.updates.switch_language()

    def forget_view_positions(self) -> None:
        """Indices into the view being replaced mean nothing in the new one."""
        self.dwell.library_replaced()
        self._detail_shown = None

    # -- marks shown --------------------------------------------------------------------
    @on(MarksChanged)
    def _marks_changed(self, message: MarksChanged) -> None:
        self.show_change(message.changed)
        if message.by_hand:
            self.for_you.rank_soon()

    @on(ScoresReady)
    def _scores_ready(self, message: ScoresReady) -> None:
        if message.view is not self.view:
            return  # a newer library replaced the one ranked
        notice = self.for_you.take(message)
        self.show_change(self.state.set_scores(message.order, message.scores))
        if notice is not None:
            self.app.notify(notice, timeout=8, markup=False)

    @on(RankingFailed)
    def _ranking_failed(self, message: RankingFailed) -> None:
        self.for_you.failed = True
        self.category_tree.refresh_counts([FOR_YOU])
        self.app.notify(message.text, severity="warning", markup=False)

    @on(LibraryChangedOnDisk)
    def _library_changed_on_disk(self, message: LibraryChangedOnDisk) -> None:
        self.updates.reload()

    @on(PullFinished)
    def _pull_finished(self, message: PullFinished) -> None:
        self.update_header()
        self.app.notify(message.summary, severity="error" if message.failed else "information", timeout=8,
                        markup=False)
        self.updates.reload()

    @on(StatusChanged)
    def _status_changed(self, message: StatusChanged) -> None:
        self.app.sub_title = message.text

    def show_change(self, changed: Changed) -> None:
        """Repaint what a change of the state touched: counts, rows, header, detail pane."""
        if self.view is None:
            return
        with self.app.batch_update():  # tree counts, row and detail change in one repaint
            self.category_tree.refresh_counts(changed.counts)
            if changed.listing and self.current_key is not None:
                self.show_node(self.current_key, index=self.paper_list.current, keep_rows=changed.scores)
            self.paper_list.data_version = self.state.versions
            if changed.marks or changed.scores:
                self.update_header()
                self.refresh_detail(again=changed.scores)

    def update_header(self) -> None:
        if self.view is not None and self.loading_done:  # the header tells the loading's progress meanwhile
            rows = self.paper_list.rows
            note = self.for_you.header_note() if self.current_key == FOR_YOU and rows else ""
            self.app.sub_title = self.state.header_line(len(rows), self.paper_list.cursor, note)

    # -- nodes and papers ---------------------------------------------------------------
    def show_node(self, key: str, *, paper_id: str | None = None, index: int | None = None,
                  keep_rows: bool = False) -> None:
        """List the papers of a node, with the cursor on a paper when given. `keep_rows`: the
        node is shown again because marks or scores changed, not by the person: the rows up
        to the cursor stay where they are (see stable_rows)."""
        assert self.view is not None
        same_node = key == self.current_key
        if not same_node:
            self.search.end_in_other_node()
        self.state.listing.node = key
        if self.state.rerun_saved_search(key):
            self.category_tree.refresh_counts([key])
        rows = self.state.rows_of(key)
        self.paper_list.show_scores = key == FOR_YOU or self.state.listing.sort == "relevance"
        if paper_id is not None and paper_id in self.view.index:
            index = self.view.index[paper_id]
        cursor = rows.index(index) if index is not None and index in rows else 0
        if keep_rows and same_node:
            from ..stable_rows import keep_in_place

            rows, cursor = keep_in_place(self.paper_list.rows, self.paper_list.cursor, rows)
        self.paper_list.set_rows(self.view.papers, rows, cursor, self.view.spans_years)
        self.search.update_scope()
        self.library_shown.save_session_soon()

    @on(Tree.NodeHighlighted, "#tree")
    def _node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        key = event.node.data
        if self.view is not None and key and key != self.current_key:
            self.show_node(key)

    @on(CategoryTree.NodeOpened)
    def _node_opened(self, event: CategoryTree.NodeOpened) -> None:
        self.focus_pane(self.paper_list)

    @on(PaperList.PaperHighlighted)
    async def _paper_highlighted(self, event: PaperList.PaperHighlighted) -> None:
        self.show_paper(event.index)
        self.update_header()
        self.update_dwell()
        # One turn of the loop: the detail pane and the header hand their repaints to this
        # screen now, before it goes idle and paints, so the list's two rows, the paper
        # and the header go out in one frame instead of two (a frame waits 1/60 s).
        await asyncio.sleep(0)

    @on(PaperList.PaperOpened)  # Enter, and a double click (PaperClicked is a PaperOpened)
    def _paper_opened(self, event: PaperList.PaperOpened) -> None:
        current = self.current_paper()
        if current is None:
            return
        if self.pane_focus.opens_full_screen():
            self.open_full_screen(current)
        else:
            self.focus_pane(self.detail)

    @on(DetailPane.BackRequested)
    def _back_to_list(self, event: DetailPane.BackRequested) -> None:
        self.focus_pane(self.paper_list)

    def toggle_authors(self) -> None:
        current = self.current_paper()
        if current is not None:
            mark = self.state.mark(current.paper.id)
            self.detail.toggle_authors(mark.note, mark.tags)

    def current_paper(self) -> ShownPaper | None:
        """The highlighted paper."""
        return self.state.paper(self.paper_list.current)

    def show_paper(self, index: int | None, *, keep_scroll: bool = False) -> None:
        """Put a paper in the detail pane."""
        if index is None or self.view is None:
            self._detail_shown = None
            self.detail.show(None)
            return
        paper = self.view.papers[index]
        mark = self.reader.reading.marks.get(paper.id)
        shown = (index, paper, tuple(self.search.terms), mark, self.for_you.model)
        if shown == self._detail_shown and not keep_scroll:
            return  # already on screen
        self._detail_shown = shown
        self.shown_paper_id = paper.id
        self.detail.show(paper, index, note=mark.note if mark else "", tags=mark.tags if mark else (),
                         keep_scroll=keep_scroll, about=self.for_you.about(index))
        if not keep_scroll:
            self.library_shown.save_session_soon()

    def refresh_detail(self, *, again: bool = False) -> None:
        """Redraw the detail pane after the current paper's marks (or, `again`, what the
        reader says of it) changed."""
        if again:
            self._detail_shown = None
        current = self.current_paper()
        if current is not None and self.detail.index == current.index:
            self.show_paper(current.index, keep_scroll=True)

    def open_full_screen(self, shown: ShownPaper) -> None:
        """One paper full screen; it counts as looked at there as in the list."""
        from .paper import PaperScreen

        mark = self.state.mark(shown.paper.id)
        self.app.push_screen(PaperScreen(shown, mark.note, mark.tags, on_shown=self.update_dwell))

    # -- session ------------------------------------------------------------------------
    def on_unmount(self) -> None:
        # The app's own unmount comes after its screens are gone: what needs this screen is done here.
        self.save_session()
        self.updates.stop_watching()

    def save_session(self) -> None:
        self.library_shown.save_session()

    # -- focus ----------------------------------------------------------------------------
    def focus_pane(self, target: Widget) -> None:
        self.pane_focus.focus(target)

    def action_next_pane(self) -> None:
        self.pane_focus.step(1, wrap=True)

    def action_previous_pane(self) -> None:
        self.pane_focus.step(-1, wrap=True)

    def action_pane_left(self) -> None:
        self.pane_focus.step(-1, wrap=False)

    def action_pane_right(self) -> None:
        self.pane_focus.step(1, wrap=False)

    def action_toggle_tree(self) -> None:
        self.pane_focus.toggle_tree()

    # -- moving through papers (ReadingMoves) ---------------------------------------------
    def action_read_on(self) -> None:
        self.moves.read_on()

    def action_next_unread(self) -> None:
        self.moves.jump_unread(1)

    def action_previous_unread(self) -> None:
        self.moves.jump_unread(-1)

    def action_next_in_queue(self) -> None:
        self.moves.next_in_queue()

    def action_queue_up(self) -> None:
        self.moves.queue_move("up")

    def action_queue_down(self) -> None:
        self.moves.queue_move("down")

    def action_queue_top(self) -> None:
        self.moves.queue_move("top")

    def action_mark_all_read(self) -> None:
        self.moves.mark_all_read()

    def action_sort(self) -> None:
        self.moves.sort()

    def action_hide_read(self) -> None:
        self.moves.hide_read()

    def action_show_hidden(self) -> None:
        self.moves.show_hidden()

    def action_triage(self) -> None:
        self.moves.triage()

    def action_new_papers(self) -> None:
        self.moves.new_papers()

    def action_warnings(self) -> None:
        from .warnings import WarningsScreen

        self.app.push_screen(WarningsScreen(self.library_shown.warnings))

    # -- search ---------------------------------------------------------------------------
    @on(SearchesPrepared)
    def _searches_prepared(self, message: SearchesPrepared) -> None:
        self.search.saved_prepared(message)

    async def action_search(self) -> None:
        # `/` is a priority binding: without it the keys typed right after it were
        # dispatched to the list before the search line took the focus, and lost. In a text
        # field (the search line itself) the binding steps aside and the key, whatever the
        # keymap made it, goes on to the field in its turn (a slash was typed for it before).
        if isinstance(self.app.focused, Input):
            raise SkipAction()
        await self.search.open()

    def on_search_bar_results_changed(self, event: SearchBar.ResultsChanged) -> None:
        self.search.show_results(event)

    def on_search_bar_submitted(self, event: object) -> None:
        self.app.set_focus(self.paper_list)

    def on_search_bar_cleared(self, event: object) -> None:
        self.search.cleared()
