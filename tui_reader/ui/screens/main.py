"""MainScreen: composes the three panes and hands what happens to the parts it owns: what the
panes show (PanesShown), the library's readings and the session (LibraryShown), the pane focus
(PaneFocus), the reading keys (ReadingMoves), the search (SearchSession), the dwell rule,
For you and the library's updates. Messages are handled here, by name."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static, Tree

from ..dwell import DwellRule
from ..services.for_you import ForYou
from ..keys import MAIN, PAPER, bindings
from ..services.library_updates import LibraryUpdates
from ..library_view import FOR_YOU, LibraryView
from ..loader import TypingPause
from ..messages import (
    LibraryChangedOnDisk, LibraryLoaded, MarksChanged, PullFinished, RankingFailed, ScoresReady,
    SearchesPrepared, StatusChanged,
)
from ..reader_host import Reader
from ..state import ReaderState, ShownPaper
from ..widgets.category_tree import CategoryTree
from ..widgets.detail_pane import DetailPane
from ..widgets.paper_list import PaperList
from ..widgets.reader_header import ReaderHeader
from .library_shown import LibraryShown
from .pane_focus import MIN_HEIGHT, MIN_WIDTH, SMALL_HEIGHT, SMALL_WIDTH, WIDE_WIDTH, PaneFocus
from .panes_shown import PanesShown
from .reading_moves import ReadingMoves
from .search_session import SearchSession
from .terminal_size import ignore_older_size

if TYPE_CHECKING:
    from ..widgets.search_bar import SearchBar


class MainScreen(Screen[None]):
    """The panes' screen: the tree, the list and the detail pane; marks go through the app."""

    AUTO_FOCUS = "#papers"
    """The list takes the focus as the panes appear (the tree, first in order, would
    otherwise take it and hand it on at the cost of a restyle before the first frame)."""
    BINDINGS = [*bindings(MAIN), *bindings(PAPER, action_prefix="app.")]
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (MIN_WIDTH, "-small"), (SMALL_WIDTH, "-narrow"),
                              (WIDE_WIDTH, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-height"), (MIN_HEIGHT, "-short"), (SMALL_HEIGHT, "-tall")]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        reader = self.reader
        self.loading_done = False
        """True once the whole library is shown (counts are final)."""
        self.typing = TypingPause(reader.timings.typing_pause)
        self.for_you = ForYou(self, reader.state, self.typing, reader.config, reader.app_paths.cache_dir,
                              reader.timings)
        self.updates = LibraryUpdates(self, reader.source, reader.config, self.app.notify)
        self.search = SearchSession(self)
        self.pane_focus = PaneFocus(self)
        self.panes_shown = PanesShown(self, self.search)
        self.library_shown = LibraryShown(self, self.panes_shown, self.search, self.updates)
        self.moves = ReadingMoves(self, self.pane_focus, self.panes_shown)
        self.dwell = DwellRule(self, self.pane_focus.paper_looked_at, lambda: reader.config.auto_read_delay,
                               reader.state.is_done, lambda index: reader.mark_read([index], True, automatic=True))

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

    def on_mount(self) -> None:
        self.panes_shown.wire()
        self.library_shown.start(self.typing)

    def on_unmount(self) -> None:
        # The app's own unmount comes after its screens are gone: what needs this screen is done here.
        self.typing.stop()  # a loading or ranking thread gives up now, so quitting does not wait for it
        self.save_session()
        self.updates.stop_watching()

    # -- what the parts and the app read -------------------------------------------------------
    @property
    def reader(self) -> Reader:
        """The app, as the reader it is (its state, settings and marking)."""
        return cast(Reader, self.app)

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

    def current_paper(self) -> ShownPaper | None:
        """The highlighted paper."""
        return self.panes_shown.current()

    def show_node(self, key: str, *, paper_id: str | None = None, index: int | None = None,
                  keep_rows: bool = False) -> None:
        """List a node's papers (PanesShown.node)."""
        self.panes_shown.node(key, paper_id=paper_id, index=index, keep_rows=keep_rows)

    def toggle_authors(self) -> None:
        self.panes_shown.toggle_authors()

    def open_full_screen(self, shown: ShownPaper) -> None:
        """One paper full screen; it counts as looked at there as in the list."""
        from .paper import PaperScreen

        mark = self.state.mark(shown.paper.id)
        self.app.push_screen(PaperScreen(shown, mark.note, mark.tags, on_shown=self.dwell.update))

    def save_session(self) -> None:
        self.panes_shown.save_session()

    def mount_footer(self) -> None:
        self.pane_focus.mount_footer()

    def forget_dwell(self) -> None:
        self.dwell.forget()

    def user_input(self) -> None:
        """A key or a click: the loading thread gives way, the index build waits, and papers
        can count as looked at from now on."""
        self.typing.key_pressed()
        self.search.user_input()
        if self.dwell.user_input():
            self.call_after_refresh(self.dwell.update)

    # -- Textual's events -------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        if ignore_older_size(self, event):
            return
        self.pane_focus.resized()
        self.dwell.update()

    def on_descendant_focus(self) -> None:
        self.pane_focus.focus_arrived()
        self.dwell.update()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self.dwell.update)

    def on_screen_resume(self) -> None:
        self.dwell.update()

    def on_screen_suspend(self) -> None:
        self.call_after_refresh(self.dwell.update)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.user_input()

    # -- the panes' messages ----------------------------------------------------------------
    @on(Tree.NodeHighlighted, "#tree")
    def _node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        key = event.node.data
        if self.view is not None and key and key != self.current_key:
            self.panes_shown.node(key)

    @on(CategoryTree.NodeOpened)
    def _node_opened(self, event: CategoryTree.NodeOpened) -> None:
        self.pane_focus.focus(self.paper_list)

    @on(PaperList.PaperHighlighted)
    async def _paper_highlighted(self, event: PaperList.PaperHighlighted) -> None:
        self.panes_shown.paper(event.index)
        self.panes_shown.header()
        self.dwell.update()
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
            self.pane_focus.focus(self.detail)

    @on(DetailPane.BackRequested)
    def _back_to_list(self, event: DetailPane.BackRequested) -> None:
        self.pane_focus.focus(self.paper_list)

    async def on_search_bar_results_changed(self, event: SearchBar.ResultsChanged) -> None:
        self.search.show_results(event)
        await asyncio.sleep(0)  # as for PaperHighlighted: the list's repaint joins this frame

    def on_search_bar_submitted(self, event: object) -> None:
        self.app.set_focus(self.paper_list)

    def on_search_bar_cleared(self, event: object) -> None:
        self.search.cleared()

    # -- the services' messages -------------------------------------------------------------
    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        self.library_shown.show(message.loaded)

    @on(MarksChanged)
    def _marks_changed(self, message: MarksChanged) -> None:
        self.panes_shown.change(message.changed)
        if message.by_hand:
            self.for_you.rank_soon()

    @on(ScoresReady)
    def _scores_ready(self, message: ScoresReady) -> None:
        if message.view is not self.view:
            return  # a newer library replaced the one ranked
        notice = self.for_you.take(message)
        self.panes_shown.change(self.state.set_scores(message.order, message.scores))
        if notice is not None:
            self.app.notify(notice, timeout=8, markup=False)

    @on(RankingFailed)
    def _ranking_failed(self, message: RankingFailed) -> None:
        self.for_you.failed = True
        self.category_tree.refresh_counts([FOR_YOU])
        self.app.notify(message.text, severity="warning", markup=False)

    @on(SearchesPrepared)
    def _searches_prepared(self, message: SearchesPrepared) -> None:
        self.search.saved_prepared(message)

    @on(LibraryChangedOnDisk)
    def _library_changed_on_disk(self, message: LibraryChangedOnDisk) -> None:
        self.updates.reload()

    @on(PullFinished)
    def _pull_finished(self, message: PullFinished) -> None:
        self.panes_shown.header()
        self.app.notify(message.summary, severity="error" if message.failed else "information", timeout=8,
                        markup=False)
        self.updates.reload()

    @on(StatusChanged)
    def _status_changed(self, message: StatusChanged) -> None:
        self.app.sub_title = message.text

    # -- the keys (ui/keys.py MAIN): each one run by the part that owns its concern ----------
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

    def action_pull(self) -> None:
        self.updates.pull()

    def action_switch_language(self) -> None:
        self.updates.switch_language()

    def action_warnings(self) -> None:
        from .warnings import WarningsScreen

        self.app.push_screen(WarningsScreen(self.library_shown.warnings))

    async def action_search(self) -> None:
        # `/` is a priority binding: without it the keys typed right after it were
        # dispatched to the list before the search line took the focus, and lost. In a text
        # field (the search line itself) the binding steps aside and the key, whatever the
        # keymap made it, goes on to the field in its turn (a slash was typed for it before).
        if isinstance(self.app.focused, Input):
            raise SkipAction()
        await self.search.open()
