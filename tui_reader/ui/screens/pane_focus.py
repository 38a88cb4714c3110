"""PaneFocus: which of the main screen's panes are shown at the terminal's size, which has the
focus, and moving it (Tab, h/l, the tree's toggle), so that a key typed right after goes to
the pane it was meant for."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

    from .panes_host import PanesHost

MIN_WIDTH, MIN_HEIGHT = 40, 10
"""Below this the reader shows a message instead of the panes."""
SMALL_WIDTH, SMALL_HEIGHT = 60, 20
"""Below this only the list is shown and Enter opens a paper full screen."""
FULL_SCREEN_WIDTH, FULL_SCREEN_HEIGHT = 100, 24
"""Below this Enter on the list opens the paper full screen (as mutt opens a message): the
detail pane under the list has too few rows to read in."""
WIDE_WIDTH = 140
"""From this width the detail pane sits beside the list instead of below it."""


class PaneFocus:
    """The panes' focus on one screen (the tree, the list, the detail pane)."""

    def __init__(self, host: PanesHost) -> None:
        self.host = host
        self.pending: Widget | None = None
        """The pane given the focus after the next refresh (a small terminal shows it first)."""

    @property
    def small_layout(self) -> bool:
        """Only the list is visible; Enter opens papers full screen."""
        width, height = self.host.app.size
        return width < SMALL_WIDTH or height < SMALL_HEIGHT

    def opens_full_screen(self) -> bool:
        """Enter on the list opens the paper full screen: the detail pane is hidden or too small."""
        width, height = self.host.app.size
        return self.small_layout or width < FULL_SCREEN_WIDTH or height < FULL_SCREEN_HEIGHT

    def panes(self) -> list[Widget]:
        """The panes that can take the focus, left to right."""
        host = self.host
        tree_shown = not host.has_class("-no-tree")
        panes: list[Widget] = [host.category_tree] if tree_shown or self.small_layout else []
        panes.append(host.paper_list)
        if not self.small_layout:
            panes.append(host.detail)
        return panes

    def focused(self) -> Widget:
        """The pane with the focus (or about to have it); the list when none has."""
        focused = self.pending or self.host.app.focused
        return focused if focused in self.panes() else self.host.paper_list

    def step(self, step: int, *, wrap: bool) -> None:
        """The pane `step` places to the right (left when negative), around when `wrap`."""
        panes = self.panes()
        position = panes.index(self.focused()) + step
        if wrap:
            position %= len(panes)
        self.focus(panes[max(0, min(position, len(panes) - 1))])

    def focus(self, target: Widget) -> None:
        """Give a pane the focus now, so the next key typed goes to it."""
        host = self.host
        if self.small_layout:
            # The tree takes the whole window while focused; a hidden widget cannot take
            # the focus, so show it first and focus after the refresh.
            host.set_class(target is host.category_tree, "-show-tree")
            self.pending = target
            host.call_after_refresh(host.app.set_focus, target)
            return
        # set_focus at once: Widget.focus() waits for the next turn, and a second key typed
        # quickly (h then k) would still go to the pane being left.
        host.app.set_focus(target)

    def toggle_tree(self) -> None:
        """Hide or show the category tree (the list takes the focus from a hidden tree)."""
        host = self.host
        hidden = not host.has_class("-no-tree")
        host.set_class(hidden, "-no-tree")
        if hidden and host.app.focused is host.category_tree:
            self.focus(host.paper_list)

    def focus_arrived(self) -> None:
        """A pane took the focus: on a small terminal the tree covers the window while it has it."""
        self.pending = None
        host = self.host
        host.set_class(self.small_layout and host.app.focused is host.category_tree, "-show-tree")

    def resized(self) -> None:
        """The terminal's size changed: the tree covers a small one only while focused, and a
        pane the new size hides gives the focus back to the list."""
        host = self.host
        focused = host.app.focused
        host.set_class(self.small_layout and focused is host.category_tree, "-show-tree")
        if (self.small_layout and focused is host.detail) or focused is None:
            # Too small a terminal hid every pane and took the focus; give it back.
            host.call_after_refresh(host.app.set_focus, host.paper_list)

    def paper_looked_at(self) -> int | None:
        """The paper a person is looking at (for the dwell rule): under the list cursor while
        the list or the detail pane has the focus (both on screen), or open full screen; else None."""
        from .paper import PaperScreen

        host = self.host
        if host.is_active:  # in front
            if host.view is None or self.small_layout or host.app.focused not in (host.paper_list, host.detail):
                return None
            return host.paper_list.current
        screen = host.app.screen
        return screen.shown.index if isinstance(screen, PaperScreen) else None

    def mount_footer(self) -> None:
        """After the first frame: the Footer in the row kept for it (~5 ms saved at start)."""
        from textual.widgets import Footer, Static

        room = self.host.query_one("#footer-room", Static)
        footer = Footer(show_command_palette=False)  # ^p still opens the palette
        self.host.mount(footer, before=room)
        room.remove()
        # The focus was given before the Footer listened: it asks for the keys once mounted.
        footer.call_later(footer.refresh_bindings)
