"""PaperList: the middle pane, one row per paper, drawn line by line (fast at 50,000 rows)."""
from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import Paper
from ...core.text import one_line, render_latex
from ..keys import pane_bindings

UNREAD_MARK, READ_MARK, STAR_MARK = "●", " ", "★"
CURSOR_MARK = "▸"
"""Leads the cursor row, so it shows without colour (NO_COLOR, 16-colour themes)."""


def first_author(paper: Paper) -> str:
    """'Ada Reader et al.' style author column."""
    if not paper.authors:
        return ""
    return paper.authors[0] + (" et al." if len(paper.authors) > 1 else "")


class PaperList(ScrollView, can_focus=True, inherit_bindings=False):
    """The papers of the selected node. Keys are handled by the app (ui/keys.py); this
    widget owns the cursor, scrolling and drawing. Rows are cached as Strips and the
    cache is cleared whenever the rows, the marks, the width or the focus change."""

    BINDINGS = pane_bindings("list")

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--star",
        "paper-list--meta",
        "paper-list--empty",
        "paper-list--watched",
    }

    DEFAULT_CSS = """
    PaperList { background: $surface; }
    PaperList > .paper-list--cursor { background: $primary 30%; }
    PaperList:focus > .paper-list--cursor { background: $primary 60%; }
    PaperList > .paper-list--unread { text-style: bold; }
    PaperList > .paper-list--read { color: $text-muted; }
    PaperList > .paper-list--star { color: $warning; }
    PaperList > .paper-list--meta { color: $text-muted; }
    PaperList > .paper-list--empty { color: $text-muted; text-style: italic; }
    PaperList > .paper-list--watched { color: $accent; }
    PaperList:nocolor > .paper-list--cursor { text-style: reverse; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False)
    """Row of the highlighted paper."""

    class PaperHighlighted(Message):
        """The cursor moved onto a paper (or the list emptied: index None)."""

        def __init__(self, paper_list: PaperList, index: int | None) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.index = index

        @property
        def control(self) -> PaperList:
            return self.paper_list

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PaperList.PaperHighlighted)

    class PaperClicked(Message):
        """A row was clicked (the app opens the paper)."""

        def __init__(self, paper_list: PaperList, index: int) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.index = index

        @property
        def control(self) -> PaperList:
            return self.paper_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.papers: list[Paper] = []
        self.rows: list[int] = []
        self.is_read: Callable[[int], bool] = lambda i: False
        self.is_starred: Callable[[int], bool] = lambda i: False
        self.decorate: Callable[[int, Text], None] | None = None
        """Hook that may style a row's title (search matches, watch list)."""
        self.empty_text = "No papers here."
        self.decoration_key: object = None
        """What `decorate` depends on besides the row (the search terms): part of the row cache key."""
        self._cache: dict[tuple[int, bool, object], Strip] = {}
        self._cache_width = -1

    # -- data -------------------------------------------------------------------------
    def set_rows(self, papers: list[Paper], rows: list[int], cursor: int = 0) -> None:
        """Show `rows` (indices into `papers`) with the cursor on row `cursor`."""
        self.papers = papers
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        self.clear_cache()
        self.set_reactive(PaperList.cursor, self._clamp(cursor))
        self.scroll_to(y=max(0, self.cursor - self.size.height // 2), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.PaperHighlighted(self, self.current))

    def clear_cache(self) -> None:
        """Forget drawn rows; call when marks or decoration change."""
        self._cache.clear()
        self.refresh()

    @property
    def current(self) -> int | None:
        """Index (into papers) of the highlighted paper, or None when the list is empty."""
        return self.rows[self.cursor] if self.rows else None

    def row_of(self, index: int) -> int | None:
        """The row showing paper `index`, if any."""
        try:
            return self.rows.index(index)
        except ValueError:
            return None

    def _clamp(self, row: int) -> int:
        return max(0, min(row, len(self.rows) - 1)) if self.rows else 0

    def validate_cursor(self, row: int) -> int:
        return self._clamp(row)

    def watch_cursor(self, old: int, new: int) -> None:
        for row in (old, new):
            for focused in (False, True):
                self._cache.pop((row, focused, self.decoration_key), None)
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height or self.size.height
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif height and new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.PaperHighlighted(self, self.current))

    # -- movement (called by the app's actions) ---------------------------------------
    def move(self, delta: int) -> None:
        self.cursor = self._clamp(self.cursor + delta)

    def page(self, direction: int) -> None:
        self.move(direction * max(1, self.scrollable_content_region.height - 1))

    def first(self) -> None:
        self.cursor = 0

    def last(self) -> None:
        self.cursor = self._clamp(len(self.rows) - 1)

    # -- events -----------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_y) + event.y
        if 0 <= row < len(self.rows):
            self.cursor = row
            if event.chain >= 2:
                self.post_message(self.PaperClicked(self, self.rows[row]))

    def on_focus(self) -> None:
        self.clear_cache()

    def on_blur(self) -> None:
        self.clear_cache()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.clear_cache()

    # -- drawing ----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_y) + y
        base = self.rich_style
        if not self.rows:
            if y == 1:
                text = Text(" " + self.empty_text, style=self.get_component_rich_style("paper-list--empty"))
                return self._strip(text, width, base)
            return Strip.blank(width, base)
        if row >= len(self.rows):
            return Strip.blank(width, base)
        if width != self._cache_width:
            self._cache.clear()
            self._cache_width = width
        key = (row, self.has_focus, self.decoration_key)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._strip(self.row_text(row, width), width, base)
        return strip

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        text.end = ""
        segments = list(text.render(self.app.console))
        return Strip(segments).extend_cell_length(width).crop(0, width).apply_style(base)

    def row_text(self, row: int, width: int) -> Text:
        """One row: markers, title, first author, category and date, fitted to `width`."""
        index = self.rows[row]
        paper = self.papers[index]
        read = self.is_read(index)
        starred = self.is_starred(index)
        state = self.get_component_rich_style("paper-list--read" if read else "paper-list--unread")
        meta = self.get_component_rich_style("paper-list--meta")
        star = self.get_component_rich_style("paper-list--star")
        columns: list[tuple[str, int]] = []
        if width >= 64:
            columns.append((first_author(paper), min(24, width // 5)))
        if width >= 48:
            columns.append((paper.category, 9))
        date = paper.date or ""
        if width >= 100:
            columns.append((date, 10))
        elif width >= 56:
            columns.append((date[5:], 5))
        title_width = max(4, width - 4 - sum(w + 1 for _, w in columns))
        title = Text(one_line(render_latex(paper.title)) or paper.id, style=state)
        if self.decorate is not None:
            self.decorate(index, title)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(CURSOR_MARK if row == self.cursor else " ", style=state)
        line.append(READ_MARK if read else UNREAD_MARK, style=state)
        line.append(STAR_MARK if starred else " ", style=star)
        line.append(" ")
        line.append_text(title)
        for value, col_width in columns:
            cell = Text(one_line(value), style=meta)
            cell.truncate(col_width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(cell)
        if cell_len(line.plain) < width:
            line.append(" " * (width - cell_len(line.plain)))
        if row == self.cursor:
            line.stylize(self.get_component_rich_style("paper-list--cursor", partial=True))
        return line

    def line_segments(self, row: int, width: int) -> list[Segment]:
        """The segments of one row (for tests of alignment)."""
        return list(self._strip(self.row_text(row, width), width, Style()))
