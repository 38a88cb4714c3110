"""PaperScreen: one paper full screen, for small terminals."""
from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ..keys import FULL_PAPER, PAPER, bindings
from ..messages import MarksChanged
from ..state import ShownPaper
from ..widgets.detail_pane import DetailPane
from .terminal_size import TerminalSized


class PaperScreen(TerminalSized, Screen[None]):
    """The detail pane alone (it scrolls with the pane keys); Esc, q, Enter or h go back.
    The marking keys work here as on the main screen."""

    BINDINGS = [*bindings(FULL_PAPER), *bindings(PAPER, action_prefix="app.")]  # the pane shows esc Back

    def __init__(self, shown: ShownPaper, note: str = "", tags: tuple[str, ...] = (), *,
                 on_shown: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.shown, self.note, self.tags = shown, note, tags
        self.on_shown = on_shown
        """Called once the paper is on screen (the main screen starts its read timer)."""

    def compose(self) -> ComposeResult:
        yield DetailPane(id="paper-detail")
        yield Footer(show_command_palette=False)  # ^p still opens it; 80 columns hold the keys

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def on_mount(self) -> None:
        self.detail.show(self.shown.paper, self.shown.index, note=self.note, tags=self.tags)
        self.detail.focus()
        if self.on_shown is not None:
            self.call_after_refresh(self.on_shown)

    def current_paper(self) -> ShownPaper:
        return self.shown

    @on(MarksChanged)
    def _marks_changed(self, message: MarksChanged) -> None:
        """Show the paper's note and tags after a change of its marks."""
        mark = next((mark for mark in message.marks or () if mark.id == self.shown.paper.id), None)
        if mark is not None:
            self.note, self.tags = mark.note, mark.tags
            self.detail.show(self.shown.paper, self.shown.index, note=mark.note, tags=mark.tags, keep_scroll=True)

    def toggle_authors(self) -> None:
        self.detail.toggle_authors(self.note, self.tags)

    @on(DetailPane.BackRequested)
    def _back(self, event: DetailPane.BackRequested) -> None:
        # The message waits in this screen's queue while the app goes on with the next key:
        # a key bound to `dismiss` (q, Enter, h) may have closed the screen already, and a
        # second dismiss would pop the main screen (ScreenStackError, the reader ends).
        if self.is_active:
            self.dismiss()

    def action_page(self) -> None:
        self.detail.page(1)
