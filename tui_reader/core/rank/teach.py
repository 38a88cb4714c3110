"""Teaching papers: the short list a newcomer decides on so For you learns fast: papers
spread across categories and days, and, once a model exists, those it is least sure of."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from tui_reader.core.model import Paper
from tui_reader.core.state.store import Mark

TEACH_COUNT = 20
RECENT_PAPERS = 3_000
"""Only the newest this many undecided papers are offered: teaching on what one reads now."""


def is_positive(mark: Mark) -> bool:
    """A mark that says "more like this": a star, a note or tags."""
    return bool(mark.starred_at or mark.note or mark.tags)


def is_negative(mark: Mark) -> bool:
    """A mark that says "not for me": dismissed, or read and left without a star."""
    return mark.dismissed or (mark.read and not is_positive(mark))


def teaching_papers(papers: Sequence[Paper], marks: Mapping[str, Mark], *,
                    scores: Mapping[int, float] | None = None, boundary: float | None = None,
                    count: int = TEACH_COUNT) -> list[int]:
    """Indices into `papers` of at most `count` undecided papers, newest first among equals:
    taken in turn from each category (the largest first), and within one the paper whose
    score (when `scores` are given) lies nearest `boundary` (the median score when None);
    without scores, the newest. Deterministic."""
    undecided = [i for i, paper in enumerate(papers)
                 if (mark := marks.get(paper.id)) is None or not (mark.read or mark.dismissed or is_positive(mark))]
    undecided.sort(key=lambda i: (papers[i].date or "", -i), reverse=True)
    undecided = undecided[:RECENT_PAPERS]
    if not undecided or count <= 0:
        return []
    known = [scores[i] for i in undecided if scores is not None and i in scores]
    if known and boundary is None:
        boundary = sorted(known)[len(known) // 2]

    def doubt(i: int) -> float:
        if scores is None or boundary is None or i not in scores:
            return 1.0
        return abs(scores[i] - boundary)

    by_category: dict[str, list[int]] = {}
    for i in undecided:  # newest first, kept by the stable sort below among equal doubt
        by_category.setdefault(papers[i].category or "?", []).append(i)
    queues = sorted(by_category.values(), key=len, reverse=True)
    for queue in queues:
        queue.sort(key=doubt)
    chosen: list[int] = []
    depth = 0
    while len(chosen) < count and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and len(chosen) < count:
                chosen.append(queue[depth])
        depth += 1
    return chosen
