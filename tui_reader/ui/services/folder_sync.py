"""FolderSync: exchanging the reading state through the sync folder, in worker threads: at
start, whenever marks were made or some machine's log changed, and once more at quit."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...core.state.store import StoreError
from ...core.formats.text import strip_controls
from ..messages import ServiceHost, SyncFolderChanged


class FolderSync:
    """Marks that arrive reach the screen through the store's change poll, as other
    processes' marks do; problems are told once each, not every few seconds."""

    def __init__(self, host: ServiceHost, state_file: Path, folder: Path, marks_version: Callable[[], int],
                 notify: Callable[..., Any]) -> None:
        self.host, self.state_file, self.folder = host, state_file, folder
        self.marks_version = marks_version
        """Reading.version now: marks made since the last exchange are sent at the next tick."""
        self.notify = notify
        self._signature: frozenset[tuple[str, int, int]] = frozenset()
        self._synced_version = -1
        self._looking = False
        self._problems: list[str] = []

    def start(self, first: float, poll: float) -> None:
        """An exchange `first` seconds after start (after the first frame); then, looking
        every `poll` seconds, whenever a machine's log changed or marks were made."""
        self.host.set_timer(first, self.sync_now)
        self.host.set_interval(poll, self.sync_when_changed)

    @property
    def unsent(self) -> bool:
        """Marks were made since the last exchange."""
        return self.marks_version() != self._synced_version

    def sync_when_changed(self) -> None:
        if self.unsent:
            self.sync_now()
        elif not self._looking:  # listing a folder of 60,000 files takes a while: not here
            self._looking = True
            self.host.run_worker(self._exchange_if_folder_changed, thread=True, group="sync-look",
                                 exit_on_error=False)

    def _exchange_if_folder_changed(self) -> None:
        """In a thread: ask for an exchange when some machine's log changed since the last."""
        from ...core.sync.folder import folder_signature

        try:
            if folder_signature(self.folder) != self._signature:
                self.host.post_message(SyncFolderChanged())
        finally:
            self._looking = False

    def sync_now(self) -> None:
        self._synced_version = self.marks_version()
        self.host.run_worker(self._exchange, thread=True, exclusive=True, group="sync", exit_on_error=False)

    def _exchange(self) -> None:
        """In a thread, on its own connection."""
        from ...core.sync.folder import exchange, folder_signature

        try:
            report = exchange(self.state_file, self.folder)
        except StoreError as err:
            problems = [f"Sync: {err}"]
        except Exception as err:  # noqa: BLE001 - said, not a silent end of syncing
            problems = [f"Sync failed ({type(err).__name__}: {' '.join(str(err).split())[:120]}); "
                        "it is tried again when the folder changes"]
        else:
            problems = [f"Sync: {problem}" for problem in report.problems]
        self._signature = folder_signature(self.folder)
        if problems != self._problems:
            self._problems = problems
            for problem in problems:
                self.notify(strip_controls(problem), severity="warning", timeout=8, markup=False)

    def exchange_at_quit(self) -> None:
        """The last marks go to the folder before the reader ends (waiting 2 s at most for
        another exchange of this home)."""
        from ...core.sync.folder import exchange

        try:
            exchange(self.state_file, self.folder, wait=2.0)
        except Exception:  # noqa: BLE001 - quitting never fails for sync: the next start sends them
            pass
