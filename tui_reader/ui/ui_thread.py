"""Handing work from a worker thread back to the reader's event loop without waiting.

Textual's App.call_from_thread waits for the callback's result; a worker that finishes
while the reader is quitting then waits for ever, and the process cannot end (thread
workers run in the loop's executor, which is joined at exit). These calls never wait."""
from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from functools import partial
from typing import Any


class UiCalls:
    """Made on the UI thread (it remembers the running loop); called from any thread."""

    __slots__ = ("_loop", "_context")

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._context = contextvars.copy_context()
        """The UI's context (Textual's active app and screen live in context variables)."""

    def __call__(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run `callback(*args, **kwargs)` on the UI thread soon, in the order asked; dropped
        when the reader has ended."""
        try:
            self._loop.call_soon_threadsafe(partial(_run, callback, args, kwargs), context=self._context.copy())
        except RuntimeError:  # the loop is closed: the reader has quit
            pass


def _run(callback: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    result = callback(*args, **kwargs)
    if asyncio.iscoroutine(result):
        asyncio.ensure_future(result)
