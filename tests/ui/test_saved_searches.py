"""Pilot tests: saved searches from the settings are tree nodes with live counts; watched papers stand out."""
from __future__ import annotations

from reader_helpers import current_id, listed_ids, wait_loaded

from tui_reader.core.config import Config, SavedSearch


def searching_config(**extra) -> Config:
    return Config(auto_read_delay=None,
                  searches=[SavedSearch("Unread CL", "cat:cs.CL is:unread"), SavedSearch("Müller", "au:muller")],
                  **extra)


async def test_saved_searches_are_nodes_with_counts_that_follow_marking(reader):
    async with reader(searching_config(), size=(120, 40)) as pilot:
        app = pilot.app
        assert app.main.category_tree.label_text("search:Unread CL") == "⌕ Unread CL 4 new"
        assert app.main.category_tree.label_text("search:Müller") == "⌕ Müller 1 new"
        app.main.category_tree.select_key("search:Unread CL")
        await pilot.pause()
        assert listed_ids(app) == ["2501.20003", "2501.10001", "2501.10002", "2501.10003"]
        await pilot.press("r")
        assert app.main.category_tree.label_text("search:Unread CL") == "⌕ Unread CL 3 new/4"
        app.main.category_tree.select_key("all")
        await pilot.pause()
        app.main.category_tree.select_key("search:Unread CL")  # selected again: the query runs again
        await pilot.pause()
        assert listed_ids(app) == ["2501.10001", "2501.10002", "2501.10003"]


async def test_a_bad_saved_search_is_reported_and_the_others_still_work(reader, notifications):
    config = Config(auto_read_delay=None, searches=[SavedSearch("Broken", "ti:(unclosed"),
                                                    SavedSearch("Zeta", "ti:zeta")])
    async with reader(config, size=(120, 40)) as pilot:
        app = pilot.app
        assert any("Broken" in message for message in notifications)
        assert app.main.category_tree.label_text("search:Zeta") == "⌕ Zeta 1 new"
        assert app.main.category_tree.label_text("search:Broken") == ""


async def test_watched_keywords_and_authors_colour_the_rows(reader):
    async with reader(Config(auto_read_delay=None, watch_keywords=["SEGMENTATION"], watch_authors=["muller"]), size=(120, 40)) as pilot:
        app = pilot.app
        assert {app.main.view.papers[i].id for i in app.state.watched} == {"2501.20002", "2501.10005"}
        watched_style = app.main.paper_list.get_component_rich_style("paper-list--watched", partial=True)
        width = 80
        row = app.main.paper_list.row_text(1, width)  # Eta Segmentation
        plain_row = app.main.paper_list.row_text(0, width)
        assert any(span.style == watched_style for span in row.spans)
        assert not any(span.style == watched_style for span in plain_row.spans)


async def test_a_saved_search_node_comes_back_on_start(reader, make_app):
    async with reader(searching_config(), size=(120, 40)) as pilot:
        app = pilot.app
        app.main.category_tree.select_key("search:Müller")
        await pilot.pause()
        await pilot.press("q")
    again = make_app(searching_config())
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert again.main.current_key == "search:Müller"
        assert current_id(again) == "2501.10005"
