"""Issue 24 (Low), through a real terminal: titles holding emoji joined by zero-width joiners,
skin tones, variation selectors and flags leave the list's author column where it is on
every row (the width the list counts is the width the terminal draws)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from reading_walk import START_TIMEOUT

pytest.importorskip("pyte")
pytest.importorskip("pty")

TITLES = {
    "Plain title without any emoji": "Ada Plain",
    "Coders \U0001F469\u200D\U0001F4BB write agents": "Bea Joiner",
    "Family \U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 of models": "Cy Family",
    "Hearts \u2764\uFE0F and thumbs \U0001F44D\U0001F3FD up": "Di Selector",
    "Flags \U0001F1EB\U0001F1F7 and \U0001F3F3\uFE0F\u200D\U0001F308 here": "Ed Flag",
}


def write_digest(library: Path) -> None:
    lines = ["<div id=toc></div>", "", "# Table of Contents", "", f"- [cs.CL](#cs.CL) [Total: {len(TITLES)}]",
             "", "<div id='cs.CL'></div>", "", "# cs.CL [[Back]](#toc)", ""]
    for number, (title, author) in enumerate(TITLES.items(), start=1):
        lines += [f"### [{number}] [{title}](https://arxiv.org/abs/2501.4000{number})", f"*{author},Zed Second*", "",
                  "Main category: cs.CL", "", "TL;DR: An emoji row.", "", "Abstract: Emoji in titles.", ""]
    library.mkdir(parents=True)
    (library / "2025-01-09.md").write_text("\n".join(lines), encoding="utf-8")


def test_emoji_sequences_in_titles_leave_the_author_column_aligned(terminals, tmp_path: Path):
    home = tmp_path / "home"
    write_digest(home / "library")
    (home / "config.toml").write_text("auto_read_delay = 60\n", encoding="utf-8")
    terminal = terminals([sys.executable, "-m", "tui_reader"], size=(200, 30), home=home)
    terminal.wait_for(re.compile(r"\d+ unread"), timeout=START_TIMEOUT)
    terminal.press("tab")  # into the list, whose rows show the first authors
    screen = terminal.wait_until(lambda s: all(f"{a} et al." in s.text() for a in TITLES.values()),
                                 "every row with its author", timeout=START_TIMEOUT)
    columns = {}
    for author in TITLES.values():
        found = screen.find(f"{author} et al.")
        assert found is not None, screen
        columns[author] = found[1]
    assert len(set(columns.values())) == 1, (columns, screen)
