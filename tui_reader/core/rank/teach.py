"""Teaching papers: the short list a newcomer decides on so For you learns fast: once there
are scores, those most likely the person's (to find more of what they want), then papers
spread across categories, those the scores are least sure of first."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from tui_reader.core.model import Paper
from tui_reader.core.state.store import Mark

TEACH_COUNT = 20
RECENT_PAPERS = 3_000
"""Only the newest this many undecided papers are offered: teaching on what one reads now."""
LIKELY_SHARE = 0.5
"""Of the teaching papers, at most this share are the best scored of those above the
boundary. A person's interest is a few percent of a day or less, so papers on the line
between likely and unlikely are almost all "no": real data (benchmarks/bench_newcomer_real.py),
after three triages of 20 the RL reader had 4 stars and p@10 0.46 without them, 9 and 0.59
with them (diffusion 1 and 0.25, 5 and 0.43)."""


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
    first up to LIKELY_SHARE of them the best scored above `boundary` (the median score when
    None), then the rest taken in turn from each category (the largest first), and within
    one the paper whose score lies nearest the boundary; without scores, the newest.
    Deterministic."""
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

    chosen: list[int] = []
    if scores is not None and boundary is not None:
        above = [i for i in undecided if scores.get(i, boundary) > boundary]
        above.sort(key=lambda i: -scores[i])  # stable: newest first among equal scores
        chosen = above[:int(count * LIKELY_SHARE)]
        taken = set(chosen)
        undecided = [i for i in undecided if i not in taken]
    by_category: dict[str, list[int]] = {}
    for i in undecided:  # newest first, kept by the stable sort below among equal doubt
        by_category.setdefault(papers[i].category or "?", []).append(i)
    queues = sorted(by_category.values(), key=len, reverse=True)
    for queue in queues:
        queue.sort(key=doubt)
    depth = 0
    while len(chosen) < count and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and len(chosen) < count:
                chosen.append(queue[depth])
        depth += 1
    return chosen
