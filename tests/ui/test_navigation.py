"""Pilot tests: every movement key changes the selection, the focus or the tree as it should."""
from __future__ import annotations

import pytest

from reader_helpers import ALL_IDS, current_id, listed_ids, wait_loaded

from tui_reader.ui.widgets.category_tree import CategoryTree
from tui_reader.ui.widgets.detail_pane import DetailPane
from tui_reader.ui.widgets.paper_list import PaperList


async def test_start_lists_every_paper_newest_day_first_and_shows_the_first(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        assert listed_ids(app) == ALL_IDS
        assert app.main.category_tree.selected_key == "all"
        assert app.main.detail.paper.id == ALL_IDS[0]
        assert isinstance(app.focused, PaperList)
        assert app.sub_title.startswith("All 1/8 · ") and "2 days" in app.sub_title


async def test_j_k_and_arrows_move_the_cursor_and_the_detail_follows(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("j", "j")
        assert current_id(app) == ALL_IDS[2]
        await pilot.press("down")
        assert current_id(app) == ALL_IDS[3]
        await pilot.press("k")
        assert current_id(app) == ALL_IDS[2]
        await pilot.press("up", "up", "up")
        assert current_id(app) == ALL_IDS[0]
        await pilot.pause()
        assert app.main.detail.paper.id == ALL_IDS[0]


async def test_g_G_home_end_go_to_first_and_last(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("G")
        assert current_id(app) == ALL_IDS[-1]
        await pilot.press("g")
        assert current_id(app) == ALL_IDS[0]
        await pilot.press("end")
        assert current_id(app) == ALL_IDS[-1]
        await pilot.press("home")
        assert current_id(app) == ALL_IDS[0]


async def test_page_down_and_up_move_by_a_screen(reader):
    async with reader(size=(80, 20)) as pilot:  # the list is a few rows high here
        app = pilot.app
        height = app.main.paper_list.scrollable_content_region.height
        assert height < len(ALL_IDS)
        await pilot.press("pagedown")
        assert app.main.paper_list.cursor == height - 1
        await pilot.press("pagedown", "pagedown")
        assert current_id(app) == ALL_IDS[-1]
        await pilot.press("pageup", "pageup", "pageup")
        assert current_id(app) == ALL_IDS[0]


async def test_tab_and_shift_tab_cycle_the_panes(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("tab")
        assert isinstance(app.focused, CategoryTree)
        await pilot.press("tab")
        assert isinstance(app.focused, PaperList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, CategoryTree)


async def test_h_l_and_left_right_move_between_tree_list_and_detail(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("h")
        assert isinstance(app.focused, CategoryTree)
        await pilot.press("h")  # no wrap at the edge
        assert isinstance(app.focused, CategoryTree)
        await pilot.press("l", "right")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("left")
        assert isinstance(app.focused, PaperList)


async def test_moving_in_the_tree_lists_that_node_and_enter_opens_a_day(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("h", "j")  # All -> newest day
        await pilot.pause()
        assert app.main.category_tree.selected_key == "day:2025-01-07"
        assert listed_ids(app) == ALL_IDS[:3]
        await pilot.press("j")  # into the open day: its first category
        await pilot.pause()
        assert app.main.category_tree.selected_key == "day:2025-01-07/cat:cs.CL"
        assert listed_ids(app) == ["2501.20003"]
        await pilot.press("j", "j")  # past cs.CV to the older, closed day
        await pilot.pause()
        assert app.main.category_tree.selected_key == "day:2025-01-06"
        await pilot.press("space", "j")  # Space opens the day in the tree; j goes into it
        await pilot.pause()
        assert app.main.category_tree.selected_key == "day:2025-01-06/cat:cs.CL"
        await pilot.press("G")
        await pilot.pause()
        assert app.main.category_tree.selected_key == "cat:cs.LG"
        assert listed_ids(app) == ["2501.10004", "2501.10005"]
        await pilot.press("enter")  # on a leaf: to the list
        assert isinstance(app.focused, PaperList)


async def test_enter_on_a_paper_focuses_the_detail_pane_and_j_scrolls_it(reader):
    async with reader(size=(120, 26)) as pilot:
        app = pilot.app
        await pilot.press("enter")
        assert isinstance(app.focused, DetailPane)
        assert app.main.detail.max_scroll_y > 0
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.main.detail.scroll_y == 2
        assert current_id(app) == ALL_IDS[0]


@pytest.mark.parametrize("size", [(80, 24), (99, 40), (120, 23)])
async def test_enter_on_a_paper_at_a_narrow_or_short_size_opens_it_full_screen(reader, size):
    """Issue 29: at 80x24 the pane under the list has too few rows; Enter opens the paper
    as mutt opens a message, and Esc comes back to the list."""
    from tui_reader.ui.screens.paper import PaperScreen

    async with reader(size=size) as pilot:
        app = pilot.app
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PaperScreen)
        assert app.screen.shown.paper.id == ALL_IDS[1]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main and isinstance(app.focused, PaperList)


async def test_space_pages_the_detail_then_moves_to_the_next_paper(reader):
    async with reader(size=(120, 22)) as pilot:
        app = pilot.app
        assert app.main.detail.max_scroll_y > 0
        for _ in range(20):
            if app.main.detail.at_end:
                break
            await pilot.press("space")
            await pilot.pause()
        assert app.main.detail.at_end and current_id(app) == ALL_IDS[0]
        await pilot.press("space")
        await pilot.pause()
        assert current_id(app) == ALL_IDS[1]
        assert app.main.detail.scroll_y == 0


async def test_n_and_p_go_to_unread_papers_and_cross_into_the_next_node(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        app.main.category_tree.focus()
        app.main.category_tree.select_key("day:2025-01-07/cat:cs.CL")
        await pilot.pause()
        app.main.paper_list.focus()
        assert listed_ids(app) == ["2501.20003"]
        await pilot.press("n")  # no more unread here: into the next node (cs.CV of that day)
        await pilot.pause()
        assert app.main.current_key == "day:2025-01-07/cat:cs.CV"
        assert app.main.category_tree.selected_key == "day:2025-01-07/cat:cs.CV"
        assert current_id(app) == "2501.20001"
        await pilot.press("r", "n")  # read it: n skips to the next unread
        await pilot.pause()
        assert current_id(app) == "2501.20002"
        await pilot.press("p")  # the previous paper is read: back to the node before
        await pilot.pause()
        assert app.main.current_key == "day:2025-01-07/cat:cs.CL"
        assert current_id(app) == "2501.20003"


async def test_n_on_the_last_unread_paper_says_so_and_stays(reader, notifications):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("G", "n")
        await pilot.pause()
        assert current_id(app) == ALL_IDS[-1]
        assert any("No more unread" in message for message in notifications)


async def test_clicking_a_row_selects_it(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.click(PaperList, offset=(10, 3))
        assert current_id(app) == ALL_IDS[3]


async def test_j_repaints_what_changed_not_the_whole_screen(reader, monkeypatch):
    """The header holds the cursor's position; setting it once repainted (and, through the
    header's Static.update, laid out) the whole screen on every `j`: 50-60 ms at 160x50."""
    from textual._compositor import Compositor
    from textual.screen import Screen

    full, layouts = [], []
    render_full_update = Compositor.render_full_update
    refresh_layout = Screen._refresh_layout

    def counted_full_update(self, *args, **kwargs):
        full.append(1)
        return render_full_update(self, *args, **kwargs)

    def counted_layout(self, *args, **kwargs):
        layouts.append(1)
        return refresh_layout(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_full_update", counted_full_update)
    monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
    async with reader(size=(160, 50)) as pilot:
        await pilot.pause(0.3)
        full.clear()
        layouts.clear()
        for _ in range(4):
            await pilot.press("j")
            await pilot.pause(0.05)
        assert "All 5/" in pilot.app.sub_title
        assert (full, layouts) == ([], [])
