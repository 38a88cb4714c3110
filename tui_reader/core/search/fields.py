"""The search terms about a paper's fields rather than its text: `has:code`, `importance:>=7`."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_reader.core.model import Paper

from tui_reader.core.formats.importance import level_rank

HAS_WHAT = ("code", "comment", "kw", "importance", "pdf", "task", "minutes")
"""What `has:` asks about."""
NUMBER_FIELDS = ("importance", "stars", "minutes")
"""Fields compared as numbers: `importance:>=7`, `stars:>100`, `minutes:<=10` (reading time).
`importance:` also takes a level word (`importance:high`, `importance:>=medium`, `importance:高`),
which compares a fork's text levels (High > Medium > Low) and never a number."""
LEVEL_FIELD = "importance level"


class FieldTermError(ValueError):
    """A bad `has:` or number value; the message is one line."""


@dataclass(slots=True, frozen=True)
class HasTerm:
    """The paper has the field (`has:code`: a code link; `has:comment`: an arXiv comment)."""

    what: str


@dataclass(slots=True, frozen=True)
class NumberTerm:
    """The paper's number field lies in [low, high] (None = open; a missing number never does)."""

    field: str
    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False


def parse_has(raw: str) -> HasTerm:
    what = raw.lower()
    if what in ("keywords", "keyword"):
        what = "kw"
    if what not in HAS_WHAT:
        raise FieldTermError(f'unknown "has:{raw}" (' + ", ".join("has:" + w for w in HAS_WHAT) + ")")
    return HasTerm(what)


_NUMBER_RE = re.compile(r"(?P<op><=|>=|<|>|=)?(?P<value>[0-9]+(?:\.[0-9]+)?)(?P<k>[kK])?")


_OP_RE = re.compile(r"(?P<op><=|>=|<|>|=)?(?P<rest>.*)", re.DOTALL)


def parse_number(field: str, raw: str) -> NumberTerm:
    """`7`, `>=7`, `<3.5`, `>1k` for a number field; `high`, `>=medium`, `高` for importance."""
    if field == "importance":
        parts = _OP_RE.fullmatch(raw.strip())
        rank = level_rank(parts.group("rest")) if parts else None
        if parts and rank is not None:
            return _range(LEVEL_FIELD, float(rank), parts.group("op") or "=")
    match = _NUMBER_RE.fullmatch(raw.strip())
    if not match:
        raise FieldTermError(f'bad number "{raw}" for {field}: (like 7, >=7, <3.5, >1k)')
    value = float(match.group("value")) * (1000 if match.group("k") else 1)
    return _range(field, value, match.group("op") or "=")


def _range(field: str, value: float, op: str) -> NumberTerm:
    return {
        "=": NumberTerm(field, value, value), ">=": NumberTerm(field, value, None),
        ">": NumberTerm(field, value, None, low_open=True), "<=": NumberTerm(field, None, value),
        "<": NumberTerm(field, None, value, high_open=True),
    }[op]


def paper_has(paper: Paper, what: str) -> bool:
    """Whether a paper has the field `has:what` asks about."""
    if what == "code":
        return bool(paper.code_url)
    if what == "kw":
        return bool(paper.keywords)
    if what == "importance":
        return paper.importance is not None
    if what == "minutes":
        return paper.read_minutes is not None
    return bool(getattr(paper, what))


def number_matches(paper: Paper, term: NumberTerm) -> bool:
    """Whether the paper's number lies in the term's range."""
    value: object
    if term.field == "importance":
        value = paper.importance
    elif term.field == LEVEL_FIELD:
        value = level_rank(paper.importance)
    elif term.field == "minutes":
        value = paper.read_minutes
    else:
        value = paper.code_stars
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    if term.low is not None and (value < term.low or (term.low_open and value == term.low)):
        return False
    if term.high is not None and (value > term.high or (term.high_open and value == term.high)):
        return False
    return True
