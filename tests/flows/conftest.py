"""Fixtures for the pty tests: programs started in the terminal driver are always killed."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from terminal import Terminal


@pytest.fixture
def terminals() -> Iterator[Callable[..., Terminal]]:
    """Start programs in terminals (Terminal's arguments); each is killed after the test."""
    started: list[Terminal] = []

    def start(*args, **kwargs) -> Terminal:
        terminal = Terminal(*args, **kwargs)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.kill()
