"""More like this (`M`): the similar papers of the highlighted one, with why, over the reader's library."""
from __future__ import annotations

from reader_helpers import current_id
from textual.widgets import OptionList, Static

from tui_reader.ui.screens.paper import PaperScreen
from tui_reader.ui.screens.similar import SimilarScreen


async def wait_similar(pilot) -> SimilarScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SimilarScreen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_m_lists_similar_papers_with_why_and_enter_opens_one(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        seed = current_id(app)
        assert seed is not None
        await pilot.press("M")
        screen = await wait_similar(pilot)
        options = screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        # The fixtures' abstracts share a word ("abstract"): all seven others are like it.
        assert len(rows) == 7
        assert all("\n      words: " in row for row in rows), rows
        assert "abstract" in rows[0]
        assert any("[bold]Markup[/]" in row for row in rows)  # titles shown as text, never markup
        assert seed not in [app.main.view.papers[n.index].id for n in screen.neighbours]
        status = str(screen.query_one("#similar-status", Static).render())
        assert "7 most similar papers of 8" in status
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PaperScreen)
        assert app.screen.shown.paper.id == app.main.view.papers[screen.neighbours[0].index].id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SimilarScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SimilarScreen)
        assert current_id(app) == seed


async def test_m_on_a_library_of_one_paper_says_so(reader, tmp_path):
    digest = tmp_path / "2025-01-06.md"
    digest.write_text("# Table of Contents\n\n<div id='cs.LG'></div>\n\n# cs.LG [[Back]](#toc)\n\n"
                      "### [1] [Lonely Paper](https://arxiv.org/abs/2501.30001)\n*Ann Author*\n\n"
                      "Main category: cs.LG\n\nTL;DR: Alone.\n\n<details>\n  <summary>Details</summary>\n"
                      "Abstract: Nothing to compare with.\n\n</details>\n\n", encoding="utf-8")
    async with reader(size=(120, 40), paths=[str(digest)]) as pilot:
        assert current_id(pilot.app) == "2501.30001"
        await pilot.press("M")
        screen = await wait_similar(pilot)
        status = str(screen.query_one("#similar-status", Static).render())
        assert status == "No paper like this one: the library holds no other paper."
        assert screen.query_one(OptionList).option_count == 0


def test_no_key_outside_triage_is_bound_to_two_actions():
    """`L` was given to both More like this and the language switch by two branches at once;
    on the main screen (the other screens have their own keys) a key means one thing."""
    from collections import Counter

    from tui_reader.ui.keys import KEY_TABLE, SCREEN_OF

    counts = Counter(key for entry in KEY_TABLE if SCREEN_OF[entry.owner] == "main" for key in entry.keys.split(","))
    assert [key for key, n in counts.items() if n > 1] == []
    assert next(e for e in KEY_TABLE if e.id == "more_like_this").keys == "M"
