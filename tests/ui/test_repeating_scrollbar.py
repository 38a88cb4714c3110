"""The detail pane's scrollbar: painted from rows it has painted before, exactly as Textual
paints it, and always there, so moving from paper to paper never lays the screen out again."""
from __future__ import annotations

import pytest
from reader_helpers import wait_loaded
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.screen import Screen

from tui_reader.ui.widgets.steady_scrollbars import RepeatingScrollBar


def textual_rows(bar: ScrollBar) -> list[tuple[str, object]]:
    """The bar's rows as Textual itself paints them now, from empty caches."""
    bar._styles_cache.clear()
    bar._render_content()
    strips = ScrollBar.render_lines(bar, Region(0, 0, bar.size.width, bar.size.height))
    return [(strip.text, [segment.style for segment in strip]) for strip in strips]


def shown_rows(bar: ScrollBar) -> list[tuple[str, object]]:
    strips = bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))
    return [(strip.text, [segment.style for segment in strip]) for strip in strips]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_every_row_of_the_bar_is_the_row_textual_would_paint(reader, size):
    async with reader(size=size) as pilot:
        app = pilot.app
        bar = app.main.detail.vertical_scrollbar
        assert isinstance(bar, RepeatingScrollBar)
        seen = set()
        # Papers of different lengths, scrolled, focused and not: the thumb moves, grows,
        # shrinks and goes; every row shown must be Textual's own.
        steps = [(app.main.paper_list, "j"), (app.main.paper_list, "j"), (app.main.detail, "j"),
                 (app.main.detail, "G"), (app.main.paper_list, "k"), (app.main.detail, "pagedown"),
                 (app.main.paper_list, "j"), (app.main.paper_list, "j"), (app.main.detail, "g")]
        for pane, key in steps:
            pane.focus()
            await pilot.press(key)
            await pilot.pause()
            shown = shown_rows(bar)
            assert shown == textual_rows(bar), key
            seen.add(tuple(text for text, _ in shown))
        assert len(seen) > 1, "the keys never changed the bar: the test checked one state only"


async def test_moving_between_short_and_long_papers_lays_nothing_out(reader, monkeypatch):
    layouts = []
    original = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(1)
        return original(self, *args, **kwargs)

    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await wait_loaded(pilot)
        app.main.paper_list.focus()
        await pilot.pause()
        detail = app.main.detail
        heights = set()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for _ in range(len(app.main.paper_list.rows) - 1):
            await pilot.press("j")
            await pilot.pause()
            heights.add(detail.virtual_size.height > detail.scrollable_content_region.height)
        assert heights == {True, False}, "the papers walked through were all short or all long"
        assert not layouts
