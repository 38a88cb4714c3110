"""ReaderApp: composes the tree, list and detail panes and owns the reader's actions."""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Static, Tree

from .. import styles
from ..core.config import Config
from ..core.model import Paper
from ..core.paths import AppPaths
from ..core.text import strip_controls
from .keys import KEY_TABLE, app_bindings
from .library_view import LibraryView
from .loading import LoadingMixin
from .marking import MarkingMixin
from .navigation import NavigationMixin
from .searching import SearchingMixin
from .session import SESSION_FILE, Session, save_session
from .widgets.category_tree import CategoryTree
from .widgets.detail_pane import DetailPane
from .widgets.paper_list import PaperList

STYLES = Path(styles.__file__).parent
"""The stylesheets' folder (a plain path: importlib.resources costs ~2 ms to start)."""
MIN_WIDTH, MIN_HEIGHT = 40, 10
"""Below this the reader shows a message instead of the panes."""
SMALL_WIDTH, SMALL_HEIGHT = 60, 20
"""Below this only the list is shown and Enter opens a paper full screen."""


class ReaderApp(LoadingMixin, NavigationMixin, SearchingMixin, MarkingMixin, App[int]):
    """The reader. Construct with the digest paths, where state lives, and the settings."""

    TITLE = "tui-reader"
    CSS_PATH = [str(STYLES / "reader.tcss")]
    BINDINGS = app_bindings()
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (MIN_WIDTH, "-small"), (SMALL_WIDTH, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny-height"), (MIN_HEIGHT, "-short"), (SMALL_HEIGHT, "-tall")]

    def __init__(self, paths: list[str], app_paths: AppPaths, config: Config | None = None, *,
                 config_problem: str | None = None, repair: bool = True) -> None:
        super().__init__()
        self.paths = list(paths)
        self.app_paths = app_paths
        self.config = config or Config()
        self.config_problem = config_problem
        self.repair = repair
        self.view: LibraryView | None = None
        self.warnings: list[str] = []
        self.current_key: str | None = None
        self.shown_paper_id: str | None = None
        self.search_terms: list[str] = []
        self.search_bar = None
        self.search_index = None
        self.saved_queries: dict[str, object] = {}
        self.watched: set[int] = set()
        self._pending_session: Session | None = None
        """The SearchBar, mounted a moment after loading or at the first `/`."""
        self.session_file = app_paths.cache_dir / SESSION_FILE
        self.open_in_browser: Callable[[str], object] = _open_in_browser
        """How `o` opens a page locally (tests replace it)."""
        self._auto_read_timer: Timer | None = None
        self._pending_focus: Widget | None = None
        self._detail_shown: tuple | None = None
        self._session_timer: Timer | None = None
        self._init_marking()
        self._init_loading()

    # -- layout -----------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        # The breakpoint classes from the start: Textual adds them at the screen's first
        # Resize, after the first frame, so a wide terminal showed the narrow layout first
        # and then laid everything out again.
        width, height = self.size
        classes = (_breakpoint(width, self.HORIZONTAL_BREAKPOINTS), _breakpoint(height, self.VERTICAL_BREAKPOINTS))
        return _MainScreen(id="_default", classes=" ".join(name for name in classes if name))

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Horizontal(id="panes"):
            yield CategoryTree(id="tree")
            with Vertical(id="reading"):
                with Vertical(id="list-column"):
                    yield PaperList(id="papers")
                yield DetailPane(id="detail")
        yield Static(Text(f"The terminal is too small for tui-reader (needs {MIN_WIDTH}×{MIN_HEIGHT}).\n"
                          "Enlarge the window, or press q to quit."), id="too-small")
        # The footer's row, empty in the first frame (as the Footer's own would be: it lists
        # the keys a moment later); the Footer replaces it then, so importing and styling
        # it waits until the list is on screen (~5 ms).
        yield Static(id="footer-room")

    @property
    def tree(self) -> CategoryTree:
        return self.query_one("#tree", CategoryTree)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one("#papers", PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def small_layout(self) -> bool:
        """Only the list is visible; Enter opens papers full screen."""
        width, height = self.size
        return width < SMALL_WIDTH or height < SMALL_HEIGHT

    def panes(self) -> list[Widget]:
        """The panes that can take the focus, left to right."""
        if self.small_layout:  # the tree takes the whole window while it has the focus
            return [self.tree, self.paper_list]
        return [self.tree, self.paper_list, self.detail]

    def on_resize(self) -> None:
        if self.is_mounted and self.screen is self.screen_stack[0]:
            self.screen.set_class(self.small_layout and self.focused is self.tree, "-show-tree")
            if self.small_layout and self.focused is self.detail:
                self.set_focus(self.paper_list)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.keyboard_activity()
        await super().on_event(event)

    def on_descendant_focus(self) -> None:
        self._pending_focus = None
        if self.screen is self.screen_stack[0]:
            self.screen.set_class(self.small_layout and self.focused is self.tree, "-show-tree")

    # -- start ------------------------------------------------------------------------
    def on_mount(self) -> None:
        if not gc.isenabled():  # paused for the start by cli.reader.run_reader
            self.call_after_refresh(_resume_collector)
        self.call_after_refresh(self._mount_footer)
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(f"Unknown theme {self.config.theme!r}; using the default.",
                            severity="warning", markup=False)
        if self.config.keymap:
            known = {entry.id for entry in KEY_TABLE}
            unknown = sorted(set(self.config.keymap) - known)
            if unknown:
                self.notify(f"Settings: unknown key binding id {unknown[0]!r} (see ? help)",
                            severity="warning", markup=False)
            self.set_keymap({k: v for k, v in self.config.keymap.items() if k in known})
        if self.config_problem:
            self.notify(strip_controls(self.config_problem), severity="error", timeout=10, markup=False)
        self.sub_title = "loading…"
        self.paper_list.empty_text = "Loading the library…"
        self.detail.show(None)
        self.paper_list.focus()
        self._start_loading()

    def _mount_footer(self) -> None:
        """After the first frame: the Footer in the row kept for it."""
        from textual.widgets import Footer

        main = self.screen_stack[0]
        room = main.query_one("#footer-room", Static)
        footer = Footer(show_command_palette=False)  # ^p still opens the palette
        main.mount(footer, before=room)
        room.remove()
        # The focus was given before the Footer listened: it asks for the keys once mounted.
        footer.call_later(footer.refresh_bindings)

    def marks_changed(self) -> None:
        """After any marking: header, detail pane and the search's copy of the marks."""
        self.update_summary()
        self.refresh_detail()
        if self.search_bar is not None:
            self.search_bar.set_marks(self.marks)

    def update_summary(self) -> None:
        if self.view is not None:
            self.sub_title = self.view.summary()

    # -- nodes and papers ---------------------------------------------------------------
    def show_node(self, key: str, *, paper_id: str | None = None, index: int | None = None) -> None:
        """List the papers of a node, with the cursor on a paper when given."""
        assert self.view is not None
        self.current_key = key
        if key in self.saved_queries and self.search_index is not None:
            # A saved search lists what it matches now (is:unread changes as you read).
            members = self.search_index.search(self.saved_queries[key], self.marks)
            self.view.set_search_members(key, self.view.nodes[key].label, members)
            self.tree.refresh_counts([key])
        rows = self.view.papers_of(key)
        if paper_id is not None and paper_id in self.view.index:
            index = self.view.index[paper_id]
        cursor = 0
        if index is not None and index in rows:
            cursor = rows.index(index)
        self.paper_list.set_rows(self.view.papers, rows, cursor)
        self._update_search_scope()
        self._save_session_soon()

    @on(Tree.NodeHighlighted, "#tree")
    def _node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        key = event.node.data
        if self.view is not None and key and key != self.current_key:
            self.show_node(key)

    @on(PaperList.PaperHighlighted)
    def _paper_highlighted(self, event: PaperList.PaperHighlighted) -> None:
        self.show_paper(event.index)

    @on(PaperList.PaperClicked)
    def _paper_clicked(self, event: PaperList.PaperClicked) -> None:
        self.action_open()

    def current_paper(self) -> tuple[int, Paper] | None:
        """The highlighted paper (index into the library's list, paper)."""
        index = self.paper_list.current
        if index is None or self.view is None:
            return None
        return index, self.view.papers[index]

    def show_paper(self, index: int | None, *, keep_scroll: bool = False) -> None:
        """Put a paper in the detail pane and start its auto-read timer."""
        if self._auto_read_timer is not None:
            self._auto_read_timer.stop()
            self._auto_read_timer = None
        if index is None or self.view is None:
            self._detail_shown = None
            self.detail.show(None)
            return
        paper = self.view.papers[index]
        mark = self.marks.get(paper.id)
        shown = (index, paper, tuple(self.search_terms), mark)
        if shown == self._detail_shown and not keep_scroll:
            return  # already on screen (a key showed it before its PaperHighlighted arrived)
        self._detail_shown = shown
        self.shown_paper_id = paper.id
        self.detail.show(paper, index, note=mark.note if mark else "", tags=mark.tags if mark else (),
                         keep_scroll=keep_scroll)
        if not keep_scroll:
            self._save_session_soon()
            if not self.small_layout:
                self._start_auto_read(index)

    def _start_auto_read(self, index: int) -> None:
        delay = self.config.auto_read_delay
        if delay is None or self.view is None or self.view.read[index]:
            return
        self._auto_read_timer = self.set_timer(delay, lambda: self._auto_read(index))

    def _auto_read(self, index: int) -> None:
        self._auto_read_timer = None
        if self.paper_list.current == index and self.view is not None and not self.view.read[index]:
            self.mark_read([index], True, undoable=False)

    def refresh_detail(self) -> None:
        """Redraw the detail pane after the current paper's marks changed."""
        current = self.current_paper()
        if current is not None and self.detail.index == current[0]:
            self.show_paper(current[0], keep_scroll=True)

    # -- session ------------------------------------------------------------------------
    def _save_session_soon(self) -> None:
        if self._session_timer is not None:
            self._session_timer.stop()
        self._session_timer = self.set_timer(0.5, self.save_session)

    def save_session(self) -> None:
        """Remember the node and paper for the next start."""
        if self.current_key is not None:
            save_session(self.session_file, Session(self.current_key, self.shown_paper_id))

    def on_unmount(self) -> None:
        if self.view is not None:
            self.save_session()
        self._close_store()

    # -- other screens ----------------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.config.keymap))

    def action_warnings(self) -> None:
        from .screens.warnings import WarningsScreen

        self.push_screen(WarningsScreen(self.warnings))

    def action_quit(self) -> None:
        if self.view is not None:
            self.save_session()
        self.exit(0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reader keys act on the main screen; over a dialog only a few make sense."""
        if action in _READER_ACTIONS and len(self.screen_stack) > 1 and action not in _ANYWHERE:
            from .screens.paper import PaperScreen

            return isinstance(self.screen, PaperScreen) and action in _ON_PAPER_SCREEN
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for entry in KEY_TABLE:
            if entry.id not in ("quit", "help"):
                yield SystemCommand(entry.description, entry.help,
                                    lambda action=entry.action: self.run_action(action))


def _breakpoint(size: int, breakpoints: list[tuple[int, str]]) -> str | None:
    """The class of the largest breakpoint `size` reaches (as Textual chooses it)."""
    return next((name for start, name in sorted(breakpoints, reverse=True) if size >= start), None)


class _MainScreen(Screen):
    """The panes' screen. The list takes the focus as the panes appear: by default the first
    focusable widget (the tree) would, and handing it on costs a blur, a focus and a restyle
    of both panes before the first frame."""

    AUTO_FOCUS = "#papers"


_READER_ACTIONS = frozenset(entry.action for entry in KEY_TABLE)
_ANYWHERE = frozenset({"quit"})
_ON_PAPER_SCREEN = frozenset({"toggle_read", "toggle_star", "undo", "open_link", "copy_link", "note", "tags",
                              "expand_authors"})


def _resume_collector() -> None:
    """After the first frame: what the start made lives as long as the reader, so it is
    frozen out of every later collection pass, and the collector runs again."""
    gc.freeze()
    gc.enable()


def _open_in_browser(url: str) -> object:
    import webbrowser

    return webbrowser.open(url)
