"""What a search needs from the reading marks: states, notes and tags, by paper index."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tui_reader.core.fold import fold_phrase

if TYPE_CHECKING:
    from tui_reader.core.state.store import Mark


def mark_texts(mark: Mark | None) -> tuple[str, tuple[str, ...]]:
    """A mark's folded note and folded tags ("" and () for no mark)."""
    if mark is None:
        return "", ()
    return fold_phrase(mark.note or ""), tuple(fold_phrase(t) for t in (mark.tags or ()))


class MarkSets:
    """One search's view of the reading marks, each part worked out once when first asked."""

    def __init__(self, marks: Mapping[str, Mark], position: Mapping[str, int]) -> None:
        self.marks = marks
        self._position = position
        self._read: set[int] | None = None
        self._starred: set[int] | None = None
        self._texts: list[tuple[int, str, tuple[str, ...]]] | None = None

    def _states(self) -> tuple[set[int], set[int]]:
        read: set[int] = set()
        starred: set[int] = set()
        for paper_id, mark in self.marks.items():
            i = self._position.get(paper_id)
            if i is None or mark is None:
                continue
            if mark.read:
                read.add(i)
            if mark.starred:
                starred.add(i)
        self._read, self._starred = read, starred
        return read, starred

    @property
    def read(self) -> set[int]:
        if self._read is None:
            self._read = self._states()[0]
        return self._read

    @property
    def starred(self) -> set[int]:
        if self._starred is None:
            self._starred = self._states()[1]
        return self._starred

    def _annotations(self) -> list[tuple[int, str, tuple[str, ...]]]:
        """(paper, folded note, folded tags) of the marks that have a note or tags."""
        if self._texts is None:
            texts = []
            for paper_id, mark in self.marks.items():
                if mark is None or not (mark.note or mark.tags):
                    continue
                i = self._position.get(paper_id)
                if i is not None:
                    texts.append((i, *mark_texts(mark)))
            self._texts = texts
        return self._texts

    def annotated(self, value: str, *, with_tags: bool) -> set[int]:
        """Papers whose note (or, with_tags, one of whose tags) contains `value`."""
        return {i for i, note, tags in self._annotations()
                if value in note or (with_tags and any(value in t for t in tags))}

    def tagged(self, tag: str) -> set[int]:
        """Papers carrying exactly this (folded) tag."""
        return {i for i, _, tags in self._annotations() if tag in tags}
