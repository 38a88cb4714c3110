"""The cyclic garbage collector paused while many long-lived, acyclic objects are made.

Loading a library makes hundreds of thousands of objects and no cycles: every collection the
allocations trigger walks them all for nothing. One helper, so the pause is always undone
(and a pause inside a pause leaves the outer one in charge)."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collector off for the block, back to how it was after (also on an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def gc_resumed(was_enabled: bool) -> Iterator[None]:
    """Inside a pause: the collector as it was before the pause, for code the pause must not
    cover (a consumer handed one item of a long read), then paused again."""
    if was_enabled:
        gc.enable()
    try:
        yield
    finally:
        if was_enabled:
            gc.disable()


def end_start_pause() -> None:
    """After the reader's first frame: what the start made lives as long as the reader, so
    it is frozen out of every later collection pass, and the collector, paused for the start
    (cli.reader runs the reader inside gc_paused), runs again."""
    gc.freeze()
    gc.enable()
