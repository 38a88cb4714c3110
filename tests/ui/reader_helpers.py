"""Helpers shared by the reader's tests (imported by name; tests/ui is on sys.path)."""
from __future__ import annotations

from collections.abc import Callable

from tui_reader.ui.app import ReaderApp

ALL_IDS = ["2501.20001", "2501.20002", "2501.20003",
           "2501.10001", "2501.10002", "2501.10003", "2501.10004", "2501.10005"]
"""Every fixture paper, in the order the All node lists them (newest day first)."""


async def wait_loaded(pilot) -> None:
    """Let the loading worker finish and its results reach the screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def listed_ids(app: ReaderApp) -> list[str]:
    """Ids of the papers in the list, top to bottom."""
    return [app.main.view.papers[i].id for i in app.main.paper_list.rows]


def current_id(app: ReaderApp) -> str | None:
    current = app.main.current_paper()
    return current.paper.id if current else None


async def wait_settled(pilot, timeout: float = 30.0) -> None:
    """wait_loaded, then For you's first ranking (a thread, a second after loading) shown:
    what a snapshot needs so the tree's For-you count is the same on every run."""
    await wait_loaded(pilot)
    for _ in range(int(timeout / 0.05)):
        if pilot.app.main.for_you.model is not None:
            break
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Pause in short steps until `condition()` holds (fails after `timeout` s): waits for
    background work to land, never for a fixed time."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), f"not true after {timeout} s"
