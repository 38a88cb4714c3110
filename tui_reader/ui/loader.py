"""Reading the library for the reader: the newest day first, then everything (no widgets)."""
from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.collector import gc_paused
from ..core.model import Paper
from .library_view import LibraryView

if TYPE_CHECKING:
    from ..core.library.loading import LoadStep, LoadWay
    from ..core.library.snapshot import Snapshot
    from ..core.search.haystack import PreparedText


PAINT_WAIT_SECONDS = 2.0
"""store_loaded waits this long at most for the screen to paint what it stores."""


@dataclass(slots=True)
class LibrarySource:
    """Where the reader reads its library from (the paths given, else the library folder),
    and whose AI files a day written in several languages shows (None: English first)."""

    paths: list[str]
    cache_dir: Path
    library_dir: Path
    language: str | None = None


@dataclass(slots=True)
class Loaded:
    """What a load produced: the papers (newest day first) and the problems met."""

    papers: list[Paper]
    warnings: list[str] = field(default_factory=list)
    partial: bool = False
    """Only the newest day: the rest of the library follows."""
    search_text: PreparedText | None = None
    """The papers' search text, prepared with them (None: the search index makes it)."""
    view: LibraryView | None = None
    """The papers' tree nodes, made in the loading thread (marks are set when shown)."""
    files: dict[str, tuple | None] | None = None
    """The files read, as listed before reading (absolute path -> file key; see
    core.library.loading.library_files); None for a partial load."""
    snapshot: Snapshot | None = None
    """The whole library as core.library.snapshot gave it: what a reload adds new days to."""
    painted: threading.Event = field(default_factory=threading.Event)
    """Set once the screen has painted this reading (store_loaded waits for it)."""


def load(paths: list[str], cache_dir: Path, way: LoadWay, *, progress: Callable[[LoadStep], None] | None = None,
         between_batches: Callable[[], None] = lambda: None, language: str | None = None,
         current: Loaded | None = None) -> Loaded | None:
    """The library as `way` reads it (core.library.loading.load; None: NEWEST_DAY has
    nothing for the first frame), with its LibraryView made here (run in a thread) for the
    whole library. `current`: the library shown (NEW_DAYS merges new days into it). A
    library given unstored is stored by store_loaded once shown."""
    from ..core.library.cache import ParseCache
    from ..core.library.loading import LoadWay, load as load_library_as

    shown = current.snapshot if current is not None else None
    with ParseCache.open(cache_dir) as cache:
        snapshot = load_library_as(paths, cache, way, current=shown, progress=progress,
                                   between_batches=between_batches, language=language)
    if snapshot is None:
        return None
    if snapshot.partial:
        return Loaded(snapshot.papers, partial=True)
    if way is LoadWay.NEWEST_DAY:  # the whole library, before the first frame: its view is made when shown
        return Loaded(snapshot.papers, snapshot.warnings, files=snapshot.files)
    with gc_paused():
        view = LibraryView(snapshot.papers)
    gc.freeze()  # the collector need never walk the library again (tens of ms a key at 50k)
    return Loaded(snapshot.papers, snapshot.warnings, search_text=snapshot.prepared, view=view, files=snapshot.files,
                  snapshot=snapshot)


def store_loaded(loaded: Loaded, cache_dir: Path, between_parts: Callable[[], None] = lambda: None) -> None:
    """Store a library read the long way or merged as the snapshot of its files (after it is
    shown: a first start shows its papers without waiting for the write), so that the next
    start reads it whole; nothing to do for any other."""
    from ..core.library.cache import ParseCache
    from ..core.library.loading import store_loaded as store

    if loaded.snapshot is not None and not loaded.snapshot.stored:
        # Writing competes with the interface's thread: its frame with the library comes first.
        loaded.painted.wait(PAINT_WAIT_SECONDS)
        with ParseCache.open(cache_dir) as cache:
            store(cache, loaded.snapshot, between_parts)


def build_view(loaded: Loaded) -> LibraryView:
    """The LibraryView of a load: the one the loading thread built (half a second at 80,000
    papers, kept off the interface's thread), else built now, without the cyclic collector
    walking the freshly made objects (they live as long as the app). Marks are set on it
    when shown (ReaderState.replace_library)."""
    with gc_paused():  # already paused while the reader starts (see cli's reader start-up)
        view = loaded.view if loaded.view is not None else LibraryView(loaded.papers)
        loaded.view = None  # a view is shown once
        view.search_text = loaded.search_text
        return view


class LoadingStopped(Exception):
    """The reader is quitting: a loading thread gives up where it is. What it was writing is
    one transaction and rolls back, so the next start reads the long way, whole."""


class TypingPause:
    """Lets a loading thread give way to the keyboard: reading the cache is pure Python and
    would halve the speed of every key. Once the reader quits (stop), the thread's next
    pause raises LoadingStopped: `q` during a first start's reading or writing ended the
    reader only when the thread had finished (2-7 s)."""

    def __init__(self, pause_seconds: float) -> None:
        self.pause_seconds = pause_seconds
        """How recent a key makes the thread wait (ReaderTimings.typing_pause)."""
        self.last_key_at = time.monotonic()  # the first frame is drawn before the thread reads on
        self.stopped = False

    def key_pressed(self) -> None:
        self.last_key_at = time.monotonic()

    def stop(self) -> None:
        """The reader is quitting: the threads that pause here stop at their next pause."""
        self.stopped = True

    def wait(self) -> None:
        while not self.stopped and time.monotonic() - self.last_key_at < self.pause_seconds:
            time.sleep(0.02)
        if self.stopped:
            raise LoadingStopped
