"""Fixtures for the reader's Pilot and snapshot tests: an app on invented digests in a temp home."""
from __future__ import annotations

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
