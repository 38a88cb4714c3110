"""SteadyScrollbars: a ScrollView whose scrollbars are repainted when they change, not at every layout."""
from __future__ import annotations

from textual.geometry import Size


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

    def _scroll_update(self, virtual_size: Size) -> None:
        self._scrollbars_virtual = virtual_size
        super()._scroll_update(virtual_size)  # type: ignore[misc]
