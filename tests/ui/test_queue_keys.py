"""Pilot tests: the reading queue keeps the order the person gives it, undoably, on disk."""
from __future__ import annotations

from reader_helpers import ALL_IDS, current_id, listed_ids

from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store


def stored_queue(home) -> list[str]:
    with Store.open(AppPaths.resolve(home).state_file) as store:
        return store.queue()


async def test_K_J_T_reorder_the_queue_in_the_store_and_u_undoes_a_move(reader, home):
    async with reader() as pilot:
        app = pilot.app
        await pilot.press("s", "j", "s", "j", "s")  # stars the first three, oldest first
        assert stored_queue(home) == ALL_IDS[:3]
        app.main.show_node("starred")
        await pilot.pause()
        assert listed_ids(app) == ALL_IDS[:3]
        await pilot.press("G", "T")  # the last to the top
        await pilot.pause()
        assert stored_queue(home) == [ALL_IDS[2], ALL_IDS[0], ALL_IDS[1]]
        assert listed_ids(app) == stored_queue(home) and current_id(app) == ALL_IDS[2]
        assert app.sub_title.startswith("queue 1/3 · ")
        await pilot.press("J")  # one down
        await pilot.pause()
        assert stored_queue(home) == [ALL_IDS[0], ALL_IDS[2], ALL_IDS[1]]
        await pilot.press("u")
        await pilot.pause()
        assert stored_queue(home) == [ALL_IDS[2], ALL_IDS[0], ALL_IDS[1]]
        assert listed_ids(app) == stored_queue(home)


async def test_undoing_an_unstar_puts_the_paper_back_in_its_place(reader, home):
    async with reader() as pilot:
        app = pilot.app
        await pilot.press("s", "j", "s", "j", "s")
        app.main.show_node("starred")
        await pilot.pause()
        await pilot.press("j", "s")  # unstar the middle one
        await pilot.pause()
        assert stored_queue(home) == [ALL_IDS[0], ALL_IDS[2]]
        await pilot.press("u")
        await pilot.pause()
        assert stored_queue(home) == ALL_IDS[:3] and listed_ids(app) == ALL_IDS[:3]


async def test_bracket_jumps_to_the_queue_from_anywhere_and_walks_it(reader):
    async with reader() as pilot:
        app = pilot.app
        await pilot.press("G", "s", "g", "s")  # the last paper starred first
        await pilot.press("h", "j", "j", "j")  # somewhere in the tree
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.main.current_key == "starred" and current_id(app) == ALL_IDS[-1]
        assert app.focused is app.main.paper_list
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert current_id(app) == ALL_IDS[0]


async def test_the_queue_order_comes_back_after_a_restart(reader, home):
    async with reader() as pilot:
        await pilot.press("s", "j", "s")
        pilot.app.main.show_node("starred")
        await pilot.pause()
        await pilot.press("G", "T")
    async with reader() as pilot:
        pilot.app.main.show_node("starred")
        await pilot.pause()
        assert listed_ids(pilot.app) == [ALL_IDS[1], ALL_IDS[0]]
