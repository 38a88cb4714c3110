"""The real reader after a pull whose `since` admitted no day (issue 29): it shows the
demo, and its notice says why and what to change, instead of nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyte")
pytest.importorskip("pty")
pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from generator_repo import GeneratorRepo, day_papers  # noqa: E402

NEWEST = "2026-07-01"


def test_the_reader_on_an_empty_window_says_why_it_shows_the_demo(tmp_path: Path, terminals) -> None:
    fork = GeneratorRepo(tmp_path / "repos" / "daily-arXiv-ai-enhanced")
    for day in ("2026-06-30", NEWEST):
        fork.add_day(day, day_papers(day, 3), language="Chinese")
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    for argv in (["source", "add", fork.url, "--since", "30d"], ["pull"]):
        assert subprocess.run([sys.executable, "-m", "tui_reader", *argv], env=env, capture_output=True,
                              timeout=120).returncode == 0
    term = terminals([sys.executable, "-m", "tui_reader"], size=(120, 30), home=home)
    screen = term.wait_for("pulled no day", timeout=60)
    text = " ".join(screen.text().replace("▌", " ").split())
    assert "Welcome to tui-reader" in text  # the demo, and beside it the reason
    # The toast wraps beside the panes: its pieces, each on one line.
    # Each piece as the screen shows it (the toast can be redrawn between two reads).
    for piece in ("pulled no day", f"newest day, {NEWEST}", "says what to change"):
        term.wait_for(piece, timeout=30)
    print(screen)
    assert term.quit("q") == 0
