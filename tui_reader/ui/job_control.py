"""Suspending (SIGTSTP) and continuing (SIGCONT) handled by the event loop, between its callbacks."""
from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def handle_between_callbacks(loop: asyncio.AbstractEventLoop, driver: Any) -> bool:
    """Have `loop` run the terminal driver's suspend and resume when SIGTSTP and SIGCONT
    arrive, in place of the handlers the driver installed with signal.signal. True when it
    did (a Unix terminal driver); False for a driver without them (headless, Windows).

    Textual's Linux driver suspends from inside a signal handler, which Python runs between
    any two bytecodes of the main thread: often in the middle of the driver's own write, a
    Queue.put holding the queue's lock. The handler then writes too, waits for that lock
    and never gets it: the reader froze for good, about one stop in twenty while it painted
    (seen with py-spy: Queue.put inside _sigtstp_application inside Queue.put). Run by the
    loop, the suspend starts once the callback that was running has returned."""
    suspend = getattr(driver, "_sigtstp_application", None)
    resume = getattr(driver, "_sigcont_application", None)
    if sys.platform == "win32" or suspend is None or resume is None:
        return False
    loop.add_signal_handler(signal.SIGTSTP, suspend)
    loop.add_signal_handler(signal.SIGCONT, resume)
    return True


@contextmanager
def handled_in_place(driver: Any) -> Iterator[None]:
    """The driver's own signal.signal handlers back while the loop cannot run: the main
    thread waiting for an editor (Ctrl+Z there stops the editor, and the reader has to stop
    with it; a loop that waits runs nothing). Nothing is being written meanwhile, so the
    handlers cannot land inside a write. Where handle_between_callbacks was not used, this
    changes nothing."""
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    moved = loop is not None and loop.remove_signal_handler(signal.SIGTSTP)
    if moved:
        assert loop is not None
        loop.remove_signal_handler(signal.SIGCONT)
        signal.signal(signal.SIGTSTP, driver._sigtstp_application)
        signal.signal(signal.SIGCONT, driver._sigcont_application)
    try:
        yield
    finally:
        if moved:
            assert loop is not None
            handle_between_callbacks(loop, driver)
