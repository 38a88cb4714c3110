"""LibraryUpdates: new digests while the reader runs: the library watcher, reading the
library again in a thread, and pulling from the sources (P, pull_on_start)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Paper
from ..core.formats.text import strip_controls
from .loader import Loaded, load_whole_library, store_new_days

if TYPE_CHECKING:
    from ..core.library.watch import LibraryWatcher
    from .screens.main import MainScreen

ARRIVALS_SHOWN = 3
"""Days named one by one in the notification of new papers; more are summed up."""


class LibraryUpdates:
    """Notices and fetches new digests for the main screen, which shows them
    (MainScreen.library_reloaded)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._watcher: LibraryWatcher | None = None
        self.shown: Loaded | None = None
        """The library shown (its files, and what new days are merged into), set by the screen."""

    def start_watching(self) -> None:
        """Watch the library folder and the opened paths: files added, changed or removed
        appear without a restart (see core.library.watch)."""
        try:
            from ..core.library.watch import LibraryWatcher
        except ImportError:  # the watcher's library is missing: the reader still reads
            return
        app = self.screen.app
        library = app.app_paths.library_dir
        watched = list(dict.fromkeys([library, *(Path(p) for p in app.paths)]))
        watcher = LibraryWatcher([p for p in watched if p.exists()], self._files_changed)
        try:
            watcher.start()
        except OSError as err:
            app.notify(f"New digests will not appear until a restart: {strip_controls(str(err))}",
                       severity="warning", timeout=8, markup=False)
            return
        self._watcher = watcher
        self.screen.run_worker(self._catch_up, thread=True, group="catch-up")

    def _catch_up(self) -> None:
        """In a thread, once the watch has begun: files added, changed or removed between
        the load's listing and the watch's start (a pull by another process ending then)
        are read now; no watch event will tell of them."""
        from ..core.library.snapshot import library_files

        read = self.shown.files if self.shown is not None else None
        app = self.screen.app
        if read is not None and dict(library_files(app.paths, [], app.language)[1]) != read:
            self.screen.ui(self.reload)

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def _files_changed(self, paths: object) -> None:
        """From the watcher's thread: some digest files changed."""
        self.screen.ui(self.reload)

    def reload(self) -> None:
        """Read the library again (the parse cache reads only the changed files). The demo
        gives way to the library once it holds digests."""
        from ..core.paths import library_is_empty, reading_demo

        app = self.screen.app
        if reading_demo(app.paths) and not library_is_empty(app.app_paths.library_dir):
            app.paths = [str(app.app_paths.library_dir)]
        if self.screen.loading_done:
            self.screen.run_worker(self._read_again, thread=True, exclusive=True, group="reload")

    def _read_again(self) -> None:
        app = self.screen.app
        reading = app.reading
        try:
            shown = self.shown.snapshot if self.shown is not None else None  # new days merge into it
            loaded = load_whole_library(app.paths, app.app_paths.cache_dir, language=app.language, current=shown)
        except Exception as err:  # a loader bug must not take the reader down
            self.screen.ui(app.notify, f"Could not read the new digests: {type(err).__name__}: "
                                 f"{strip_controls(str(err))}", severity="error", markup=False)
            return
        self.screen.ui(self.screen.library_reloaded, loaded, reading.marks, reading.version)
        store_new_days(loaded, app.app_paths.cache_dir)  # once shown: the next start reads it whole

    def switch_language(self) -> None:
        """Show the next language of the days written in several (L): read in a thread,
        then the library is read again with that language's AI files."""
        if self.screen.loading_done:
            self.screen.run_worker(self._switch_language, thread=True, exclusive=True, group="reload")

    def _switch_language(self) -> None:
        from ..core.library.load import day_languages

        app = self.screen.app
        languages = day_languages(app.paths)
        if len(languages) < 2:
            self.screen.ui(app.notify, "No day here is written in more than one language.", timeout=5,
                           markup=False)
            return
        folded = [lang.casefold() for lang in languages]
        current = (app.language or languages[0]).casefold()
        at = folded.index(current) if current in folded else 0
        app.language = languages[(at + 1) % len(languages)]
        self.screen.ui(app.notify, strip_controls(f"Summaries in {app.language} (L: next language)"),
                       timeout=5, markup=False)
        self._read_again()

    def pull(self) -> None:
        """Pull new days from the configured sources, in a thread, with progress in the header."""
        app = self.screen.app
        if not app.config.sources:
            app.notify("No sources yet: tui-reader source add URL (your fork of the generator).",
                       timeout=6, markup=False)
            return
        self.screen.run_worker(self._pull, thread=True, exclusive=True, group="pull")

    def _pull(self) -> None:
        from ..core.sources.pull import PullFailure, PullProgress, pull_sources

        app = self.screen.app

        def progress(step: PullProgress) -> None:
            self.screen.ui(setattr, app, "sub_title", strip_controls(step.line()))

        results = pull_sources(app.config.sources, app.app_paths.library_dir, progress)
        failed = [r for r in results if isinstance(r, PullFailure)]
        # The papers are counted once, by what arrives in the library (arrival_message): the
        # pull's own count takes in papers an earlier day holds already, and would disagree.
        lines = "; ".join(r.summary() if isinstance(r, PullFailure) else r.summary(count_papers=False)
                          for r in results)
        self.screen.ui(self.screen.update_header)
        self.screen.ui(app.notify, strip_controls(lines) or "Nothing to pull.",
                             severity="error" if failed else "information", timeout=8, markup=False)
        self.screen.ui(self.reload)


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
