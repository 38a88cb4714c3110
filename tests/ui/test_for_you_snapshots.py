"""Snapshot tests of For you (issues 22 and 29): the newest day's best first with its
likely/maybe/unlikely column and the why line; untaught, the header says what it needs."""
from __future__ import annotations

import pytest
from reader_helpers import wait_settled

from tui_reader.core.config import Config
from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store


@pytest.fixture
def taught(home):
    """Three stars and three dismissals: enough for the model and the confidence groups."""
    with Store.open(AppPaths.resolve(home).state_file) as store:
        store.set_starred(["2501.10001", "2501.10002", "2501.10003"], True)
        for paper_id in ("2501.10005", "2501.20001", "2501.20002"):
            store.set_dismissed([paper_id], True)


async def open_for_you(pilot) -> None:
    await wait_settled(pilot)
    await pilot.press("h", "g", "enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestForYou:
    @pytest.mark.usefixtures("taught")
    def test_taught_for_you_at_120x40(self, make_app, snap_compare):
        app = make_app(Config(auto_read_delay=None))
        assert snap_compare(app, terminal_size=(120, 40), run_before=open_for_you)

    def test_untaught_for_you_at_120x40(self, make_app, snap_compare):
        app = make_app(Config(auto_read_delay=None))
        assert snap_compare(app, terminal_size=(120, 40), run_before=open_for_you)
