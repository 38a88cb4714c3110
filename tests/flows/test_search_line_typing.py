"""Issue 24 (Low), typing in the search line through a real terminal: the search key is a
priority binding (checked before the focused widget), yet every key typed in the line is
that key, whatever the search key is bound to."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from reading_walk import START_TIMEOUT, write_home

pytest.importorskip("pyte")
pytest.importorskip("pty")


def test_the_search_key_rebound_to_a_letter_types_that_letter_in_the_search_line(terminals, tmp_path: Path):
    home = write_home(tmp_path, "fixtures")
    with (home / "config.toml").open("a", encoding="utf-8") as config:
        config.write('[keys]\nsearch = "slash,f"\n')
    terminal = terminals([sys.executable, "-m", "tui_reader"], size=(120, 30), home=home)
    terminal.wait_for(re.compile(r"\d+ unread"), timeout=START_TIMEOUT)
    terminal.press("f")  # opens the search line, as / does
    terminal.wait_for("in library")
    terminal.type("diffusion of/f")
    screen = terminal.wait_for(re.compile(r"\d+ match"))
    assert "diffusion of/f" in screen.text(), screen
    assert "diffusion o//" not in screen.text()


def test_a_huge_paste_without_bracketed_paste_is_cut_and_the_reader_keeps_answering(terminals, tmp_path: Path):
    """A terminal without bracketed paste sends a paste as keys, one per character: 40 KB of
    them into the search line (before: every key parsed and searched the whole line, and
    3 KB took 20 s to show). The line keeps its first MAX_QUERY_LENGTH characters, says it
    cut the rest, the reader answers the next key and quits cleanly."""
    from tui_reader.core.search.parse import MAX_QUERY_LENGTH

    home = write_home(tmp_path, "fixtures")
    terminal = terminals([sys.executable, "-m", "tui_reader"], size=(120, 30), home=home)
    terminal.wait_for(re.compile(r"\d+ unread"), timeout=START_TIMEOUT)
    terminal.press("/")
    terminal.wait_for("in library")
    pasted = ("diffusion lantern " * 3000)[:40_000]
    terminal.write(pasted.encode())
    screen = terminal.wait_for(f"cut at {MAX_QUERY_LENGTH:,} characters", timeout=120)
    assert "more than 100 terms" in screen.text() or "match" in screen.text(), screen
    terminal.press("escape")  # clears the line and gives the list its keys back
    terminal.wait_until(lambda shown: "Next unread" in shown.line(shown.size[1] - 1),
                        "the list's keys in the footer", timeout=120)
    assert terminal.quit("q", timeout=60) == 0
