"""The messages services post to the main screen (from worker threads too: Textual's
post_message is thread-safe and never waits), and the host they post through."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from ..core.state.store import Mark
    from ..core.rank.ranker import Model
    from ..core.rank.confidence import Confidence
    from textual.timer import Timer
    from textual.worker import Worker

    from .library_view import LibraryView
    from .loader import Loaded
    from .searches import PreparedSearches
    from .state import Changed


class ServiceHost(Protocol):
    """What a service needs of the screen it works for: a place to post, timers, threads."""

    def post_message(self, message: Message) -> bool: ...

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None, *,
                  name: str | None = None, pause: bool = False) -> Timer: ...

    def set_interval(self, interval: float, callback: Callable[[], Any] | None = None, *,
                     name: str | None = None, repeat: int = 0, pause: bool = False) -> Timer: ...

    def run_worker(self, work: Any, name: str | None = "", group: str = "default",
                   description: str = "", exit_on_error: bool = True, start: bool = True,
                   exclusive: bool = False, thread: bool = False) -> Worker[Any]: ...


class LibraryLoaded(Message):
    """A reading of the library is ready (the newest day, the whole, or a newer reading)."""

    def __init__(self, loaded: Loaded) -> None:
        super().__init__()
        self.loaded = loaded


class LibraryChangedOnDisk(Message):
    """Digest files were added, changed or removed under the library (the watcher saw it)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LibraryChangedOnDisk)


class MarksChanged(Message):
    """Marks changed and ReaderState mirrors them already (a key, the store poll, an undo):
    `changed` says what to repaint, `marks` which marks one change saved (None: all were
    read again), `by_hand` whether the person made it here (For you learns again)."""

    def __init__(self, changed: Changed, marks: list[Mark] | None = None, *, by_hand: bool = False) -> None:
        super().__init__()
        self.changed = changed
        self.marks = marks
        self.by_hand = by_hand


class StatusChanged(Message):
    """A line for the header while something runs (loading, pulling)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatusChanged)


class SearchesPrepared(Message):
    """The saved searches, the watch list and the [[hide]] rules were worked out."""

    def __init__(self, view: LibraryView, prepared: PreparedSearches) -> None:
        super().__init__()
        self.view = view
        """The library they were worked out for."""
        self.prepared = prepared


class ScoresReady(Message):
    """For you ranked `view`: its order (best first, newest day first), scores and model."""

    def __init__(self, view: LibraryView, model: Model, order: list[int], scores: list[float], today: int,
                 confidence: Confidence | None) -> None:
        super().__init__()
        self.view, self.model, self.order, self.scores = view, model, order, scores
        self.today, self.confidence = today, confidence


class RankingFailed(Message):
    """For you could not rank: `text` says why in one line."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class PullFinished(Message):
    """A pull from the sources ended: `summary` says what each source gave."""

    def __init__(self, summary: str, failed: bool) -> None:
        super().__init__()
        self.summary = summary
        self.failed = failed


class SyncFolderChanged(Message):
    """Some machine's log in the sync folder changed since the last exchange."""


class LinkNotOpened(Message):
    """No browser could open `url` (it is copied instead)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
