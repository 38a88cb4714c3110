"""ReaderHeader: Textual's Header, whose changing title repaints one line, not the screen."""
from __future__ import annotations

from textual.dom import NoScreen
from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class ReaderHeader(Header):
    """The header line. Textual's Header puts a new title in with Static.update, which lays
    out the whole screen: the reader's title holds the cursor's position ("All 5/1444"),
    so every `j` cost a full repaint (at 160x50, 50-60 ms against 17 ms for a bare app).
    The header is one line whatever its text, so no layout is needed."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header's watchers, which lay out on each change

        def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title(), layout=False)
            except NoScreen:
                pass

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
