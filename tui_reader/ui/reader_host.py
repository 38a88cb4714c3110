"""Reader: what the reader's screens and exports use of the app (ReaderApp provides it), so
they name the app without importing it (app.py imports the screens: no circle, even for
the type checker)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..core.config import Config
    from ..core.paths import AppPaths
    from ..core.state.queue import QueueMove
    from ..core.state.store import Mark
    from .loader import LibrarySource
    from .reading import Reading
    from .state import ReaderState
    from .timings import ReaderTimings


class Reader(Protocol):
    """The reader's own attributes and calls beside Textual's App."""

    state: ReaderState
    config: Config
    timings: ReaderTimings
    source: LibrarySource
    app_paths: AppPaths

    @property
    def reading(self) -> Reading: ...

    def mark_read(self, indices: list[int], read: bool, *, automatic: bool = False) -> bool: ...

    def move_in_queue(self, paper_id: str, where: QueueMove) -> bool: ...

    def run_marking(self, change: Callable[[], list[Mark]], failure: str = "Not saved") -> bool: ...
