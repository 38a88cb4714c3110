"""The reader's movement actions: panes, cursor keys, Enter, Space, next/previous unread (a mixin of ReaderApp)."""
from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from ..core.model import Paper


class NavigationMixin:
    """Keys that move: each acts on the focused pane (tree, list or detail)."""

    def _focused_pane(self) -> Widget:
        focused = self._pending_focus or self.focused
        panes = self.panes()
        return focused if focused in panes else self.paper_list

    def _move_focus(self, step: int, wrap: bool) -> None:
        panes = self.panes()
        position = panes.index(self._focused_pane()) + step
        if wrap:
            position %= len(panes)
        self.focus_pane(panes[max(0, min(position, len(panes) - 1))])

    def focus_pane(self, target: Widget) -> None:
        """Give a pane the focus now, so the next key typed goes to it."""
        if self.small_layout:
            # The tree takes the whole window while focused; a hidden widget cannot take
            # the focus, so show it first and focus after the refresh.
            self.screen.set_class(target is self.tree, "-show-tree")
            self._pending_focus = target
            self.call_after_refresh(self.set_focus, target)
            return
        # set_focus at once: Widget.focus() waits for the next turn, and a second key typed
        # quickly (h then k) would still go to the pane being left.
        self.set_focus(target)

    def action_next_pane(self) -> None:
        self._move_focus(1, wrap=True)

    def action_previous_pane(self) -> None:
        self._move_focus(-1, wrap=True)

    def action_pane_left(self) -> None:
        self._move_focus(-1, wrap=False)

    def action_pane_right(self) -> None:
        self._move_focus(1, wrap=False)

    def _move(self, list_move: Callable[[], None], tree_action: str, detail_move: Callable[[], None]) -> None:
        pane = self._focused_pane()
        if pane is self.tree:
            getattr(self.tree, f"action_{tree_action}")()
        elif pane is self.detail:
            detail_move()
        else:
            with self.batch_update():  # the row and the detail pane change in one frame
                list_move()
                self.show_paper(self.paper_list.current)

    def action_cursor_down(self) -> None:
        self._move(lambda: self.paper_list.move(1), "cursor_down",
                   lambda: self.detail.scroll_down(animate=False))

    def action_cursor_up(self) -> None:
        self._move(lambda: self.paper_list.move(-1), "cursor_up",
                   lambda: self.detail.scroll_up(animate=False))

    def action_first(self) -> None:
        self._move(self.paper_list.first, "scroll_home", lambda: self.detail.scroll_home(animate=False))

    def action_last(self) -> None:
        self._move(self.paper_list.last, "scroll_end", lambda: self.detail.scroll_end(animate=False))

    def action_page_down(self) -> None:
        self._move(lambda: self.paper_list.page(1), "page_down",
                   lambda: self.detail.scroll_page_down(animate=False))

    def action_page_up(self) -> None:
        self._move(lambda: self.paper_list.page(-1), "page_up",
                   lambda: self.detail.scroll_page_up(animate=False))

    def action_open(self) -> None:
        """Enter: on the tree open the node (or its day); on the list open the paper."""
        pane = self._focused_pane()
        if pane is self.tree:
            if not self.tree.toggle_current():
                self.focus_pane(self.paper_list)
            return
        current = self.current_paper()
        if current is None:
            return
        if self.small_layout:
            self._open_full_screen(*current)
        else:
            self.focus_pane(self.detail)

    def _open_full_screen(self, index: int, paper: Paper) -> None:
        from .screens.paper import PaperScreen

        mark = self.marks.get(paper.id)
        self.push_screen(PaperScreen(paper, index, mark.note if mark else "", mark.tags if mark else ()))
        if self.config.auto_read_delay is not None and self.view is not None and not self.view.read[index]:
            self._auto_read_timer = self.set_timer(self.config.auto_read_delay, lambda: self._auto_read(index))

    def action_read_on(self) -> None:
        """Space: page through the paper; at its end go to the next paper."""
        pane = self._focused_pane()
        if pane is self.tree:
            self.action_open()
        elif self.small_layout:
            self.action_open()
        elif self.detail.at_end:
            self.paper_list.move(1)
        else:
            self.detail.scroll_page_down(animate=False)

    def action_next_unread(self) -> None:
        self._jump_unread(1)

    def action_previous_unread(self) -> None:
        self._jump_unread(-1)

    def _jump_unread(self, step: int) -> None:
        """Next/previous unread paper in the list; past its end, in the next node with unread
        papers (like newsboat)."""
        view = self.view
        if view is None:
            return
        rows = self.paper_list.rows
        cursor = self.paper_list.cursor
        positions = range(cursor + 1, len(rows)) if step > 0 else range(cursor - 1, -1, -1)
        for row in positions:
            if not view.read[rows[row]]:
                self.paper_list.cursor = row
                return
        order = view.browse_order()
        if self.current_key in order:
            start = order.index(self.current_key)
            candidates = order[start + 1:] if step > 0 else order[:start][::-1]
            for key in candidates:
                papers = [i for i in view.papers_of(key) if not view.read[i]]
                if papers:
                    target = papers[0] if step > 0 else papers[-1]
                    self.show_node(key, index=target)
                    self.tree.select_key(key)
                    return
        self.notify("No more unread papers" + (" after this one." if step > 0 else " before this one."),
                    timeout=3, markup=False)
