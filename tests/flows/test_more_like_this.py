"""More like this through a real terminal at 120×40 with real keys and pauses: `M` on a
paper lists its most similar papers with why, Enter opens one full screen, a star given
there lands in the state file; `like:` typed in the search line lists the same papers."""
from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest

from reading_walk import start_walk, write_home

pytest.importorskip("pyte")
pytest.importorskip("pty")


def starred_on_disk(home: Path) -> set[str]:
    state = home / "state.sqlite3"
    if not state.exists():
        return set()
    connection = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=10)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM marks WHERE starred_at IS NOT NULL")}
    finally:
        connection.close()


def test_m_lists_similar_papers_with_why_and_a_star_from_there_lands_on_disk(terminals, tmp_path):
    home = write_home(tmp_path, "fixtures")
    reader = start_walk(terminals, home).terminal
    reader.press("/", pause=0.3)
    reader.type("ti:walks", pause=0.15)
    reader.wait_for("1 match")
    reader.press("enter", pause=0.5)
    reader.wait_for(re.compile(r"arXiv\s+2501\.30001"))
    reader.press("M", pause=0.5)
    reader.wait_for("most similar papers of")
    # The status line and the rows are painted in separate frames: wait for the rows too.
    screen = reader.wait_for("Latent Diffusion Under the Cursor")
    assert "Like: Diffusion Walks for Flow Tests" in screen
    row = screen.row_of("Latent Diffusion Under the Cursor")
    assert row is not None, screen
    # The paper sharing the most words comes first, and its why line names them.
    assert row < (screen.row_of("Sparse Counting Without Noise") or 10_000), screen
    assert "diffusion" in screen.line(row + 1), screen
    assert "Diffusion Walks for Flow Tests" not in screen.text().split("most similar papers of")[1]
    reader.press("enter", pause=0.5)
    reader.wait_for(re.compile(r"arXiv\s+2501\.30002"))
    reader.press("s", pause=0.5)
    end = time.monotonic() + 10
    while "2501.30002" not in starred_on_disk(home):
        assert time.monotonic() < end, reader.describe("the star never reached the state file")
        reader.read(0.1)
    reader.press("escape", pause=0.5)
    reader.wait_for("most similar papers of")
    reader.press("escape", pause=0.5)
    reader.wait_gone("most similar papers of")
    # The search language asks the same question.
    reader.press("/", pause=0.3)
    reader.press("ctrl+u", pause=0.2)
    reader.type("like:2501.30001", pause=0.1)
    screen = reader.wait_for("Latent Diffusion Under the Cursor")
    assert screen.row_of("Latent Diffusion Under the Cursor") == 2, screen  # most similar first
    assert starred_on_disk(home) == {"2501.30002"}
    assert reader.quit("escape", "q") == 0, screen
