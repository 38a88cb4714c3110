"""Loading the library for the reader: the newest day first, then everything (a mixin of ReaderApp)."""
from __future__ import annotations

import gc
import time
from pathlib import Path

from textual import work

from ..core.model import Paper
from ..core.text import strip_controls
from .library_view import ALL, LibraryView
from .session import load_session

SEARCH_IDLE_SECONDS = 2.0
"""The search index is built once the keyboard has been quiet this long after loading (or at
the first `/`): building it competes with the interface for the one Python interpreter."""


TYPING_PAUSE_SECONDS = 0.15
"""The loading thread waits while a key was pressed this recently (and right after start)."""
EARLY_BYTES = 8 * 1024 * 1024
"""Digests up to this size in all are read before the first frame (a day is ~0.5 MB)."""


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def newest_day_files(files: list[Path]) -> list[Path]:
    """The files of the newest dated day (none when no file name holds a date): what the
    first screen shows while the rest of the library loads."""
    from ..core.library import date_from_name

    dates = [date_from_name(path) for path in files]
    newest = max((d for d in dates if d), default=None)
    if newest is None:
        return []
    first = [path for path, date in zip(files, dates) if date == newest]
    return first


def build_view(papers: list[Paper], marks: dict) -> LibraryView:
    """A LibraryView with the stored marks, built without the cyclic collector walking the
    freshly made objects (they live as long as the app)."""
    enabled = gc.isenabled()  # paused while the reader starts (see cli.run_reader)
    gc.disable()
    try:
        return LibraryView(papers, [m.id for m in marks.values() if m.read],
                           {m.id: m.starred_at for m in marks.values() if m.starred_at})
    finally:
        if enabled:
            gc.enable()


class LoadingMixin:
    """Reads the newest day's digests before the first frame (from the parse cache, a few
    milliseconds), then the whole library in a thread, which replaces them when ready."""

    def _init_loading(self) -> None:
        self._progress_shown = 0.0
        self.loading_done = False
        """True once the whole library is shown (counts are final)."""
        self._marks_version = 0
        """Bumped by every marking, so a view built from older marks is brought up to date."""
        self._partial_position: tuple[str | None, str | None] | None = None
        self._search_timer = None
        self._last_key_at = 0.0

    def _start_loading(self) -> None:
        """Before the first frame: the newest day's digests (from the parse cache, a few ms),
        or the whole library when that is all there is; the rest after the first frame, in
        a thread."""
        self._last_key_at = time.monotonic()  # the first frame is drawn before the thread reads on
        self._open_store()
        self.set_interval(1.5, self.poll_store)
        try:
            complete = self._load_newest_day()
        except Exception:  # the thread will try again and report the problem
            complete = False
        if not complete:
            self.call_after_refresh(self._load_library)

    def _load_newest_day(self) -> bool:
        """Show the newest day now; True when that was the whole library."""
        from ..core.cache import ParseCache
        from ..core.formats import DigestError
        from ..core.library import Library, find_digest_files, load_library, read_digest_file, read_digests

        files = find_digest_files(self.paths, [])
        first = newest_day_files(files)
        if not first or sum(_size(path) for path in first) > EARLY_BYTES:
            return False  # a huge file is read in the thread, behind a progress line
        with ParseCache.open(self.app_paths.cache_dir) as cache:
            if len(first) == len(files):
                library = load_library(self.paths, cache)
                papers, warnings, partial = library.sorted_papers(), list(library.warnings), False
            else:
                early = Library()
                for _, outcome in read_digests(first, read_digest_file, cache):
                    if not isinstance(outcome, DigestError):
                        early.add(outcome)
                papers, warnings, partial = early.sorted_papers(), [], True
        if partial and not papers:
            return False
        marks = self.store.marks()
        self._library_loaded(build_view(papers, marks), marks, warnings, self._marks_version, partial=partial)
        return not partial

    @work(thread=True, exclusive=True, group="load")
    def _load_library(self) -> None:
        try:
            from ..core.cache import ParseCache
            from ..core.library import load_library

            with ParseCache.open(self.app_paths.cache_dir) as cache:
                library = load_library(self.paths, cache, self._loading_progress)
            version, marks = self._marks_version, self.store.marks()
            view = build_view(library.sorted_papers(), marks)
            gc.freeze()  # the collector need never walk the library again (tens of ms a key at 50k)
        except Exception as err:  # a loader bug must not take the reader down with a traceback
            message = f"Could not load the library: {type(err).__name__}: {err}"
            self.call_from_thread(self._library_loaded, LibraryView([]), {}, [strip_controls(message)], -1)
            return
        self.call_from_thread(self._library_loaded, view, marks, list(library.warnings), version)

    def _loading_progress(self, done: int, total: int) -> None:
        """Called in the loading thread after each file; shows progress in the header."""
        now = time.monotonic()
        if done == total or now - self._progress_shown > 0.25:
            self._progress_shown = now
            self.call_from_thread(setattr, self, "sub_title", f"loading {done}/{total} files…")
        # Typing comes first: while keys arrive, leave the interpreter to the interface
        # (reading the cache is pure Python and would halve the speed of every key).
        while time.monotonic() - self._last_key_at < TYPING_PAUSE_SECONDS:
            time.sleep(0.02)

    def _library_loaded(self, view: LibraryView, marks: dict, warnings: list[str], version: int,
                        partial: bool = False) -> None:
        if self.loading_done:
            return
        previous = self.view
        if version >= 0 and version != self._marks_version:
            marks = self.marks  # marked while this view was being built: the newer marks win
            view.set_marks([m.id for m in marks.values() if m.read],
                           {m.id: m.starred_at for m in marks.values() if m.starred_at})
        if self._auto_read_timer is not None:  # it holds an index into the view being replaced
            self._auto_read_timer.stop()
            self._auto_read_timer = None
        self.view = view
        self.marks = marks
        self.warnings = warnings
        self.loading_done = not partial
        self.paper_list.empty_text = "No papers here."
        self.paper_list.is_read = lambda i: view.read[i]
        self.paper_list.is_starred = lambda i: i in view.starred_at
        self.paper_list.decorate = self.highlight
        self.detail.decorate = lambda text: self.highlight(-1, text)
        self.tree.load(view)
        if partial:
            self.sub_title = "loading the rest of the library…"
        else:
            self.update_summary()
        if warnings:
            self.notify(f"{len(warnings)} problem(s) while loading; press w to see them. "
                        f"First: {strip_controls(warnings[0])[:200]}",
                        severity="warning", timeout=8, markup=False)
        if not view.papers:
            self.paper_list.empty_text = "No papers were found in the given files."
        position = self._position(previous)
        if previous is not None and position != self._partial_position:
            # The reader moved on the newest day while the rest loaded: stay there.
            key = self.current_key if self.current_key in view.nodes else ALL
            self.show_node(key, paper_id=position[1])
            self.tree.select_key(key)
        else:
            session = load_session(self.session_file)
            key = session.node if session.node in view.nodes else ALL
            self._pending_session = session if session.node and session.node.startswith("search:") else None
            self.show_node(key, paper_id=session.paper)
            self.tree.select_key(key)
        if partial:
            self._partial_position = self._position(view)
            return
        if self.search_bar is not None:  # opened on the newest day: search the whole library now
            self.search_bar.set_papers(view.papers)
            self.search_bar.set_marks(self.marks)
            self._update_search_scope()
        if self.config.searches or self.config.watch_keywords or self.config.watch_authors:
            self._prepare_searches(view, dict(marks))
        else:
            self._search_index_when_idle()

    def _position(self, view: LibraryView | None) -> tuple[str | None, str | None]:
        """(node key, id of the highlighted paper) in `view`."""
        index = self.paper_list.current
        paper_id = view.papers[index].id if view is not None and index is not None else None
        return self.current_key, paper_id

    def _search_index_when_idle(self) -> None:
        """(Re)arm the timer that mounts the search bar and starts its index build."""
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_IDLE_SECONDS, self._idle_index)

    async def _idle_index(self) -> None:
        self._search_timer = None
        await self.mount_search_bar()

    def keyboard_activity(self) -> None:
        """A key was pressed: put off the index build until the keyboard is quiet, and pause
        the loading thread for a moment."""
        self._last_key_at = time.monotonic()
        if self._search_timer is not None and self.search_bar is None:
            self._search_index_when_idle()
