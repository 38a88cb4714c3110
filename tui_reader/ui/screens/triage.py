"""TriageScreen: a node's unread papers one at a time, full width, a key each to decide
(j/k and the page keys scroll the paper itself)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...core.model import Paper
from ..keys import TRIAGE, bindings
from ..reader_host import Reader
from ..state import ShownPaper
from ..widgets.detail_pane import DetailPane
from .terminal_size import TerminalSized


class TriageScreen(TerminalSized, Screen[int | None]):
    """Star, dismiss, read or skip each paper in turn; a count of what is left. Leaving
    (Esc) returns to the list as it was; the result is the paper last shown."""

    BINDINGS = bindings(TRIAGE)
    DEFAULT_CSS = """
    TriageScreen #triage-status { height: 1; background: $boost; padding: 0 1; }
    TriageScreen DetailPane { height: 1fr; overflow-y: scroll; }  /* one text width from paper to paper, no layout per decision */
    """

    @property
    def reader(self) -> Reader:
        """The app, as the reader it is (its state, settings and marking)."""
        return cast(Reader, self.app)

    def __init__(self, library: Sequence[Paper], papers: list[int], title: str, *,
                 about: Callable[[int], tuple[tuple[str, str], ...]] = lambda index: ()) -> None:
        super().__init__()
        self.library = library
        self.papers = papers
        """Indices into `library` of the papers to triage, in order."""
        self.about = about
        """What the detail pane adds about a paper (why For you ranks it so)."""
        self.title_text = title
        self.position = 0
        self.decided: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="triage-status")
        yield DetailPane(id="triage-detail")
        yield Footer(show_command_palette=False)  # ^p still opens it; 80 columns hold every key

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def on_mount(self) -> None:
        self._show()
        self.detail.focus()

    def current_paper(self) -> ShownPaper | None:
        if self.position >= len(self.papers):
            return None
        index = self.papers[self.position]
        return ShownPaper(index, self.library[index])

    def toggle_authors(self) -> None:
        current = self.current_paper()
        if current is not None:
            mark = self.reader.state.mark(current.paper.id)
            self.detail.toggle_authors(mark.note, mark.tags)

    def _show(self) -> None:
        current = self.current_paper()
        left = len(self.papers) - len(self.decided)
        status = Text(f"Triage · {self.title_text} · ", style="bold")
        if current is None:
            status.append(f"done: {len(self.decided)} decided, nothing left. Esc returns.")
            self.detail.show(None)
        else:
            status.append(f"{self.position + 1}/{len(self.papers)} · {left} left")
            decided = self.decided.get(current.index)
            if decided:
                status.append(f" · this one: {decided}", style="italic")
            mark = self.reader.reading.get(current.paper.id)
            self.detail.show(current.paper, current.index, note=mark.note, tags=mark.tags,
                             about=self.about(current.index))
        self.query_one("#triage-status", Static).update(status)

    def _decide(self, word: str, change: object) -> None:
        current = self.current_paper()
        if current is None:
            return
        if change is None or self.reader.run_marking(change):  # type: ignore[arg-type]
            self.decided[current.index] = word
            self._advance(1)

    def _advance(self, step: int) -> None:
        self.position = max(0, min(len(self.papers), self.position + step))
        self._show()

    def action_star(self) -> None:
        current = self.current_paper()
        if current is not None:
            paper_id = current.paper.id
            if self.reader.reading.get(paper_id).starred:
                self._decide("starred", None)
            else:
                self._decide("starred", lambda: self.reader.reading.set_starred(paper_id, True))

    def action_not_interested(self) -> None:
        current = self.current_paper()
        if current is not None:
            paper_id = current.paper.id
            self._decide("not interested", lambda: self.reader.reading.set_dismissed(paper_id, True))

    def action_read(self) -> None:
        current = self.current_paper()
        if current is not None:
            paper_id = current.paper.id
            self._decide("read", lambda: self.reader.reading.set_read([paper_id], True))

    def action_skip(self) -> None:
        current = self.current_paper()
        if current is not None:
            self.decided.setdefault(current.index, "skipped")
            self._advance(1)

    @on(DetailPane.BackRequested)
    def _escaped(self, event: DetailPane.BackRequested) -> None:
        if self.is_active:  # a key may have left already (see PaperScreen._back)
            self.action_leave()

    def action_back(self) -> None:
        self._advance(-1)

    def action_leave(self) -> None:
        current = self.current_paper()
        self.dismiss(current.index if current is not None else None)
