"""SimilarScreen: the library's papers most like one paper (More like this, `M`), with why."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.formats.text import one_line, render_latex, strip_controls
from ..keys import SIMILAR, bindings
from .terminal_size import TerminalSized

if TYPE_CHECKING:
    from ...core.model import Paper
    from ...core.rank.similar import Neighbour

SHOWN = 20
"""How many neighbours the screen lists."""


class SimilarScreen(TerminalSized, ModalScreen[None]):
    """Neighbours of one paper, most similar first, each with its score and why; the index
    is built (the first time) in a thread, its progress shown. Enter opens a paper full
    screen; Esc or q closes."""

    BINDINGS = bindings(SIMILAR)
    DEFAULT_CSS = """
    SimilarScreen { align: center middle; }
    SimilarScreen > Vertical { width: 90%; height: 80%; border: round $accent; background: $panel; }
    SimilarScreen #similar-status { height: auto; padding: 0 1; }
    SimilarScreen OptionList { height: 1fr; border: none; }
    """

    def __init__(self, papers: Sequence[Paper], seed: int) -> None:
        super().__init__()
        self.papers = papers
        self.seed = seed
        self.neighbours: list[Neighbour] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Like: " + one_line(strip_controls(render_latex(self.papers[self.seed].title)))[:70]
            yield Static("", id="similar-status", markup=False)
            yield OptionList(id="similar-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._status("Finding similar papers…")
        self._find()

    def _status(self, message: str) -> None:
        self.query_one("#similar-status", Static).update(Text(message))

    @work(thread=True, exclusive=True, group="similar")
    def _find(self) -> None:
        from ...core.rank.similar import similarity_index_for

        def progress(message: str) -> None:
            if message:
                self.app.call_from_thread(self._status, message + "…")

        index = similarity_index_for(self.papers, progress=progress)
        paper_id = self.papers[self.seed].id
        found = index.neighbours(paper_id, SHOWN)
        problem = None if found else index.why_none(paper_id)
        self.app.call_from_thread(self._show, found, problem)

    def _show(self, found: list[Neighbour], problem: str | None) -> None:
        self.neighbours = found
        if not found:
            self._status(f"No paper like this one: {problem or 'none found'}.")
            return
        self._status(f"{len(found)} most similar papers of {len(self.papers)} (Enter opens, Esc closes)")
        options = []
        for neighbour in found:
            paper = self.papers[neighbour.index]
            row = Text(f"{neighbour.score:4.2f}  ", style="bold")
            row.append(one_line(strip_controls(render_latex(paper.title))))
            row.append("\n      " + strip_controls(neighbour.why()), style="dim")
            options.append(Option(row, id=str(neighbour.index)))
        option_list = self.query_one(OptionList)
        option_list.add_options(options)
        option_list.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or self.seed)
        opener = getattr(self.app, "open_paper_full_screen", None)
        if callable(opener):
            opener(index)
