"""Fixtures for the reader's Pilot and snapshot tests: an app on invented digests in a temp home."""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui_reader.core.config import Config
from tui_reader.core.paths import AppPaths
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.timings import ReaderTimings

UI_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ui"
NO_WAITING = ReaderTimings(rank_delay=0, rank_idle=0, watch_delay=0, search_idle=0, session_save=0,
                           typing_pause=0, sync_first=0, pending_retry=0.05)
"""The reader's timings in tests: background work starts at once, so a test waits for the
work itself, never for a clock. The polls keep their intervals (a zero interval would spin);
tests that need a poll call it (app.poll_store) or give their own timings."""

@pytest.fixture
def ui_fixtures() -> Path:
    return UI_FIXTURES


@pytest.fixture
def timings() -> ReaderTimings:
    """The timings make_app gives the reader (no waiting); a test may ask for others."""
    return NO_WAITING


@pytest.fixture
def make_app(home: Path, timings: ReaderTimings) -> Callable[..., ReaderApp]:
    """Build a reader on the UI fixtures with state in the temp home; auto-read off
    unless a Config says otherwise; no waiting before background work (`timings`)."""

    def make(config: Config | None = None, paths: list[str] | None = None, **kwargs) -> ReaderApp:
        kwargs.setdefault("timings", timings)
        return ReaderApp(paths or [str(UI_FIXTURES)], AppPaths.resolve(home),
                         config or Config(auto_read_delay=None), **kwargs)

    return make


@pytest.fixture
def reader(make_app: Callable[..., ReaderApp]):
    """`async with reader(size=(120, 40)) as pilot:` a reader on the UI fixtures (or on
    `paths=`, with `config=`), running in a headless terminal with its library loaded;
    `pilot.app` is the app."""

    @contextlib.asynccontextmanager
    async def run(config: Config | None = None, *, size: tuple[int, int] = (120, 40),
                  notifications: bool = False, **kwargs):
        from reader_helpers import wait_loaded

        app = make_app(config, **kwargs)
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await wait_loaded(pilot)
            yield pilot

    return run


@pytest.fixture
def notifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every notification the reader gives during the test, in order. Recorded
    as ReaderApp.notify is called (screens and widgets notify through it), so a toast that
    has timed out still counts, and no test reads Textual's private list of toasts."""
    given: list[str] = []
    notify = ReaderApp.notify

    def recording(app: ReaderApp, message: str, *args: Any, **kwargs: Any) -> None:
        given.append(str(message))
        notify(app, message, *args, **kwargs)

    monkeypatch.setattr(ReaderApp, "notify", recording)
    return given
