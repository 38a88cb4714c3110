"""Screens that take the terminal's size and never an older one (works around Textual 8.2.8).

Every re-layout that changes a screen's size posts the screen a Resize of its own (the screen
is in its own compositor's map). When the app has already queued a newer size on the
screen, that echo of the older size lands after it: `Resize.can_replace` then merges the
newer size into the older one (the screen stays painted at a size the terminal no longer
has), or, with any other message between them, the two sizes take turns for ever, each
re-layout posting the next; the screen's queue never empties and the reader stops
answering keys. The terminal's size is the app's (`App.size`, set as each SIGWINCH is
read): a Resize that carries another size is dropped before Textual lays out for it."""
from __future__ import annotations

from textual import events
from textual.screen import Screen


def ignore_older_size(screen: Screen, event: events.Resize) -> bool:
    """True when `event` carries a size the terminal no longer has: its default handling
    is stopped, and the screen is sent the terminal's size if it does not have it yet."""
    size = screen.app.size
    if event.size == size:
        return False
    event.prevent_default()
    if screen.size != size:
        screen.post_message(events.Resize(size, size))
    return True


class TerminalSized:
    """Mixin for a Screen (listed before it): Resize events of an older size are dropped."""

    def on_resize(self, event: events.Resize) -> None:
        assert isinstance(self, Screen)
        ignore_older_size(self, event)
