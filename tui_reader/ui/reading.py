"""Reading: the reader's marks and undo as a plain object over a Store (no Textual)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.state.store import Mark, Store, StoreBusy, StoreError

if TYPE_CHECKING:
    from ..core.state.queue import QueueMove

UNDO_DEPTH = 100


@dataclass(slots=True)
class UndoStep:
    """Marks (and the queue's order, when the step changed it) as they were before one
    marking, and what that marking was."""

    description: str
    marks: list[Mark]
    queue: list[str] | None = None


class MarkingFailed(Exception):
    """A store call failed; the message says why in one line (nothing changed)."""


class MarkingPending(Exception):
    """Another program holds the state file: the change is kept and tried again
    (retry_pending) until it is saved."""


@dataclass(slots=True)
class PendingChange:
    """A change the store was too busy to take: it is made, in order, once it is free."""

    description: str
    ids: list[str]
    change: Callable[[], None]
    undoable: bool
    keeps_queue: bool


class Reading:
    """Every change of marks goes through here: one store call, committed before the
    caller shows it; the previous marks are kept for undo. `marks` is replaced (never
    changed in place) on every change: the search index caches per mapping."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.marks: dict[str, Mark] = {}
        self.undo_steps: list[UndoStep] = []
        self.version = 0
        """Bumped by every change, so a view built from older marks can be brought up to date."""
        self.pending: list[PendingChange] = []
        """Changes waiting for another program to let go of the state file, oldest first."""

    # -- reading the state --------------------------------------------------------------
    def load(self) -> dict[str, Mark]:
        """Every stored mark (at start, or after another process changed the state)."""
        self.marks = self.store.marks()
        self.version += 1
        return self.marks

    def get(self, paper_id: str) -> Mark:
        return self.marks.get(paper_id) or Mark(paper_id)

    def queue(self) -> list[str]:
        """Ids of the starred papers in reading-queue order."""
        return self.store.queue()

    # -- changing it --------------------------------------------------------------------
    def _write(self, description: str, ids: list[str], change: Callable[[], None],
               undoable: bool = True, *, keeps_queue: bool = False) -> list[Mark]:
        """Run one store call; remember the marks (and with `keeps_queue` the queue's order)
        before it for undo; return the marks after. While changes are pending, a new one
        waits behind them (the order of marks is kept)."""
        pending = PendingChange(description, ids, change, undoable, keeps_queue)
        if self.pending:
            self.pending.append(pending)
            raise MarkingPending(description)
        try:
            return self._apply(pending)
        except StoreBusy:
            self.pending.append(pending)
            raise MarkingPending(description) from None

    def retry_pending(self) -> list[Mark]:
        """Make the pending changes the store now takes, in order; the marks they changed.
        Stops at the first that is still refused as busy (it stays pending)."""
        saved: list[Mark] = []
        while self.pending:
            try:
                saved.extend(self._apply(self.pending[0]))
            except StoreBusy:
                break
            self.pending.pop(0)
        return saved

    def _apply(self, pending: PendingChange) -> list[Mark]:
        description, ids, change = pending.description, pending.ids, pending.change
        undoable, keeps_queue = pending.undoable, pending.keeps_queue
        try:
            before = self._stored(ids)
            queue = self.store.queue() if keeps_queue else None
            change()
            after = self._stored(ids)
        except StoreBusy:
            raise
        except StoreError as err:
            raise MarkingFailed(str(err)) from None
        if undoable:
            self.undo_steps.append(UndoStep(description, before, queue))
            del self.undo_steps[:-UNDO_DEPTH]
        self._take(after)
        return after

    def _stored(self, ids: list[str]) -> list[Mark]:
        """The stored marks of `ids`: one query each for a few, one read of all for many."""
        if len(ids) <= 50:
            return [self.store.get(paper_id) for paper_id in ids]
        stored = self.store.marks()
        return [stored.get(paper_id) or Mark(paper_id) for paper_id in ids]

    def _take(self, marks: Iterable[Mark]) -> None:
        self.marks = {**self.marks, **{mark.id: mark for mark in marks}}
        self.version += 1

    def set_read(self, ids: list[str], read: bool, *, automatic: bool = False) -> list[Mark]:
        word = "read" if read else "unread"
        what = "the paper" if len(ids) == 1 else f"{len(ids)} papers"
        description = f"marked {what} {word}" + (" automatically" if automatic else "")
        return self._write(description, ids, lambda: self.store.set_read(ids, read))

    def set_starred(self, paper_id: str, starred: bool) -> list[Mark]:
        # Undoing an unstar puts the paper back in its place in the queue.
        return self._write("starred" if starred else "unstarred", [paper_id],
                           lambda: self.store.set_starred([paper_id], starred), keeps_queue=True)

    def set_dismissed(self, paper_id: str, dismissed: bool) -> list[Mark]:
        return self._write("dismissed as not interesting" if dismissed else "no longer dismissed", [paper_id],
                           lambda: self.store.set_dismissed([paper_id], dismissed))

    def set_note(self, paper_id: str, note: str) -> list[Mark]:
        return self._write("note", [paper_id], lambda: self.store.set_note(paper_id, note))

    def set_tags(self, paper_id: str, tags: list[str]) -> list[Mark]:
        return self._write("tags", [paper_id], lambda: self.store.set_tags(paper_id, tags))

    def move_in_queue(self, paper_id: str, where: QueueMove) -> list[Mark]:
        """Move a starred paper up, down or to the top of the queue (undoable)."""
        words = {"up": "moved up the queue", "down": "moved down the queue", "top": "moved to the top of the queue"}
        return self._write(words[where], [paper_id], lambda: self.store.move_in_queue(paper_id, where),
                           keeps_queue=True)

    def undo(self) -> tuple[str, list[Mark]] | None:
        """Put back the marks of the last change: (its description, the marks now), or None
        when there is nothing to undo."""
        if not self.undo_steps:
            return None
        step = self.undo_steps.pop()
        try:
            self.store.restore(step.marks)
            if step.queue is not None:
                self.store.set_queue_order(step.queue)
            after = self._stored([mark.id for mark in step.marks])
        except StoreError as err:
            self.undo_steps.append(step)
            raise MarkingFailed(str(err)) from None
        self._take(after)
        return step.description, after
