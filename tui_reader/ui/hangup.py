"""Ending the reader when its terminal goes away and the kernel sends no SIGHUP."""
from __future__ import annotations

import os
import select
import signal
import threading

POLL_SECONDS = 1.0
"""Longest wait of one poll: the watch sleeps in the kernel, it never spins."""


def watch_terminal(fd: int) -> threading.Thread:
    """Start a daemon thread that sends this process SIGHUP, as the kernel does when a
    controlling terminal hangs up, once `fd` reports a hang-up or an error.

    A reader on a pseudo-terminal that is not its controlling terminal (a program that
    opened the pty itself started it in a session of its own) gets no SIGHUP when the other
    end closes. Textual's input thread then reads end-of-file in a loop, spinning a core,
    and its output thread dies on the first write, leaving the screen's next write blocked
    for ever. The marks are safe either way (each is committed when made); this ends the
    process as a hang-up would."""

    def watch() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked for: hang-ups, errors and a closed fd still come
        while not poller.poll(POLL_SECONDS * 1000):
            pass
        os.kill(os.getpid(), signal.SIGHUP)

    thread = threading.Thread(target=watch, name="terminal-watch", daemon=True)
    thread.start()
    return thread
