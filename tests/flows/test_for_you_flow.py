"""For you as a person lives it, through a real terminal with real keys and real pauses
(issues 22 and 29): resting on For you reads at most the paper the person brought under
the cursor, and it stays on screen; stars change the order; triage follows it. Checked on
the screen and on the state file on disk."""
from __future__ import annotations

import re
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
