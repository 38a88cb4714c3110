"""Issue 29, reading at 80x24 through a real terminal: Enter on the list opens the paper full
screen (as mutt opens a message) with its TL;DR on that first screen, the paper counts as read
on disk after the delay, and Esc comes back to the list."""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from reading_walk import DWELL, PAPER_ID, read_on_disk, write_home

pytest.importorskip("pyte")
pytest.importorskip("pty")


def test_enter_at_80x24_opens_the_paper_full_screen_with_its_tldr_then_esc_returns(terminals, tmp_path: Path):
    home = write_home(tmp_path, "sample")
    terminal = terminals([sys.executable, "-m", "tui_reader"], size=(80, 24), home=home)
    terminal.wait_for(re.compile(r"\d+ unread"))
    terminal.press("j")
    listed = terminal.wait_for(re.compile(r"All 2/\d+"))
    assert "▕" in listed.line(2)  # the tree's border: the panes are on screen
    terminal.press("enter")
    # The footer lists its keys a frame after the paper is painted: wait for both.
    screen = terminal.wait_until(lambda shown: shown.find("TL;DR") is not None
                                 and "Back" in shown.line(shown.size[1] - 1), "the paper and its footer")
    assert all("▕" not in screen.line(row) for row in range(screen.size[1] - 1)), screen  # no tree, no list
    tldr_row = screen.row_of("TL;DR")
    assert tldr_row is not None and tldr_row < screen.size[1] - 1
    match = PAPER_ID.search(screen.text())
    assert match, screen
    paper = match.group(1)
    end = time.monotonic() + DWELL + 5
    while paper not in read_on_disk(home):
        assert time.monotonic() < end, terminal.describe(f"{paper} never became read on disk")
        terminal.read(0.1)
    terminal.press("escape")
    back = terminal.wait_for(re.compile(r"All 2/\d+"))
    assert "▕" in back.line(2)
