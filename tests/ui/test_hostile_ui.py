"""Pilot tests on hostile digests: markup shows as text in every widget and never runs,
no control character reaches the screen, a 1 MB abstract stays responsive, and resizing
at any moment (even while loading) never crashes."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from reader_helpers import current_id, wait_loaded
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Log

from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store
from tui_reader.core.formats.text import render_latex
from tui_reader.ui.screens.dialogs import NoteScreen, PromptScreen
from tui_reader.ui.screens.help import HelpScreen
from tui_reader.ui.screens.paper import PaperScreen
from tui_reader.ui.screens.warnings import WarningsScreen

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
MARKUP_CATEGORY = "[b]cs.X[/]"
"""A category name that is Rich markup (JSONL categories are free text)."""
BAD_FILE_NAME = "2025-02-03 [@click=app.quit]x [bold]warn.md"
"""A file that is not a digest, so its name reaches a notification and the warnings screen."""
LINK_WITH_MARKUP = "https://arxiv.org/abs/2502.20001?q=[@click=app.quit]x[/]"
OWN_PAGE = "https://arxiv.org/abs/2502.20001"  # the link rule: built from the id, the query dropped
"""A printable link to the paper's own page that carries markup (kept, shown, copied)."""
# Payloads of the hostile digests that must never reach the terminal.
PAYLOADS = ("\x1b", "\x9b", "\x9d", "\u202e", "\u2066", "pwned", "ZXZpbA", "evil.example\\")


def screen_text(app) -> str:
    """The screen as plain text, the way Textual's own export_screenshot renders it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True))
    return console.export_text(styles=False)


def find_on_screen(app, needle: str) -> tuple[int, int] | None:
    """(x, y) of the first cell of `needle` on screen, if shown."""
    for y, line in enumerate(screen_text(app).splitlines()):
        x = line.find(needle)
        if x >= 0:
            return x, y
    return None


@pytest.fixture
def hostile_paths(tmp_path: Path) -> list[str]:
    """The Markdown hostile fixture, a JSONL day whose every field is markup or escapes
    (categories included, so tree labels are tested), and a bad file with a markup name."""
    record = {
        "id": "2502.20001",
        "title": "JSON [bold]Injection[/] \x1b]0;pwned\x07 [@click=app.quit]title[/]",
        "authors": ["[@click=app.quit]Mallory[/]", "Eve \x1b[2J[red]Red[/red]"],
        "categories": [MARKUP_CATEGORY, "cs.CR"],
        "abs": LINK_WITH_MARKUP,
        "summary": "Abstract with [link=https://evil.example]a link[/link] and \x1b]52;c;ZXZpbA==\x07 end.",
        "AI": {"tldr": "[blink]tl;dr[/blink] \u202eevil", "motivation": "[@click=app.bell]m[/]",
               "method": "\x9b31mc1 csi", "result": "[/]", "conclusion": "[/link] [on red]x"},
    }
    day = tmp_path / "2025-02-02.jsonl"
    day.write_text(json.dumps(record) + "\n", encoding="utf-8")
    bad = tmp_path / BAD_FILE_NAME
    bad.write_text("just some words, no papers\n", encoding="utf-8")
    return [str(HOSTILE), str(day), str(bad)]


async def test_markup_from_digests_shows_literally_in_rows_tree_detail_and_notice(reader, hostile_paths, notifications):
    async with reader(paths=hostile_paths, size=(180, 50), notifications=True) as pilot:
        app = pilot.app
        # Notification: the warning names the bad file, whose name is markup.
        notices = list(notifications)
        assert any("[@click=app.quit]x [bold]warn.md" in message for message in notices), notices
        shown = screen_text(app)
        assert "[@click=app.quit]x" in shown and "[bold]warn.md" in shown
        # Tree: a category that is markup is its own literal label.
        assert app.main.category_tree.label_text(f"cat:{MARKUP_CATEGORY}") == f"{MARKUP_CATEGORY} 1 new"
        assert MARKUP_CATEGORY in shown
        # Rows and detail pane of every paper.
        width = app.main.paper_list.scrollable_content_region.width
        titles = {}
        for row in range(len(app.main.paper_list.rows)):
            app.main.paper_list.cursor = row
            await pilot.pause()
            titles[current_id(app)] = app.main.paper_list.row_text(row, 400).plain
            assert app.main.paper_list.row_text(row, width).plain  # draws at the real width too
        assert "Markup [bold]Injection[/] and [@click=app.quit]Quit[/]" in titles["2501.10001"]
        assert "JSON [bold]Injection[/]" in titles["2502.20001"]
        assert "[@click=app.quit]Mallor" in titles["2502.20001"]  # first author column (cut to fit)

        app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index["2502.20001"])
        await pilot.pause()
        detail = app.main.detail.plain_text()
        for literal in ("JSON [bold]Injection[/]", "[@click=app.quit]title[/]", "[@click=app.quit]Mallory[/]",
                        "[red]Red[/red]", MARKUP_CATEGORY, "[link=https://evil.example]a link[/link]",
                        "[blink]tl;dr[/blink]", "[@click=app.bell]m[/]", "[/]"):
            assert literal in detail, literal
        shown = screen_text(app)
        assert "[bold]Injection[/]" in shown and "[link=https://evil.example]a" in shown


async def test_clicking_an_action_written_in_a_digest_does_nothing(reader, hostile_paths):
    async with reader(paths=hostile_paths, size=(180, 50)) as pilot:
        app = pilot.app
        app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index["2501.10001"])
        await pilot.pause()
        spots = 0
        for needle in ("[@click=app.quit]Quit", "[link=https://evil.example]here", "[@click=app.quit]x"):
            where = find_on_screen(app, needle)
            if where is None:
                continue
            spots += 1
            for dx in (1, len("[@click=app.quit]") + 1):
                await pilot.click(offset=(where[0] + dx, where[1]))
                await pilot.pause()
                assert app.is_running and app.return_value is None
        assert spots >= 2  # the title's action and link were on screen and clicked


async def test_no_control_character_from_a_digest_reaches_the_screen(reader, hostile_paths):
    async with reader(paths=hostile_paths, size=(180, 50)) as pilot:
        app = pilot.app
        for row in range(len(app.main.paper_list.rows)):
            app.main.paper_list.cursor = row
            await pilot.pause()
            shown = screen_text(app) + app.main.detail.plain_text()
            for payload in PAYLOADS:
                assert payload not in shown, (current_id(app), payload)
            assert not any(ord(c) < 32 and c not in "\n\t" for c in shown)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WarningsScreen)
        log_lines = "\n".join(app.screen.query_one("#warnings-log", Log).lines)
        assert "[@click=app.quit]x [bold]warn.md" in log_lines
        assert "[bold]warn.md" in screen_text(app)


async def test_help_and_note_and_tag_dialogs_show_markup_literally(reader, hostile_paths, home):
    async with reader(paths=hostile_paths, size=(160, 50)) as pilot:
        app = pilot.app
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and "tui-reader keys" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        paper = current_id(app)
        note = "[@click=app.quit]n[/] [bold]x"
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*note, "ctrl+s")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"[red]tag[/red], [@click=app.quit]q", "enter")
        await pilot.pause()
        assert app.is_running
        with Store.open(AppPaths.resolve(home).state_file) as store:
            mark = store.get(paper)
        assert mark.note == note
        assert mark.tags == ("[red]tag[/red]", "[@click=app.quit]q")
        detail = app.main.detail.plain_text()
        assert f"Note     {note}" in detail and "Tags     [red]tag[/red], [@click=app.quit]q" in detail
        await pilot.press("N")  # the dialog shows the stored note as it is
        await pilot.pause()
        assert note in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_search_for_markup_finds_the_paper_and_the_query_shows_literally(reader, hostile_paths):
    async with reader(paths=hostile_paths, size=(160, 50)) as pilot:
        app = pilot.app
        await pilot.press("slash", *'"[bold]injection[/]"')
        for _ in range(20):
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if len(app.main.paper_list.rows) == 2:
                break
        assert sorted(app.main.view.papers[i].id for i in app.main.paper_list.rows) == ["2501.10001", "2502.20001"]
        assert '"[bold]injection[/]"' in screen_text(app)
        assert app.is_running


async def test_a_link_with_markup_is_copied_opened_and_notified_as_the_papers_own_page(make_app, hostile_paths,
                                                                                        monkeypatch, notifications):
    monkeypatch.delenv("TMUX", raising=False)  # inside tmux the notice says where the link went
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    app = make_app(paths=hostile_paths)
    opened: list[str] = []
    app.open_in_browser = opened.append
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await wait_loaded(pilot)
        app.main.paper_list.cursor = app.main.paper_list.row_of(app.main.view.index["2502.20001"])
        await pilot.pause()
        assert OWN_PAGE in app.main.detail.plain_text() and "?q=" not in app.main.detail.plain_text()
        await pilot.press("y", "o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == OWN_PAGE and opened == [OWN_PAGE]
        messages = list(notifications)
        assert f"Copied {OWN_PAGE}" in messages and f"Opening {OWN_PAGE}" in messages
        toasts = [toast.render().plain for toast in app.screen.query("Toast")]
        assert any(OWN_PAGE in "".join(text.split()) for text in toasts), toasts
        assert app.is_running


_ALPHABET = (list("abc XYZ 019.,;:-()[]{}/\\$^_*`'\"<>&=@#")
             + ["漢", "字", "か", "😀", "👩\u200d💻", "e\u0301", "\u0300", "ß", "İ", "ﬁ", "א", "ب", "\u200b",
                "\ufeff", "\u00ad", "\u2028", "\t", "\n", "\x1b[31m", "\x1b]0;t\x07", "\x9b2J", "\u202e",
                "[b]", "[/]", "[@click=app.quit]", "\\alpha", "$x^2$", "\\frac{a}{b}", "Ã¼", "â€™"])


def _random_text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, longest)))


async def test_rows_of_random_unicode_and_markup_keep_their_width_and_never_break(reader, tmp_path):
    rng = random.Random(20250201)
    records = [{"id": f"2503.{i:05d}", "title": _random_text(rng, 40),
                "authors": [_random_text(rng, 12) for _ in range(rng.randint(0, 3))],
                "categories": [_random_text(rng, 8)], "summary": _random_text(rng, 200),
                "AI": {"tldr": _random_text(rng, 60), "method": _random_text(rng, 60)}}
               for i in range(1, 41)]
    day = tmp_path / "2025-03-01.jsonl"
    day.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    async with reader(paths=[str(day)], size=(160, 50)) as pilot:
        app = pilot.app
        assert len(app.main.paper_list.rows) == 40
        for row in range(40):
            for width in (30, 47, 55, 63, 99, 160):
                plain = app.main.paper_list.row_text(row, width).plain
                assert cell_len(plain) == width, (row, width, plain)
        for row in range(0, 40, 3):
            app.main.paper_list.cursor = row
            await pilot.pause()
            shown = screen_text(app) + app.main.detail.plain_text()
            assert not any(ord(c) < 32 and c not in "\n\t" for c in shown)
            assert not any(c in shown for c in "\x9b\u202e")
        await pilot.resize_terminal(70, 20)
        await pilot.press("j", "enter", "escape", "j")
        assert app.is_running


# --- Size: a 1 MB abstract, small terminals, resizing ------------------------------------

def _digest_with_huge_abstract(folder: Path, size: int = 1_000_000) -> Path:
    sentence = "The quick brown fox jumps over the lazy dog [and] \\alpha. "
    abstract = sentence * (size // len(sentence) + 1)
    text = ("# 2025-02-04\n\n## cs.CR\n\n"
            "### [1] [Huge](https://arxiv.org/abs/2502.30001)\n*A*\n\nTL;DR: big\n\nAbstract: "
            + abstract + "\n\n"
            "### [2] [Small](https://arxiv.org/abs/2502.30002)\n*B*\n\nTL;DR: small\n")
    path = folder / "2025-02-04.md"
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_one_megabyte_abstract_keeps_every_key_working(reader, tmp_path):
    async with reader(paths=[str(_digest_with_huge_abstract(tmp_path))], size=(120, 40)) as pilot:
        app = pilot.app
        assert current_id(app) == "2502.30001"
        assert len(app.main.view.papers[0].abstract) >= 1_000_000
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.main.detail
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.main.detail.scroll_y == 2
        await pilot.press("end")
        await pilot.pause()
        assert app.main.detail.max_scroll_y > 100 and app.main.detail.scroll_y == app.main.detail.max_scroll_y
        shown = screen_text(app)
        assert "lazy dog [and]" in shown and "more characters" in shown
        await pilot.press("home", "h", "j")  # back to the list, next paper
        await pilot.pause()
        assert current_id(app) == "2502.30002"
        assert "Small" in app.main.detail.plain_text()
        await pilot.press("k", "r")  # back to the huge one, mark it read
        await pilot.pause()
        assert app.main.view.done[0]
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


async def test_a_folded_long_abstract_is_shown_whole_with_a_and_folded_again(reader, tmp_path):
    async with reader(paths=[str(_digest_with_huge_abstract(tmp_path, 40_000))], size=(120, 40)) as pilot:
        app = pilot.app
        whole = app.main.view.papers[0].abstract
        assert "more characters (a: show all)" in app.main.detail.plain_text()
        assert whole[-200:] not in app.main.detail.plain_text()
        await pilot.press("a")
        await pilot.pause()
        assert "more characters" not in app.main.detail.plain_text()
        assert render_latex(whole) in app.main.detail.plain_text()
        await pilot.press("a")
        await pilot.pause()
        assert "more characters (a: show all)" in app.main.detail.plain_text()


async def test_a_40x10_terminal_gets_a_usable_list_and_full_screen_papers(reader, hostile_paths):
    async with reader(paths=hostile_paths, size=(40, 10)) as pilot:
        app = pilot.app
        assert not app.query_one("#too-small").display or app.query_one("#too-small").region.height == 0
        assert app.main.paper_list.region.height >= 5
        first = current_id(app)
        await pilot.press("j")
        assert current_id(app) != first
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PaperScreen)
        await pilot.press("j", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, PaperScreen)
        await pilot.resize_terminal(39, 9)
        await pilot.pause()
        assert "too small" in screen_text(app)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
async def test_resizing_at_random_moments_never_crashes(reader, make_app, hostile_paths, tmp_path, seed):
    rng = random.Random(seed)
    paths = [*hostile_paths, str(_digest_with_huge_abstract(tmp_path, 100_000))]
    app = make_app(paths=paths)
    keys = ["j", "k", "enter", "escape", "tab", "space", "G", "g", "question_mark", "w", "a", "l", "h"]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.resize_terminal(rng.randint(1, 200), rng.randint(1, 60))  # while loading
        await wait_loaded(pilot)
        for _ in range(30):
            await pilot.resize_terminal(rng.randint(1, 220), rng.randint(1, 70))
            if rng.random() < 0.6:
                await pilot.press(rng.choice(keys))
            if rng.random() < 0.5:
                await pilot.pause()
            assert app.is_running
        await pilot.resize_terminal(120, 40)
        for _ in range(4):
            await pilot.press("escape")
            await pilot.pause()
        assert not isinstance(app.screen, (PaperScreen, HelpScreen, WarningsScreen))
        app.main.paper_list.focus()
        await pilot.press("g", "j")
        assert app.main.paper_list.cursor == min(1, len(app.main.paper_list.rows) - 1)
        assert app.is_running
