"""HelpScreen: every key of the reader, generated from the one key table."""
from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import HELP, KEY_TABLE, bindings, display_keys
from .terminal_size import TerminalSized

SEARCH_HELP = (
    "Search: words are ANDed; \"a phrase\"; -word excludes; a OR b; ( ).\n"
    "Fields: ti: au: abs: tldr: cat: id: date: tag: note:   States: is:unread is:read is:starred\n"
    "In the search line: Enter keeps the filter, Esc clears it, Ctrl+T: whole library / this node.\n"
    "Ctrl+P: command palette. Keys can be rebound by id in config.toml under [keys]."
)


def help_table(keymap: dict[str, str] | None = None) -> Table:
    """The key table as a Rich table; `keymap` shows the user's own keys."""
    keymap = keymap or {}
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)
    for entry in KEY_TABLE:
        table.add_row(Text(display_keys(keymap.get(entry.id, entry.keys))), Text(entry.help), Text(entry.id))
    return table


class HelpScreen(TerminalSized, ModalScreen[None]):
    """Modal list of keys; any of Esc, q or ? closes it."""

    BINDINGS = bindings(HELP)

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100; max-width: 100%; height: 100%; max-height: 50;
        border: round $primary; background: $panel; padding: 0 1; }
    HelpScreen #help-search, HelpScreen #help-library { margin: 1 0 0 0; color: $text-muted; }
    HelpScreen #help-title { text-style: bold; color: $accent; }
    """

    def __init__(self, keymap: dict[str, str] | None = None, library: Path | None = None) -> None:
        super().__init__()
        self.keymap = keymap or {}
        self.library = library

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("tui-reader keys (Esc closes)"), id="help-title")
            yield Static(help_table(self.keymap), id="help-keys")
            yield Static(Text(SEARCH_HELP), id="help-search")
            if self.library is not None:
                yield Static(Text(f"Your library folder: {self.library}\n"
                                  "Digests put there (or pulled there) are read at every start."), id="help-library")

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one(VerticalScroll)
        if direction == "down":
            scroller.scroll_down(animate=False)
        else:
            scroller.scroll_up(animate=False)
