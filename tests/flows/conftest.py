"""Fixtures for the pty tests: programs started in the terminal driver are always killed."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from terminal import Terminal


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Remember whether a test's body failed, for the terminals fixture's teardown."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed


@pytest.fixture
def terminals(request: pytest.FixtureRequest) -> Iterator[Callable[..., Terminal]]:
    """Start programs in terminals (Terminal's arguments); each is killed after the test.
    When the test failed, each program's last screen and output are printed (shown with the
    failure): an exit status alone, such as a reader ending 1 on `q` under load, says
    nothing of the traceback Textual printed."""
    started: list[Terminal] = []

    def start(*args, **kwargs) -> Terminal:
        terminal = Terminal(*args, **kwargs)
        started.append(terminal)
        return terminal

    yield start
    failed = request.node.stash.get(_CALL_FAILED, False)
    for terminal in started:
        if failed:
            print(terminal.describe("after the failure"))
            print("the output ends:", bytes(terminal.output[-3000:]).decode("utf-8", "replace"))
        terminal.kill()
