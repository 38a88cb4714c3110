"""Confidence a person can read: For-you scores turned into likely / maybe / unlikely with
thresholds taken from the person's own marks, so a word means the same on every day."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LIKELY, MAYBE, UNLIKELY = "likely", "maybe", "unlikely"
MIN_EACH = 3
"""Marks needed on each side (liked, passed over) before the groups mean anything."""
QUARTILE = 0.25


@dataclass(frozen=True, slots=True)
class Confidence:
    """Two score thresholds: `likely` and above is where most of the person's liked papers
    score; below `unlikely` is where most of the papers they passed over score."""

    likely: float
    unlikely: float
    positives: int
    negatives: int

    def group(self, score: float) -> str:
        """likely, maybe or unlikely for a score of the same model."""
        if score >= self.likely:
            return LIKELY
        if score < self.unlikely:
            return UNLIKELY
        return MAYBE

    def explain(self, score: float) -> str:
        """One line for the detail pane: the group and what it is measured against."""
        group = self.group(score)
        return (f"{group} ({score:.2f}; likely ≥ {self.likely:.2f}, unlikely < {self.unlikely:.2f}, "
                f"from your {self.positives} liked and {self.negatives} passed over)")


def _quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between the sorted values (no numpy needed)."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def calibrate(positive_scores: Sequence[float], negative_scores: Sequence[float]) -> Confidence | None:
    """Thresholds from the scores the model gives the person's liked papers (stars, notes,
    tags) and the papers they passed over (dismissed, or read without a star); None while
    either side has fewer than MIN_EACH. The lower quartile of the liked and the upper
    quartile of the passed over bound the `maybe` band (in either order when they overlap)."""
    if len(positive_scores) < MIN_EACH or len(negative_scores) < MIN_EACH:
        return None
    liked_floor = _quantile(positive_scores, QUARTILE)
    passed_ceiling = _quantile(negative_scores, 1 - QUARTILE)
    return Confidence(likely=max(liked_floor, passed_ceiling), unlikely=min(liked_floor, passed_ceiling),
                      positives=len(positive_scores), negatives=len(negative_scores))
