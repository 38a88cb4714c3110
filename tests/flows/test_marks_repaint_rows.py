"""Through a real terminal: a star and a dismissal pressed on the list repaint that row at
once (the list's row cache keys on the state's versions; a change must also ask for a
repaint, or the old row stays on screen until something else redraws it)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from reading_walk import write_home

pytest.importorskip("pyte")
pytest.importorskip("pty")

CURSOR_ROW = re.compile(r"▶(.)(.) ")
"""The cursor row's read/dismissed mark and star cell."""


def cursor_marks(screen) -> tuple[str, str] | None:
    for row in range(screen.size[1]):
        match = CURSOR_ROW.search(screen.line(row))
        if match:
            return match.group(1), match.group(2)
    return None


def test_a_star_and_a_dismissal_show_on_the_cursor_row_at_once(terminals, tmp_path: Path):
    home = write_home(tmp_path, "fixtures")
    terminal = terminals([sys.executable, "-m", "tui_reader"], size=(140, 30), home=home)
    terminal.wait_for(re.compile(r"All \d+/\d+"))
    before = terminal.wait_until(lambda screen: cursor_marks(screen) is not None, "the cursor row")
    assert cursor_marks(before) == ("●", " ")
    terminal.press("s")
    terminal.wait_until(lambda screen: cursor_marks(screen) == ("●", "★"), "the star on the cursor row", 10)
    terminal.press("x")
    terminal.wait_until(lambda screen: cursor_marks(screen) == ("✗", "★"), "the dismissal on the cursor row", 10)
