"""Pilot tests: marking keys change the store first, then the tree counts, rows and detail."""
from __future__ import annotations

from reader_helpers import ALL_IDS, current_id, listed_ids, wait_loaded, wait_until

from tui_reader.core.config import Config
from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store
from tui_reader.ui.screens.dialogs import ConfirmScreen, NoteScreen, PromptScreen


def stored(home):
    with Store.open(AppPaths.resolve(home).state_file) as store:
        return store.marks()


async def test_r_toggles_read_in_the_store_and_every_count_containing_the_paper(reader, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        assert app.main.category_tree.label_text("all") == "All 8 new"
        await pilot.press("r")
        assert stored(home)[ALL_IDS[0]].read
        assert app.main.category_tree.label_text("all") == "All 7 new/8"
        assert app.main.category_tree.label_text("unread") == "Unread 7"
        assert app.main.category_tree.label_text("day:2025-01-07") == "01-07 2 new/3"  # one year: no year
        assert app.main.category_tree.label_text("cat:cs.CV") == "cs.CV 1 new/2"
        assert app.main.category_tree.label_text("cat:cs.LG") == "cs.LG 2 new"
        assert "7 unread" in app.sub_title
        await pilot.press("r")
        assert not stored(home)[ALL_IDS[0]].read
        assert app.main.category_tree.label_text("all") == "All 8 new"


async def test_s_stars_and_the_starred_node_lists_papers_in_the_order_starred(reader, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("G", "s", "g", "s", "j", "j", "s")
        marks = stored(home)
        assert [i for i in ALL_IDS if marks.get(i) and marks[i].starred] == [ALL_IDS[0], ALL_IDS[2], ALL_IDS[-1]]
        assert app.main.category_tree.label_text("starred") == "Starred 3 new"
        await pilot.press("r")  # reading a starred paper keeps its star
        assert stored(home)[ALL_IDS[2]].starred
        assert app.main.category_tree.label_text("starred") == "Starred 2 new/3"
        app.main.category_tree.select_key("starred")
        await pilot.pause()
        assert listed_ids(app) == [ALL_IDS[-1], ALL_IDS[0], ALL_IDS[2]]
        await pilot.press("s")  # unstar the head of the queue
        assert not stored(home)[ALL_IDS[-1]].starred
        assert app.main.category_tree.label_text("starred") == "Starred 1 new/2"


async def test_A_asks_then_marks_every_paper_of_the_node_read(reader, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        app.main.category_tree.select_key("cat:cs.CL")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert stored(home) == {}
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        marks = stored(home)
        assert sorted(i for i, m in marks.items() if m.read) == ["2501.10001", "2501.10002", "2501.10003", "2501.20003"]
        assert app.main.category_tree.label_text("cat:cs.CL") == "cs.CL 4"
        assert app.main.category_tree.label_text("all") == "All 4 new/8"


async def test_u_undoes_the_last_marking_in_the_store_and_the_tree(reader, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("s", "r")
        await pilot.press("u")
        marks = stored(home)
        assert not marks[ALL_IDS[0]].read and marks[ALL_IDS[0]].starred
        assert app.main.category_tree.label_text("all") == "All 8 new"
        await pilot.press("u")
        assert not stored(home)[ALL_IDS[0]].starred
        assert app.main.category_tree.label_text("starred") == "Starred 0"
        await pilot.press("A", "y")
        await pilot.pause()
        assert app.main.category_tree.label_text("all") == "All 8"
        await pilot.press("u")
        assert not any(m.read for m in stored(home).values())
        assert app.main.category_tree.label_text("all") == "All 8 new"


async def test_N_edits_the_note_and_t_the_tags(reader, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)  # a note may take several lines
        await pilot.press(*"to read", "enter", *"part 2", "ctrl+s")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"ml, later,ml", "enter")
        await pilot.pause()
        mark = stored(home)[ALL_IDS[0]]
        assert mark.note == "to read\npart 2"
        assert mark.tags == ("ml", "later")
        assert "to read" in app.main.detail.plain_text() and "ml, later" in app.main.detail.plain_text()
        assert "Note     to read\n         part 2" in app.main.detail.plain_text()  # aligned under the first
        await pilot.press("N", "x", "escape")  # Esc cancels: nothing changes
        await pilot.pause()
        assert stored(home)[ALL_IDS[0]].note == "to read\npart 2"


def read_in_store(home, paper_id: str) -> bool:
    mark = stored(home).get(paper_id)
    return mark is not None and mark.read


async def test_a_paper_under_the_list_cursor_for_the_delay_becomes_read(reader, home):
    # A delay of zero: the read timer fires as soon as the reader is idle, so what is not
    # marked after a pause is not marked because of the rule, not because time was short.
    async with reader(Config(auto_read_delay=0), size=(120, 40)) as pilot:
        await pilot.pause(0.05)
        assert ALL_IDS[0] not in stored(home)  # nobody has pressed a key yet: nobody looked
        await pilot.press("j")
        await wait_until(pilot, lambda: read_in_store(home, ALL_IDS[1]))
        assert ALL_IDS[0] not in stored(home)  # under the cursor before any key: not looked at
        await pilot.press("r")  # marked unread by hand: stays unread
        await pilot.pause(0.05)
        assert not stored(home)[ALL_IDS[1]].read


async def test_a_paper_passed_over_quicker_than_the_delay_stays_unread(reader, home):
    async with reader(Config(auto_read_delay=1.0), size=(120, 40)) as pilot:
        await pilot.press("j", "j")  # two keys far quicker than a second apart
        await wait_until(pilot, lambda: read_in_store(home, ALL_IDS[2]))
        assert ALL_IDS[1] not in stored(home)


async def test_moving_in_the_tree_or_typing_a_search_marks_nothing(reader, home):
    async with reader(Config(auto_read_delay=0), size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("h")
        assert app.focused is app.main.category_tree
        for _ in range(4):
            await pilot.press("j")
            await pilot.pause(0.05)
        await pilot.press("slash")  # from the tree straight into the search line
        await pilot.pause()
        for key in "paper":
            await pilot.press(key)
            await pilot.pause(0.05)
        assert stored(home) == {}
        await pilot.press("escape")
        app.set_focus(app.main.paper_list)
        await pilot.press("j")  # the delay of zero does mark a paper looked at in the list
        await wait_until(pilot, lambda: any(mark.read for mark in stored(home).values()))


async def test_u_undoes_an_automatic_mark_and_says_so(reader, home, notifications):
    async with reader(Config(auto_read_delay=0), size=(120, 40)) as pilot:
        await pilot.press("j")
        await wait_until(pilot, lambda: read_in_store(home, ALL_IDS[1]))
        await pilot.press("u")
        await pilot.pause(0.05)
        assert not stored(home)[ALL_IDS[1]].read  # and not marked again while still shown
        assert any("automatically" in message for message in notifications)


async def test_space_at_the_end_of_a_paper_marks_it_read_and_moves_on(reader, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("l", "G")  # the detail pane, scrolled to its end
        await pilot.pause()
        assert app.main.detail.at_end
        await pilot.press("space")
        await pilot.pause()
        assert stored(home)[ALL_IDS[0]].read
        assert current_id(app) == ALL_IDS[1]


async def test_auto_read_off_leaves_papers_unread(reader, home):
    async with reader(Config(auto_read_delay=None), size=(120, 40)) as pilot:
        await pilot.press("j")
        await pilot.pause(0.05)
        assert stored(home) == {}


async def test_marks_made_by_another_process_appear_after_a_poll(reader, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        with Store.open(AppPaths.resolve(home).state_file) as other:
            other.set_read([ALL_IDS[1], ALL_IDS[2]], True)
            other.set_starred([ALL_IDS[3]], True)
        app.poll_store()
        await pilot.pause()
        assert app.main.category_tree.label_text("all") == "All 6 new/8"
        assert app.main.category_tree.label_text("starred") == "Starred 1 new"


async def test_a_damaged_state_file_with_no_repair_keeps_marks_in_memory(reader, home, notifications):
    state = AppPaths.resolve(home).state_file
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(b"this is not sqlite" * 100)
    async with reader(repair=False, size=(120, 40)) as pilot:
        app = pilot.app
        assert any("Marks made now will not be kept" in message for message in notifications)
        await pilot.press("r")
        assert app.main.category_tree.label_text("all") == "All 7 new/8"
    assert state.read_bytes() == b"this is not sqlite" * 100


async def test_marks_come_back_after_a_restart(reader, make_app, home):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("r", "j", "s")
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert again.main.view.done[0] and 1 in again.main.view.starred_at
        assert again.main.category_tree.label_text("all") == "All 7 new/8"


async def test_the_last_node_and_paper_come_back_on_start(reader, make_app):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        app.main.category_tree.select_key("cat:cs.LG")
        await pilot.pause()
        await pilot.press("j", "q")
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert again.main.category_tree.selected_key == "cat:cs.LG"
        assert current_id(again) == "2501.10005"


async def test_a_state_file_deleted_under_the_reader_is_made_again_with_every_mark(reader, home, notifications):
    state = AppPaths.resolve(home).state_file
    async with reader(notifications=True) as pilot:
        app = pilot.app
        await pilot.press("r")
        for side in (state, state.with_name(state.name + "-wal"), state.with_name(state.name + "-shm")):
            side.unlink(missing_ok=True)  # what `rm state.sqlite3*` does
        await pilot.press("j", "s")  # marked after the delete, into the old (unlinked) file
        app.poll_store()
        await pilot.pause()
        assert any("replaced or deleted" in message for message in notifications)
        await pilot.press("j", "r")  # and after the reopen, into the new file
    marks = stored(home)
    assert marks[ALL_IDS[0]].read and marks[ALL_IDS[1]].starred and marks[ALL_IDS[2]].read


async def test_a_mark_on_a_busy_state_file_is_pending_never_freezes_and_is_saved_later(reader, home, notifications,
                                                                                      monkeypatch):
    import sqlite3

    from tui_reader.ui.state_file import UI_BUSY_WAIT_MS

    waits: list[int] = []
    wait_at_most = Store.wait_at_most

    def recording(store: Store, milliseconds: int) -> None:
        waits.append(milliseconds)
        wait_at_most(store, milliseconds)

    monkeypatch.setattr(Store, "wait_at_most", recording)
    state = AppPaths.resolve(home).state_file
    async with reader(notifications=True) as pilot:
        app = pilot.app
        assert waits == [UI_BUSY_WAIT_MS]  # a key's write waits this long for a lock, not 5 s
        blocker = sqlite3.connect(state, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # what a long `state import` holds
        await pilot.press("r", "j", "s")
        # Every key was handled while the lock is still held: the keys did not wait for it.
        assert current_id(app) == ALL_IDS[1]
        assert any(message.startswith("Pending (") for message in notifications)
        assert ALL_IDS[0] not in stored_after_lock(blocker)
        blocker.execute("ROLLBACK")
        blocker.close()
        for _ in range(100):  # the retry (every 0.05 s in tests) saves them once the file is free
            await pilot.pause(0.05)
            if any("pending marks are saved" in message for message in notifications):
                break
        assert any("pending marks are saved" in message for message in notifications)
        assert app.main.view.done[0]
    marks = stored(home)
    assert marks[ALL_IDS[0]].read and marks[ALL_IDS[1]].starred  # both, in the order made


def stored_after_lock(blocker) -> set[str]:
    """Ids with a mark, read through the connection holding the lock (sees committed rows)."""
    return {row[0] for row in blocker.execute("SELECT id FROM marks")}


async def test_the_note_and_tags_dialogs_name_the_paper_by_its_title(reader):
    from textual.widgets import Static

    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        title = " ".join(app.main.current_paper().paper.title.split())
        for key, dialog in (("N", NoteScreen), ("t", PromptScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, dialog)
            shown = [str(static.render()) for static in app.screen.query(Static)]
            assert any(title in text for text in shown), shown
            await pilot.press("escape")
            await pilot.pause()
