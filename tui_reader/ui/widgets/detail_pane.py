"""DetailPane: one paper in full: title, comment, authors, TL;DR, metadata, summary fields, abstract."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.formats.importance import shown_importance
from ...core.model import Paper, abs_url, field_label
from ...core.formats.text import render_latex
from textual.message import Message

from .steady_scrollbars import SteadyScrollbars
from ..keys import DETAIL, PANE, bindings

AUTHORS_FOLDED = 12
"""Papers with more authors than this show the first few until expanded."""

FOLD_CHARS = 20_000
"""A field longer than this shows its start until expanded (a): wrapping a 1 MB abstract
takes seconds, and every move onto the paper or resize would wait for it."""
COMMENT_CHARS = 400
"""A comment longer than this (arXiv's are a line or two) shows its start until expanded."""

SECTIONS = (("Motivation", "motivation"), ("Method", "method"), ("Result", "result"),
            ("Conclusion", "conclusion"))


def authors_line(authors: list[str], width: int) -> Text:
    """The authors on one row of `width` cells: as many whole names as fit, then `+N (a)`."""
    whole = ", ".join(authors)
    if cell_len(whole) <= width:
        return Text(whole)
    for shown in range(len(authors) - 1, 0, -1):
        rest = Text(f" +{len(authors) - shown} (a: all)", style="italic")
        names = ", ".join(authors[:shown])
        if cell_len(names) + rest.cell_len <= width:
            return Text(names).append_text(rest)
    rest = Text(f" +{len(authors) - 1} (a: all)", style="italic")
    first = Text(authors[0])
    first.truncate(max(1, width - rest.cell_len), overflow="ellipsis")
    return first.append_text(rest)


def fold_authors(authors: list[str], expanded: bool) -> Text:
    """The author line; long lists are folded to the first ten with a count of the rest."""
    if expanded or len(authors) <= AUTHORS_FOLDED:
        return Text(", ".join(authors))
    text = Text(", ".join(authors[:10]))
    text.append(f" … and {len(authors) - 10} more (a: show all)", style="italic")
    return text


_NO_LINE_START = frozenset("，。、；：？！）」』】〉》,.;:?!)")
"""Punctuation a CJK line may not begin with: it stays with the character before it."""


def wrap_cells(text: Text, console: Console, width: int) -> list[Text]:
    """Text wrapped to `width` cells. Text without wide characters goes to Rich's wrap;
    text with them (Chinese, Japanese: no spaces between words) breaks between any two
    wide characters, at spaces between other words, and never inside a character."""
    plain = text.plain
    if cell_len(plain) == len(plain):
        return list(text.wrap(console, width))
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        cuts = _wide_cuts(paragraph.plain, width)
        pieces = paragraph.divide(cuts) if cuts else [paragraph]
        for piece in pieces:
            piece.rstrip()
            lines.append(piece)
    return lines


def _wide_cuts(plain: str, width: int) -> list[int]:
    """Offsets where a line of text holding wide characters starts a new row: between any
    two wide characters, before or after one, or after a space; a Latin word or number
    among them (`Myerson`, `WAN2.1`) is never split unless it is wider than a row."""
    # Each character's width is looked up once (this walk ran three lookups and a call per
    # character: most of a Chinese paper's layout, which every move onto it pays).
    sizes = list(map(get_character_cell_size, plain))
    length = len(plain)

    def may_break(i: int) -> bool:
        """A row may start at `i`: after a space, or next to a wide character."""
        return plain[i - 1] == " " or sizes[i] > 1 or sizes[i - 1] > 1

    cuts: list[int] = []
    start, cells, last_break, i = 0, 0, -1, 0
    while i < length:
        size = sizes[i]
        if i > start and (size > 1 or sizes[i - 1] > 1 or plain[i - 1] == " "):
            last_break = i
        if cells + size > width and i > start:
            cut = i
            if i != last_break and plain[i] != " " and last_break > start:
                cut = last_break  # back to the start of the Latin word
            if plain[cut] in _NO_LINE_START:  # closing punctuation stays with what it closes
                back = cut - 1
                while back > start and not may_break(back):
                    back -= 1
                cut = back if back > start else cut
            while cut < length and plain[cut] == " ":
                cut += 1
            if cut >= length:
                break
            cuts.append(cut)
            start, cells, last_break, i = cut, 0, -1, cut
            continue
        cells += size
        i += 1
    return cuts


def star_count(stars: int) -> str:
    """1234 -> 1.2k, 12500 -> 12.5k, 1200000 -> 1.2M: a repository's stars at a glance."""
    for size, unit in ((1_000_000, "M"), (1_000, "k")):
        if stars >= size:
            shown = f"{stars / size:.1f}".removesuffix(".0")
            return shown + unit
    return str(stars)


def code_line(paper: Paper) -> Text:
    """`github.com/owner/repo ★ 1.2k · updated 2025-12-20`; a link to another host (or a
    host that is not plain ASCII, which could imitate one) is shown whole, as plain text."""
    parts = urlsplit(paper.code_url)
    host = (parts.hostname or "").lower()
    text = Text()
    if host in ("github.com", "www.github.com") and parts.path.strip("/") and paper.code_url.isascii():
        text.append("github.com/" + parts.path.strip("/").removesuffix(".git"), style="underline")
    else:
        text.append(paper.code_url)
    if paper.code_stars is not None:
        text.append(f" ★ {star_count(paper.code_stars)}")
    if paper.code_last_update:
        text.append(f" · updated {paper.code_last_update}")
    return text


def paper_comment(paper: Paper, expanded: bool) -> Text:
    """The arXiv comment (venue, pages) shown under the title; empty when there is none."""
    return fold_long(render_latex(paper.comment), expanded, limit=COMMENT_CHARS) if paper.comment else Text()


def paper_header(paper: Paper, expanded_authors: bool, note: str = "", tags: tuple[str, ...] = (),
                 about: tuple[tuple[str, str], ...] = ()) -> Text:
    """Authors and the metadata lines of a paper, as data-only Text."""
    text = Text()
    affiliations = affiliation_lines(paper)
    if affiliations:  # a fork's author_affiliation, first in the metadata (the authors' row is above the TL;DR)
        text.append("\n".join(affiliations), style="italic")
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
    if paper.code_url:
        text.append("\nCode     ", style="bold")
        text.append_text(code_line(paper))
    if paper.keywords:
        text.append("\nKeywords ", style="bold")
        text.append(" · ".join(paper.keywords))
    if paper.importance is not None:
        text.append("\nScore    ", style="bold")
        text.append(f"{shown_importance(paper.importance)} (importance)")
    if paper.read_minutes is not None:
        text.append("\nReading  ", style="bold")
        text.append(f"{paper.read_minutes:g} min")
    if tags:
        text.append("\nTags     ", style="bold")
        text.append(", ".join(tags))
    if note:
        text.append("\nNote     ", style="bold")
        text.append(note.replace("\n", "\n" + " " * 9))  # each line under the first, not under the label
    for label, value in about:  # what the reader says of the paper: why it ranks so, why hidden
        text.append(f"\n{label:<8} ", style="bold")  # a space even after a 9-letter label
        text.append(value)
    return text


AFFILIATION_KEYS = frozenset(("author_affiliation", "author_affiliations", "affiliations", "affiliation"))
"""A fork's extra fields shown under the authors."""


def affiliation_lines(paper: Paper) -> list[str]:
    """The paper's affiliations as a fork wrote them (one line each)."""
    lines: list[str] = []
    for key, value in paper.extra.items():
        if key.casefold() in AFFILIATION_KEYS:
            lines += value if isinstance(value, list) else [value]
    return [" ".join(line.split()) for line in lines if line.strip()]


def fold_long(text: str, expanded: bool, limit: int = FOLD_CHARS) -> Text:
    """A field's text, cut near `limit` characters (at a word) with a note unless expanded."""
    if expanded or len(text) <= limit:
        return Text(text)
    cut = text.rfind(" ", max(0, limit - 200), limit)  # at a word when one is near
    cut = cut if cut > 0 else limit
    folded = Text(text[:cut])
    folded.append(f" … {len(text) - cut:,} more characters (a: show all)", style="italic")
    return folded


def paper_body(paper: Paper, expanded: bool = False) -> Text:
    """Task, Motivation, Method, Result, Conclusion, a fork's other fields under their own
    names, and the Abstract, paragraphs kept; a huge field is folded to its first
    FOLD_CHARS characters unless `expanded`."""
    sections: list[tuple[str, str | list[str]]] = [("Task", paper.task)]
    sections += [(heading, getattr(paper, name)) for heading, name in SECTIONS]
    sections += [(field_label(key), value) for key, value in paper.extra.items()
                 if key.casefold() not in AFFILIATION_KEYS]
    sections.append(("Abstract", paper.abstract))
    text = Text()
    for heading, value in sections:
        if not value:
            continue
        if text:
            text.append("\n\n")
        text.append(heading + "\n", style="bold underline")
        if isinstance(value, list):
            for n, item in enumerate(value):
                text.append(("\n" if n else "") + "• ")
                text.append_text(fold_long(render_latex(item), expanded))
        else:
            text.append_text(fold_long(render_latex(value), expanded))
    return text


class DetailPane(SteadyScrollbars, ScrollView, can_focus=True, inherit_bindings=False):
    """Scrollable view of one paper; it owns its scrolling keys and Esc (BackRequested). Drawn line by line
    (like PaperList): a new paper is wrapped once and repainted, with no layout pass of the
    screen, which made a key to the next paper cost two reflows of every widget."""

    BINDINGS = bindings(PANE, DETAIL, footer=("back",))

    class BackRequested(Message):
        """Esc in the pane: the screen goes back to the list."""

    def action_cursor_down(self) -> None:
        self.scroll_down(animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.scroll_up(animate=False, immediate=True)

    def action_first(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.page(1)

    def action_page_up(self) -> None:
        self.page(-1)

    def page(self, direction: int) -> None:
        """Scroll a page down (1) or up (-1) at once, so a key typed right after sees where
        it ended (scroll_page_down waits for the next refresh)."""
        step = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False, immediate=True)

    def action_open(self) -> None:
        """Enter in the paper: nothing more to open."""

    def action_back(self) -> None:
        self.post_message(self.BackRequested())

    COMPONENT_CLASSES = {"detail-pane--title", "detail-pane--comment", "detail-pane--tldr",
                         "detail-pane--tldr-bar"}

    DEFAULT_CSS = """
    DetailPane { background: $surface; }
    DetailPane > .detail-pane--title { text-style: bold; color: $text; }
    DetailPane > .detail-pane--comment { text-style: italic; color: $text-muted; }
    DetailPane > .detail-pane--tldr { background: $boost; }
    DetailPane > .detail-pane--tldr-bar { color: $accent; background: $boost; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        self.index: int | None = None
        self.expanded_authors = False
        self.about: tuple[tuple[str, str], ...] = ()
        self.decorate: Callable[[Text], None] = lambda text: None
        """Hook that may style shown text (search matches)."""
        self.parts: dict[str, Text] = {"title": Text("No paper selected.", style="italic")}
        """What is shown, by part (title, meta, tldr, body); missing fields are left out."""
        self._lines: list[tuple[Text, str]] = []
        self._strips: dict[int, Strip] = {}
        self._wrapped_width = -1
        self._frame: tuple[int, Style] | None = None
        """(width, style) while a frame is drawn (render_lines)."""
        self._width_before_scrollbar = -1
        """The text's width before a scrollbar change that the screen's layout has yet to make."""

    def show(self, paper: Paper | None, index: int | None = None, *, note: str = "",
             tags: tuple[str, ...] = (), keep_scroll: bool = False,
             about: tuple[tuple[str, str], ...] = ()) -> None:
        """Show a paper (None: an empty pane); a new paper starts folded and at the top.
        `about` are lines the reader adds under the metadata (why it ranks so, why hidden)."""
        self.about = about
        if index != self.index:
            self.expanded_authors = False
            keep_scroll = False
        self.paper, self.index = paper, index
        if paper is None:
            self.parts = {"title": Text("No paper selected.", style="italic")}
        else:
            title = fold_long(" ".join(render_latex(paper.title).split()) or paper.id, self.expanded_authors)
            self.decorate(title)
            self.parts = {"title": title}
            comment = paper_comment(paper, self.expanded_authors)
            if comment:
                self.decorate(comment)
                self.parts["comment"] = comment
            if paper.authors:  # one row (names that fit and a count) until expanded
                authors = fold_authors(paper.authors, self.expanded_authors)
                self.decorate(authors)
                self.parts["authors"] = authors
            if paper.tldr:  # before the metadata: on the first screen even at 80x24
                tldr = Text("TL;DR ", style="bold")
                tldr.append_text(fold_long(render_latex(paper.tldr), self.expanded_authors))
                self.decorate(tldr)
                self.parts["tldr"] = tldr
            self.parts["meta"] = paper_header(paper, self.expanded_authors, note, tags, about)
            body = paper_body(paper, self.expanded_authors)
            if body:
                self.decorate(body)
                self.parts["body"] = body
        self._wrapped_width = self._width_before_scrollbar = -1
        self._wrap()
        if not keep_scroll:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _wrap(self) -> None:
        """Lay the parts out for the width they are shown at: (line, kind) pairs. When the
        new paper's length makes the scrollbar come or go, it is laid out at the width the
        text will have then: laid out at the old width, it was wrapped again once the
        scrollbar had moved, costing two more frames (and a screen layout) for one key."""
        width = self.scrollable_content_region.width
        if width == self._wrapped_width:
            self._width_before_scrollbar = -1
            return
        if width <= 0 or width == self._width_before_scrollbar:
            return  # nothing to show, or the scrollbar's layout is still to come
        lines = self._lay_out(width)
        other = self._width_once_scrollbar_changes(width, len(lines))
        if other is not None:
            lines_there = self._lay_out(other)
            if (len(lines_there) > self.scrollable_content_region.height) == (other < width):
                self._width_before_scrollbar = width
                width, lines = other, lines_there
        self._wrapped_width = width
        self._strips.clear()
        self._lines = lines
        self.set_virtual_size(Size(width, len(lines)))

    def _width_once_scrollbar_changes(self, width: int, lines: int) -> int | None:
        """The text's width after the scrollbar comes (or goes) for a paper of `lines` rows
        laid out at `width`; None when the scrollbar stays as it is."""
        styles = self.styles
        bar = styles.scrollbar_size_vertical
        if not self.is_mounted or styles.overflow_y != "auto" or not bar:
            return None
        shown = self.show_vertical_scrollbar
        if (lines > self.scrollable_content_region.height) == shown:
            return None
        return width + bar if shown else width - bar

    def _lay_out(self, width: int) -> list[tuple[Text, str]]:
        """The parts as (line, kind) rows for a text `width` cells wide."""
        console = self.app.console
        text_width = max(1, width - 2)  # one column of padding on each side
        lines: list[tuple[Text, str]] = []
        for name, text in self.parts.items():
            if name == "tldr":
                lines.extend((line, "tldr") for line in wrap_cells(text, console, max(1, text_width - 3)))
                lines.append((Text(), ""))
            elif name == "authors" and self.paper is not None and not self.expanded_authors:
                lines.append((authors_line(self.paper.authors, text_width), name))
                lines.append((Text(), ""))
            else:
                lines.extend((line, name) for line in wrap_cells(text, console, text_width))
                # The comment sits right under the title (its venue and pages read with it).
                if (name == "title" and "comment" not in self.parts) or name == "comment" \
                        or (name == "meta" and "body" in self.parts):
                    lines.append((Text(), ""))
        return lines


    def on_resize(self) -> None:
        self._width_before_scrollbar = -1
        self._wrap()
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The pane's width and style once a frame, not once a row: each is looked up through
        # the screen's map or every ancestor's styles.
        self._frame = self._frame_values()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_values(self) -> tuple[int, Style]:
        self._wrap()
        return self.scrollable_content_region.width, self.rich_style

    def render_line(self, y: int) -> Strip:
        width, base = self._frame or self._frame_values()
        row = int(self.scroll_y) + y
        if row >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._render_row(row, width, base)
        return strip

    def _render_row(self, row: int, width: int, base: Style) -> Strip:
        line, kind = self._lines[row]
        console = self.app.console
        shown = Text(" ")
        if kind == "tldr":
            block = self.get_component_rich_style("detail-pane--tldr")
            shown.append("█", style=self.get_component_rich_style("detail-pane--tldr-bar"))
            shown.append(" ")
            shown.append_text(line)
            shown.stylize_before(block, 1)
            pad_style = block
        else:
            if kind in ("title", "comment"):
                line = line.copy()
                line.stylize_before(self.get_component_rich_style(f"detail-pane--{kind}"))
            shown.append_text(line)
            pad_style = None
        shown.end = ""
        # One Strip built from the finished segments (each Strip made costs seven caches):
        # the text and its padding to the last column but one, a plain last column, and
        # the pane's style beneath everything.
        segments = Segment.adjust_line_length(list(shown.render(console)), width - 1, pad_style)
        segments.append(Segment(" "))
        return Strip(Segment.apply_style(segments, base), width)

    def toggle_authors(self, note: str = "", tags: tuple[str, ...] = ()) -> None:
        """Expand or fold a long author list (and any very long field)."""
        self.expanded_authors = not self.expanded_authors
        if self.paper is not None:
            self.show(self.paper, self.index, note=note, tags=tags, keep_scroll=True, about=self.about)

    @property
    def at_end(self) -> bool:
        """True when the last line of the paper is visible."""
        return self.scroll_y >= self.max_scroll_y

    def shown_lines(self) -> list[str]:
        """The pane's rows as laid out at its width, as plain text (for tests)."""
        self._wrap()
        return [line.plain for line, _ in self._lines]

    def plain_text(self) -> str:
        """Everything shown, as plain text (for tests and copy)."""
        return "\n".join(text.plain for text in self.parts.values())
