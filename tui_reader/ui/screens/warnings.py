"""WarningsScreen: every problem met while loading the library, as plain text."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Log

from ...core.formats.text import strip_controls
from ..keys import WARNINGS, bindings
from .terminal_size import TerminalSized


class WarningsScreen(TerminalSized, ModalScreen[None]):
    """A Log of the loading warnings (Log shows text literally); Esc closes."""

    BINDINGS = bindings(WARNINGS)
    DEFAULT_CSS = """
    WarningsScreen { align: center middle; }
    WarningsScreen > Log { width: 90%; height: 80%; border: round $warning; background: $panel; }
    """

    def __init__(self, warnings: list[str]) -> None:
        super().__init__()
        self.warnings = warnings

    def compose(self) -> ComposeResult:
        yield Log(id="warnings-log")

    def on_mount(self) -> None:
        log = self.query_one(Log)
        log.border_title = f"{len(self.warnings)} problems while loading (Esc closes)"
        log.write_lines([strip_controls(w) for w in self.warnings] or ["No problems."])
        log.focus()
