"""The real program on a library of many days, started twice: the second start reads the
library snapshot the first one wrote, and a paper opened there shows its texts (read from
disk only then), takes a star that lands on disk, and dump gives every paper."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.core.library.load import load_library
from tui_reader.core.state.store import Store
from tui_reader.core.formats.text import render_latex

pytest.importorskip("pty")
pytest.importorskip("pyte")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TIMEOUT = 90.0
"""Seconds to wait for a screen: the machine running the tests may be busy."""


def _make_library(folder: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from make_library import make_library
    finally:
        sys.path.remove(str(BENCHMARKS))
    make_library(folder, days=14, seed=7)


def test_a_second_start_reads_the_snapshot_and_a_paper_opened_there_is_whole(tmp_path: Path, terminals):
    library, home = tmp_path / "library", tmp_path / "home"
    _make_library(library)
    home.mkdir()
    papers = load_library([library]).sorted_papers()
    total = len(papers)
    argv = [sys.executable, "-m", "tui_reader", str(library)]

    first = terminals(argv, size=(120, 40), home=home)
    first.wait_for(f"All 1/{total} ·", timeout=TIMEOUT)
    assert first.quit("q") == 0
    cache = next(home.rglob("parsed-library.sqlite3"))
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM snapshots").fetchone() == (1,)

    second = terminals(argv, size=(120, 40), home=home)
    second.wait_for(f"All 1/{total} ·", timeout=TIMEOUT)
    second.press("j", pause=0.4)
    second.press("j", pause=0.4)
    third = papers[2]
    name = render_latex(third.tldr).split(":")[0]
    screen = second.wait_for(f"All 3/{total} ·", timeout=TIMEOUT)
    screen = second.wait_for(f"TL;DR {name}", timeout=TIMEOUT)  # its texts, read on demand
    assert third.id in screen
    second.press("s", pause=0.6)
    assert second.quit("q") == 0

    with Store.open(home / "state.sqlite3") as store:
        assert store.get(third.id).starred
    dumped = subprocess.run([sys.executable, "-m", "tui_reader", "dump", "--home", str(home), str(library)],
                            capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    assert len(dumped) == total
    record = json.loads(dumped[2])
    assert (record["id"], record["abstract"]) == (third.id, render_latex(third.abstract))
