"""LibraryUpdates: new digests while the reader runs: the library watcher, reading the
library again in a thread, and pulling from the sources (P, pull_on_start)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.config import Config
from ...core.model import Paper
from ...core.formats.text import message_line, strip_controls
from ...core.library.loading import LoadWay
from ..loader import LibrarySource, Loaded, load, store_loaded
from ..messages import LibraryChangedOnDisk, LibraryLoaded, PullFinished, ServiceHost, StatusChanged

if TYPE_CHECKING:
    from ...core.library.watch import LibraryWatcher

ARRIVALS_SHOWN = 3
"""Days named one by one in the notification of new papers; more are summed up."""


class LibraryUpdates:
    """Notices and fetches new digests: posts LibraryChangedOnDisk from the watcher's thread,
    LibraryLoaded with each new reading, StatusChanged and PullFinished while pulling."""

    def __init__(self, host: ServiceHost, source: LibrarySource, config: Config,
                 notify: Callable[..., Any]) -> None:
        self.host, self.source, self.config = host, source, config
        self.notify = notify
        """App.notify (it posts a message: safe from any thread)."""
        self.loading_done = False
        """Set by the screen once the whole library is shown: nothing is read again before."""
        self._watcher: LibraryWatcher | None = None
        self.shown: Loaded | None = None
        """The library shown (its files, and what new days are merged into), set by the screen."""

    def start_watching(self) -> None:
        """Watch the library folder and the opened paths: files added, changed or removed
        appear without a restart (see core.library.watch)."""
        try:
            from ...core.library.watch import LibraryWatcher
        except ImportError:  # the watcher's library is missing: the reader still reads
            return
        library = self.source.library_dir
        watched = list(dict.fromkeys([library, *(Path(p) for p in self.source.paths)]))
        watcher = LibraryWatcher([p for p in watched if p.exists()], self._files_changed)
        try:
            watcher.start()
        except OSError as err:
            self.notify(f"New digests will not appear until a restart: {strip_controls(str(err))}",
                        severity="warning", timeout=8, markup=False)
            return
        self._watcher = watcher
        self.host.run_worker(self._catch_up, thread=True, group="catch-up")

    def _catch_up(self) -> None:
        """In a thread, once the watch has begun: files added, changed or removed between
        the load's listing and the watch's start (a pull by another process ending then)
        are read now; no watch event will tell of them."""
        from ...core.library.loading import library_files

        read = self.shown.files if self.shown is not None else None
        source = self.source
        if read is not None and dict(library_files(source.paths, [], source.language)[1]) != read:
            self.host.post_message(LibraryChangedOnDisk())  # as the watcher would have

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def _files_changed(self, paths: object) -> None:
        """From the watcher's thread: some digest files changed."""
        self.host.post_message(LibraryChangedOnDisk())

    def reload(self) -> None:
        """Read the library again (the parse cache reads only the changed files). The demo
        gives way to the library once it holds digests."""
        from ...core.paths import library_is_empty, reading_demo

        source = self.source
        if reading_demo(source.paths) and not library_is_empty(source.library_dir):
            source.paths = [str(source.library_dir)]
        if self.loading_done:
            self.host.run_worker(self._read_again, thread=True, exclusive=True, group="reload")

    def _read_again(self) -> None:
        source = self.source
        try:
            loaded = load(source.paths, source.cache_dir, LoadWay.NEW_DAYS, language=source.language,
                          current=self.shown)  # new days merge into the library shown
        except Exception as err:  # a loader bug must not take the reader down
            self.notify(f"Could not read the new digests: {type(err).__name__}: {strip_controls(str(err))}",
                        severity="error", markup=False)
            return
        assert loaded is not None  # only NEWEST_DAY gives None
        self.host.post_message(LibraryLoaded(loaded))
        store_loaded(loaded, source.cache_dir)  # once shown: the next start reads it whole

    def switch_language(self) -> None:
        """Show the next language of the days written in several (L): read in a thread,
        then the library is read again with that language's AI files."""
        if self.loading_done:
            self.host.run_worker(self._switch_language, thread=True, exclusive=True, group="reload")

    def _switch_language(self) -> None:
        from ...core.library.load import day_languages

        source = self.source
        languages = day_languages(source.paths)
        if len(languages) < 2:
            self.notify("No day here is written in more than one language.", timeout=5, markup=False)
            return
        folded = [lang.casefold() for lang in languages]
        current = (source.language or languages[0]).casefold()
        at = folded.index(current) if current in folded else 0
        source.language = languages[(at + 1) % len(languages)]
        self.notify(strip_controls(f"Summaries in {source.language} (L: next language)"), timeout=5, markup=False)
        self._read_again()

    def pull(self) -> None:
        """Pull new days from the configured sources, in a thread, with progress in the header."""
        if not self.config.sources:
            self.notify("No sources yet: tui-reader source add URL (your fork of the generator).",
                        timeout=6, markup=False)
            return
        self.host.run_worker(self._pull, thread=True, exclusive=True, group="pull")

    def _pull(self) -> None:
        from ...core.sources.pull import PullFailure, PullProgress, pull_sources

        def progress(step: PullProgress) -> None:
            self.host.post_message(StatusChanged(strip_controls(step.line())))

        results = pull_sources(self.config.sources, self.source.library_dir, progress)
        failed = [r for r in results if isinstance(r, PullFailure)]
        # The papers are counted once, by what arrives in the library (arrival_message): the
        # pull's own count takes in papers an earlier day holds already, and would disagree.
        lines = "; ".join(r.summary() if isinstance(r, PullFailure) else r.summary(count_papers=False)
                          for r in results)
        self.host.post_message(PullFinished(message_line(lines) or "Nothing to pull.", bool(failed)))


def arrival_message(papers: list[Paper]) -> str:
    """`2025-12-26: 185 papers new to the library` (per day, the newest first) for papers
    that arrived (a paper the library held already, from an earlier day, is not counted)."""
    by_day: dict[str, int] = {}
    for paper in papers:
        by_day[paper.date or "undated"] = by_day.get(paper.date or "undated", 0) + 1
    days = sorted(by_day, reverse=True)
    parts = [f"{day}: {by_day[day]} {'paper' if by_day[day] == 1 else 'papers'} new to the library"
             for day in days[:ARRIVALS_SHOWN]]
    if len(days) > ARRIVALS_SHOWN:
        rest = sum(by_day[day] for day in days[ARRIVALS_SHOWN:])
        parts.append(f"and {rest} more on {len(days) - ARRIVALS_SHOWN} other days")
    return "; ".join(parts)
