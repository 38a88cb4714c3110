"""PaperScreen: one paper full screen, for small terminals."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from ...core.model import Paper
from ..widgets.detail_pane import DetailPane


class PaperScreen(Screen[None]):
    """The detail pane alone; Esc / q / Enter go back to the list."""

    BINDINGS = [
        Binding("escape,q,enter,left,h", "dismiss", "Back", id="paper_back"),
        Binding("down,j", "scroll_detail(1)", "Down", show=False),
        Binding("up,k", "scroll_detail(-1)", "Up", show=False),
        Binding("space,pagedown", "scroll_detail(10)", "Page", show=False),
        Binding("pageup", "scroll_detail(-10)", "Page up", show=False),
    ]

    def __init__(self, paper: Paper, index: int, note: str = "", tags: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.paper, self.index, self.note, self.tags = paper, index, note, tags

    def compose(self) -> ComposeResult:
        yield DetailPane(id="paper-detail")
        yield Footer()

    def on_mount(self) -> None:
        pane = self.query_one(DetailPane)
        pane.show(self.paper, self.index, note=self.note, tags=self.tags)
        pane.focus()

    def action_scroll_detail(self, lines: int) -> None:
        pane = self.query_one(DetailPane)
        step = lines if abs(lines) == 1 else max(1, pane.size.height - 1) * (1 if lines > 0 else -1)
        pane.scroll_to(y=pane.scroll_y + step, animate=False)
