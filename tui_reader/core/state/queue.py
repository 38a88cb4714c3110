"""The reading queue's order: where a move up, down or to the top puts a paper."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

QueueMove = Literal["up", "down", "top"]
QUEUE_MOVES: tuple[QueueMove, ...] = ("up", "down", "top")


def reordered(order: Sequence[str], paper_id: str, where: QueueMove) -> list[str]:
    """`order` with `paper_id` moved one place up (towards the head), one down, or to the
    head. A paper not in the order, or already at that end, leaves it as it was."""
    if where not in QUEUE_MOVES:
        raise ValueError(f"no such queue move: {where!r} (up, down or top)")
    ids = list(order)
    if paper_id not in ids:
        return ids
    at = ids.index(paper_id)
    target = {"up": at - 1, "down": at + 1, "top": 0}[where]
    if not 0 <= target < len(ids) or target == at:
        return ids
    ids.pop(at)
    ids.insert(target, paper_id)
    return ids
