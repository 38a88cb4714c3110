"""Snapshot tests of the main screen (80×24, 160×50) and the help screen, on fixed marks."""
from __future__ import annotations

import pytest
from reader_helpers import wait_loaded

from tui_reader.core.paths import AppPaths
from tui_reader.core.store import Store


@pytest.fixture
def fixed_marks(home):
    """One read and one starred paper, so both markers show in the snapshots."""
    with Store.open(AppPaths.resolve(home).state_file) as store:
        store.set_read(["2501.20002"], True)
        store.set_starred(["2501.10001"], True)


def test_main_screen_at_80x24(make_app, fixed_marks, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=wait_loaded)


def test_main_screen_at_160x50(make_app, fixed_marks, snap_compare):
    async def open_markup_paper(pilot):
        await wait_loaded(pilot)
        await pilot.press("j", "j", "j", "j")

    assert snap_compare(make_app(), terminal_size=(160, 50), run_before=open_markup_paper)


def test_help_screen(make_app, fixed_marks, snap_compare):
    async def open_help(pilot):
        await wait_loaded(pilot)
        await pilot.press("question_mark")

    assert snap_compare(make_app(), terminal_size=(100, 40), run_before=open_help)
