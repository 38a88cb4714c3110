"""Pilot tests (issue 29): resting on a list that shows only unread papers (Unread, hide-read,
a saved search on is:unread, For you) reads only the paper a key brought under the cursor,
and that paper stays in its row."""
from __future__ import annotations

import pytest
from reader_helpers import current_id, listed_ids, wait_until
from test_for_you import wait_ranked

from tui_reader.core.config import Config, SavedSearch

DELAY = 0.5
"""Long enough to read the rows before the paper is marked, on a busy machine too."""


def dwelling_config() -> Config:
    return Config(auto_read_delay=DELAY, searches=[SavedSearch("Unread CL", "cat:cs.CL is:unread")])


@pytest.mark.parametrize("node, hide_read", [("unread", False), ("all", True), ("search:Unread CL", False),
                                             ("foryou", False)])
async def test_resting_reads_the_paper_brought_under_the_cursor_and_it_stays(reader, node, hide_read):
    async with reader(dwelling_config()) as pilot:
        app = pilot.app
        main = app.main
        await wait_ranked(pilot)
        for _ in range(50):  # the saved search's node comes with the search index
            if node in main.view.nodes:
                break
            await pilot.pause(0.1)
        app.state.listing.hide_read = hide_read
        main.category_tree.select_key(node)
        await pilot.pause()
        await pilot.press("j")
        rows_before, brought = listed_ids(app), current_id(app)
        await wait_until(pilot, lambda: main.view.done[main.view.index[brought]])  # the dwell
        # Then For you trains again on the new mark (at once with the tests' timings).
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        read = {paper.id for i, paper in enumerate(main.view.papers) if main.view.done[i]}
        assert read == {brought}
        assert current_id(app) == brought and listed_ids(app) == rows_before
