"""The real program on one undated digest (`seed.md`, no date in its name or text): its
list is on the very first screen, as a dated day's is, and the header says what it is."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pty")
pytest.importorskip("pyte")

DAY = Path(__file__).resolve().parents[1] / "fixtures" / "ui" / "2025-01-06.md"
START_TIMEOUT = 60.0
"""Seconds to wait for the first screen: the machine running the tests may be busy."""


def test_an_undated_digest_shows_its_list_on_the_first_screen_and_1_digest_undated(tmp_path: Path, terminals):
    library = tmp_path / "library"
    library.mkdir()
    seed = library / "seed.md"
    text = DAY.read_text(encoding="utf-8")
    assert "2025" not in text.split("### [1]")[0]  # no dated title: the parser finds no date
    seed.write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    term = terminals([sys.executable, "-m", "tui_reader", str(seed)], size=(120, 30), home=home)
    screen = term.wait_for("1 digest, undated", timeout=START_TIMEOUT)
    assert "Alpha Parsing of Reader Fixtures" in screen
    # Once the first paper is selected the header leads with the position, without the count.
    term.wait_for("All 1/5 · 5 unread · 0 starred · 1 digest, undated", timeout=START_TIMEOUT)
    # Read before the first frame: the loading thread's placeholder was never painted.
    assert b"Loading the library" not in term.output and b"loading" not in term.output
    assert term.quit("q") == 0
