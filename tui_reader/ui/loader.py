"""Reading the library for the reader: the newest day first, then everything (no widgets)."""
from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.collector import gc_paused
from ..core.model import Paper
from .library_view import LibraryView

if TYPE_CHECKING:
    from ..core.search.haystack import PreparedText
    from ..core.library.snapshot import LoadStep, Snapshot

EARLY_BYTES = 8 * 1024 * 1024
"""Digests up to this size in all are read before the first frame (a day is ~0.5 MB)."""
EARLY_UNDATED_FILES = 8
"""A library of at most this many files, none named with a date, is read before the first
frame (a day is one to three files)."""


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
    core.library.snapshot.library_files); None for a partial load."""
    snapshot: Snapshot | None = None
    """The whole library as core.library.snapshot gave it: what a reload adds new days to."""


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def newest_day_files(files: list[Path]) -> list[Path]:
    """The files of the newest dated day: what the first screen shows while the rest of the
    library loads. When no file name holds a date (`seed.md`, whatever its text says), no
    day can be picked without reading: a few files are all read before the first frame
    (within EARLY_BYTES, which load_newest_day checks), more wait for the loading thread."""
    from ..core.library.load import date_from_name

    dates = [date_from_name(path) for path in files]
    newest = max((d for d in dates if d), default=None)
    if newest is None:
        # Left to the thread, a lone undated digest painted after its 0.15 s typing pause.
        return list(files) if len(files) <= EARLY_UNDATED_FILES else []
    return [path for path, date in zip(files, dates) if date == newest]


def load_newest_day(paths: list[str], cache_dir: Path, language: str | None = None) -> Loaded | None:
    """The newest day's papers from the parse cache (a few ms), or the whole library when
    that is all there is; None when the first screen should wait for the loading thread."""
    from ..core.library.cache import ParseCache
    from ..core.formats import DigestError
    from ..core.library.load import Library, find_digest_files, load_library, read_digest_file, read_digests
    from ..core.library.snapshot import library_files

    files = find_digest_files(paths, [], language)
    first = newest_day_files(files)
    if not first or sum(_size(path) for path in first) > EARLY_BYTES:
        return None  # a huge file is read in the thread, behind a progress line
    with ParseCache.open(cache_dir) as cache:
        if len(first) == len(files):
            listed = dict(library_files(paths, [], language)[1])
            library = load_library(paths, cache, language=language)
            return Loaded(library.sorted_papers(), list(library.warnings), files=listed)
        early = Library()
        for _, outcome in read_digests(first, read_digest_file, cache):
            if not isinstance(outcome, DigestError):
                early.add(outcome)
    papers = early.sorted_papers()
    return Loaded(papers, partial=True) if papers else None


def load_whole_library(paths: list[str], cache_dir: Path, progress: Callable[[LoadStep], None] | None = None,
                       between_batches: Callable[[], None] = lambda: None, language: str | None = None,
                       current: Snapshot | None = None) -> Loaded:
    """Every digest under `paths` (run in a thread), from the library snapshot when it is
    current; `progress` after each file and before folding, `between_batches` while folding.
    `current`: the library shown (Loaded.snapshot), which new days are merged into when
    they are all that changed (then stored by store_new_days once shown)."""
    from ..core.library.cache import ParseCache
    from ..core.library.new_days import load_with_new_days
    from ..core.library.snapshot import load_with_snapshot

    with ParseCache.open(cache_dir) as cache:
        if current is not None:
            snapshot = load_with_new_days(paths, cache, current, progress, between_batches, language)
        else:
            snapshot = load_with_snapshot(paths, cache, progress, between_batches, language)
    with gc_paused():
        view = LibraryView(snapshot.papers)
    gc.freeze()  # the collector need never walk the library again (tens of ms a key at 50k)
    return Loaded(snapshot.papers, snapshot.warnings, search_text=snapshot.prepared, view=view, files=snapshot.files,
                  snapshot=snapshot)


def store_new_days(loaded: Loaded, cache_dir: Path) -> None:
    """Store a library that new days were merged into as the snapshot of its files (after
    it is shown), so that the next start reads it whole; nothing to do for any other."""
    from ..core.library.cache import ParseCache
    from ..core.library.snapshot import store_snapshot

    if loaded.snapshot is not None and not loaded.snapshot.stored:
        with ParseCache.open(cache_dir) as cache:
            store_snapshot(cache, loaded.snapshot)
        loaded.snapshot.stored = True


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


class TypingPause:
    """Lets a loading thread give way to the keyboard: reading the cache is pure Python and
    would halve the speed of every key."""

    def __init__(self, pause_seconds: float) -> None:
        self.pause_seconds = pause_seconds
        """How recent a key makes the thread wait (ReaderTimings.typing_pause)."""
        self.last_key_at = time.monotonic()  # the first frame is drawn before the thread reads on

    def key_pressed(self) -> None:
        self.last_key_at = time.monotonic()

    def wait(self) -> None:
        while time.monotonic() - self.last_key_at < self.pause_seconds:
            time.sleep(0.02)
