"""Orders for a list of papers beyond the digest's: by code stars, by a fork's importance."""
from __future__ import annotations

from collections.abc import Sequence

from tui_reader.core.formats.importance import importance_order
from tui_reader.core.model import Paper

ORDERS = ("listed", "stars", "importance")
"""What sort_papers can order by: as listed, most code stars first, most important first."""


def sort_papers(papers: Sequence[Paper], by: str) -> list[Paper]:
    """The papers ordered by `by` (one of ORDERS), highest first; papers without the value
    (no code link, a digest with no importance score) follow in their listed order, and
    ties keep it too. Raises ValueError for an unknown order."""
    if by not in ORDERS:
        raise ValueError(f"unknown order {by!r} (one of {', '.join(ORDERS)})")
    if by == "listed":
        return list(papers)
    values = ([None if p.code_stars is None else (1, float(p.code_stars)) for p in papers] if by == "stars"
              else [importance_order(p.importance) for p in papers])  # High > Medium > Low, 高 > 中 > 低
    having = sorted(((i, v) for i, v in enumerate(values) if v is not None), key=lambda pair: pair[1], reverse=True)
    return [papers[i] for i, _ in having] + [p for p, v in zip(papers, values) if v is None]
