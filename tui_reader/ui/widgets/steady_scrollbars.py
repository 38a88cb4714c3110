"""SteadyScrollbars: a ScrollView whose scrollbars are repainted when they change, not at every layout."""
from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget


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
        widget.vertical_scrollbar.display = needed  # type: ignore[attr-defined]
        self._scroll_update(size)
        widget.refresh(layout=True)  # type: ignore[attr-defined]

    def _scroll_update(self, virtual_size: Size) -> None:
        self._scrollbars_virtual = virtual_size
        super()._scroll_update(virtual_size)  # type: ignore[misc]
