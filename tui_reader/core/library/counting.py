"""How many papers are read, unread, starred and dismissed, in all and per day and category."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tui_reader.core.formats.text import strip_controls

if TYPE_CHECKING:
    from tui_reader.core.state.store import Mark

COUNTED = ("papers", "read", "unread", "starred", "dismissed")


@dataclass(slots=True)
class ReadingCounts:
    """Counts by what is counted (COUNTED), in all and per day and category. A dismissed
    paper is neither read nor unread: the person said it is not worth reading."""

    total: Counter = field(default_factory=Counter)
    per_day: dict[str, Counter] = field(default_factory=dict)
    per_category: dict[str, Counter] = field(default_factory=dict)


class Counted(Protocol):
    """What counting reads of a paper: a Paper, or the first pass's PaperFacts."""

    @property
    def id(self) -> str: ...
    @property
    def date(self) -> str | None: ...
    @property
    def category(self) -> str: ...


def count_reading(papers: Iterable[Counted], marks: Mapping[str, Mark]) -> ReadingCounts:
    """The counts of these papers under these marks (a paper without a mark is unread)."""
    counts = ReadingCounts()
    for paper in papers:
        mark = marks.get(paper.id)
        read = mark is not None and mark.read
        dismissed = mark is not None and mark.dismissed
        starred = mark is not None and mark.starred
        unread = not read and not dismissed
        category = strip_controls(paper.category) or "(none)"
        for counter in (counts.total, counts.per_day.setdefault(paper.date or "(no date)", Counter()),
                        counts.per_category.setdefault(category, Counter())):
            counter["papers"] += 1
            counter["read"] += read
            counter["unread"] += unread
            counter["starred"] += starred
            counter["dismissed"] += dismissed
    return counts
