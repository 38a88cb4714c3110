"""`q` during a first start's loading ends the reader there: the loading thread gives up at
its next pause instead of finishing the library's snapshot first (2-7 s after `q` on the
real quarter and the benchmark's library). Nothing half-written is left: the next start
reads the whole library and stores it."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from tui_reader.core.library.load import load_library

pytest.importorskip("pty")
pytest.importorskip("pyte")

REAL = Path(__file__).resolve().parents[3] / "shared" / "real" / "2025-q4"
"""The generator's real history (three months, 10,437 papers): a first start reads it for
seconds, raw and AI files, parsed in worker processes."""
TIMEOUT = 120.0
"""Seconds to wait for a screen: the machine running the tests may be busy."""


def _snapshots(home: Path) -> tuple[int, int]:
    """(snapshots, their parts) in the parse cache."""
    caches = list(home.rglob("parsed-library.sqlite3"))
    if not caches:
        return (0, 0)
    with sqlite3.connect(caches[0]) as db:
        return (db.execute("SELECT count(*) FROM snapshots").fetchone()[0],
                db.execute("SELECT count(*) FROM snapshot_parts").fetchone()[0])


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real/2025-q4 is absent")
def test_q_while_the_library_loads_ends_the_reader_and_the_next_start_is_whole(tmp_path: Path, terminals):
    library, home = REAL, tmp_path / "home"
    home.mkdir()
    total = len(load_library([library]).sorted_papers())
    argv = [sys.executable, "-m", "tui_reader", str(library)]

    first = terminals(argv, size=(120, 40), home=home)
    # The library is shown, and its snapshot is being written for the next start (seconds):
    # `q` now.
    first.wait_for(f"All 1/{total} ·", timeout=TIMEOUT)
    first.press("q", pause=0)
    assert first.wait_exit(timeout=TIMEOUT) == 0
    assert b"Traceback" not in first.output
    # The writing thread stopped where it was and rolled back: no snapshot, and no part of
    # one (before, the reader ended only once the snapshot was written: 4.8 s after `q`).
    assert _snapshots(home) == (0, 0)

    second = terminals(argv, size=(120, 40), home=home)
    second.wait_for(f"All 1/{total} ·", timeout=TIMEOUT)
    second.press("G", pause=0.5)
    second.wait_for(f"All {total}/{total} ·", timeout=TIMEOUT)
    assert second.quit("q") == 0
    assert _snapshots(home)[0] == 1
