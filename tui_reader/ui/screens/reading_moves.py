"""ReadingMoves: the main screen's keys that move through the papers or change the listing:
Space reads on, n/p the next unread, the reading queue, mark all read, sort, hide, triage and
the New node."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..library_view import ALL, FOR_YOU, STARRED
from ..new_papers import NEW
from ..state import SORT_NAMES

if TYPE_CHECKING:
    from ...core.state.queue import QueueMove
    from .pane_focus import PaneFocus
    from .panes_shown import PanesShown
    from .panes_host import PanesHost


class ReadingMoves:
    """What those keys do, on the screen that lists the papers."""

    def __init__(self, host: PanesHost, focus: PaneFocus, shown: PanesShown) -> None:
        self.host, self.focus, self.shown = host, focus, shown

    def _notify(self, text: str, timeout: float) -> None:
        self.host.app.notify(text, timeout=timeout, markup=False)

    def read_on(self) -> None:
        """Space: page through the paper; at its end mark it read and go to the next."""
        host = self.host
        pane = self.focus.focused()
        if pane is host.category_tree or self.focus.small_layout:
            if pane is host.category_tree:
                if not host.category_tree.toggle_current():  # Space opens or closes a day
                    host.category_tree.action_open()
            else:
                host.paper_list.action_open()
        elif host.detail.at_end:
            current = host.current_paper()
            if current is not None and not host.state.is_done(current.index):
                host.reader.mark_read([current.index], True)
            host.paper_list.move(1)
        else:
            host.detail.page(1)

    def jump_unread(self, step: int) -> None:
        """Next/previous unread paper in the list; past its end, in the next node with unread
        papers (like newsboat)."""
        host = self.host
        if host.view is None:
            return
        place = host.state.next_unread(host.paper_list.rows, host.paper_list.cursor, step)
        if place is None:
            self._notify("No more unread papers" + (" after this one." if step > 0 else " before this one."), 3)
        elif place[0] is None:
            host.paper_list.cursor = place[1]
        else:
            host.show_node(place[0], index=place[1])
            host.category_tree.select_key(place[0])

    def next_in_queue(self) -> None:
        """The next paper of the reading queue (from anywhere: the Starred node opens)."""
        host = self.host
        view = host.view
        if view is None or not view.queue:
            self._notify("The reading queue is empty: s stars a paper.", 3)
            return
        if host.current_key != STARRED:
            host.show_node(STARRED, index=view.queue[0])
            host.category_tree.select_key(STARRED)
        elif host.paper_list.cursor + 1 < len(host.paper_list.rows):
            host.paper_list.move(1)
        else:
            self._notify("That was the last paper of the queue.", 3)
            return
        self.focus.focus(host.paper_list)

    def queue_move(self, where: QueueMove) -> None:
        """K, J, T: the starred paper up, down or to the top of the reading queue."""
        host = self.host
        current = host.current_paper()
        view = host.view
        if current is None or view is None or current.index not in view.starred_at:
            self._notify("Only a starred paper has a place in the queue (s stars it).", 3)
            return
        if not host.reader.move_in_queue(current.paper.id, where):
            return
        self.shown.change(host.state.queue_reordered())  # the Starred node keeps its cursor
        position = view.queue.index(current.index) + 1
        self._notify(f"Queue position {position}/{len(view.queue)}", 2)

    def mark_all_read(self) -> None:
        """The node's unread papers read, once the person says yes."""
        host = self.host
        if host.view is None or host.current_key is None:
            return
        from .dialogs import ConfirmScreen

        indices = host.state.not_done(host.paper_list.rows)
        if not indices:
            self._notify("Every paper here is read already.", 3)
            return
        label = host.view.nodes[host.current_key].label
        count = len(indices)
        question = Text(f"Mark {count} unread {'paper' if count == 1 else 'papers'} of ")
        question.append(label, style="bold")
        question.append(" read?")

        def answered(yes: bool | None) -> None:
            if yes:
                host.reader.mark_read(indices, True)

        host.app.push_screen(ConfirmScreen(question), answered)

    def sort(self) -> None:
        """The next order of the list."""
        state = self.host.state
        self.shown.change(state.next_sort())
        self._notify(f"Sorted: {SORT_NAMES[state.listing.sort]}", 2)

    def hide_read(self) -> None:
        state = self.host.state
        self.shown.change(state.toggle_hide_read())
        self._notify("Read papers hidden" if state.listing.hide_read else "Read papers shown", 2)

    def show_hidden(self) -> None:
        """Show or hide the papers the [[hide]] rules hide."""
        state = self.host.state
        self.shown.change(state.toggle_show_hidden())
        count = len(state.hidden)
        self._notify(f"{count} hidden papers shown, with their reason" if state.listing.show_hidden
                     else f"{count} papers hidden by your [[hide]] rules", 3)

    def triage(self) -> None:
        """One paper at a time: the node's unread papers (For you's best first)."""
        host = self.host
        view, key, for_you = host.view, host.current_key, host.for_you
        if view is None or key is None:
            return
        from .triage import TriageScreen

        rows = host.state.not_done(host.state.rows_of(key))
        label = view.nodes[key].label
        if key == FOR_YOU and for_you.teaching:
            rows, label = for_you.teaching_rows(), "teaching For you"
        if not rows:
            self._notify("Nothing unread to triage here.", 3)
            return
        host.dwell.forget()
        host.app.push_screen(TriageScreen(view.papers, rows, label, about=for_you.about))

    def new_papers(self) -> None:
        """i: the New node (what arrived while the reader ran), else the newest day."""
        host = self.host
        if host.view is None:
            return
        nodes = host.view.nodes
        key = NEW if NEW in nodes else next((k for k in nodes if k.startswith("day:")), ALL)
        if key != NEW:
            self._notify("Nothing has arrived since the reader started; this is the library's newest day.", 5)
        host.category_tree.select_key(key)
        host.show_node(key)
        self.focus.focus(host.paper_list)
