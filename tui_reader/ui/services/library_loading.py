"""LibraryLoading: the library at start: the newest day before the first frame when the parse
cache has it, then the whole in a thread that gives way to the keyboard, posting its progress
(StatusChanged) and the result (LibraryLoaded)."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ...core.formats.text import strip_controls
from ...core.library.loading import LoadWay
from ..loader import LibrarySource, Loaded, LoadingStopped, TypingPause, load, store_loaded
from ..messages import LibraryLoaded, ServiceHost, StatusChanged

if TYPE_CHECKING:
    from ...core.library.loading import LoadStep

PROGRESS_SECONDS = 0.25
"""The header's loading line changes at most this often (and after the last file)."""


class LibraryLoading:
    def __init__(self, host: ServiceHost, source: LibrarySource, typing: TypingPause) -> None:
        self.host, self.source, self.typing = host, source, typing
        self._progress_shown = 0.0

    def newest_day(self) -> Loaded | None:
        """The newest day from the parse cache, for the first frame (None: wait for the thread)."""
        try:
            return load(self.source.paths, self.source.cache_dir, LoadWay.NEWEST_DAY, language=self.source.language)
        except Exception:  # the thread will try again and report the problem
            return None

    def load_whole(self) -> None:
        """Read every digest in a thread; LibraryLoaded follows (with a warning on failure),
        then a library read the long way is stored as the snapshot for the next start."""
        self.host.run_worker(self._load_whole, thread=True, exclusive=True, group="load")

    def _load_whole(self) -> None:
        source = self.source
        try:
            loaded = load(source.paths, source.cache_dir, LoadWay.WHOLE, progress=self._progress,
                          between_batches=self.typing.wait, language=source.language)
        except LoadingStopped:
            return  # the reader is quitting
        except Exception as err:  # a loader bug must not take the reader down with a traceback
            loaded = Loaded([], [strip_controls(f"Could not load the library: {type(err).__name__}: {err}")])
        assert loaded is not None  # only NEWEST_DAY gives None
        self.host.post_message(LibraryLoaded(loaded))
        try:
            store_loaded(loaded, source.cache_dir, self.typing.wait)
        except LoadingStopped:
            pass  # rolled back: the next start reads the long way

    def _progress(self, step: LoadStep) -> None:
        """Called in the loading thread after each file; shows progress in the header."""
        now = time.monotonic()
        if step.folding or step.files_done == step.files or now - self._progress_shown > PROGRESS_SECONDS:
            self._progress_shown = now
            papers = f"{step.papers:,} papers"
            text = (f"preparing search of {papers}…" if step.folding
                    else f"loading {step.files_done:,}/{step.files:,} files · {papers}…")
            self.host.post_message(StatusChanged(text))
        self.typing.wait()
