"""ReaderApp: the reader's app: app-wide keys, the store's lifetime, the services that span
screens (marking, sync, links, the paper keys); the main screen shows the library."""
from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import events, on
from textual.app import App, SystemCommand
from textual.reactive import Reactive
from textual.screen import Screen

from ..core.collector import end_start_pause
from ..core.config import Config
from ..core.paths import AppPaths
from ..core.state.queue import QueueMove
from ..core.state.store import Mark, Store
from .services.folder_sync import FolderSync
from .job_control import handle_between_callbacks
from .keys import APP, bindings
from .links import Links, open_in_browser
from .list_export import tell_delivered, tell_not_delivered
from .loader import LibrarySource
from .services.marking import Marking
from .messages import LinkNotOpened, MarksChanged, SyncFolderChanged
from .paper_keys import PaperKeys
from .reading import Reading
from .screens.main import MainScreen
from .start_settings import apply_start_settings
from .state import ReaderState, ShownPaper
from .state_file import close_quietly, open_reading, reload_if_changed
from .timings import ReaderTimings


def _styles_folder() -> Path:
    """The stylesheets' folder: `tui_reader/styles` when installed (setuptools maps the
    checkout's `styles/` there), the checkout's own `styles/` when run from source."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


STYLES = _styles_folder()
"""The stylesheets' folder (a plain path: importlib.resources costs ~2 ms to start)."""


class ReaderApp(App[int]):
    """The reader. Construct with the digest paths, where state lives, and the settings.
    The main screen shows the library; the app runs the keys that work on every screen
    showing a paper (PaperKeys: marking, links) and owns the store and the state."""

    TITLE = "tui-reader"
    CSS_PATH = [str(STYLES / "reader.tcss")]
    BINDINGS = bindings(APP)
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)
    """As App's, but a change repaints only the header's line (ReaderHeader watches it), not
    the whole screen: it holds the cursor's position, which every `j` moves (a full repaint
    took 50-60 ms a key at 160x50)."""

    def __init__(self, paths: list[str], app_paths: AppPaths, config: Config | None = None, *,
                 config_problem: str | None = None, repair: bool = True,
                 timings: ReaderTimings | None = None) -> None:
        super().__init__()
        self.timings = timings or ReaderTimings()
        """Every delay and poll interval (tests give zeros: see ui/timings.py)."""
        self.app_paths = app_paths
        from ..core.rank.ranker import features_file
        from ..core.rank.similar import use_features_file

        use_features_file(features_file(app_paths.cache_dir))  # more like this keeps what For you hashed
        self.config = config or Config()
        self.config_problem = config_problem
        self.source = LibrarySource(list(paths), app_paths.cache_dir, app_paths.library_dir, self.config.language)
        """Where the library is read from, in which language (L switches)."""
        self.repair = repair
        self.state = ReaderState(Reading(Store.in_memory()))
        """What the reader shows: the library, the marks, the listing (see ui/state.py)."""
        self.open_in_browser = open_in_browser
        """How `o` opens a page locally (tests replace it)."""
        self.links = Links(self, lambda url: self.open_in_browser(url))
        self.marking = Marking(self, self.state, self.notify, self._deliver, self.timings.pending_retry)
        self.paper_keys = PaperKeys(self, self.state, self.marking, self.links, lambda: self.main.forget_dwell())
        self.sync: FolderSync | None = None
        """Exchanging marks through the sync folder, when one is set."""

    @property
    def reading(self) -> Reading:
        """The marks' writer (the store, undo, pending writes); the state's."""
        return self.state.reading

    @property
    def main(self) -> MainScreen:
        """The library's screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    # -- start --------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        # The breakpoint classes from the start: Textual adds them at the screen's first
        # Resize, after the first frame, so a wide terminal showed the narrow layout first
        # and then laid everything out again.
        width, height = self.size
        classes = (_breakpoint(width, MainScreen.HORIZONTAL_BREAKPOINTS),
                   _breakpoint(height, MainScreen.VERTICAL_BREAKPOINTS))
        self.state.reading = open_reading(self.app_paths.state_file, self.repair, self.notify)
        return MainScreen(id="_default", classes=" ".join(name for name in classes if name))

    def on_mount(self) -> None:
        handle_between_callbacks(asyncio.get_running_loop(), self._driver)
        if not gc.isenabled():  # paused for the start by cli.reader.run_reader
            self.call_after_refresh(end_start_pause)
        self.call_after_refresh(self.main.mount_footer)
        apply_start_settings(self, self.config, self.config_problem, self.source.paths,
                             self.app_paths.library_dir)
        self.set_interval(self.timings.store_poll, self.poll_store)
        if self.config.sync_folder and not self.reading.store.read_only:
            folder = Path(self.config.sync_folder).expanduser()
            self.sync = FolderSync(self, self.app_paths.state_file, folder, lambda: self.reading.version,
                                   self.notify)
            self.sync.start(self.timings.sync_first, self.timings.sync_poll)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.screen_stack:
            self.main.user_input()
        await super().on_event(event)

    def poll_store(self) -> None:
        """Another process changed the state file (or replaced it): show its marks."""
        if self.state.view is not None and reload_if_changed(self.reading, self.notify):
            self.main.post_message(MarksChanged(self.state.marks_reloaded()))

    @on(SyncFolderChanged)
    def _sync_folder_changed(self, message: SyncFolderChanged) -> None:
        if self.sync is not None:
            self.sync.sync_now()

    @on(LinkNotOpened)
    def _link_not_opened(self, message: LinkNotOpened) -> None:
        self.links.not_opened(message.url)

    def on_unmount(self) -> None:
        self.marking.save_pending_at_quit()
        if self.sync is not None and self.sync.unsent:
            self.sync.exchange_at_quit()
        close_quietly(self.reading)

    # -- marking --------------------------------------------------------------------------
    def _deliver(self, message: MarksChanged) -> None:
        """A change of marks, to the main screen and to the screen in front (a full-screen
        paper shows its note and tags)."""
        self.main.post_message(message)
        if self.screen is not self.main:
            self.screen.post_message(MarksChanged(message.changed, message.marks, by_hand=False))

    def run_marking(self, change: Callable[[], list[Mark]], failure: str = "Not saved") -> bool:
        return self.marking.run(change, failure)

    def mark_read(self, indices: list[int], read: bool, *, automatic: bool = False) -> bool:
        """Mark papers (indices into the library) read or unread."""
        if self.state.view is None:
            return False
        return self.marking.run(lambda: self.state.set_read(indices, read, automatic=automatic))

    def move_in_queue(self, paper_id: str, where: QueueMove) -> bool:
        return self.marking.run(lambda: self.state.move_in_queue(paper_id, where), failure="Not moved")

    # -- the paper in front: PaperKeys runs the PAPER keys (ui/paper_keys.py) ---------------
    def action_toggle_read(self) -> None:
        self.paper_keys.toggle_read()

    def action_toggle_star(self) -> None:
        self.paper_keys.toggle_star()

    def action_toggle_dismiss(self) -> None:
        self.paper_keys.toggle_dismiss()

    def action_undo(self) -> None:
        self.paper_keys.undo()

    def action_note(self) -> None:
        self.paper_keys.note()

    def action_tags(self) -> None:
        self.paper_keys.tags()

    def action_expand_authors(self) -> None:
        self.paper_keys.expand_authors()

    def action_open_link(self) -> None:
        self.paper_keys.open_page()

    def action_open_pdf(self) -> None:
        self.paper_keys.open_pdf()

    def action_open_code(self) -> None:
        self.paper_keys.open_code()

    def action_copy_link(self) -> None:
        self.paper_keys.copy_page()

    def action_more_like_this(self) -> None:
        self.paper_keys.more_like_this()

    # -- other screens ----------------------------------------------------------------------
    def open_paper_full_screen(self, index: int) -> None:
        """Open one paper of the library full screen (from More like this)."""
        view = self.main.view
        if view is not None:
            self.main.open_full_screen(ShownPaper(index, view.papers[index]))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.config.keymap, library=self.app_paths.library_dir))

    async def action_quit(self) -> None:
        if self.screen_stack:
            self.main.save_session()
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from .palette import reader_commands

        yield from super().get_system_commands(screen)
        yield from reader_commands(self, screen, self.main.paper_list.listed)

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        tell_delivered(self, event.name, event.path)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        tell_not_delivered(self, event.exception)


def _breakpoint(size: int, breakpoints: list[tuple[int, str]]) -> str | None:
    """The class of the largest breakpoint `size` reaches (as Textual chooses it)."""
    return next((name for start, name in sorted(breakpoints, reverse=True) if size >= start), None)

