"""ReaderApp: the reader's app: app-wide keys, the marks (through Reading), the store's lifetime."""
from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import events, on
from textual.app import App, SystemCommand
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer

from ..core.config import Config
from ..core.model import Paper, abs_url, pdf_url, safe_link
from ..core.paths import AppPaths, demo_notice, reading_demo
from ..core.state.queue import QueueMove
from ..core.state.store import Mark, Store, StoreError
from ..core.formats.text import strip_controls
from .keys import APP, DETAIL, KEY_TABLE, LIST, MAIN, PANE, PAPER, TRIAGE, bindings, keymap_conflicts
from .loader import LibrarySource
from .folder_sync import FolderSync
from .messages import LinkNotOpened, MarksChanged, SyncFolderChanged
from .reading import MarkingFailed, MarkingPending, Reading
from .screens.main import MainScreen
from .state import ReaderState, ShownPaper
from .timings import ReaderTimings

def _styles_folder() -> Path:
    """The stylesheets' folder: `tui_reader/styles` when installed (setuptools maps the
    checkout's `styles/` there), the checkout's own `styles/` when run from source."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


STYLES = _styles_folder()
"""The stylesheets' folder (a plain path: importlib.resources costs ~2 ms to start)."""
UI_BUSY_WAIT_MS = 150
"""How long a key's write waits for another program's lock before the mark is pending."""
QUIT_BUSY_WAIT_MS = 5000


def over_ssh() -> bool:
    """True when the reader runs in an SSH session (a browser would open on the server)."""
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


class ReaderApp(App[int]):
    """The reader. Construct with the digest paths, where state lives, and the settings.
    The main screen shows the library; the app runs the keys that work on every screen
    showing a paper (marking, links) and owns the store."""

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
        self.state = ReaderState(Reading(_memory_store()))
        """What the reader shows: the library, the marks, the listing (see ui/state.py)."""
        self.open_in_browser: Callable[[str], object] = _open_in_browser
        """How `o` opens a page locally (tests replace it)."""
        self._pending_timer: Timer | None = None
        self.sync: FolderSync | None = None
        """Exchanging marks through the sync folder, when one is set."""

    @property
    def paths(self) -> list[str]:
        return self.source.paths

    @property
    def language(self) -> str | None:
        return self.source.language

    @language.setter
    def language(self, language: str | None) -> None:
        self.source.language = language

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
        self._open_store()
        return MainScreen(id="_default", classes=" ".join(name for name in classes if name))

    def on_mount(self) -> None:
        if not gc.isenabled():  # paused for the start by cli.reader.run_reader
            self.call_after_refresh(_resume_collector)
        self.call_after_refresh(self.main.mount_footer)
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(f"Unknown theme {self.config.theme!r}; using the default.",
                            severity="warning", markup=False)
        if self.config.keymap:
            keymap, problems = keymap_conflicts(self.config.keymap)
            for problem in problems:
                self.notify(problem, severity="warning", timeout=8, markup=False)
            self.set_keymap(keymap)
        if self.config_problem:
            self.notify(strip_controls(self.config_problem), severity="error", timeout=10, markup=False)
        if reading_demo(self.paths):
            self.notify(demo_notice(self.app_paths.library_dir), timeout=15, markup=False)
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

    # -- the store ------------------------------------------------------------------------
    def _open_store(self) -> None:
        try:
            store = Store.open(self.app_paths.state_file, repair=self.repair)
        except StoreError as err:
            self.notify(f"Reading state unavailable: {strip_controls(str(err))}. "
                        "Marks made now will not be kept.", severity="error", timeout=15, markup=False)
            store = _memory_store()
        else:
            if store.notice:
                self.notify(strip_controls(store.notice), severity="warning", timeout=15, markup=False)
        store.wait_at_most(UI_BUSY_WAIT_MS)  # a key never freezes behind another program's write
        self.state.reading = Reading(store)
        try:
            self.reading.load()
        except StoreError as err:
            self.notify(f"Reading state unreadable: {strip_controls(str(err))}", severity="error", markup=False)

    def poll_store(self) -> None:
        """Another process (tui-reader mark, a second reader) changed the state: reload it.
        A state file deleted or replaced under the reader is opened anew, the reader's
        marks carried into it, so nothing marked here is written where nobody reads."""
        if self.main.view is None:
            return
        try:
            if self.reading.store.file_replaced():
                self._reopen_store()
            elif not self.reading.store.changed_elsewhere():
                return
            self.reading.load()
        except StoreError:
            return
        self.main.post_message(MarksChanged(self.state.marks_reloaded()))

    def _reopen_store(self) -> None:
        from ..core.state.backup import merge_record

        store = self.reading.store.reopen(merge_record)
        self.reading.store = store
        message = "The state file was replaced or deleted; it was opened again and your marks kept in it."
        if store.notice:
            message += f" {strip_controls(store.notice)}"
        self.notify(message, severity="warning", timeout=10, markup=False)

    @on(SyncFolderChanged)
    def _sync_folder_changed(self, message: SyncFolderChanged) -> None:
        if self.sync is not None:
            self.sync.sync_now()

    def on_unmount(self) -> None:
        if self.reading.pending:  # at quit, wait as long as a command would for the file
            self.reading.store.wait_at_most(QUIT_BUSY_WAIT_MS)
            try:
                self.reading.retry_pending()
            except MarkingFailed:
                pass
        if self.screen_stack:
            self.main.save_session()
            self.main.updates.stop_watching()
        if self.sync is not None and self.sync.unsent:
            self.sync.exchange_at_quit()
        try:
            self.reading.store.close()
        except StoreError:
            pass

    # -- marking ----------------------------------------------------------------------------
    def _paper_shown(self) -> ShownPaper | None:
        """The paper of the screen in front (the main screen's highlighted one, or the one
        open full screen); None over dialogs and help."""
        current = getattr(self.screen, "current_paper", None)
        return current() if callable(current) else None

    def _changed(self, marks: list[Mark], *, queue: bool = False) -> None:
        """Mirror a change of marks in the state and show it on every screen that shows them
        (`queue`: the reading queue's order may have changed too)."""
        changed = self.state.marks_saved(marks)
        if queue:
            changed = changed | self.state.queue_reordered()
        self.main.post_message(MarksChanged(changed))
        self.main.for_you.rank_soon()
        refresh = getattr(self.screen, "refresh_marks", None)
        shown = self._paper_shown()
        if callable(refresh) and shown is not None:
            mark = self.reading.get(shown.paper.id)
            refresh(mark.note, mark.tags)

    def run_marking(self, change: Callable[[], list[Mark]], failure: str = "Not saved") -> bool:
        """Make one change of marks and show it everywhere; False (with a message) when it
        failed or is pending."""
        try:
            marks = change()
        except MarkingPending as pending:
            self.notify(f"Pending ({pending}): another program is writing the state file; "
                        "it is saved as soon as the file is free.", severity="warning", timeout=4, markup=False)
            if self._pending_timer is None:
                self._pending_timer = self.set_interval(self.timings.pending_retry, self._retry_pending)
            return False
        except MarkingFailed as err:
            self.notify(f"{failure}: {strip_controls(str(err))}", severity="error", markup=False)
            return False
        self._changed(marks)
        return True

    def _retry_pending(self) -> None:
        try:
            marks = self.reading.retry_pending()
        except MarkingFailed as err:
            self.reading.pending.clear()
            self.notify(f"Not saved: {strip_controls(str(err))}", severity="error", markup=False)
            marks = []
        if marks:
            self._changed(marks, queue=True)
        if not self.reading.pending and self._pending_timer is not None:
            self._pending_timer.stop()
            self._pending_timer = None
            self.notify("The pending marks are saved.", timeout=3, markup=False)

    def mark_read(self, indices: list[int], read: bool, *, automatic: bool = False) -> bool:
        """Mark papers (indices into the library) read or unread."""
        if self.state.view is None:
            return False
        return self.run_marking(lambda: self.state.set_read(indices, read, automatic=automatic))

    def move_in_queue(self, paper_id: str, where: QueueMove) -> bool:
        return self.run_marking(lambda: self.state.move_in_queue(paper_id, where), failure="Not moved")

    def action_toggle_read(self) -> None:
        shown = self._paper_shown()
        if shown is None or self.state.view is None:
            return
        self.main.forget_dwell()  # a paper marked unread by hand stays unread
        self.run_marking(lambda: self.state.toggle_read(shown))

    def action_toggle_star(self) -> None:
        shown = self._paper_shown()
        if shown is None or self.state.view is None:
            return
        self.run_marking(lambda: self.state.toggle_star(shown))

    def action_toggle_dismiss(self) -> None:
        shown = self._paper_shown()
        if shown is None:
            return
        self.main.forget_dwell()
        self.run_marking(lambda: self.state.toggle_dismissed(shown))

    def action_undo(self) -> None:
        try:
            undone = self.reading.undo()
        except MarkingFailed as err:
            self.notify(f"Not undone: {strip_controls(str(err))}", severity="error", markup=False)
            return
        if undone is None:
            self.notify("Nothing to undo.", timeout=3, markup=False)
            return
        description, marks = undone
        self.main.forget_dwell()  # an undone automatic mark is not made again at once
        self._changed(marks, queue=True)
        self.notify(f"Undone: {description}", timeout=3, markup=False)

    def action_note(self) -> None:
        def save(paper_id: str, mark: Mark, value: str) -> None:
            note = strip_controls(value)
            if note != mark.note:
                self.run_marking(lambda: self.reading.set_note(paper_id, note))

        if self._edit_note_in_editor(save):
            return
        self._edit_current("Note for {id}", lambda mark: mark.note, save, multiline=True)

    def _edit_note_in_editor(self, save: Callable[[str, Mark, str], None]) -> bool:
        """With $VISUAL or $EDITOR set, the note is written there (the reader suspended, as
        mutt does); False when neither is set or this app cannot suspend (a browser tab)."""
        from .external_editor import chosen_editor, edit_text

        command = chosen_editor()
        shown = self._paper_shown()
        if command is None or shown is None or self.is_web:
            return False
        mark = self.reading.get(shown.paper.id)
        edited = edit_text(self, command, mark.note)
        if edited is None:
            return False
        text, problem = edited
        if text is None:
            self.notify(problem, severity="warning", timeout=6, markup=False)
        else:
            save(shown.paper.id, mark, text)
        return True

    def action_tags(self) -> None:
        def save(paper_id: str, mark: Mark, value: str) -> None:
            tags = [t.strip() for t in strip_controls(value).split(",") if t.strip()]
            if tuple(tags) != mark.tags:
                self.run_marking(lambda: self.reading.set_tags(paper_id, tags))

        self._edit_current("Tags for {id} (comma separated)", lambda mark: ", ".join(mark.tags), save)

    def _edit_current(self, title: str, initial: Callable[[Mark], str],
                      save: Callable[[str, Mark, str], None], multiline: bool = False) -> None:
        """Ask for text about the shown paper; `save(id, mark, text)` when saved."""
        shown = self._paper_shown()
        if shown is None:
            return
        from .screens.dialogs import NoteScreen, PromptScreen

        paper = shown.paper
        mark = self.reading.get(paper.id)

        def done(value: str | None) -> None:
            if value is not None:
                save(paper.id, mark, value)

        from ..core.formats.text import render_latex

        dialog = NoteScreen if multiline else PromptScreen
        named = strip_controls(" ".join(render_latex(paper.title).split()))  # which paper, not only its id
        self.push_screen(dialog(title.format(id=paper.id), initial(mark), paper_title=named), done)

    def action_expand_authors(self) -> None:
        shown = self._paper_shown()
        if shown is None:
            return
        from .widgets.detail_pane import DetailPane

        mark = self.reading.get(shown.paper.id)
        self.screen.query(DetailPane).first().toggle_authors(mark.note, mark.tags)

    def _link(self) -> str | None:
        shown = self._paper_shown()
        return abs_url(shown.paper.id) if shown is not None else None

    def action_open_link(self) -> None:
        url = self._link()
        if url is not None:
            self._open(url)

    def action_open_pdf(self) -> None:
        shown = self._paper_shown()
        if shown is not None:
            self._open(pdf_url(shown.paper.id))

    def action_open_code(self) -> None:
        """The code link found in the abstract, only when it is a plain http(s) link to an
        ASCII host (see core.model.safe_link); anything else stays text in the pane."""
        shown = self._paper_shown()
        if shown is None:
            return
        url = safe_link(shown.paper.code_url) if shown.paper.code_url else None
        if url is None:
            message = "This paper has no code link." if not shown.paper.code_url else \
                "The code link is not a plain web link, so it is only shown, never opened."
            self.notify(message, timeout=4, markup=False)
            return
        self._open(url)

    def _open(self, url: str) -> None:
        """Open a page in the browser; over SSH (where it would open on the server) copy it;
        in a browser tab of `serve`, in a new tab of that browser."""
        if self.is_web:
            self.open_url(url)
            self.notify(f"Opening {url}", timeout=3, markup=False)
            return
        if over_ssh():
            self.copy_to_clipboard(url)
            self.notify(f"Over SSH a browser would open on the server, so the link was copied: {url}",
                        timeout=6, markup=False)
            return
        self.notify(f"Opening {url}", timeout=3, markup=False)
        self.run_worker(lambda: self._open_url(url), thread=True, group="browser")

    def _open_url(self, url: str) -> None:
        """In a thread: open the page; when no browser could, say so and copy the link."""
        try:
            opened = self.open_in_browser(url)
        except Exception:  # webbrowser raises for a broken BROWSER setting
            opened = False
        if not opened:
            self.post_message(LinkNotOpened(url))

    @on(LinkNotOpened)
    def _link_not_opened(self, message: LinkNotOpened) -> None:
        self.copy_to_clipboard(message.url)
        self.notify(f"No browser could open the page; the link was copied: {message.url}", severity="warning",
                    timeout=8, markup=False)

    def action_copy_link(self) -> None:
        url = self._link()
        if url is not None:
            from .clipboard import copied_notice

            self.copy_to_clipboard(url)
            notice, seconds = copied_notice(url)
            self.notify(notice, timeout=seconds, markup=False)

    # -- other screens ----------------------------------------------------------------------
    def action_more_like_this(self) -> None:
        shown = self._paper_shown()
        view = self.main.view
        if shown is not None and view is not None:
            from .screens.similar import SimilarScreen

            self.push_screen(SimilarScreen(view.papers, shown.index))

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
        from .screens.triage import TriageScreen

        yield from super().get_system_commands(screen)
        # A screen's palette lists what works there: triage's keys only in triage.
        wanted = {TRIAGE, APP} if isinstance(screen, TriageScreen) else {PANE, LIST, DETAIL, MAIN, PAPER, APP}
        for entry in KEY_TABLE:
            if entry.id not in ("quit", "help") and entry.owner in wanted:
                target = "app" if entry.owner in ("paper", "app") else "screen"
                yield SystemCommand(entry.description, entry.help,
                                    lambda action=f"{target}.{entry.action}": self.run_action(action))
        from .list_export import export_commands

        def listed() -> list[Paper]:
            papers = self.main.paper_list
            return [papers.papers[row] for row in papers.rows]

        yield from export_commands(self, listed)

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        where = f" to {event.path}" if event.path is not None else " (downloaded by the browser)"
        self.notify(f"Exported {event.name or 'the list'}{where}", timeout=6, markup=False)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self.notify(f"The export failed: {event.exception}", severity="error", timeout=8, markup=False)


def _breakpoint(size: int, breakpoints: list[tuple[int, str]]) -> str | None:
    """The class of the largest breakpoint `size` reaches (as Textual chooses it)."""
    return next((name for start, name in sorted(breakpoints, reverse=True) if size >= start), None)


def _memory_store() -> Store:
    """A store for this session only: used until the state file is open, or instead of it."""
    return Store.in_memory()


def _resume_collector() -> None:
    """After the first frame: what the start made lives as long as the reader, so it is
    frozen out of every later collection pass, and the collector runs again."""
    gc.freeze()
    gc.enable()


def _open_in_browser(url: str) -> object:
    import webbrowser

    return webbrowser.open(url)

