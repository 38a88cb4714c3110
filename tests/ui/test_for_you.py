"""Pilot tests: For you learns from marks, x dismisses, triage decides a paper a key, hide rules hide."""
from __future__ import annotations

from reader_helpers import ALL_IDS, current_id, listed_ids

from tui_reader.core.config import Config, HideRule
from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store
from tui_reader.ui.screens.triage import TriageScreen


def stored(home):
    with Store.open(AppPaths.resolve(home).state_file) as store:
        return store.marks()


async def wait_ranked(pilot, timeout: float = 20.0) -> None:
    """Until For you's first training (a thread, a second after loading) is shown."""
    for _ in range(int(timeout / 0.1)):
        await pilot.pause(0.1)
        if pilot.app.main.for_you.model is not None:
            return
    raise AssertionError("For you was never ranked")


async def test_x_dismisses_the_paper_out_of_the_unread_count_and_u_takes_it_back(reader, home):
    async with reader() as pilot:
        app = pilot.app
        assert app.main.category_tree.label_text("unread") == "Unread 8"
        await pilot.press("x")
        await pilot.pause()
        assert stored(home)[ALL_IDS[0]].dismissed
        assert app.main.category_tree.label_text("unread") == "Unread 7"
        row = app.main.paper_list.row_text(0, 100).plain
        assert row[1] == "✗"
        await pilot.press("u")
        await pilot.pause()
        assert not stored(home)[ALL_IDS[0]].dismissed
        assert app.main.category_tree.label_text("unread") == "Unread 8"


async def test_with_few_signals_for_you_says_how_to_teach_it(reader, notifications):
    async with reader(notifications=True) as pilot:
        await wait_ranked(pilot)
        assert not pilot.app.main.for_you.model.learned
        assert any("star or dismiss a few papers" in message for message in notifications)


async def test_for_you_lists_unread_papers_best_first_with_scores_and_says_why(reader):
    async with reader() as pilot:
        app = pilot.app
        # Star the three cs.CL papers of 2025-01-06 (Alpha, Beta, Gamma), dismiss a cs.LG one.
        for paper_id in ("2501.10001", "2501.10002", "2501.10003"):
            app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index[paper_id])
            await pilot.press("s")
        app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index["2501.10005"])
        await pilot.press("x")
        app.main.for_you.rank_now()
        await wait_ranked(pilot)
        for _ in range(50):
            await pilot.pause(0.1)
            if app.main.for_you.model.learned:
                break
        assert app.main.for_you.model.learned
        app.main.show_node("foryou")
        await pilot.pause()
        order = listed_ids(app)
        assert "2501.10005" not in order  # dismissed: not offered again
        # The newest day first, best first within each day.
        rows = app.main.paper_list.rows
        dates = [app.main.view.papers[i].date for i in rows]
        assert dates == sorted(dates, reverse=True)
        for day in set(dates):
            scores = [app.state.scores[i] for i in rows if app.main.view.papers[i].date == day]
            assert scores == sorted(scores, reverse=True)
        newest = max(p.date for p in app.main.view.papers)
        assert app.main.for_you.today == dates.count(newest) > 0
        assert app.main.category_tree.label_text("foryou") == f"For you {dates.count(newest)} today"
        assert app.main.paper_list.show_scores
        assert "For you  " in app.main.detail.plain_text()
        assert "today" in app.main.app.sub_title  # the header: For you 1/N · K today · …


async def test_triage_stars_dismisses_reads_and_skips_then_returns_where_it_was(reader, home):
    async with reader() as pilot:
        app = pilot.app
        await pilot.press("j")
        where = current_id(app)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("s", "x", "r", "space")
        await pilot.pause()
        assert app.screen.position == 4 and len(app.screen.decided) == 4
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TriageScreen) and current_id(app) == where
    marks = stored(home)
    assert marks[ALL_IDS[0]].starred and marks[ALL_IDS[1]].dismissed and marks[ALL_IDS[2]].read
    assert ALL_IDS[3] not in marks  # skipped: left as it was


async def test_a_hide_rule_hides_papers_everywhere_and_V_shows_them_with_the_reason(reader):
    config = Config(auto_read_delay=None, hide_rules=[HideRule("ti:gradients", "no optimisers")])
    async with reader(config) as pilot:
        app = pilot.app
        for _ in range(50):
            await pilot.pause(0.1)
            if app.state.hidden:
                break
        app.main.show_node("all")
        await pilot.pause()
        assert "2501.10005" not in listed_ids(app)
        await pilot.press("V")
        await pilot.pause()
        assert "2501.10005" in listed_ids(app)
        app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index["2501.10005"])
        await pilot.pause()
        assert "Hidden   no optimisers" in app.main.detail.plain_text()


async def test_a_retraining_after_marks_never_chooses_the_author_weight_a_training_of_its_own_does(reader, monkeypatch):
    """The held-out fits that choose the author weight take seconds at a real library's
    size: the retraining after a mark keeps the last choice (one fit) and says the choice is
    due; the reader then trains again, choosing, once the keyboard rests."""
    from tui_reader.core.rank import ranker

    async with reader() as pilot:
        app = pilot.app
        for paper_id in ("2501.10001", "2501.10002", "2501.10003"):
            app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index[paper_id])
            await pilot.press("s")
        app.main.for_you.rank_now()
        for _ in range(100):
            await pilot.pause(0.1)
            if app.main.for_you.model is not None and app.main.for_you.model.learned:
                break
        trained = app.main.for_you._ranker
        assert trained is not None and not trained.choice_due
        calls: list[tuple[bool, bool, bool]] = []  # (asked to choose, chose, a choice due after)
        train = trained.train

        def recording(*args, **kwargs):
            before = trained._chosen
            model = train(*args, **kwargs)
            calls.append((kwargs["choose"], trained._chosen is not before, trained.choice_due))
            return model

        monkeypatch.setattr(trained, "train", recording)
        monkeypatch.setattr(ranker, "RECHOOSE_MARKS", 2)  # an 8-paper library: 2 marks are "many"
        for paper_id, key in (("2501.10004", "s"), ("2501.10005", "x")):
            app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index[paper_id])
            await pilot.press(key)
        app.main.for_you.rank_now()
        for _ in range(100):
            await pilot.pause(0.1)
            if any(asked for asked, _, _ in calls) and not app.workers:
                break
        await pilot.pause(0.3)
        # The retrainings after the marks keep the choice and say one is due; then one
        # training of the reader's own chooses (every mark also asks a retraining: how many
        # run hangs on the timers).
        asked = [call[0] for call in calls]
        assert asked.count(True) == 1
        choosing = asked.index(True)
        assert calls[choosing] == (True, True, False)
        assert calls[choosing - 1] == (False, False, True)
        assert all(not chose for wanted, chose, _ in calls if not wanted)
        assert not trained.choice_due
