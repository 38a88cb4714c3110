"""Asking for a paper's note (in $VISUAL/$EDITOR when set, else a dialog) and its tags."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from ..core.formats.text import strip_controls
from ..core.state.store import Mark
from .state import ShownPaper


def ask_note(app: App[Any], shown: ShownPaper, mark: Mark, save: Callable[[str], object]) -> None:
    """The note of `shown`; `save(note)` when it changed."""
    def done(value: str) -> None:
        note = strip_controls(value)
        if note != mark.note:
            save(note)

    if not _note_in_editor(app, mark, done):
        _ask(app, NOTE_TITLE.format(id=shown.paper.id), mark.note, shown, done, multiline=True)


def ask_tags(app: App[Any], shown: ShownPaper, mark: Mark, save: Callable[[list[str]], object]) -> None:
    """The tags of `shown` (comma separated); `save(tags)` when they changed."""
    def done(value: str) -> None:
        tags = [t.strip() for t in strip_controls(value).split(",") if t.strip()]
        if tuple(tags) != mark.tags:
            save(tags)

    _ask(app, TAGS_TITLE.format(id=shown.paper.id), ", ".join(mark.tags), shown, done)


NOTE_TITLE = "Note for {id}"
TAGS_TITLE = "Tags for {id} (comma separated)"


def _note_in_editor(app: App[Any], mark: Mark, done: Callable[[str], None]) -> bool:
    """With $VISUAL or $EDITOR set, the note is written there (the reader suspended, as
    mutt does); False when neither is set or this app cannot suspend (a browser tab)."""
    from .external_editor import chosen_editor, edit_text

    command = chosen_editor()
    if command is None or app.is_web:
        return False
    edited = edit_text(app, command, mark.note)
    if edited is None:
        return False
    text, problem = edited
    if text is None:
        app.notify(problem, severity="warning", timeout=6, markup=False)
    else:
        done(text)
    return True


def _ask(app: App[Any], title: str, initial: str, shown: ShownPaper, done: Callable[[str], None],
         multiline: bool = False) -> None:
    from ..core.formats.text import render_latex
    from .screens.dialogs import NoteScreen, PromptScreen

    def answered(value: str | None) -> None:
        if value is not None:
            done(value)

    dialog = NoteScreen if multiline else PromptScreen
    named = strip_controls(" ".join(render_latex(shown.paper.title).split()))  # which paper, not only its id
    app.push_screen(dialog(title, initial, paper_title=named), answered)
