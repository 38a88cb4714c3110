"""Pilot tests: a running reader exchanges marks through the sync folder by itself."""
from __future__ import annotations

from pathlib import Path

from reader_helpers import ALL_IDS, wait_loaded

from tui_reader.core.config import Config
from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store
from tui_reader.core.sync.folder import exchange
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.timings import ReaderTimings

UI_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ui"
QUICK_POLLS = ReaderTimings(sync_first=0, sync_poll=0.1, store_poll=0.1)
"""The sync folder and the state file looked at ten times a second: the tests wait for
each exchange, not for the reader's seconds between them."""


async def test_a_mark_made_on_another_home_arrives_and_one_made_here_leaves(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    laptop, server = AppPaths.resolve(tmp_path / "laptop"), AppPaths.resolve(tmp_path / "server")
    with Store.open(server.state_file) as store:
        store.set_starred([ALL_IDS[3]], True)
    exchange(server.state_file, folder)  # the server's `tui-reader sync`
    app = ReaderApp([str(UI_FIXTURES)], laptop, Config(auto_read_delay=None, sync_folder=str(folder)),
                    timings=QUICK_POLLS)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = app.main.view
        for _ in range(80):  # the first exchange, then the store's change poll
            await pilot.pause(0.1)
            if view.index[ALL_IDS[3]] in view.starred_at:
                break
        assert view.index[ALL_IDS[3]] in app.main.view.starred_at
        await pilot.press("r")  # marked here: the next tick sends it
        for _ in range(80):
            await pilot.pause(0.1)
            exchange(server.state_file, folder)
            with Store.open(server.state_file) as store:
                if store.get(ALL_IDS[0]).read:
                    break
    with Store.open(server.state_file) as store:
        assert store.get(ALL_IDS[0]).read and store.get(ALL_IDS[3]).starred


async def test_the_folder_is_looked_at_off_the_interface_thread(tmp_path, monkeypatch):
    """60,000 files in the sync folder stalled the interface: the poll's folder listing ran
    on its thread every 3 s. It runs in the sync worker now (issue 24, low)."""
    import threading

    from tui_reader.core.sync import folder as sync_module

    folder = tmp_path / "Sync"
    folder.mkdir()
    seen: list[bool] = []
    real = sync_module.folder_signature

    def recording(path):
        seen.append(threading.current_thread() is threading.main_thread())
        return real(path)

    monkeypatch.setattr(sync_module, "folder_signature", recording)
    app = ReaderApp([str(UI_FIXTURES)], AppPaths.resolve(tmp_path / "home"),
                    Config(auto_read_delay=None, sync_folder=str(folder)), timings=QUICK_POLLS)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        for _ in range(30):
            await pilot.pause(0.1)
            if len(seen) >= 4:
                break
    assert len(seen) >= 4 and not any(seen), seen
