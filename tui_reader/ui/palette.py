"""The command palette's reader commands: the keys of KEY_TABLE that work on the screen in
front (triage's only in triage), then exporting the list on screen."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from ..core.model import Paper
from .keys import APP, DETAIL, KEY_TABLE, LIST, MAIN, PANE, PAPER, TRIAGE
from .list_export import export_commands

LEFT_TO_TEXTUAL = ("quit", "help")
"""Actions Textual's own system commands already offer."""


def reader_commands(app: App[Any], screen: Screen[Any], listed: Callable[[], list[Paper]]) -> Iterator[SystemCommand]:
    """The palette's commands beside Textual's: a key's action runs where its binding would
    (the app for PAPER and APP keys, else the screen); `listed()` is the list to export."""
    from .screens.triage import TriageScreen

    wanted = {TRIAGE, APP} if isinstance(screen, TriageScreen) else {PANE, LIST, DETAIL, MAIN, PAPER, APP}
    for entry in KEY_TABLE:
        if entry.id not in LEFT_TO_TEXTUAL and entry.owner in wanted:
            target = "app" if entry.owner in (PAPER, APP) else "screen"
            yield SystemCommand(entry.description, entry.help,
                                lambda action=f"{target}.{entry.action}": app.run_action(action))
    yield from export_commands(app, listed)
