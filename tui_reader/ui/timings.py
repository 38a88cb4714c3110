"""ReaderTimings: every delay and poll interval of the reader in one object, so tests run
the reader with no waiting (the person's own auto-read delay is a setting: core.config)."""
from __future__ import annotations

from dataclasses import dataclass, fields

SOONEST = 0.001
"""The shortest wait a Textual timer is given: a timer of zero seconds divides by its
interval and dies without firing, so a delay of zero waits this long instead."""


def timer_seconds(seconds: float) -> float:
    """`seconds` as a Textual timer can wait it (zero and less become SOONEST)."""
    return max(seconds, SOONEST)


@dataclass(frozen=True, slots=True)
class ReaderTimings:
    """How long the reader waits before background work, and how often it polls (seconds).
    The defaults are the reader's; `ReaderApp(timings=...)` replaces them. A zero is kept as
    SOONEST (see timer_seconds); a zero poll interval would spin, so tests give polls short ones."""

    store_poll: float = 1.5
    """How often the state file is asked whether another process changed it."""
    pending_retry: float = 0.5
    """How often a mark left pending by another program's lock is tried again."""
    sync_first: float = 1.0
    """The first exchange with the sync folder, this long after start."""
    sync_poll: float = 3.0
    """How often the sync folder is looked at (a stat of each log) for other machines' changes."""
    rank_delay: float = 1.0
    """For you is first trained this long after the whole library is shown (never before the
    first screen), and again this long after the last of a run of marks."""
    rank_idle: float = 2.0
    """...and only once no key was pressed for this long: training a year of papers is
    seconds of pure Python, which would slow every key typed meanwhile."""
    watch_delay: float = 0.5
    """The library watcher (and a pull on start) begins this long after the whole library is shown."""
    search_idle: float = 2.0
    """The search index is built once the keyboard has been quiet this long after loading (or
    at the first `/`): building it competes with the interface for the one interpreter."""
    session_save: float = 0.5
    """The node and paper are saved for the next start this long after the last move."""
    typing_pause: float = 0.15
    """Loading and ranking threads wait while a key was pressed this recently (and right after start)."""

    def __post_init__(self) -> None:
        for field in fields(self):
            object.__setattr__(self, field.name, timer_seconds(getattr(self, field.name)))
