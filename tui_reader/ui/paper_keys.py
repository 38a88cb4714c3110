"""PaperKeys: the keys that act on the paper in front (the PAPER owner of ui/keys.py): its
marks, note, tags, links, authors and More like this, on every screen that shows a paper."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from .links import Links
from .services.marking import Marking
from .state import ReaderState, ShownPaper, ShowsPaper


class PaperKeys:
    """Bound on the main and full-screen paper screens and run by the app (`app.` actions):
    each acts on the paper of the screen in front, and does nothing over dialogs and help.
    `forget_dwell()` stops the dwell rule from marking again what a key just unmarked."""

    def __init__(self, app: App[Any], state: ReaderState, marking: Marking, links: Links,
                 forget_dwell: Callable[[], None]) -> None:
        self.app, self.state, self.marking, self.links = app, state, marking, links
        self.forget_dwell = forget_dwell

    def shown(self) -> ShownPaper | None:
        """The paper of the screen in front (the main screen's highlighted one, the one open
        full screen, triage's); None over dialogs and help."""
        screen = self.app.screen
        return screen.current_paper() if isinstance(screen, ShowsPaper) else None

    # -- marks ------------------------------------------------------------------------------
    def toggle_read(self) -> None:
        shown = self.shown()
        if shown is not None and self.state.view is not None:
            self.forget_dwell()  # a paper marked unread by hand stays unread
            self.marking.run(lambda: self.state.toggle_read(shown))

    def toggle_star(self) -> None:
        shown = self.shown()
        if shown is not None and self.state.view is not None:
            self.marking.run(lambda: self.state.toggle_star(shown))

    def toggle_dismiss(self) -> None:
        shown = self.shown()
        if shown is not None:
            self.forget_dwell()
            self.marking.run(lambda: self.state.toggle_dismissed(shown))

    def undo(self) -> None:
        self.forget_dwell()  # an undone automatic mark is not made again at once
        self.marking.undo()

    def note(self) -> None:
        from .note_dialogs import ask_note

        shown = self.shown()
        if shown is not None:
            paper_id = shown.paper.id
            ask_note(self.app, shown, self.state.mark(paper_id),
                     lambda note: self.marking.run(lambda: self.state.reading.set_note(paper_id, note)))

    def tags(self) -> None:
        from .note_dialogs import ask_tags

        shown = self.shown()
        if shown is not None:
            paper_id = shown.paper.id
            ask_tags(self.app, shown, self.state.mark(paper_id),
                     lambda tags: self.marking.run(lambda: self.state.reading.set_tags(paper_id, tags)))

    # -- what the paper shows, and where it leads -------------------------------------------
    def expand_authors(self) -> None:
        screen = self.app.screen
        if isinstance(screen, ShowsPaper):
            screen.toggle_authors()

    def open_page(self) -> None:
        if (shown := self.shown()) is not None:
            self.links.open_page(shown.paper)

    def open_pdf(self) -> None:
        if (shown := self.shown()) is not None:
            self.links.open_pdf(shown.paper)

    def open_code(self) -> None:
        if (shown := self.shown()) is not None:
            self.links.open_code(shown.paper)

    def copy_page(self) -> None:
        if (shown := self.shown()) is not None:
            self.links.copy_page(shown.paper)

    def more_like_this(self) -> None:
        shown = self.shown()
        view = self.state.view
        if shown is not None and view is not None:
            from .screens.similar import SimilarScreen

            self.app.push_screen(SimilarScreen(view.papers, shown.index))
