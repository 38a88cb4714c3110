"""Keys typed right after `/` land in the search line, however fast they come; `/` inside a
text field is a slash."""
from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea


async def test_keys_typed_right_after_slash_reach_the_search_line(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        # A terminal delivers "/ab" in one read: post the keys back to back, no pause.
        app.post_message(events.Key("slash", "/"))
        for ch in "ab":
            app.post_message(events.Key(ch, ch))
        await pilot.pause(0.5)
        assert app.main.search_bar is not None
        assert app.main.search_bar.query_one(Input).value == "ab"


async def test_slash_in_the_search_line_and_in_a_note_is_typed(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("slash", "a", "slash", "b")
        await pilot.pause(0.3)
        assert app.main.search_bar.query_one(Input).value == "a/b"
        await pilot.press("escape", "N")
        await pilot.pause(0.3)
        await pilot.press("slash", "x")
        assert isinstance(app.focused, TextArea) and app.focused.text.endswith("/x")
