"""PaperList: the middle pane, one row per paper, drawn line by line (fast at 50,000 rows)."""
from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.dom import NoScreen
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import Paper
from ...core.formats.text import one_line, render_latex, steady_width
from .steady_scrollbars import SteadyScrollbars
from ..keys import LIST, PANE, bindings

UNREAD_MARK, READ_MARK, STAR_MARK, DISMISSED_MARK = "●", " ", "★", "✗"
SCORE_BARS = " ▁▂▃▄▅▆▇█"


def score_bar(score: float) -> str:
    """One cell for a 0..1 score: a higher bar for a better paper."""
    return SCORE_BARS[max(1, min(len(SCORE_BARS) - 1, round(score * (len(SCORE_BARS) - 1))))]
CACHED_ROWS = 1024
"""Drawn rows kept (a few screens' worth; stale versions are pushed out first)."""
CURSOR_MARK, BLURRED_CURSOR_MARK = "▶", "▷"
"""Lead the cursor row, so it shows without colour (NO_COLOR, 16-colour themes); the
hollow one while another pane has the focus."""


def first_author(paper: Paper) -> str:
    """'Ada Reader et al.' style author column."""
    if not paper.authors:
        return ""
    return paper.authors[0] + (" et al." if len(paper.authors) > 1 else "")


def row_columns(width: int, with_year: bool = False) -> tuple[int, int, int]:
    """(author, category, date) column widths for a list `width` cells wide; 0 = not shown.
    The title keeps at least ~40 cells once the list is 80 wide, and every column grows
    steadily with the width. `with_year`: the papers span several years, so a date shown
    is shown whole (12-25 alone would not say which December)."""
    date = 10 if width >= 110 or (with_year and width >= 56) else 5 if width >= 56 else 0
    category = 9 if width >= 48 else 0
    author = min(28, max(12, (width - 60) // 2)) if width >= 72 else 0
    return author, category, date


class PaperList(SteadyScrollbars, ScrollView, can_focus=True, inherit_bindings=False):
    """The papers of the selected node. It owns its movement keys, the cursor, scrolling
    and drawing, and posts what happened (PaperHighlighted, PaperOpened, PaperClicked).
    Rows are cached as Strips, keyed on the owner's `data_version` and the decoration (a
    change of marks or scores misses), and bounded; the rows, the width or the focus clear it."""

    BINDINGS = bindings(PANE, LIST, footer=("open",))

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
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; color: auto 100%; }
    PaperList:focus > .paper-list--cursor { background: $block-cursor-background; color: auto 100%; }
    PaperList > .paper-list--unread { text-style: bold; }
    PaperList > .paper-list--read { color: $text-muted; }
    PaperList > .paper-list--star { color: $warning; }
    PaperList > .paper-list--meta { color: $text-muted; }
    PaperList > .paper-list--empty { color: $text-muted; text-style: italic; }
    PaperList > .paper-list--watched { color: $accent; text-style: underline; }
    PaperList:nocolor > .paper-list--cursor { text-style: underline; }
    PaperList:nocolor:focus > .paper-list--cursor { text-style: reverse; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)
    """Row of the highlighted paper (watch_cursor repaints what the move changed)."""
    data_version: reactive[object] = reactive(None, always_update=False, init=False)
    """What the rows' marks, scores and styling depend on (the owner's version counters,
    ReaderState.versions): part of the row cache key, so after a change every row misses
    and is drawn again (a change repaints the list)."""

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

    class PaperOpened(Message):
        """Enter on a paper (the screen opens it)."""

        def __init__(self, paper_list: PaperList, index: int) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.index = index

        @property
        def control(self) -> PaperList:
            return self.paper_list

    class PaperClicked(PaperOpened):
        """A row was double-clicked (the screen opens the paper as for Enter)."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.papers: list[Paper] = []
        self.rows: list[int] = []
        self.is_done: Callable[[int], bool] = lambda i: False
        """Read or dismissed: drawn as read (the dismissed with their own mark)."""
        self.is_starred: Callable[[int], bool] = lambda i: False
        self.score_of: Callable[[int], float | None] = lambda i: None
        """For you's score of a paper (0..1), drawn as a bar before its title; None: no bar."""
        self.show_scores = False
        self.badge_of: Callable[[int], str | None] = lambda i: None
        """One cell drawn instead of the score bar when given (For you's likely/maybe/unlikely)."""
        self.is_dismissed: Callable[[int], bool] = lambda i: False
        self.decorate: Callable[[int, Text], None] | None = None
        """Hook that may style a row's title (search matches, watch list)."""
        self.empty_text = "No papers here."
        self.decoration_key: object = None
        """What `decorate` depends on besides the row (the search terms): part of the row cache key."""
        self._cache: dict[tuple[int, bool, object, object], Strip] = {}
        self._cache_width = -1
        self.spans_years = False
        """The papers' dates fall in more than one year: dates are shown with their year."""
        self._years_of: tuple[int, int] = (0, -1)
        self._frame: tuple[int, Style, bool] | None = None
        """(width, style, focused) while a frame is drawn (render_lines)."""

    # -- data -------------------------------------------------------------------------
    def set_rows(self, papers: list[Paper], rows: list[int], cursor: int = 0, spans_years: bool | None = None) -> None:
        """Show `rows` (indices into `papers`) with the cursor on row `cursor`; `spans_years`:
        whether the papers' dates fall in more than one year, when the caller knows
        (LibraryView.spans_years), else found here once per library."""
        if spans_years is not None:
            self._years_of = (id(papers), len(papers))
            self.spans_years = spans_years
        elif (id(papers), len(papers)) != self._years_of:  # once per library, not per node
            self._years_of = (id(papers), len(papers))
            self.spans_years = len({paper.date[:4] for paper in papers if paper.date}) > 1
        self.papers = papers
        self.rows = rows
        self.set_virtual_size(Size(self.size.width, len(rows)))
        self.clear_cache()
        self.set_reactive(PaperList.cursor, self._clamp(cursor))
        self.scroll_to_cursor(center=True)
        self.refresh()
        self._post_highlighted()

    def scroll_to_cursor(self, center: bool = False) -> None:
        """Bring the cursor row on screen (centred when asked, or when it is off screen)."""
        height = self.scrollable_content_region.height or self.size.height
        top = int(self.scroll_y)
        if not height:
            self.call_after_refresh(self.scroll_to_cursor, center)  # laid out in a moment
            return
        if center or not top <= self.cursor < top + height:
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)

    def clear_cache(self) -> None:
        """Forget drawn rows; call when marks or decoration change."""
        self._cache.clear()
        self.refresh()

    @property
    def current(self) -> int | None:
        """Index (into papers) of the highlighted paper, or None when the list is empty."""
        return self.rows[self.cursor] if self.rows else None

    def listed(self) -> list[Paper]:
        """The papers of the rows, in the list's order (what an export of the list writes)."""
        papers = self.papers
        return [papers[index] for index in self.rows]

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
                self._cache.pop((row, focused, self.decoration_key, self.data_version), None)
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height or self.size.height
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif height and new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        if int(self.scroll_y) == top:
            # Only the two rows that lost and gained the cursor: a whole-list refresh
            # re-rendered every visible row through Textual's style cache at each key.
            self.refresh_line(old)
            self.refresh_line(new)
        else:
            self.refresh()
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        """Tell the screen which paper the cursor is on. Posted to the screen itself, ahead
        of this list's repaint of its rows: bubbling up through the three containers let
        the screen paint the rows alone first, and the paper a frame later (frames are at
        least 1/60 s apart), so a key waited for two frames."""
        message = self.PaperHighlighted(self, self.current)
        try:
            self.screen.post_message(message)
        except NoScreen:
            self.post_message(message)

    # -- keys -------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.move(1)

    def action_cursor_up(self) -> None:
        self.move(-1)

    def action_first(self) -> None:
        self.first()

    def action_last(self) -> None:
        self.last()

    def action_page_down(self) -> None:
        self.page(1)

    def action_page_up(self) -> None:
        self.page(-1)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.PaperOpened(self, self.current))

    # -- movement -----------------------------------------------------------------------
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
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()  # a theme switch changes every row's colours

    # -- drawing ----------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The list's width, style and focus once a frame, not once a row: each is looked up
        # through the screen's map or every ancestor's styles.
        self._frame = self._frame_values()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_values(self) -> tuple[int, Style, bool]:
        return self.scrollable_content_region.width, self.rich_style, self.has_focus

    def render_line(self, y: int) -> Strip:
        width, base, focused = self._frame or self._frame_values()
        row = int(self.scroll_y) + y
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
        key = (row, focused, self.decoration_key, self.data_version)
        strip = self._cache.get(key)
        if strip is None:
            if len(self._cache) >= CACHED_ROWS:
                del self._cache[next(iter(self._cache))]  # the oldest: the cache stays bounded
            strip = self._cache[key] = self._strip(self.row_text(row, width), width, base)
        return strip

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        text.end = ""
        # One Strip from the finished segments (each Strip made costs seven caches).
        segments = Segment.adjust_line_length(list(text.render(self.app.console)), width)
        return Strip(Segment.apply_style(segments, base), width)

    def row_text(self, row: int, width: int) -> Text:
        """One row: markers, title, first author, category and date, fitted to `width`."""
        index = self.rows[row]
        paper = self.papers[index]
        read = self.is_done(index)
        starred = self.is_starred(index)
        state = self.get_component_rich_style("paper-list--read" if read else "paper-list--unread")
        meta = self.get_component_rich_style("paper-list--meta")
        star = self.get_component_rich_style("paper-list--star")
        author_width, category_width, date_width = row_columns(width, self.spans_years)
        date = paper.date or ""
        columns: list[tuple[str, int]] = []
        if author_width:
            columns.append((first_author(paper), author_width))
        if category_width:
            columns.append((paper.category, category_width))
        if date_width:
            columns.append((date if date_width >= 10 else date[5:], date_width))
        title_width = max(4, width - 4 - (2 if self.show_scores else 0) - sum(w + 1 for _, w in columns))
        title = Text(steady_width(one_line(render_latex(paper.title))) or paper.id, style=state)
        if self.decorate is not None:
            self.decorate(index, title)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True, overflow="ellipsis")
        cursor_mark = CURSOR_MARK if self.has_focus else BLURRED_CURSOR_MARK
        line.append(cursor_mark if row == self.cursor else " ", style=state)
        line.append(DISMISSED_MARK if self.is_dismissed(index) else READ_MARK if read else UNREAD_MARK,
                    style=state)
        line.append(STAR_MARK if starred else " ", style=star)
        line.append(" ")
        if self.show_scores:
            score = self.score_of(index)
            badge = self.badge_of(index)
            line.append(badge or (score_bar(score) if score is not None else " "), style=meta)
            line.append(" ")
        line.append_text(title)
        for value, col_width in columns:
            cell = Text(steady_width(one_line(value)), style=meta)
            cell.truncate(col_width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(cell)
        if cell_len(line.plain) < width:
            line.append(" " * (width - cell_len(line.plain)))
        if row == self.cursor:
            line.stylize(self.get_component_rich_style("paper-list--cursor"))  # full: "auto" text resolves against the cursor's own background
        return line

    def line_segments(self, row: int, width: int) -> list[Segment]:
        """The segments of one row (for tests of alignment)."""
        return list(self._strip(self.row_text(row, width), width, Style()))
