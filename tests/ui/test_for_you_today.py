"""Pilot tests (issues 22 and 29): For you says it is ranking, opens on the newest day's
best, groups likely/maybe/unlikely on the person's own marks, says what it still needs,
teaches with a short triage, and never moves the rows under the cursor when re-ranked."""
from __future__ import annotations

from reader_helpers import current_id, listed_ids
from test_for_you import wait_ranked

from tui_reader.core.config import Config
from tui_reader.ui.services.for_you import BADGES
from tui_reader.ui.screens.triage import TriageScreen
from tui_reader.ui.stable_rows import keep_in_place


def test_rows_up_to_the_cursor_stay_and_the_rest_take_the_new_order():
    assert keep_in_place([5, 6, 7, 8, 9], 1, [9, 8, 7]) == ([5, 6, 9, 8, 7], 1)
    assert keep_in_place([], 0, [3, 2]) == ([3, 2], 0)
    assert keep_in_place([1, 2], 5, [2, 1]) == ([2, 1], 0)


async def test_the_tree_says_for_you_is_ranking_until_it_is_then_counts_today(reader):
    async with reader() as pilot:
        app = pilot.app
        if app.main.for_you.model is None:
            assert app.main.category_tree.label_text("foryou") == "For you …"
        await wait_ranked(pilot)
        label = app.main.category_tree.label_text("foryou")
        assert label == f"For you {app.main.for_you.today} today" and app.main.for_you.today > 0
        assert "For you 0" not in label


async def test_untaught_for_you_says_how_many_stars_it_needs_and_F_teaches(reader):
    async with reader(Config(auto_read_delay=None)) as pilot:
        app = pilot.app
        await wait_ranked(pilot)
        app.main.show_node("foryou")
        app.main.panes_shown.header()
        await pilot.pause()
        assert "star 1 more to teach it" in app.sub_title
        await pilot.press("x")  # a dismissal is decided, but it is no star: still one to go
        await pilot.pause()
        app.main.panes_shown.header()
        assert "star 1 more to teach it" in app.sub_title
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert app.screen.title_text == "teaching For you"
        papers = [app.main.view.papers[i] for i in app.screen.papers]
        categories = [p.category for p in papers]
        # Every category of the undecided papers, before any repeats.
        distinct = len(set(categories))
        assert len(set(categories[:distinct])) == distinct > 1
        assert current_id(app) not in {p.id for p in papers}  # the dismissed paper is decided


async def test_a_star_dismissed_since_is_no_star_for_what_for_you_still_needs(reader):
    async with reader(Config(auto_read_delay=None)) as pilot:
        app = pilot.app
        await wait_ranked(pilot)
        app.main.show_node("foryou")
        await pilot.press("s")  # one star: enough to learn
        await pilot.pause()
        await pilot.press("x")  # the same paper dismissed: the later verdict wins
        for _ in range(100):
            await pilot.pause(0.1)
            model = app.main.for_you.model
            if model is not None and not model.learned:
                break
        app.main.panes_shown.header()
        assert "star 1 more to teach it" in app.sub_title, app.sub_title


async def test_with_enough_marks_for_you_shows_likely_maybe_unlikely_and_why(reader):
    async with reader(Config(auto_read_delay=None)) as pilot:
        app = pilot.app
        main = app.main
        for paper_id in ("2501.10001", "2501.10002", "2501.10003"):
            main.paper_list.cursor = main.paper_list.row_of(main.view.index[paper_id])
            await pilot.press("s")
        for paper_id in ("2501.10005", "2501.20001", "2501.20002"):
            main.paper_list.cursor = main.paper_list.row_of(main.view.index[paper_id])
            await pilot.press("x")
        for _ in range(100):
            await pilot.pause(0.1)
            if main.for_you.confidence is not None:
                break
        assert main.for_you.confidence is not None
        main.show_node("foryou")
        await pilot.pause()
        badges = [main.paper_list.row_text(r, 100).plain[4] for r in range(len(main.paper_list.rows))]
        assert set(badges) <= set(BADGES.values()) and badges
        detail = main.detail.plain_text()
        assert any(f"For you  {word} (" in detail for word in BADGES), detail


async def test_a_re_ranking_keeps_the_paper_under_the_cursor_and_the_rows_above_it(reader):
    async with reader(Config(auto_read_delay=None)) as pilot:
        app = pilot.app
        main = app.main
        await wait_ranked(pilot)
        main.show_node("foryou")
        await pilot.pause()
        main.paper_list.cursor = 2
        await pilot.pause()
        above = listed_ids(app)[:3]
        await pilot.press("r")  # read: For you no longer offers it once ranked again
        main.for_you.rank_now()
        version = main.for_you.model
        for _ in range(300):  # the training waits for the keyboard to rest; the machine is busy
            await pilot.pause(0.1)
            if main.for_you.model is not version:
                break
        assert main.for_you.model is not version
        assert listed_ids(app)[:3] == above and current_id(app) == above[2]
