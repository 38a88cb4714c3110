"""The reading state's file for the reader: opened at start (a session-only store when it
cannot be), asked on a poll whether another process changed it, opened anew when it was
replaced or deleted, closed at quit."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.formats.text import strip_controls
from ..core.state.store import Store, StoreError
from .reading import Reading

UI_BUSY_WAIT_MS = 150
"""How long a key's write waits for another program's lock before the mark is pending."""


def open_reading(state_file: Path, repair: bool, notify: Callable[..., Any]) -> Reading:
    """The marks of `state_file`, loaded; problems are notified, never raised (marks made
    then live for this session only)."""
    try:
        store = Store.open(state_file, repair=repair)
    except StoreError as err:
        notify(f"Reading state unavailable: {strip_controls(str(err))}. "
               "Marks made now will not be kept.", severity="error", timeout=15, markup=False)
        store = Store.in_memory()
    else:
        if store.notice:
            notify(strip_controls(store.notice), severity="warning", timeout=15, markup=False)
    store.wait_at_most(UI_BUSY_WAIT_MS)  # a key never freezes behind another program's write
    reading = Reading(store)
    try:
        reading.load()
    except StoreError as err:
        notify(f"Reading state unreadable: {strip_controls(str(err))}", severity="error", markup=False)
    return reading


def reload_if_changed(reading: Reading, notify: Callable[..., Any]) -> bool:
    """Another process (tui-reader mark, a second reader) changed the state: read every mark
    again (True). A state file deleted or replaced under the reader is opened anew, the
    reader's marks carried into it, so nothing marked here is written where nobody reads."""
    try:
        if reading.store.file_replaced():
            _reopen(reading, notify)
        elif not reading.store.changed_elsewhere():
            return False
        reading.load()
    except StoreError:
        return False
    return True


def _reopen(reading: Reading, notify: Callable[..., Any]) -> None:
    from ..core.state.backup import merge_record

    store = reading.store.reopen(merge_record)
    reading.store = store
    message = "The state file was replaced or deleted; it was opened again and your marks kept in it."
    if store.notice:
        message += f" {strip_controls(store.notice)}"
    notify(message, severity="warning", timeout=10, markup=False)


def close_quietly(reading: Reading) -> None:
    try:
        reading.store.close()
    except StoreError:
        pass
