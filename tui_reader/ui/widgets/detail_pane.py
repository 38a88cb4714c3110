"""DetailPane: one paper in full: title, authors, metadata, TL;DR, summary fields, abstract."""
from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.model import Paper, abs_url
from ...core.text import render_latex
from ..keys import pane_bindings

AUTHORS_FOLDED = 12
"""Papers with more authors than this show the first few until expanded."""

FOLD_CHARS = 20_000
"""A field longer than this shows its start until expanded (a): wrapping a 1 MB abstract
takes seconds, and every move onto the paper or resize would wait for it."""

SECTIONS = (("Motivation", "motivation"), ("Method", "method"), ("Result", "result"),
            ("Conclusion", "conclusion"))


def fold_authors(authors: list[str], expanded: bool) -> Text:
    """The author line; long lists are folded to the first ten with a count of the rest."""
    if expanded or len(authors) <= AUTHORS_FOLDED:
        return Text(", ".join(authors))
    text = Text(", ".join(authors[:10]))
    text.append(f" … and {len(authors) - 10} more (a: show all)", style="italic")
    return text


def paper_header(paper: Paper, expanded_authors: bool, note: str = "", tags: tuple[str, ...] = ()) -> Text:
    """Authors and the metadata lines of a paper, as data-only Text."""
    text = Text()
    if paper.authors:
        text.append_text(fold_authors(paper.authors, expanded_authors))
        text.append("\n\n")
    cats = list(dict.fromkeys([paper.category, *paper.categories]))
    cats = [c for c in cats if c]
    if cats:
        text.append("Category ", style="bold")
        text.append(" · ".join(cats) + "\n")
    if paper.dates:
        text.append("Date     ", style="bold")
        text.append(", ".join(paper.dates) + "\n")
    text.append("arXiv    ", style="bold")
    text.append(paper.id + (f"v{paper.version}" if paper.version else "") + "  ")
    text.append(paper.url or abs_url(paper.id), style="underline")
    if tags:
        text.append("\nTags     ", style="bold")
        text.append(", ".join(tags))
    if note:
        text.append("\nNote     ", style="bold")
        text.append(note)
    return text


def fold_long(text: str, expanded: bool) -> Text:
    """A field's text, cut near FOLD_CHARS characters (at a word) with a note unless expanded."""
    if expanded or len(text) <= FOLD_CHARS:
        return Text(text)
    cut = text.rfind(" ", FOLD_CHARS - 200, FOLD_CHARS)  # at a word when one is near
    cut = cut if cut > 0 else FOLD_CHARS
    folded = Text(text[:cut])
    folded.append(f" … {len(text) - cut:,} more characters (a: show all)", style="italic")
    return folded


def paper_body(paper: Paper, expanded: bool = False) -> Text:
    """Motivation, Method, Result, Conclusion and the Abstract, paragraphs kept; a huge
    field is folded to its first FOLD_CHARS characters unless `expanded`."""
    text = Text()
    for heading, name in (*SECTIONS, ("Abstract", "abstract")):
        value = getattr(paper, name)
        if not value:
            continue
        if text:
            text.append("\n\n")
        text.append(heading + "\n", style="bold underline")
        text.append_text(fold_long(render_latex(value), expanded))
    return text


class DetailPane(VerticalScroll, can_focus=True, inherit_bindings=False):
    """Scrollable view of one paper; keys come from the app (ui/keys.py)."""

    BINDINGS = pane_bindings("detail")

    DEFAULT_CSS = """
    DetailPane { background: $surface; padding: 0 1; }
    DetailPane > #detail-title { text-style: bold; color: $text; margin: 0 0 1 0; }
    DetailPane > #detail-tldr { background: $boost; border-left: thick $accent; padding: 0 1; margin: 1 0; }
    DetailPane > .-empty { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        self.index: int | None = None
        self.expanded_authors = False
        self.decorate: Callable[[Text], None] = lambda text: None
        """Hook that may style shown text (search matches)."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title", markup=False)
        yield Static(id="detail-meta", markup=False)
        yield Static(id="detail-tldr", markup=False)
        yield Static(id="detail-body", markup=False)

    def show(self, paper: Paper | None, index: int | None = None, *, note: str = "",
             tags: tuple[str, ...] = (), keep_scroll: bool = False) -> None:
        """Show a paper (None: an empty pane); a new paper starts folded and at the top."""
        with self.app.batch_update():  # one repaint for the four parts, not four
            self._show(paper, index, note, tags, keep_scroll)

    def _show(self, paper: Paper | None, index: int | None, note: str, tags: tuple[str, ...],
              keep_scroll: bool) -> None:
        if index != self.index:
            self.expanded_authors = False
            keep_scroll = False
        self.paper, self.index = paper, index
        title = self.query_one("#detail-title", Static)
        meta = self.query_one("#detail-meta", Static)
        tldr = self.query_one("#detail-tldr", Static)
        body = self.query_one("#detail-body", Static)
        if paper is None:
            title.update(Text("No paper selected.", style="italic"))
            for widget in (meta, tldr, body):
                widget.update(Text())
                widget.set_class(True, "-empty")
            return
        title_text = fold_long(" ".join(render_latex(paper.title).split()) or paper.id, self.expanded_authors)
        self.decorate(title_text)
        title.update(title_text)
        meta.update(paper_header(paper, self.expanded_authors, note, tags))
        meta.set_class(False, "-empty")
        tldr_text = Text("TL;DR ", style="bold")
        tldr_text.append_text(fold_long(render_latex(paper.tldr), self.expanded_authors))
        self.decorate(tldr_text)
        tldr.update(tldr_text if paper.tldr else Text())
        tldr.set_class(not paper.tldr, "-empty")
        body_text = paper_body(paper, self.expanded_authors)
        self.decorate(body_text)
        body.update(body_text)
        body.set_class(not body_text, "-empty")
        if not keep_scroll:
            self.scroll_home(animate=False, immediate=True)

    def toggle_authors(self, note: str = "", tags: tuple[str, ...] = ()) -> None:
        """Expand or fold a long author list (and any very long field)."""
        self.expanded_authors = not self.expanded_authors
        if self.paper is not None:
            self.show(self.paper, self.index, note=note, tags=tags, keep_scroll=True)

    @property
    def at_end(self) -> bool:
        """True when the last line of the paper is visible."""
        return self.scroll_y >= self.max_scroll_y

    def plain_text(self) -> str:
        """Everything shown, as plain text (for tests and copy)."""
        parts = []
        for static in self.query(Static):
            if not static.has_class("-empty"):
                content = static.content
                parts.append(content.plain if isinstance(content, Text) else str(content))
        return "\n".join(parts)
