"""Pilot tests: help, warnings, links, settings, hostile text, wide characters and small terminals."""
from __future__ import annotations

from pathlib import Path

import pytest
from reader_helpers import ALL_IDS, current_id, listed_ids, wait_loaded
from rich.cells import cell_len
from rich.table import Table
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Log, Static

from tui_reader.core.config import load_config
from tui_reader.ui.keys import KEY_TABLE
from tui_reader.ui.screens.help import HelpScreen
from tui_reader.ui.screens.paper import PaperScreen
from tui_reader.ui.screens.warnings import WarningsScreen
from tui_reader.ui.widgets.detail_pane import DetailPane


async def test_question_mark_shows_every_key_of_the_table_and_esc_closes(reader):
    async with reader(size=(120, 50)) as pilot:
        app = pilot.app
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", Static).content
        assert isinstance(table, Table)
        ids = [str(cell) for cell in table.columns[2].cells]
        assert ids == [entry.id for entry in KEY_TABLE]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_every_key_of_the_table_is_bound_by_its_owner_and_shown_in_palette(reader):
    from tui_reader.ui.keys import (
        APP, CONFIRM, DETAIL, FULL_PAPER, HELP, LIST, MAIN, NOTE_EDITOR, PANE, PAPER, PROMPT, SEARCH, SIMILAR,
        TRIAGE, WARNINGS,
    )
    from tui_reader.ui.screens.dialogs import ConfirmScreen, NoteScreen, PromptScreen
    from tui_reader.ui.screens.paper import PaperScreen
    from tui_reader.ui.screens.similar import SimilarScreen
    from tui_reader.ui.screens.triage import TriageScreen
    from tui_reader.ui.widgets.search_bar import SearchBar

    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        main = app.main
        bound_by: dict[str, type[DOMNode]] = {
            APP: type(app), MAIN: type(main), PAPER: PaperScreen, LIST: type(main.paper_list),
            DETAIL: type(main.detail), TRIAGE: TriageScreen, SEARCH: SearchBar, FULL_PAPER: PaperScreen,
            CONFIRM: ConfirmScreen, PROMPT: PromptScreen, NOTE_EDITOR: NoteScreen, HELP: HelpScreen,
            WARNINGS: WarningsScreen, SIMILAR: SimilarScreen,
        }
        for entry in KEY_TABLE:
            owners = [type(main.paper_list), type(main.category_tree), type(main.detail)] if entry.owner == PANE \
                else [bound_by[entry.owner]]
            if entry.owner == PAPER:
                owners.append(type(main))
            for owner in owners:
                assert entry.id in {b.id for b in owner.BINDINGS if isinstance(b, Binding)}, (entry.id, owner)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Star", "Read", "Next unread", "Search", "Queue"} <= titles


async def test_q_quits(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


async def test_o_opens_the_page_locally_and_copies_it_over_ssh(reader, make_app, monkeypatch, notifications):
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    app = make_app()
    opened: list[str] = []
    app.open_in_browser = opened.append
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened == [f"https://arxiv.org/abs/{ALL_IDS[0]}"]
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
        await pilot.press("j", "o")
        await app.workers.wait_for_complete()
        assert opened == [f"https://arxiv.org/abs/{ALL_IDS[0]}"]
        assert app.clipboard == f"https://arxiv.org/abs/{ALL_IDS[1]}"
        assert any("Over SSH" in message for message in notifications)


async def test_y_copies_the_link(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("G", "y")
        assert app.clipboard == f"https://arxiv.org/abs/{ALL_IDS[-1]}"


async def test_w_lists_loading_problems(reader, tmp_path, notifications):
    async with reader(paths=[str(Path(__file__).parents[1] / "fixtures" / "ui"), str(tmp_path / "missing.md")], size=(120, 40)) as pilot:
        app = pilot.app
        assert any("press w" in message for message in notifications)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WarningsScreen)
        assert "missing.md" in "\n".join(app.screen.query_one("#warnings-log", Log).lines)


async def test_a_title_with_markup_is_shown_literally_and_does_not_run(reader):
    async with reader(size=(160, 40)) as pilot:
        app = pilot.app
        await pilot.press("j", "j", "j", "j")
        await pilot.pause()
        assert current_id(app) == "2501.10002"
        shown = app.main.detail.plain_text()
        assert "Beta: [bold]Markup[/] Is Text [@click=app.quit]" in shown
        assert "[red]colour[/red]" in shown
        width = app.main.paper_list.scrollable_content_region.width
        assert "[bold]Markup[/]" in app.main.paper_list.row_text(4, width).plain
        await pilot.click(DetailPane, offset=(30, 0))
        await pilot.pause()
        assert app.is_running


async def test_wide_characters_keep_every_row_the_same_width(reader):
    async with reader(size=(160, 40)) as pilot:
        app = pilot.app
        for width in (40, 57, 70, 101):
            rows = [app.main.paper_list.row_text(row, width) for row in range(len(ALL_IDS))]
            assert {cell_len(row.plain) for row in rows} == {width}
            if width >= 48:  # narrower rows drop the category column
                category_columns = {cell_len(row.plain[:row.plain.index(" cs.")]) for row in rows}
                assert len(category_columns) == 1


async def test_a_long_author_list_is_folded_until_a_expands_it(reader):
    async with reader(size=(160, 40)) as pilot:
        app = pilot.app
        await pilot.press("G", "k")
        await pilot.pause()
        assert current_id(app) == "2501.10004"
        assert "and 30 more" in app.main.detail.plain_text()
        assert "Author040" not in app.main.detail.plain_text()
        await pilot.press("a")
        assert "Author040 Surname040" in app.main.detail.plain_text()
        await pilot.press("a")
        assert "Author040" not in app.main.detail.plain_text()


async def test_missing_fields_are_left_out_of_the_detail_pane(reader):
    async with reader(size=(160, 40)) as pilot:
        app = pilot.app
        await pilot.press("G", "k", "k")
        await pilot.pause()
        assert current_id(app) == "2501.10003"
        shown = app.main.detail.plain_text()
        assert "Abstract" in shown and "Motivation" not in shown and "Method" not in shown


async def test_abstract_paragraphs_are_kept(reader):
    async with reader(size=(160, 40)) as pilot:
        app = pilot.app
        app.main.category_tree.select_key("cat:cs.CL")
        await pilot.pause()
        await pilot.press("j")
        assert current_id(app) == "2501.10001"
        assert "alpha abstract.\n\nThe second paragraph" in app.main.detail.plain_text()


async def test_a_broken_settings_file_gives_a_message_and_the_defaults(reader, home, notifications):
    config_file = home / "config.toml"
    config_file.write_text("auto_read_delay = 'soon'\n[keys\n")
    config, problem = load_config(config_file)
    assert problem and "using defaults" in problem
    async with reader(config, config_problem=problem, size=(120, 40)) as pilot:
        app = pilot.app
        assert any("using defaults" in message for message in notifications)
        await pilot.press("j")
        assert current_id(app) == ALL_IDS[1]


async def test_keys_can_be_rebound_from_the_settings(reader, home):
    config_file = home / "config.toml"
    config_file.write_text('[keys]\ntoggle_star = "z"\ncursor_down = "down,ctrl+n"\n')
    config, problem = load_config(config_file)
    assert problem is None
    async with reader(config, size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("ctrl+n", "z")
        assert 1 in app.main.view.starred_at
        await pilot.press("s", "j")  # the old keys no longer act
        assert 1 in app.main.view.starred_at and current_id(app) == ALL_IDS[1]


async def test_a_small_terminal_shows_the_list_and_enter_opens_the_paper_full_screen(reader):
    async with reader(size=(50, 16)) as pilot:
        app = pilot.app
        assert not app.main.category_tree.display or app.main.category_tree.region.width == 0
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PaperScreen)
        assert app.screen.query_one(DetailPane).paper.id == ALL_IDS[1]
        await pilot.press("s", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, PaperScreen)
        assert 1 in app.main.view.starred_at


async def test_esc_then_a_back_key_before_the_paper_screen_reacts_closes_it_once(reader):
    """Esc reaches the full-screen paper as a message that waits in its queue; a busy reader
    can take the next key (h, bound to dismiss) first. The screen closes once: the second
    dismiss used to pop the main screen too (ScreenStackError, and the reader ended)."""
    async with reader(size=(50, 16)) as pilot:
        app = pilot.app
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PaperScreen)
        app.post_message(events.Key("escape", "\x1b"))  # both queued before either is handled
        app.post_message(events.Key("h", "h"))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert app.screen is app.main
        await pilot.press("j")
        assert current_id(app) == ALL_IDS[2]


@pytest.mark.slow
async def test_a_tiny_terminal_says_so_and_resizing_never_crashes(reader):
    async with reader(size=(30, 8)) as pilot:
        app = pilot.app
        assert app.query_one("#too-small").region.height > 0
        for size in ((80, 24), (39, 9), (200, 60), (40, 10), (100, 30), (20, 3)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.is_running
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("j")
        assert current_id(app) == ALL_IDS[1]


async def test_search_filters_the_list_enter_keeps_it_and_esc_clears_it(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("slash", *"muller")
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert listed_ids(app) == ["2501.10005"]
        await pilot.press("enter")
        await pilot.pause()
        assert listed_ids(app) == ["2501.10005"]
        assert app.focused is app.main.paper_list
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert listed_ids(app) == ALL_IDS


def hostile_digest(folder: Path) -> Path:
    """One invented paper carrying terminal escapes, a bidi override and a 1 MB abstract."""
    title = "Evil \x1b]52;c;ZXZpbA==\x07Clipboard \x1b[31mRed\x1b[0m \u202eReversed"
    abstract = ("A very long abstract sentence. " * 34_000)[:1_000_000]
    text = ("# cs.CR\n\n"
            f"### [1] [{title}](https://arxiv.org/abs/2501.30001)\n*Eve Attacker*\n\n"
            "Main category: cs.CR\n\nTL;DR: Hostile.\n\n<details>\n  <summary>Details</summary>\n"
            f"Abstract: {abstract}\n\n</details>\n")
    path = folder / "2025-01-08.md"
    path.write_text(text, encoding="utf-8")
    return path


async def test_escapes_never_reach_the_screen_and_a_1mb_abstract_is_folded(reader, tmp_path):
    async with reader(paths=[str(hostile_digest(tmp_path))], size=(120, 40)) as pilot:
        app = pilot.app
        shown = app.main.detail.plain_text()
        assert "Clipboard" in shown and "Reversed" in shown
        for bad in ("\x1b", "\x07", "\u202e"):
            assert bad not in shown
            assert bad not in app.main.paper_list.row_text(0, 100).plain
        assert len(shown) < 30_000 and "more characters (a: show all)" in shown
        await pilot.press("a")
        assert len(app.main.detail.plain_text()) > 1_000_000
        await pilot.press("j", "k", "r")
        assert app.main.category_tree.label_text("all") == "All 1"


async def test_an_empty_library_says_so_and_every_key_is_harmless(reader, tmp_path):
    async with reader(paths=[str(tmp_path / "nothing-here.md")], size=(100, 30)) as pilot:
        app = pilot.app
        assert app.main.paper_list.rows == [] and "No papers" in app.main.paper_list.empty_text
        for key in ("j", "k", "g", "G", "pagedown", "n", "p", "r", "s", "A", "u", "o", "y",
                    "a", "space", "enter", "tab", "h", "l", "N", "t", "slash"):
            await pilot.press(key)
            await pilot.pause()
            while len(app.screen_stack) > 1:
                await pilot.press("escape")
                await pilot.pause()
        assert app.is_running and app.main.view.papers == []


async def test_the_footer_leads_with_the_keys_of_the_focused_pane(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app

        def shown() -> list[str]:
            return [b.binding.id for b in app.screen.active_bindings.values() if b.binding.show]

        assert shown()[0] == "open" and "quit" in shown()
        await pilot.press("l")
        assert shown()[0] == "back" and "quit" in shown()  # Esc goes back to the list
        await pilot.press("h", "h")
        assert shown()[0] == "open"


async def test_on_a_small_terminal_h_shows_the_tree_and_enter_lists_the_chosen_node(reader):
    async with reader(size=(50, 16)) as pilot:
        app = pilot.app
        assert app.main.category_tree.region.width == 0
        await pilot.press("h")
        await pilot.pause()
        assert app.focused is app.main.category_tree and app.main.category_tree.region.width == 50
        assert app.main.paper_list.region.width == 0
        await pilot.press("G", "enter")
        await pilot.pause()
        assert app.focused is app.main.paper_list and app.main.category_tree.region.width == 0
        assert listed_ids(app) == ["2501.10004", "2501.10005"]


async def test_o_without_a_browser_says_it_failed_and_copies_the_link(reader, make_app, monkeypatch, notifications):
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    app = make_app()
    app.open_in_browser = lambda url: False  # what webbrowser.open says when no browser exists
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = list(notifications)
        assert any(m.startswith("No browser could open the page; the link was copied") for m in messages)
        assert app.clipboard == "https://arxiv.org/abs/" + current_id(app)


async def test_esc_in_the_detail_pane_returns_to_the_list(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("l")
        assert app.focused is app.main.detail
        await pilot.press("escape")
        assert app.focused is app.main.paper_list


async def test_backslash_hides_the_tree_and_the_list_takes_its_width(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        width = app.main.paper_list.size.width
        await pilot.press("backslash")
        await pilot.pause()
        assert app.main.category_tree.display is False or app.main.category_tree.size.width == 0
        assert app.main.paper_list.size.width > width
        await pilot.press("h")  # no hidden pane takes the focus
        assert app.focused is app.main.paper_list
        await pilot.press("backslash")
        await pilot.pause()
        assert app.main.paper_list.size.width == width


async def test_sort_cycles_digest_newest_title_and_H_hides_read_papers(reader, notifications):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        titles = [app.main.view.papers[i].title for i in app.main.paper_list.rows]
        await pilot.press("O", "O")  # newest, then title
        await pilot.pause()
        assert [app.main.view.papers[i].title for i in app.main.paper_list.rows] == sorted(titles, key=str.casefold)
        # Round to the digest's order (it was the third press once; since relevance, stars and
        # importance were added that landed on relevance, which equals the digest's order only
        # until For you's first ranking, so the test failed whenever the ranking came first).
        for _ in range(10):
            await pilot.press("O")
            if notifications[-1] == "Sorted: digest order":
                break
        await pilot.pause()
        assert notifications[-1] == "Sorted: digest order"
        await pilot.press("r", "H")
        await pilot.pause()
        assert ALL_IDS[0] not in listed_ids(app) and len(listed_ids(app)) == len(titles) - 1
        await pilot.press("H")
        await pilot.pause()
        assert listed_ids(app)[0] == ALL_IDS[0]


async def test_the_header_shows_the_position_in_the_node(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("j", "j")
        assert app.sub_title.startswith("All 3/8 · ")


async def test_the_palette_lists_triage_commands_only_in_triage(reader):
    from tui_reader.ui.keys import TRIAGE
    from tui_reader.ui.screens.triage import TriageScreen

    triage_only = ({entry.description for entry in KEY_TABLE if entry.owner == TRIAGE}
                   - {entry.description for entry in KEY_TABLE if entry.owner != TRIAGE})
    assert {"Skip", "Done"} <= triage_only
    async with reader(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        app = pilot.app
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Back") == 1  # the paper's Esc; triage's p is not here
        assert not triage_only & set(titles), triage_only & set(titles)
        await pilot.press("F")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TriageScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Skip", "Done", "Back"} <= set(titles) and titles.count("Back") == 1
        assert "Next unread" not in titles
