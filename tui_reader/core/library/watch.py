"""Watching the library folder and opened paths for added, changed and removed digests."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tui_reader.core.library.load import DIGEST_SUFFIXES

DEFAULT_DEBOUNCE_SECONDS = 0.5
"""Changes within this long are reported together (a pull writes a day's files at once)."""
POLL_INTERVAL_SECONDS = 1.0
"""How often the polling fallback looks, where inotify is not available (some network
and container file systems): a second keeps a change's arrival within the two promised."""


def is_digest_path(path: Path) -> bool:
    """True for a file the library would read: a digest suffix and no dot-named part (the
    pull's temporary `.NAME.partial` files, its git mirror and manifest are all dot-named)."""
    return path.suffix.lower() in DIGEST_SUFFIXES and not any(part.startswith(".") for part in path.parts[-8:])


class LibraryWatcher:
    """Calls `on_change(paths)` on its own thread with the set of digest files added,
    changed or removed under the watched folders (recursively) or among the watched files.

    inotify-backed through watchfiles (imported when started), so an idle library costs
    no CPU; where inotify cannot be used (or with force_polling) it stats the watched files
    every second instead (`polling` tells which), comparing mtime in ns, size and inode:
    watchfiles' own poller missed an edit made in the same second as the write before it. A watched
    file is watched through its folder, so an editor that saves by renaming is seen too.
    A path that does not exist is left out (see `unwatched`)."""

    def __init__(self, paths: Iterable[Path | str], on_change: Callable[[set[Path]], None], *,
                 debounce: float = DEFAULT_DEBOUNCE_SECONDS, force_polling: bool = False) -> None:
        self._on_change = on_change
        self._debounce_ms = max(50, int(debounce * 1000))
        self._step_ms = min(100, self._debounce_ms)
        self._force_polling = force_polling
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._roots: list[Path] = []
        self._files: set[Path] = set()
        self._folders: list[Path] = []
        self.unwatched: list[Path] = []
        self.polling = force_polling
        """True when the polling fallback is in use."""
        self.last_error: str | None = None
        """The last problem met (the callback's exception, the watch ending early)."""
        self._ready = threading.Event()
        for raw in paths:
            path = Path(raw).absolute()
            if path.is_dir():
                self._folders.append(path)
                self._roots.append(path)
            elif path.is_file():
                self._files.add(path)
                self._roots.append(path.parent)
            else:
                self.unwatched.append(path)
        self._roots = list(dict.fromkeys(self._roots))

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, wait: float = 2.0) -> None:
        """Start watching on a daemon thread; returns once the watch is set up (or `wait`
        seconds have passed), so a change made right after is not missed."""
        if self.running or not self._roots:
            return
        self._stop.clear()
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, name="library-watcher", daemon=True)
        self._thread.start()
        self._ready.wait(wait)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop watching; the thread ends within about a tenth of a second."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _accept(self, _change: object, name: str) -> bool:
        path = Path(name)
        if path in self._files:
            return True
        if not is_digest_path(path):
            return False
        return any(path.is_relative_to(folder) for folder in self._folders)

    def _batches(self) -> Iterator[set[Path]]:
        """Batches of accepted changed paths until stopped; raises when the watch cannot be
        set up. watchfiles' RustNotify is used directly where it can be, because its public
        `watch()` sets the watch up only at the first `next()`, after which a start() could
        not tell when changes begin to be seen."""
        try:
            from watchfiles._rust_notify import RustNotify
        except ImportError:
            import watchfiles

            self._ready.set()
            for batch in watchfiles.watch(
                *self._roots, watch_filter=self._accept, debounce=self._debounce_ms, step=self._step_ms,
                stop_event=self._stop, raise_interrupt=False, force_polling=False, ignore_permission_denied=True,
            ):
                yield {Path(name) for _change, name in batch}
            return
        with RustNotify([str(p) for p in self._roots], False, False, 1000, True, True) as notify:
            self._ready.set()
            while not self._stop.is_set():
                # No timeout: the Rust side waits on inotify and looks at the stop event every
                # step (a tenth of a second), so an idle watch costs next to nothing.
                raw = notify.watch(self._debounce_ms, self._step_ms, 0, self._stop)
                if isinstance(raw, str):  # "stop", "signal" or "timeout"
                    if raw == "timeout":
                        continue
                    return
                paths = {Path(name) for change, name in raw if self._accept(change, name)}
                if paths:
                    yield paths

    def _snapshot(self) -> dict[Path, tuple[int, int, int]]:
        """(mtime in ns, size, inode) of every watched digest file: a rename over a file,
        an edit in the same second and a same-size rewrite all change one of them."""
        import os

        seen: dict[Path, tuple[int, int, int]] = {}

        def note(path: Path) -> None:
            try:
                st = os.stat(path)
            except OSError:
                return
            seen[path] = (st.st_mtime_ns, st.st_size, st.st_ino)

        for path in self._files:
            note(path)
        for folder in self._folders:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    path = Path(dirpath) / name
                    if is_digest_path(path):
                        note(path)
        return seen

    def _poll(self) -> None:
        """The fallback where inotify is not available: stat the watched files every
        interval (one walk of a year's library takes a few milliseconds)."""
        self.polling = True
        before = self._snapshot()
        self._ready.set()
        while not self._stop.wait(POLL_INTERVAL_SECONDS):
            now = self._snapshot()
            changed = {p for p in before.keys() | now.keys() if before.get(p) != now.get(p)}
            before = now
            if changed:
                self._deliver(changed)

    def _deliver(self, paths: set[Path]) -> None:
        try:
            self._on_change(paths)
        except Exception as err:  # noqa: BLE001 - a bad callback must not end the watch
            self.last_error = f"{type(err).__name__}: {err}"

    def _run(self) -> None:
        if not self._force_polling:
            try:
                for paths in self._batches():
                    self._deliver(paths)
                return
            except Exception as err:  # noqa: BLE001 - inotify unavailable (limits, file system)
                self.last_error = f"{type(err).__name__}: {err}"
        self._poll()
