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
