"""LibraryShown: each reading of the library on the main screen (the newest day at start, then
the whole, later a newer reading: new digests, another language), keeping the node, the paper
and the filter (at start: the last session's), and saying what arrived."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.formats.text import strip_controls
from ..services.library_loading import LibraryLoading
from ..services.library_updates import arrival_message
from ..library_view import ALL
from ..loader import build_view
from ..new_papers import show_new_node
from ..session import load_session

if TYPE_CHECKING:
    from ...core.model import Paper
    from ..services.library_updates import LibraryUpdates
    from ..library_view import LibraryView
    from ..loader import Loaded, TypingPause
    from .panes_host import PanesHost
    from .panes_shown import PanesShown
    from .search_session import SearchSession


class LibraryShown:
    """The library's readings, shown one after the other."""

    def __init__(self, host: PanesHost, shown: PanesShown, search: SearchSession, updates: LibraryUpdates) -> None:
        self.host, self.shown, self.search, self.updates = host, shown, search, updates
        self.warnings: list[str] = []
        """The problems met while loading the reading shown (w lists them)."""
        self.arrived_ids: list[str] = []
        """Papers that arrived while the reader ran: the New node (ui/new_papers.py)."""

    def start(self, typing: TypingPause) -> None:
        """The newest day before the first frame when the parse cache has it; the whole in a thread."""
        host = self.host
        host.app.sub_title = "loading…"
        host.paper_list.empty_text = "Loading the library…"
        host.detail.show(None)
        loading = LibraryLoading(host, host.reader.source, typing)
        loaded = loading.newest_day()
        if loaded is not None:
            self.show(loaded)
        if loaded is None or loaded.partial:
            host.call_after_refresh(loading.load_whole)

    def show(self, loaded: Loaded) -> None:
        """Show a reading of the library, keeping the node, the paper and the filter; after
        the start, say what arrived."""
        host, state = self.host, self.host.state
        reloading = host.loading_done
        old = host.view
        key, paper_id = self._position(old)
        view = build_view(loaded)
        host.dwell.library_replaced()  # indices into the view replaced mean nothing in the new one
        self.shown.forget()
        state.replace_library(view)
        self.warnings = loaded.warnings
        self.updates.shown = loaded
        host.loading_done = host.for_you.loading_done = self.updates.loading_done = reloading or not loaded.partial
        host.paper_list.empty_text = "No papers here." if view.papers else "No papers were found in the given files."
        host.category_tree.load(view)
        host.for_you.forget()
        arrived: list[Paper] = []
        if reloading and old is not None:
            arrived = [p for p in view.papers if p.id not in old.index]
            self.arrived_ids.extend(p.id for p in arrived)
            show_new_node(view, host.category_tree, self.arrived_ids)
        else:
            host.app.sub_title = "loading the rest of the library…" if loaded.partial else view.summary()
            if loaded.warnings:
                count = len(loaded.warnings)
                host.app.notify(f"{count} {'problem' if count == 1 else 'problems'} while loading; press w to "
                                f"see them. First: {strip_controls(loaded.warnings[0])[:200]}",
                                severity="warning", timeout=8, markup=False)
        if reloading or (old is not None and (key, paper_id) != self.shown.partial_position):
            # A newer reading, or the reader moved on the newest day while the rest loaded: stay there.
            host.show_node(key if key in view.nodes else ALL, paper_id=paper_id)
        else:
            session = load_session(self.shown.session_file)
            self.search.pending_session = session if session.node and session.node.startswith("search:") else None
            host.show_node(session.node if session.node in view.nodes else ALL, paper_id=session.paper)
        host.category_tree.select_key(host.current_key or ALL)
        if reloading:
            self.shown.header()
        host.call_after_refresh(loaded.painted.set)  # the snapshot is stored once this frame is out
        if loaded.partial and not reloading:
            self.shown.partial_position = self._position(view)
            return
        self._whole_shown(view, reloading, arrived)

    def _whole_shown(self, view: LibraryView, reloading: bool, arrived: list[Paper]) -> None:
        """The whole library (or a newer reading) is in: search it, work out the saved
        searches, start watching the folder, say what arrived."""
        host = self.host
        self.search.library_shown(view)
        config = host.reader.config
        if config.searches or config.watch_keywords or config.watch_authors or config.hide_rules:
            self.search.prepare_saved(view, host.state.marks)
        elif not reloading:
            self.search.index_when_idle()
        if not reloading:
            # After the first frame: the watcher's import and thread, and a pull, cost the
            # first screen nothing.
            host.set_timer(host.reader.timings.watch_delay, self.updates.start_watching)
            if config.pull_on_start and config.sources:
                host.set_timer(host.reader.timings.watch_delay, self.updates.pull)
        if arrived:
            from ..new_day_alert import alert_arrival

            message = arrival_message(arrived)
            host.app.notify(message + "; i shows them (the New node)", timeout=8, markup=False)
            alert_arrival(host.app, config.new_day_alert, message)

    def _position(self, view: LibraryView | None) -> tuple[str | None, str | None]:
        """(node key, id of the highlighted paper) in `view`."""
        index = self.host.paper_list.current
        paper_id = view.papers[index].id if view is not None and index is not None else None
        return self.host.current_key, paper_id
