"""What the reading-loop flow tests share: a home and library written by the test, the real
reader started on them in a real terminal, what its screen says, what its state file holds,
and a Walk that records which paper was under the cursor when, and for how long at least
and at most (what "dwelt on" means, measured from outside, with the machine's noise)."""
from __future__ import annotations

import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from terminal import Screen, Terminal

UI_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ui"
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "digests" / "2025-12-25.md"
"""The shared sample digest beside the repository (as in tests/conftest.py)."""
SIZE = (120, 40)
DELAY = 0.5
"""auto_read_delay in the test's config.toml, seconds."""
DWELL = 1.2
"""How long a paper is kept under the cursor when the test means "dwelt on"."""
MARGIN = 0.25
"""Seconds of slack on each side of DELAY: a stay between DELAY - MARGIN and DELAY + MARGIN
(as measured from outside the program) may or may not count; nothing outside that does."""
START_TIMEOUT = 60.0
"""Seconds to wait for the first screen: the machine running the tests may be busy."""

DIFFUSION_DIGEST = """\
<div id=toc></div>

# Table of Contents

- [cs.CV](#cs.CV) [Total: 3]

<div id='cs.CV'></div>

# cs.CV [[Back]](#toc)

### [1] [Diffusion Walks for Flow Tests](https://arxiv.org/abs/2501.30001)
*Nia Walker,Omar Step*

Main category: cs.CV

TL;DR: A diffusion model the flow tests search for.

Abstract: Diffusion, written for the reading-loop tests.

### [2] [Latent Diffusion Under the Cursor](https://arxiv.org/abs/2501.30002)
*Pia Cursor*

Main category: cs.CV

TL;DR: Another diffusion paper.

Abstract: A second diffusion abstract.

### [3] [Sparse Counting Without Noise](https://arxiv.org/abs/2501.30003)
*Quinn Count*

Main category: cs.CV

TL;DR: Nothing about the search word.

Abstract: A paper the search for the word does not find.
"""
"""An older day written by the test, so that the small library has papers a search for
`diffusion` finds (the project's UI fixtures have none) and none of them is the paper
under the cursor at start."""


def write_home(root: Path, library: str) -> Path:
    """A private TUI_READER_HOME under `root` with config.toml (auto_read_delay = DELAY)
    and a library folder: "fixtures" (tests/fixtures/ui plus DIFFUSION_DIGEST), "one day"
    (one of the UI fixtures: no second loading stage) or "sample" (the shared sample
    digest; the test is skipped when it is absent)."""
    home = root / "home"
    folder = home / "library"
    folder.mkdir(parents=True)
    if library == "sample":
        if not SAMPLE.is_file():
            pytest.skip(f"{SAMPLE} is not present")
        shutil.copy(SAMPLE, folder)
    elif library == "one day":
        shutil.copy(UI_FIXTURES / "2025-01-07.md", folder)
    else:
        for digest in sorted(UI_FIXTURES.glob("*.md")):
            shutil.copy(digest, folder)
        (folder / "2025-01-05.md").write_text(DIFFUSION_DIGEST, encoding="utf-8")
    (home / "config.toml").write_text(f"auto_read_delay = {DELAY}\n", encoding="utf-8")
    return home


def start_walk(start: Callable[..., Terminal], home: Path) -> Walk:
    """The reader on its library (no path given: it reads home/library), started by
    `start` (Terminal, or the `terminals` fixture that kills it after the test), once the
    whole library is loaded and a paper shows in the detail pane; the Walk begins with
    that paper under the cursor since it first showed (perhaps while loading)."""
    terminal = start([sys.executable, "-m", "tui_reader"], size=SIZE, home=home)
    first_seen: dict[str, float] = {}

    def loaded(screen: Screen) -> bool:
        paper = paper_on_screen(screen)
        if paper is not None:
            first_seen.setdefault(paper, time.monotonic())
        return paper is not None and unread_in_header(screen) is not None

    screen = terminal.wait_until(loaded, "a paper in the detail pane and the unread count in the header",
                                 START_TIMEOUT)
    paper = paper_on_screen(screen)
    assert paper is not None
    # Shown a poll (50 ms) before its frame was read at the earliest; counted from the end
    # of loading at the latest (a reader may start its timer again on the whole library).
    return Walk(terminal, [Visit(paper, first_seen[paper] - 0.1, time.monotonic())])


PAPER_ID = re.compile(r"arXiv\s+(\d{4}\.\d{4,5})\b")
UNREAD = re.compile(r"(\d[\d,]*) unread")


def paper_on_screen(screen: Screen) -> str | None:
    """The id of the paper the detail pane shows (the paper under the cursor)."""
    match = PAPER_ID.search(screen.text())
    return match.group(1) if match else None


def unread_in_header(screen: Screen) -> int | None:
    """The header's count of unread papers (None while it says it is loading)."""
    match = UNREAD.search(screen.line(0))
    return int(match.group(1).replace(",", "")) if match else None


def read_on_disk(home: Path) -> set[str]:
    """Ids marked read in the state file, read through a read-only connection."""
    state = home / "state.sqlite3"
    if not state.exists():
        return set()
    connection = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=10)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM marks WHERE read_at IS NOT NULL")}
    finally:
        connection.close()


@dataclass(slots=True)
class Visit:
    """One stay of a paper under the cursor. It arrived between `arrived_after` and
    `arrived_by` and left between `left_after` and `left_by` (monotonic seconds)."""

    paper: str
    arrived_after: float
    arrived_by: float
    left_after: float = float("inf")
    left_by: float = float("inf")
    how: str = "at start"

    @property
    def shortest(self) -> float:
        return self.left_after - self.arrived_by

    @property
    def longest(self) -> float:
        return self.left_by - self.arrived_after


@dataclass(slots=True)
class Walk:
    """A person's walk through the reader: keys pressed and the papers under the cursor.
    A key that moves waits until the detail pane shows another paper."""

    terminal: Terminal
    visits: list[Visit]

    @property
    def current(self) -> str:
        return self.visits[-1].paper

    def press(self, key: str, *, moves: bool = True, pause: float = 0.1) -> str:
        """Press `key`; with `moves`, wait for the detail pane to show another paper and
        record the new visit. The paper under the cursor afterwards."""
        sent = time.monotonic()
        self.terminal.press(key, pause=0.0)
        if not moves:
            self.terminal.read(pause)
            return self.current
        before = self.current
        screen = self.terminal.wait_until(lambda s: paper_on_screen(s) not in (None, before),
                                          f"a paper other than {before} after {key!r}", 10.0)
        seen = time.monotonic()
        last = self.visits[-1]
        last.left_after, last.left_by = sent, seen
        paper = paper_on_screen(screen)
        assert paper is not None
        self.visits.append(Visit(paper, sent, seen, how=f"after {key!r}"))
        self.terminal.read(pause)
        return paper

    def stay(self, seconds: float = DWELL) -> None:
        self.terminal.read(seconds)

    def quit(self) -> int:
        """Press q and wait for the reader to end; the last visit ends then."""
        sent = time.monotonic()
        code = self.terminal.quit("q")
        self.visits[-1].left_after, self.visits[-1].left_by = sent, time.monotonic()
        return code

    def surely_dwelt(self) -> set[str]:
        """Papers that stayed under the cursor for longer than DELAY + MARGIN at least once."""
        return {v.paper for v in self.visits if v.shortest >= DELAY + MARGIN}

    def maybe_dwelt(self) -> set[str]:
        """Papers that may have stayed for DELAY (the longest a stay can have been)."""
        return {v.paper for v in self.visits if v.longest >= DELAY - MARGIN}

    def log(self) -> str:
        return "\n".join(f"  {v.paper} {v.how}: under the cursor {max(v.shortest, 0):.2f}–{v.longest:.2f} s"
                         for v in self.visits)

    def check_read(self, read: set[str], meant: frozenset[str] | set[str] = frozenset(),
                   finished: frozenset[str] | set[str] = frozenset()) -> None:
        """The papers read are the papers dwelt on: every sure one, and none that was not
        possibly dwelt on. `meant`: papers the test kept under the cursor on purpose, which
        must count as surely dwelt on (or the measurement, not the reader, is wrong).
        `finished`: papers read to their end (Space), which may be read however briefly shown."""
        surely, maybe = self.surely_dwelt(), self.maybe_dwelt() | set(finished)
        assert meant <= surely, f"the test meant to dwell on {sorted(meant - surely)}:\n{self.log()}"
        missing, extra = surely - read, read - maybe
        assert not missing and not extra, (
            f"read on disk: {sorted(read)}\n"
            f"dwelt on but not read: {sorted(missing)}\nread but never dwelt on: {sorted(extra)}\n"
            f"the walk (delay {DELAY} s, slack {MARGIN} s):\n{self.log()}\n"
            f"the last screen:\n{self.terminal.screen}")
