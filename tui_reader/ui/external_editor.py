"""A note written in the person's own editor ($VISUAL or $EDITOR), the reader suspended meanwhile."""
from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from typing import TYPE_CHECKING

from .job_control import handled_in_place

if TYPE_CHECKING:
    from textual.app import App


def chosen_editor(environ: os._Environ[str] | dict[str, str] = os.environ) -> list[str] | None:
    """The command of $VISUAL, else $EDITOR, split as a shell would; None when neither is set."""
    for name in ("VISUAL", "EDITOR"):
        try:
            command = shlex.split(environ.get(name, ""))
        except ValueError:  # an unbalanced quote: not a usable command
            continue
        if command:
            return command
    return None


def edit_text(app: App, command: list[str], text: str) -> tuple[str | None, str] | None:
    """Let `command` edit `text` in a private temporary file while the app is suspended.
    Returns (the text saved, "") or (None, why it was not taken); None when this app cannot
    be suspended (a browser tab, a test's headless app): the built-in editor serves then."""
    from textual.app import SuspendNotSupported

    fd, path = tempfile.mkstemp(prefix="tui-reader-note-", suffix=".md")  # 0600: notes are private
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        not_started: OSError | None = None
        try:
            with app.suspend(), handled_in_place(app._driver):
                # Nothing may raise out of this block: Textual's suspend resumes the terminal
                # only when its block ends normally (else the reader hung on its next writes).
                try:
                    finished = subprocess.run([*command, path], check=False)
                except OSError as err:  # no such editor, or not executable
                    not_started = err
        except SuspendNotSupported:
            return None
        if not_started is not None:
            return None, f"The editor {command[0]!r} could not start ({not_started.strerror}); the note is unchanged."
        if finished.returncode != 0:
            return None, f"The editor exited with status {finished.returncode}; the note is unchanged."
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read().rstrip("\n"), ""
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
