"""The list on screen exported from the command palette: a download in a browser tab of
`serve`, a file in the Downloads folder in a terminal (Textual's App.deliver_text either way)."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from textual.app import SystemCommand

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

    from ..core.model import Paper
    from .reader_host import Reader

EXPORTS = (
    # (format, what the palette calls it, file ending, MIME type)
    ("atom", "Atom feed", "atom", "application/atom+xml"),
    ("ris", "RIS (Zotero, EndNote, Mendeley)", "ris", "application/x-research-info-systems"),
    ("bibtex", "BibTeX", "bib", "application/x-bibtex"),
    ("markdown", "Markdown", "md", "text/markdown"),
    ("csv", "CSV", "csv", "text/csv"),
    ("json", "JSON", "json", "application/json"),
)


def export_commands(app: App[Any], listed: Callable[[], list[Paper]]) -> Iterator[SystemCommand]:
    """One palette command a format, each exporting what `listed()` returns then."""
    for fmt, label, ending, mime in EXPORTS:
        yield SystemCommand(
            f"Export the list as {label}",
            f"Write the papers of the list on screen, with your marks, as {label}",
            lambda fmt=fmt, ending=ending, mime=mime: deliver_list(app, listed(), fmt, ending, mime))


def deliver_list(app: App[Any], papers: list[Paper], fmt: str, ending: str, mime: str) -> None:
    """Export `papers` in `fmt` and hand the text to the person (the delivery's end is told
    by tell_delivered / tell_not_delivered, from ReaderApp's DeliveryComplete / DeliveryFailed handlers)."""
    from ..core.export.papers import export_papers

    if not papers:
        app.notify("The list is empty: nothing to export.", timeout=4, markup=False)
        return
    folder = None
    if not app.is_web:  # the Downloads folder, made when missing (a server's account often has none)
        from platformdirs import user_downloads_path

        folder = user_downloads_path()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            app.notify(f"The export failed: cannot make {folder} ({err.strerror})", severity="error",
                       timeout=8, markup=False)
            return
    marks = cast("Reader", app).reading.marks
    text = export_papers(papers, marks, fmt)
    name = f"tui-reader-{date.today().isoformat()}-{len(papers)}.{ending}"
    app.deliver_text(io.StringIO(text), save_directory=folder, save_filename=name, mime_type=mime,
                     encoding="utf-8", name=f"{len(papers)} paper{'s' if len(papers) != 1 else ''} as {fmt}")


def tell_delivered(app: App[Any], name: str | None, path: Path | None) -> None:
    """An export's text reached its file (`path`), or the browser downloaded it (None)."""
    where = f" to {path}" if path is not None else " (downloaded by the browser)"
    app.notify(f"Exported {name or 'the list'}{where}", timeout=6, markup=False)


def tell_not_delivered(app: App[Any], problem: BaseException) -> None:
    app.notify(f"The export failed: {problem}", severity="error", timeout=8, markup=False)
