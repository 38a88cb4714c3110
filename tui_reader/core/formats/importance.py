"""A fork's importance (a number or a level word) and reading time, as read and as ordered."""
from __future__ import annotations

import math
import re

LEVELS = {
    "high": 3, "medium": 2, "mid": 2, "moderate": 2, "low": 1,
    "高": 3, "中": 2, "低": 1, "높음": 3, "보통": 2, "낮음": 1,
}
"""Level words forks write for importance, by rank (higher is more important)."""

MAX_IMPORTANCE = 1_000_000
MAX_MINUTES = 10_000
"""More minutes than any paper takes to read: a larger value is damage."""

_SCORE_RE = re.compile(r"(?P<n>[0-9]{1,7}(?:\.[0-9]{1,4})?)[ \t]*(?:/[ \t]*(?:10|5|100))?")
_MINUTES_RE = re.compile(r"(?:about[ \t]+|~[ \t]*)?(?P<n>[0-9]{1,5}(?:\.[0-9]{1,2})?)[ \t]*"
                         r"(?:min(?:ute)?s?\.?|分钟|분)?", re.IGNORECASE)


def level_rank(value: object) -> int | None:
    """The rank of a level word (High 3, Medium 2, Low 1; 高/中/低 alike), None for others."""
    if not isinstance(value, str):
        return None
    return LEVELS.get(value.strip().casefold())


def read_importance(value: object) -> int | float | str | None:
    """A number (`8`, `"8"`, `"8/10"`) as a number, a level word (`High`, `高`) as written,
    anything else None (the caller keeps it as text of its own)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) and abs(value) <= MAX_IMPORTANCE else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _SCORE_RE.fullmatch(text)
    if match:
        number = float(match.group("n"))
        return int(number) if number.is_integer() else number
    if level_rank(text) is not None:
        return text[:1].upper() + text[1:].lower() if text.isascii() else text
    return None


def read_minutes(value: object) -> int | float | None:
    """Reading time in minutes from `7`, `"7"`, `"7 min"`, `"about 7 minutes"`, `"7分钟"`."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        match = _MINUTES_RE.fullmatch(value.strip())
        if not match:
            return None
        value = float(match.group("n"))
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 <= value <= MAX_MINUTES:
        return None
    return int(value) if float(value).is_integer() else value


def importance_order(value: object) -> tuple[int, float] | None:
    """The key that orders importance highest first when sorted descending: numbers above
    levels (a library mixing both is rare; each keeps its own order), None when absent."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return (1, float(value))
    rank = level_rank(value)
    return (0, float(rank)) if rank is not None else None


def shown_importance(value: int | float | str) -> str:
    """Importance as a person reads it: `8`, `7.5`, `High`, `高`."""
    return value if isinstance(value, str) else f"{value:g}"
