"""ReaderHeader: Textual's Header, whose changing title repaints one line, not the screen."""
from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.dom import NoScreen
from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


HEADER_ICON_CELLS = 8
"""Textual's header icon takes this many cells on the left; the title is centred in the rest."""


def fit_title(title: str, sub_title: str, width: int) -> str:
    """`title — sub_title` fitted to `width` cells, the least important part going first:
    the program's name, then the sub-title's parts (`a · b · c`) from the right. The first
    part (the node and the cursor's place in it) is kept whole when it fits at all."""
    parts = [part for part in sub_title.split(" · ") if part] if sub_title else []
    whole = f"{title} — {sub_title}" if title and sub_title else title or sub_title
    if cell_len(whole) <= width:
        return whole
    while len(parts) > 1 and cell_len(" · ".join(parts)) > width:
        parts.pop()
    return " · ".join(parts) if parts else whole


class ReaderHeader(Header):
    """The header line. Textual's Header puts a new title in with Static.update, which lays
    out the whole screen: the reader's title holds the cursor's position ("All 5/1444"),
    so every `j` cost a full repaint (at 160x50, 50-60 ms against 17 ms for a bare app).
    The header is one line whatever its text, so no layout is needed."""

    def format_title(self) -> Content:
        """The title's parts by priority, so an 80-column header cuts none of them."""
        room = max(10, self.size.width - 2 * HEADER_ICON_CELLS - 2)
        return Content(fit_title(self.screen_title, self.screen_sub_title, room))

    def on_resize(self) -> None:
        try:
            self.query_one(HeaderTitle).update(self.format_title(), layout=False)
        except NoScreen:
            pass

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
