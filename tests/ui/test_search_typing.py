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
        assert app.main.search.bar is not None
        assert app.main.search.bar.query_one(Input).value == "ab"


async def test_slash_in_the_search_line_and_in_a_note_is_typed(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("slash", "a", "slash", "b")
        await pilot.pause(0.3)
        assert app.main.search.bar.query_one(Input).value == "a/b"
        await pilot.press("escape", "N")
        await pilot.pause(0.3)
        await pilot.press("slash", "x")
        assert isinstance(app.focused, TextArea) and app.focused.text.endswith("/x")


async def test_a_paste_arriving_as_keys_is_searched_a_few_times_not_once_per_key(make_app, monkeypatch):
    """A terminal without bracketed paste sends a paste as one key per character: each used
    to parse and search the whole line (3 KB took 20 s to show); a burst is searched when
    it pauses, and the line keeps what the search line holds, no more."""
    from tui_reader.core.search.parse import MAX_QUERY_LENGTH
    from tui_reader.ui.widgets import search_bar

    parsed: list[str] = []
    real_parse = search_bar.parse_query

    def recording_parse(text):
        parsed.append(text)
        return real_parse(text)

    monkeypatch.setattr(search_bar, "parse_query", recording_parse)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("slash")
        pasted = ("lantern " * 400)[:MAX_QUERY_LENGTH + 500]
        for ch in pasted:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        bar = app.main.search.bar
        while not parsed or parsed[-1] != pasted[:MAX_QUERY_LENGTH]:
            await pilot.pause(0.1)
        assert bar.query_one(Input).value == pasted[:MAX_QUERY_LENGTH]
        assert len(parsed) < 50, len(parsed)
        assert f"line cut at {MAX_QUERY_LENGTH:,} characters" in str(bar.query_one("#search-status").render())
        # A person's keys, apart, are each searched at once.
        await pilot.press("escape", "slash")
        searched = len(parsed)
        for ch in "lan":
            await pilot.press(ch)
            await pilot.pause(search_bar.BURST_SECONDS * 2)
        assert parsed[searched:] == ["l", "la", "lan"]
