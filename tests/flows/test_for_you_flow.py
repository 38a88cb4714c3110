"""For you as a person lives it, through a real terminal with real keys and real pauses
(issues 22 and 29): resting on For you reads at most the paper the person brought under
the cursor, and it stays on screen; stars change the order; triage follows it. Checked on
the screen and on the state file on disk."""
from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest

from reading_walk import paper_on_screen, read_on_disk, start_walk, write_home

pytest.importorskip("pyte")
pytest.importorskip("pty")

REST = 15.0
"""The rest of issue 29's test, in real seconds (the dwell delay is DELAY = 0.5 s here)."""


@pytest.fixture(params=["fixtures", "sample"])
def any_home(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return write_home(tmp_path, request.param)


def open_for_you(walk) -> str:
    """h (the tree), g (its first node: For you), Enter (its papers): the paper shown then."""
    terminal = walk.terminal
    terminal.press("h", pause=0.3)
    terminal.press("g", pause=0.3)
    terminal.press("enter", pause=0.0)
    screen = terminal.wait_until(lambda s: re.search(r"For you \d+/", s.line(0)) is not None
                                 and paper_on_screen(s) is not None,
                                 "For you's position in the header and a paper in the detail pane", 10.0)
    paper = paper_on_screen(screen)
    assert paper is not None
    return paper


def test_resting_on_for_you_reads_at_most_the_first_paper_and_it_stays_on_screen(terminals, any_home):
    walk = start_walk(terminals, any_home)
    screen = walk.terminal.screen
    assert re.search(r"For you (…|\d+ today)", screen.text()), screen  # ranking is said, never `For you 0`
    first = open_for_you(walk)
    end = time.monotonic() + REST
    shown = {first}
    while time.monotonic() < end:
        screen = walk.terminal.read(0.5)
        paper = paper_on_screen(walk.terminal.screen)
        if paper is not None:
            shown.add(paper)
    screen = walk.terminal.screen
    read = read_on_disk(any_home)
    assert read <= {first}, f"read with no key pressed: {sorted(read - {first})}\n{screen}"
    assert shown == {first}, f"the paper under the cursor changed by itself: {sorted(shown)}\n{screen}"
    assert paper_on_screen(screen) == first
    assert walk.quit() == 0


def marks_on_disk(home: Path) -> dict[str, tuple[bool, bool]]:
    """Per paper id in the state file: (starred, dismissed)."""
    connection = sqlite3.connect(f"file:{home / 'state.sqlite3'}?mode=ro", uri=True, timeout=10)
    try:
        return {row[0]: (row[1] is not None, row[2] is not None)
                for row in connection.execute("SELECT id, starred_at, dismissed_at FROM marks")}
    finally:
        connection.close()


def first_line_of(screen, title: str) -> int:
    """The first screen line showing `title` (the list sits above the detail pane); a
    number past the screen when it is not shown."""
    for row, line in enumerate(screen.lines):
        if title in line:
            return row
    return 10**6


def test_stars_change_the_for_you_order_and_triage_follows_it(terminals, tmp_path):
    home = write_home(tmp_path, "fixtures")
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")  # only the keys mark here
    walk = start_walk(terminals, home)
    terminal = walk.terminal
    open_for_you(walk)
    screen = terminal.wait_until(lambda s: "star 1 more to teach it" in s.line(0),
                                 "the header saying how many stars For you needs", 20.0)
    assert first_line_of(screen, "Zeta Vision Benchmark") < first_line_of(screen, "Theta Dialogue")
    # Untaught, F on For you teaches: a short triage across categories.
    terminal.press("F", pause=0.0)
    terminal.wait_until(lambda s: "Triage · teaching For you · 1/" in s.text(), "the teaching triage", 10.0)
    terminal.press("escape", pause=0.5)
    # Star the three cs.CL papers of 2025-01-06 (rows 4 to 6 of For you).
    terminal.press("j", "j", "j", "s", "j", "s", "j", "s", pause=0.4)
    terminal.wait_until(lambda s: "today" in s.line(0) and "star" not in s.line(0).split("·")[1],
                        "For you trained on the stars", 30.0)
    # Leave For you and come back: the new order, Theta (cs.CL) now before Zeta (cs.CV).
    terminal.press("h", "j", "k", "enter", pause=0.5)
    screen = terminal.wait_until(lambda s: first_line_of(s, "Theta Dialogue") < first_line_of(s, "Zeta Vision"),
                                 "Theta above Zeta in For you", 10.0)
    best = paper_on_screen(screen)  # the cursor is on For you's first row
    # Triage follows the same order: its first paper is For you's first.
    terminal.press("F", pause=0.0)
    screen = terminal.wait_until(lambda s: "Triage · For you · 1/" in s.text(), "the triage of For you", 10.0)
    assert paper_on_screen(screen) == best
    terminal.press("x", pause=0.5)
    terminal.press("escape", pause=0.5)
    assert walk.quit() == 0
    marks = marks_on_disk(home)
    assert {pid for pid, (starred, _) in marks.items() if starred} == {"2501.10001", "2501.10002", "2501.10003"}
    assert {pid for pid, (_, dismissed) in marks.items() if dismissed} == {best}


def test_a_star_dismissed_again_leaves_for_you_asking_for_a_star(terminals, tmp_path):
    home = write_home(tmp_path, "fixtures")
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    walk = start_walk(terminals, home)
    terminal = walk.terminal
    first = open_for_you(walk)
    terminal.wait_until(lambda s: "star 1 more to teach it" in s.line(0), "For you asking for a star", 20.0)
    terminal.press("s", pause=0.5)
    terminal.wait_until(lambda s: "star" not in s.line(0).split("·")[1], "For you trained on the star", 30.0)
    # The same paper dismissed: the later verdict wins, and For you has no star to learn from.
    terminal.press("x", pause=0.5)
    terminal.wait_until(lambda s: "star 1 more to teach it" in s.line(0), "For you asking for a star again", 30.0)
    assert walk.quit() == 0
    assert marks_on_disk(home)[first] == (True, True)
