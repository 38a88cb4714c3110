"""Fixtures for the reader's Pilot and snapshot tests: an app on invented digests in a temp home."""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tui_reader.core.config import Config
from tui_reader.core.paths import AppPaths
from tui_reader.ui.app import ReaderApp

UI_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ui"

@pytest.fixture
def ui_fixtures() -> Path:
    return UI_FIXTURES


@pytest.fixture
def make_app(home: Path) -> Callable[..., ReaderApp]:
    """Build a reader on the UI fixtures with state in the temp home; auto-read off
    unless a Config says otherwise."""

    def make(config: Config | None = None, paths: list[str] | None = None, **kwargs) -> ReaderApp:
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
