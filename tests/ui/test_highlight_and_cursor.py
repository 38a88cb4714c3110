"""Pilot tests: search matches are highlighted in the list and the detail pane; the cursor row
shows without colour; the newest day is on screen before the rest of the library."""
from __future__ import annotations

import pytest
from reader_helpers import ALL_IDS, listed_ids, wait_loaded

from tui_reader.ui.widgets.paper_list import CURSOR_MARK


def reversed_text(segments) -> str:
    """The characters drawn in reverse video."""
    return "".join(seg.text for seg in segments if seg.style is not None and seg.style.reverse)


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *text)
    await pilot.pause(0.2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_search_matches_are_highlighted_in_the_rows_and_the_detail_pane(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await search(pilot, "zeta")
        assert listed_ids(app) == ["2501.20001"]
        width = app.main.paper_list.scrollable_content_region.width
        assert reversed_text(app.main.paper_list.line_segments(0, width)) == "Zeta"
        title = app.main.detail.parts["title"]
        assert [title.plain[s.start:s.end] for s in title.spans if "reverse" in str(s.style)] == ["Zeta"]
        await pilot.press("escape")
        await pilot.pause()
        assert reversed_text(app.main.paper_list.line_segments(0, width)) == ""
        title = app.main.detail.parts["title"]
        assert not [s for s in title.spans if "reverse" in str(s.style)]


async def test_the_row_cache_follows_the_query(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await search(pilot, "zeta")
        before = app.main.paper_list.render_line(0).text
        app.main.paper_list.decoration_key = ("benchmark",)  # another query, same rows
        app.main.search.terms = ["benchmark"]
        after = app.main.paper_list.render_line(0).text
        assert before == after  # same characters...
        segments = list(app.main.paper_list.render_line(0))
        assert reversed_text(segments) == "Benchmark"  # ...but the new words lit up


async def test_the_cursor_row_is_marked_without_colour(reader, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        width = app.main.paper_list.scrollable_content_region.width
        cursor_row = app.main.paper_list.line_segments(0, width)
        other_row = app.main.paper_list.line_segments(1, width)
        assert "".join(s.text for s in cursor_row).startswith(CURSOR_MARK)
        assert not "".join(s.text for s in other_row).startswith(CURSOR_MARK)
        assert reversed_text(cursor_row).strip() and not reversed_text(other_row).strip()
        await pilot.press("j")
        assert "".join(s.text for s in app.main.paper_list.line_segments(1, width)).startswith(CURSOR_MARK)


async def test_the_newest_day_is_listed_before_the_first_frame_and_the_rest_follows(reader, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.main.loading_done
        assert listed_ids(app) == ALL_IDS[:3]  # 2025-01-07, read before the first frame
        assert "loading" in app.sub_title
        await wait_loaded(pilot)
        assert app.main.loading_done
        assert listed_ids(app) == ALL_IDS
        assert app.main.category_tree.label_text("all") == "All 8 new"


async def test_a_paper_chosen_while_loading_stays_chosen(reader, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")
        chosen = app.main.current_paper().paper.id
        await wait_loaded(pilot)
        assert app.main.loading_done
        assert app.main.current_paper().paper.id == chosen
        assert app.main.detail.paper.id == chosen


async def test_a_search_opened_on_the_newest_day_covers_the_whole_library_once_loaded(reader, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.main.loading_done
        await pilot.press("slash", *"epsilon")  # Epsilon Gradients is in the older digest
        await wait_loaded(pilot)
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert listed_ids(app) == ["2501.10005"]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "gruvbox", "nord"])
async def test_read_and_unread_rows_under_the_cursor_meet_wcag_aa_contrast(reader, theme):
    from tui_reader.core.config import Config

    async with reader(Config(auto_read_delay=None, theme=theme), size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("r")  # the first paper read (dimmed text), the cursor on it
        paper_list = app.main.paper_list
        for row in (0, 1):  # read, then unread
            paper_list.cursor = row
            await pilot.pause()
            segments = [s for s in paper_list.line_segments(row, paper_list.size.width) if s.text.strip()]
            for segment in segments:
                style = segment.style
                assert style.color is not None and style.bgcolor is not None
                ratio = _contrast(style.color.get_truecolor(), style.bgcolor.get_truecolor())
                assert ratio >= 4.5, (theme, row, segment.text, ratio)
