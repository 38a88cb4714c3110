"""Suspend and continue run by the event loop, never inside the code a signal interrupts."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading

import pytest

from tui_reader.ui.job_control import handle_between_callbacks, handled_in_place

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="job control is Unix's")


class Driver:
    """The two handlers Textual's Linux driver has; resuming takes the lock the driver's
    writes take (what froze the reader: the handler waiting for a lock its own thread held)."""

    def __init__(self) -> None:
        self.writing = threading.Lock()
        self.resumed: list[bool] = []

    def _sigtstp_application(self, *_: object) -> None:
        raise AssertionError("never sent in these tests: it would stop the test run")

    def _sigcont_application(self, *_: object) -> None:
        got = self.writing.acquire(timeout=0.5)  # run inside the locked code: never got
        self.resumed.append(got)
        if got:
            self.writing.release()


def _interrupt_a_write(driver: Driver) -> None:
    """SIGCONT (harmless to a running process) arrives while the driver is writing."""
    with driver.writing:
        os.kill(os.getpid(), signal.SIGCONT)
        total = 0
        for n in range(20_000):  # bytecodes: where Python runs a signal.signal handler
            total += n


def test_a_signal_during_a_write_is_handled_once_the_write_is_done() -> None:
    driver = Driver()

    async def main() -> None:
        assert handle_between_callbacks(asyncio.get_running_loop(), driver)
        _interrupt_a_write(driver)
        assert driver.resumed == []  # not run inside the write
        for _ in range(50):
            if driver.resumed:
                break
            await asyncio.sleep(0.01)

    asyncio.run(main())
    assert driver.resumed == [True]


def test_the_drivers_own_handler_runs_inside_the_write_which_is_what_froze_the_reader() -> None:
    driver = Driver()
    before = signal.signal(signal.SIGCONT, driver._sigcont_application)
    try:
        _interrupt_a_write(driver)
    finally:
        signal.signal(signal.SIGCONT, before)
    assert driver.resumed == [False]


def test_while_an_editor_runs_the_drivers_handlers_are_back_and_after_it_the_loops() -> None:
    driver = Driver()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        handle_between_callbacks(loop, driver)
        with handled_in_place(driver):
            assert signal.getsignal(signal.SIGTSTP) == driver._sigtstp_application
            assert signal.getsignal(signal.SIGCONT) == driver._sigcont_application
            _interrupt_a_write(driver)  # in place: at once, inside the lock, as before
            assert driver.resumed == [False]
        assert signal.getsignal(signal.SIGCONT) != driver._sigcont_application
        _interrupt_a_write(driver)
        await asyncio.sleep(0.05)
        assert driver.resumed == [False, True]

    asyncio.run(main())


def test_a_driver_without_job_control_is_left_alone() -> None:
    async def main() -> None:
        before = signal.getsignal(signal.SIGTSTP)
        assert not handle_between_callbacks(asyncio.get_running_loop(), object())
        with handled_in_place(object()):
            assert signal.getsignal(signal.SIGTSTP) == before
        assert signal.getsignal(signal.SIGTSTP) == before

    asyncio.run(main())
