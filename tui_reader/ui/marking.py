"""The reader's marking actions: read, star, mark all, undo, note, tags, links (a mixin of ReaderApp)."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text

from ..core.model import abs_url
from ..core.store import Mark, Store, StoreError
from ..core.text import strip_controls
from .memory_store import MemoryStore

UNDO_DEPTH = 100


@dataclass(slots=True)
class UndoStep:
    """Marks as they were before one marking, and what that marking was."""

    description: str
    marks: list[Mark]


def over_ssh() -> bool:
    """True when the reader runs in an SSH session (a browser would open on the server)."""
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


class MarkingMixin:
    """Actions that change marks. Every change is one store call, committed before the
    tree counts, list rows and detail pane show it."""

    def _init_marking(self) -> None:
        self.store: Store | MemoryStore = MemoryStore()
        self.marks: dict[str, Mark] = {}
        self.undo_steps: list[UndoStep] = []

    def _open_store(self) -> None:
        try:
            self.store = Store.open(self.app_paths.state_file, repair=self.repair)
        except StoreError as err:
            self.store = MemoryStore()
            self.notify(f"Reading state unavailable: {strip_controls(str(err))}. "
                        "Marks made now will not be kept.", severity="error", timeout=15, markup=False)
            return
        if self.store.notice:
            self.notify(strip_controls(self.store.notice), severity="warning", timeout=15, markup=False)

    def _close_store(self) -> None:
        try:
            self.store.close()
        except StoreError:
            pass

    def poll_store(self) -> None:
        """Another process (tui-reader mark, a second reader) changed the state: reload it."""
        if self.view is None:
            return
        try:
            if not self.store.changed_elsewhere():
                return
            marks = self.store.marks()
        except StoreError:
            return
        self._apply_all_marks(marks)

    def _apply_all_marks(self, marks: dict[str, Mark]) -> None:
        self.marks = marks
        self._marks_version += 1
        self.view.set_marks([m.id for m in marks.values() if m.read],
                            {m.id: m.starred_at for m in marks.values() if m.starred_at})
        self.tree.refresh_counts()
        self.paper_list.clear_cache()
        self.marks_changed()

    def _write(self, description: str, ids: list[str], change: Callable[[], None],
               undoable: bool = True) -> bool:
        """Run one store call; on success remember the previous marks for undo and
        mirror the new marks into the view. False (with a message) when it failed."""
        try:
            before = self._current_marks(ids)
            change()
            after = self._current_marks(ids)
        except StoreError as err:
            self.notify(f"Not saved: {strip_controls(str(err))}", severity="error", markup=False)
            return False
        if undoable:
            self.undo_steps.append(UndoStep(description, before))
            del self.undo_steps[:-UNDO_DEPTH]
        self._mirror(after)
        return True

    def _current_marks(self, ids: list[str]) -> list[Mark]:
        """The stored marks of `ids`: one query each for a few, one read of all for many
        (marking a whole node of thousands of papers stays quick)."""
        if len(ids) <= 50:
            return [self.store.get(paper_id) for paper_id in ids]
        stored = self.store.marks()
        return [stored.get(paper_id) or Mark(paper_id) for paper_id in ids]

    def _mirror(self, marks: list[Mark]) -> None:
        with self.batch_update():  # tree counts, row and detail change in one repaint
            self._mirror_marks(marks)

    def _mirror_marks(self, marks: list[Mark]) -> None:
        changed: set[str] = set()
        # A new mapping, never changed in place: the search index caches per mapping.
        self.marks = {**self.marks, **{mark.id: mark for mark in marks}}
        self._marks_version += 1
        for mark in marks:
            index = self.view.index.get(mark.id)
            if index is not None:
                changed.update(self.view.set_read(index, mark.read))
                changed.update(self.view.set_starred(index, mark.starred_at))
        self.tree.refresh_counts(changed)
        self.paper_list.clear_cache()
        self.marks_changed()

    def mark_read(self, indices: list[int], read: bool, *, undoable: bool = True) -> bool:
        """Mark papers read or unread."""
        ids = [self.view.papers[i].id for i in indices]
        word = "read" if read else "unread"
        return self._write(f"marked {len(ids)} {word}", ids, lambda: self.store.set_read(ids, read), undoable)

    # -- actions --------------------------------------------------------------------------
    def action_toggle_read(self) -> None:
        current = self.current_paper()
        if current is None:
            return
        index = current[0]
        if self._auto_read_timer is not None:  # a paper marked unread by hand stays unread
            self._auto_read_timer.stop()
            self._auto_read_timer = None
        self.mark_read([index], not self.view.read[index])

    def action_toggle_star(self) -> None:
        current = self.current_paper()
        if current is None:
            return
        index, paper = current
        starred = index not in self.view.starred_at
        self._write("starred" if starred else "unstarred", [paper.id],
                    lambda: self.store.set_starred([paper.id], starred))

    def action_mark_all_read(self) -> None:
        if self.view is None or self.current_key is None:
            return
        from .screens.dialogs import ConfirmScreen

        indices = [i for i in self.paper_list.rows if not self.view.read[i]]
        if not indices:
            self.notify("Every paper here is read already.", timeout=3, markup=False)
            return
        label = self.view.nodes[self.current_key].label
        question = Text(f"Mark {len(indices)} unread paper(s) of ")
        question.append(label, style="bold")
        question.append(" read?")

        def answered(yes: bool | None) -> None:
            if yes:
                self.mark_read(indices, True)

        self.push_screen(ConfirmScreen(question), answered)

    def action_undo(self) -> None:
        if not self.undo_steps:
            self.notify("Nothing to undo.", timeout=3, markup=False)
            return
        step = self.undo_steps.pop()
        try:
            self.store.restore(step.marks)
            after = self._current_marks([mark.id for mark in step.marks])
        except StoreError as err:
            self.undo_steps.append(step)
            self.notify(f"Not undone: {strip_controls(str(err))}", severity="error", markup=False)
            return
        self._mirror(after)
        self.notify(f"Undone: {step.description}", timeout=3, markup=False)

    def action_note(self) -> None:
        def save(paper_id: str, mark: Mark, value: str) -> None:
            note = strip_controls(value)
            if note != mark.note:
                self._write("note", [paper_id], lambda: self.store.set_note(paper_id, note))

        self._prompt_for_current("Note for {id}", lambda mark: mark.note, save)

    def action_tags(self) -> None:
        def save(paper_id: str, mark: Mark, value: str) -> None:
            tags = [t.strip() for t in strip_controls(value).split(",") if t.strip()]
            if tuple(tags) != mark.tags:
                self._write("tags", [paper_id], lambda: self.store.set_tags(paper_id, tags))

        self._prompt_for_current("Tags for {id} (comma separated)", lambda mark: ", ".join(mark.tags), save)

    def _prompt_for_current(self, title: str, initial, save) -> None:
        """Ask for a line of text about the current paper; `save(id, mark, text)` on Enter."""
        current = self.current_paper()
        if current is None:
            return
        from .screens.dialogs import PromptScreen

        paper = current[1]
        mark = self.marks.get(paper.id) or Mark(paper.id)

        def done(value: str | None) -> None:
            if value is not None:
                save(paper.id, mark, value)

        self.push_screen(PromptScreen(title.format(id=paper.id), initial(mark)), done)

    def action_expand_authors(self) -> None:
        current = self.current_paper()
        if current is None:
            return
        mark = self.marks.get(current[1].id)
        from .widgets.detail_pane import DetailPane

        shown = self.screen.query(DetailPane)  # the full-screen paper has its own pane
        pane = shown.first() if shown else self.detail
        pane.toggle_authors(mark.note if mark else "", mark.tags if mark else ())

    def _link(self) -> str | None:
        current = self.current_paper()
        if current is None:
            return None
        paper = current[1]
        return paper.url if paper.url.startswith(("https://", "http://")) else abs_url(paper.id)

    def action_open_link(self) -> None:
        url = self._link()
        if url is None:
            return
        if over_ssh():
            self.copy_to_clipboard(url)
            self.notify(f"Over SSH a browser would open on the server, so the link was copied: {url}",
                        timeout=6, markup=False)
            return
        self.run_worker(lambda: self.open_in_browser(url), thread=True, group="browser")
        self.notify(f"Opening {url}", timeout=3, markup=False)

    def action_copy_link(self) -> None:
        url = self._link()
        if url is not None:
            self.copy_to_clipboard(url)
            self.notify(f"Copied {url}", timeout=3, markup=False)
