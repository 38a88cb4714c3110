"""The second morning through a real terminal: Enter on a day node opens it, a search stays
in the node where it was made, Esc after a search puts the cursor back, and the papers a
pull brought are one key away. Checked on screen."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from terminal import Terminal

pytest.importorskip("pyte")
pytest.importorskip("pty")

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from generator_repo import day_papers, markdown  # noqa: E402

SIZE = (120, 40)
READER = [sys.executable, "-m", "tui_reader"]
PAPER_ID = re.compile(r"arXiv\s+(\d{4}\.\d{4,5})\b")


def start_reader(terminals, home: Path, days: dict[str, int]) -> Terminal:
    """The reader on a library of the given days (day -> paper count), auto-read off."""
    library = home / "library"
    library.mkdir(parents=True)
    for day, count in days.items():
        (library / f"{day}.md").write_text(markdown(day_papers(day, count)), encoding="utf-8")
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
    assert "▼ 2025-03-04" in reader.screen.text()
    reader.press("enter", pause=0.5)
    reader.press("j", pause=0.5)  # moves in the list now, not in the tree
    screen = reader.wait_for(re.compile(r"2025-03-04 2/5 ·"), timeout=10)
    assert "▼ 2025-03-04" in screen.text(), screen  # still open
    assert shown_paper(reader) == "2503.04002"
    reader.press("h", "j", pause=0.4)  # back in the tree: a closed day opens with Enter too
    reader.press("j", pause=0.4)
    reader.wait_for(re.compile(r"2025-03-03 1/4 ·"), timeout=10)
    reader.press("enter", pause=0.5)
    screen = reader.wait_for("▼ 2025-03-03", timeout=10)
    reader.press("j", pause=0.5)
    reader.wait_for(re.compile(r"2025-03-03 2/4 ·"), timeout=10)
    assert reader.quit() == 0
