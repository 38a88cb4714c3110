"""SteadyScrollbars: a ScrollView whose scrollbars are repainted when they change, not at every layout."""
from __future__ import annotations

from rich.color import Color
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

BAR_BACK = Color.parse("#555555")
BAR_COLOR = Color.parse("bright_magenta")
"""The colours Textual's ScrollBarRender falls back to when its style has none."""


class SteadyScrollbars:
    """Mixed into a ScrollView (before it in the bases). At every layout of the screen,
    Textual's ScrollView compares its own virtual size with the one the layout passes,
    which for a ScrollView is never the same, and so updates and repaints its scrollbars
    even when nothing about them changed: the detail pane's scrollbar coming or going
    repainted the tree's and the list's scrollbars too, one more frame spanning the screen
    for a key. Here the layout's update runs only when the size, the styles or the virtual
    size changed since the scrollbars were last updated (by a layout or by the widget)."""

    _scrollbars_for: tuple[object, ...] | None = None
    _scrollbars_virtual: Size | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        styles = self.styles  # type: ignore[attr-defined]
        state = (size, container_size, styles.overflow_x, styles.overflow_y, styles.scrollbar_size_vertical,
                 styles.scrollbar_size_horizontal, styles.scrollbar_gutter)
        if state == self._scrollbars_for and self._scrollbars_virtual == self.virtual_size:  # type: ignore[attr-defined]
            return bool(self.container_size != container_size)  # type: ignore[attr-defined]
        self._scrollbars_for = state
        return bool(super()._size_updated(size, virtual_size, container_size, layout))  # type: ignore[misc]

    def set_virtual_size(self, size: Size) -> None:
        """A new virtual size (rows of a list, lines of a paper). The screen is laid out only
        when the vertical scrollbar comes or goes, and then once: the scrollbar is set here
        as that layout would set it (left to the layout, it changed there, asked for a second
        layout, and was repainted a frame later). Otherwise the scrollbar is updated in
        place: a layout of the whole screen for each new list cost a search key its frame's
        reflow and a frame more for the scrollbar."""
        widget = self
        if not widget.is_mounted:  # type: ignore[attr-defined]
            widget.virtual_size = size  # type: ignore[attr-defined]
            return
        needed = size.height > widget.scrollable_content_region.height  # type: ignore[attr-defined]
        widget.set_reactive(Widget.virtual_size, size)  # type: ignore[attr-defined]
        if widget.styles.overflow_y != "auto" or needed == widget.show_vertical_scrollbar:  # type: ignore[attr-defined]
            self._scroll_update(size)
            widget.refresh()  # type: ignore[attr-defined]
            return
        widget.set_reactive(Widget.show_vertical_scrollbar, needed)  # type: ignore[attr-defined]
        widget.vertical_scrollbar.display = needed
        self._scroll_update(size)
        widget.refresh(layout=True)  # type: ignore[attr-defined]

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar (made when first asked for), a RepeatingScrollBar: made
        as Textual's Widget.vertical_scrollbar makes its own."""
        widget = self
        if widget._vertical_scrollbar is not None:  # type: ignore[attr-defined]
            return widget._vertical_scrollbar  # type: ignore[attr-defined]
        bar = RepeatingScrollBar(vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical)  # type: ignore[attr-defined]
        bar.display = False
        widget._vertical_scrollbar = bar  # type: ignore[attr-defined]
        widget.app._start_widget(widget, bar)  # type: ignore[attr-defined]
        return bar

    def _scroll_update(self, virtual_size: Size) -> None:
        self._scrollbars_virtual = virtual_size
        super()._scroll_update(virtual_size)  # type: ignore[misc]


class RepeatingScrollBar(ScrollBar):
    """A vertical scrollbar that paints a row it has painted before without Textual's
    styling of each row. A scrollbar's rows are one of a handful of cells (the track above
    and below the thumb, the thumb, its two end glyphs), but each row went through Textual's
    style cache (~80 µs) whenever the bar changed: the detail pane's bar changes with every
    paper, so 48 rows of it cost a `j` ~4 ms. Here each kind of cell is styled once by
    Textual itself and remembered (for the width, colours, filters and theme it was styled
    in), so a row looks exactly as Textual would paint it."""

    def __init__(self, vertical: bool = True, name: str | None = None, *, thickness: int = 1) -> None:
        super().__init__(vertical=vertical, name=name, thickness=thickness)
        self._painted: dict[Segment, Strip] = {}
        self._painted_in: tuple[object, ...] | None = None

    def render(self) -> RenderableType:
        renderable = super().render()
        parent = self.parent
        if (isinstance(renderable, ScrollBarRender) and isinstance(parent, Widget)
                and parent.styles.overflow_y == "scroll" and self.window_virtual_size <= self.window_size):
            # Nothing to scroll in a pane whose bar is always there (so its text keeps one
            # width from paper to paper): the track takes the pane's own background, and a
            # short paper looks as it would with no bar at all.
            renderable.style = Style(bgcolor=parent.background_colors[1].rich_color)
        return renderable

    def render_lines(self, crop: Region) -> list[Strip]:
        width, height = self.size
        renderable = self.render()
        if (not self.vertical or not isinstance(renderable, ScrollBarRender) or crop.column_span != (0, width)
                or not isinstance(renderable.style, Style)):
            return super().render_lines(crop)
        context = (width, height, self.background_colors, self.visual_style,
                   tuple(id(f) for f in self.get_line_filters()), self.app.theme, self.opacity)
        if context != self._painted_in:
            self._painted.clear()
            self._painted_in = context
        style = renderable.style
        rows = renderable.render_bar(
            size=height, virtual_size=renderable.virtual_size, window_size=renderable.window_size,
            position=renderable.position, thickness=width, vertical=True,
            back_color=style.bgcolor or BAR_BACK, bar_color=style.color or BAR_COLOR).segments
        painted = self._painted
        if len(rows) >= crop.bottom:
            known = [painted.get(rows[y]) for y in crop.line_range]
            if None not in known:
                return [strip for strip in known if strip is not None]
        # A row not painted before: every row is styled afresh by Textual (its caches may
        # hold rows of the bar as it was before its last change), and remembered.
        self._styles_cache.clear()
        self._render_content()
        strips: list[Strip] = super().render_lines(crop)
        if len(rows) >= crop.bottom:
            for y, strip in zip(crop.line_range, strips):
                painted[rows[y]] = strip
        return strips
