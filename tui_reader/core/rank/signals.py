"""What the ranker learns from: the person's stars, notes, tags, dismissals and attention."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_reader.core.state.store import Mark

STRONG = 1.0
"""Weight of a starred, noted or tagged paper: the person said it matters."""
ENGAGED = 0.4
"""Weight of a paper only opened full screen or dwelt on (the reader passes their ids):
attention, but not a verdict."""
DISMISSED = 1.0
"""Weight of a dismissed paper as an example of what the person does not want."""
SEEN_AND_LEFT = 0.5
"""Weight of a paper read but neither starred, noted, tagged nor dismissed, as a negative:
the person saw it and kept nothing, a weaker verdict than a dismissal (an unjudged paper,
merely unread, weighs less still: rank.UNLABELLED_WEIGHT)."""


@dataclass(slots=True)
class Signals:
    """Training examples by paper id: positive and negative weights."""

    positive: dict[str, float] = field(default_factory=dict)
    negative: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.positive) + len(self.negative)


def collect_signals(marks: Mapping[str, Mark], engaged: Collection[str] = ()) -> Signals:
    """The examples the marks give. A paper both dismissed and starred (or noted, tagged)
    counts as its later verdict: a star given after the dismissal wins, and so does a
    dismissal given after the star; a note or tag never outweighs a dismissal (it may be
    a note saying why not). A paper read and left is a weak negative, unless the person
    dwelt on it (`engaged`): then a weak positive."""
    signals = Signals()
    for paper_id, mark in marks.items():
        if mark is None:
            continue
        liked = mark.starred or bool(mark.note.strip()) or bool(mark.tags)
        if mark.dismissed and not (mark.starred and (mark.starred_at or "") > (mark.dismissed_at or "")):
            signals.negative[paper_id] = DISMISSED
        elif liked:
            signals.positive[paper_id] = STRONG
        elif mark.read:
            signals.negative[paper_id] = SEEN_AND_LEFT
    for paper_id in engaged:
        seen = marks.get(paper_id)
        if paper_id not in signals.positive and not (seen is not None and seen.dismissed):
            signals.negative.pop(paper_id, None)
            signals.positive[paper_id] = ENGAGED
    return signals
