"""The second morning through a real terminal: Enter on a day node opens it, a search stays
in the node where it was made, Esc after a search puts the cursor back, and the papers a
pull brought are one key away. Checked on screen."""
from __future__ import annotations

import os
import subprocess
import re
import sys
from pathlib import Path

import pytest

from terminal import Terminal

pytest.importorskip("pyte")
pytest.importorskip("pty")

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from generator_repo import day_papers, markdown, paper  # noqa: E402

SIZE = (120, 40)
READER = [sys.executable, "-m", "tui_reader"]
PAPER_ID = re.compile(r"arXiv\s+(\d{4}\.\d{4,5})\b")
OPEN_0304 = re.compile(r"▼ (2025-)?03-04")
"""The day 2025-03-04, open (a library within one year labels its days without the year)."""


def start_reader(terminals, home: Path, days: dict[str, int], extra: dict[str, list[dict]] | None = None) -> Terminal:
    """The reader on a library of the given days (day -> paper count, and `extra` papers of
    the day after those), auto-read off."""
    library = home / "library"
    library.mkdir(parents=True)
    for day, count in days.items():
        entries = day_papers(day, count) + (extra or {}).get(day, [])
        (library / f"{day}.md").write_text(markdown(entries), encoding="utf-8")
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    terminal = terminals(READER, size=SIZE, home=home, env=env)
    terminal.wait_until(lambda s: PAPER_ID.search(s.text()) is not None, "a paper in the detail pane", 60)
    return terminal


def shown_paper(terminal: Terminal) -> str | None:
    match = PAPER_ID.search(terminal.screen.text())
    return match.group(1) if match else None


def test_enter_on_a_day_node_opens_it_and_moves_to_its_list(terminals, tmp_path):
    reader = start_reader(terminals, tmp_path / "home", {"2025-03-03": 4, "2025-03-04": 5})
    reader.press("h", pause=0.4)  # the tree: its cursor on All
    reader.press("j", pause=0.4)  # the newest day, open at start
    reader.wait_for(re.compile(r"2025-03-04 1/5 ·"), timeout=10)
    assert OPEN_0304.search(reader.screen.text())
    reader.press("enter", pause=0.5)
    reader.press("j", pause=0.5)  # moves in the list now, not in the tree
    screen = reader.wait_for(re.compile(r"2025-03-04 2/5 ·"), timeout=10)
    assert OPEN_0304.search(screen.text()), screen  # still open
    assert shown_paper(reader) == "2503.04002"
    reader.press("h", "j", pause=0.4)  # back in the tree: a closed day opens with Enter too
    reader.press("j", pause=0.4)
    reader.wait_for(re.compile(r"2025-03-03 1/4 ·"), timeout=10)
    reader.press("enter", pause=0.5)
    screen = reader.wait_for(re.compile(r"▼ (2025-)?03-03"), timeout=10)
    reader.press("j", pause=0.5)
    reader.wait_for(re.compile(r"2025-03-03 2/4 ·"), timeout=10)
    assert reader.quit() == 0


DIFFUSION = {"2025-03-03": [paper("2503.03901", "Diffusion of ink in water")],
             "2025-03-04": [paper("2503.04901", "Diffusion models for weather")]}


def test_a_search_stays_in_the_node_where_it_was_made(terminals, tmp_path):
    reader = start_reader(terminals, tmp_path / "home", {"2025-03-03": 3, "2025-03-04": 3}, DIFFUSION)
    reader.wait_for(re.compile(r"All 1/8 ·"), timeout=10)
    reader.press("/", pause=0.5)
    reader.type("diffusion", pause=0.1)
    reader.press("enter", pause=0.6)
    screen = reader.wait_for(re.compile(r"All 1/2 ·"), timeout=10)
    assert "Diffusion models for weather" in screen.text()
    reader.press("h", pause=0.4)  # the tree, on All
    reader.press("k", pause=0.6)  # Starred: nothing is starred
    screen = reader.wait_for("No papers here.", timeout=10)
    assert "Diffusion" not in screen.text(), screen
    assert "match" not in screen.text()  # the search line is gone with its filter
    reader.press("j", pause=0.6)  # All again: every paper, the search ended
    reader.wait_for(re.compile(r"All 1/8 ·"), timeout=10)
    assert reader.quit() == 0


def test_escape_after_a_search_puts_the_cursor_back_where_it_was(terminals, tmp_path):
    reader = start_reader(terminals, tmp_path / "home", {"2025-03-03": 3, "2025-03-04": 3}, DIFFUSION)
    reader.wait_for(re.compile(r"All 1/8 ·"), timeout=10)
    reader.press("j", "j", pause=0.3)  # the third paper: no search result sits there
    reader.wait_for(re.compile(r"All 3/8 ·"), timeout=10)
    before = shown_paper(reader)
    reader.press("/", pause=0.5)
    reader.type("diffusion", pause=0.1)
    reader.wait_for(re.compile(r"All 1/2 ·"), timeout=10)
    reader.press("escape", pause=0.6)
    reader.wait_for(re.compile(r"All 3/8 ·"), timeout=10)
    assert shown_paper(reader) == before
    assert reader.quit() == 0


def test_a_day_pulled_with_P_is_one_key_away_and_counted_once(terminals, tmp_path):
    from generator_repo import GeneratorRepo

    repo = GeneratorRepo(tmp_path / "fork")
    first = day_papers("2025-03-03", 3)
    repo.add_day("2025-03-03", first)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    for args in (["source", "add", repo.url, "--name", "fork"], ["pull"]):
        assert subprocess.run([*READER, *args], env=env, capture_output=True, timeout=120).returncode == 0
    reader = terminals(READER, size=SIZE, home=home,
                       env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    reader.wait_for(re.compile(r"All 1/3 ·"), timeout=60)
    # The morning's day: four papers new to the library and one the library holds already.
    repo.add_day("2025-03-04", day_papers("2025-03-04", 4) + first[:1])
    reader.press("P", pause=0.5)
    screen = reader.wait_for(re.compile(r"2025-03-04: 4 papers new to the library"), timeout=30)
    assert "fork: 1 new day" in screen.text(), screen  # the pull's notice, beside it,
    assert "5 papers" not in screen.text(), screen  # does not count them another way
    reader.press("i", pause=0.6)
    screen = reader.wait_for(re.compile(r"New 1/4 ·"), timeout=10)
    assert shown_paper(reader) in {p["id"] for p in day_papers("2025-03-04", 4)}
    reader.press("j", "j", "j", pause=0.3)
    reader.wait_for(re.compile(r"New 4/4 ·"), timeout=10)
    assert reader.quit() == 0
