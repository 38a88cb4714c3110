"""PaperScreen: one paper full screen, for small terminals."""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from ...core.model import Paper
from ..keys import FULL_PAPER, PAPER, bindings
from ..widgets.detail_pane import DetailPane

if TYPE_CHECKING:
    from .main import MainScreen


class PaperScreen(Screen[None]):
    """The detail pane alone (it scrolls with the pane keys); Esc, q, Enter or h go back.
    The marking keys work here as on the main screen."""

    BINDINGS = [*bindings(FULL_PAPER), *bindings(PAPER, action_prefix="app.")]  # the pane shows esc Back

    def __init__(self, paper: Paper, index: int, note: str = "", tags: tuple[str, ...] = (), *,
                 opened_from: MainScreen | None = None) -> None:
        super().__init__()
        self.paper, self.index, self.note, self.tags = paper, index, note, tags
        self.opened_from = opened_from
        """The screen whose list this paper is from (it counts the paper as looked at)."""

    def compose(self) -> ComposeResult:
        yield DetailPane(id="paper-detail")
        yield Footer(show_command_palette=False)  # ^p still opens it; 80 columns hold the keys

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def on_mount(self) -> None:
        self.detail.show(self.paper, self.index, note=self.note, tags=self.tags)
        self.detail.focus()
        if self.opened_from is not None:
            self.call_after_refresh(self.opened_from.update_dwell)

    def current_paper(self) -> tuple[int, Paper]:
        return self.index, self.paper

    def refresh_marks(self, note: str, tags: tuple[str, ...]) -> None:
        """Show the paper's note and tags after they changed."""
        self.note, self.tags = note, tags
        self.detail.show(self.paper, self.index, note=note, tags=tags, keep_scroll=True)

    @on(DetailPane.BackRequested)
    def _back(self, event: DetailPane.BackRequested) -> None:
        self.dismiss()

    def action_page(self) -> None:
        self.detail.page(1)
