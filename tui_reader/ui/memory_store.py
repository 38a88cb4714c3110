"""MemoryStore: the Store interface kept in memory, used when the state file cannot be opened."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..core.store import Mark, normalise_tags, utc_now


class MemoryStore:
    """Marks for this session only; same calls as core.store.Store."""

    def __init__(self, notice: str | None = None) -> None:
        self.notice = notice
        self.read_only = False
        self._marks: dict[str, Mark] = {}

    def marks(self) -> dict[str, Mark]:
        return dict(self._marks)

    def get(self, paper_id: str) -> Mark:
        return self._marks.get(paper_id) or Mark(paper_id)

    def _put(self, mark: Mark) -> None:
        self._marks[mark.id] = mark

    def set_read(self, ids: Iterable[str], read: bool) -> None:
        now = utc_now()
        for paper_id in ids:
            mark = self.get(paper_id)
            if read != mark.read:
                self._put(replace(mark, read_at=now if read else None))

    def set_starred(self, ids: Iterable[str], starred: bool) -> None:
        for paper_id in ids:
            mark = self.get(paper_id)
            if starred != mark.starred:
                self._put(replace(mark, starred_at=utc_now() if starred else None))

    def set_note(self, paper_id: str, note: str) -> None:
        self._put(replace(self.get(paper_id), note=note))

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        self._put(replace(self.get(paper_id), tags=normalise_tags(tags)))

    def restore(self, marks: Iterable[Mark]) -> None:
        for mark in marks:
            self._put(mark)

    def changed_elsewhere(self) -> bool:
        return False

    def close(self) -> None:
        pass
