"""Marking: one change of marks through the state (the store, undo, pending writes), told
to the screens as a MarksChanged message; a change the store was too busy for is retried."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...core.formats.text import strip_controls
from ...core.state.store import Mark
from ..messages import MarksChanged
from ..reading import MarkingFailed, MarkingPending
from ..state import ReaderState

if TYPE_CHECKING:
    from textual.timer import Timer

    from ..messages import ServiceHost

QUIT_BUSY_WAIT_MS = 5000
"""At quit, how long the pending marks wait for another program's lock (as a command would)."""


class Marking:
    """Runs marking changes for the app's keys and the triage screen; `deliver` hands each
    MarksChanged to the screens that show marks."""

    def __init__(self, host: ServiceHost, state: ReaderState, notify: Callable[..., Any],
                 deliver: Callable[[MarksChanged], None], retry_seconds: float) -> None:
        self.host, self.state, self.notify, self.deliver = host, state, notify, deliver
        self.retry_seconds = retry_seconds
        self._pending_timer: Timer | None = None

    def changed(self, marks: list[Mark], *, queue: bool = False) -> None:
        """Mirror saved marks in the state and tell the screens (`queue`: the reading queue's
        order may have changed too)."""
        changed = self.state.marks_saved(marks)
        if queue:
            changed = changed | self.state.queue_reordered()
        self.deliver(MarksChanged(changed, marks, by_hand=True))

    def run(self, change: Callable[[], list[Mark]], failure: str = "Not saved") -> bool:
        """Make one change of marks and show it everywhere; False (with a message) when it
        failed or is pending."""
        try:
            marks = change()
        except MarkingPending as pending:
            self.notify(f"Pending ({pending}): another program is writing the state file; "
                        "it is saved as soon as the file is free.", severity="warning", timeout=4, markup=False)
            if self._pending_timer is None:
                self._pending_timer = self.host.set_interval(self.retry_seconds, self._retry_pending)
            return False
        except MarkingFailed as err:
            self.notify(f"{failure}: {strip_controls(str(err))}", severity="error", markup=False)
            return False
        self.changed(marks)
        return True

    def _retry_pending(self) -> None:
        reading = self.state.reading
        try:
            marks = reading.retry_pending()
        except MarkingFailed as err:
            reading.pending.clear()
            self.notify(f"Not saved: {strip_controls(str(err))}", severity="error", markup=False)
            marks = []
        if marks:
            self.changed(marks, queue=True)
        if not reading.pending and self._pending_timer is not None:
            self._pending_timer.stop()
            self._pending_timer = None
            self.notify("The pending marks are saved.", timeout=3, markup=False)

    def undo(self) -> bool:
        """Put back the marks of the last change (saying what was undone); False when there
        was nothing to undo or it failed."""
        try:
            undone = self.state.reading.undo()
        except MarkingFailed as err:
            self.notify(f"Not undone: {strip_controls(str(err))}", severity="error", markup=False)
            return False
        if undone is None:
            self.notify("Nothing to undo.", timeout=3, markup=False)
            return False
        description, marks = undone
        self.changed(marks, queue=True)
        self.notify(f"Undone: {description}", timeout=3, markup=False)
        return True

    def save_pending_at_quit(self) -> None:
        """At quit, wait as long as a command would for the file to save what is pending."""
        reading = self.state.reading
        if reading.pending:
            reading.store.wait_at_most(QUIT_BUSY_WAIT_MS)
            try:
                reading.retry_pending()
            except MarkingFailed:
                pass
