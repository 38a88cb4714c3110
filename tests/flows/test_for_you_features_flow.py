"""For you in the real program: the features are written beside the cache once, a star
pressed lands on disk, and a second start trains from the file without hashing again."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from terminal import Terminal
from tui_reader.core.paths import AppPaths
from tui_reader.core.rank.ranker import features_file
from tui_reader.core.state.store import Store

pytest.importorskip("pty")
pytest.importorskip("pyte")

START_TIMEOUT = 60.0
WORDS = {
    "cs.CV": "video diffusion temporal frames generation motion denoising latent".split(),
    "cs.LO": "theorem prover lean formal proofs tactic lemma verification".split(),
}


def _write_library(folder: Path) -> None:
    rng = random.Random(3)
    folder.mkdir()
    for day, first in (("2025-02-14", 1), ("2025-02-15", 101)):
        parts = []
        for category, words in WORDS.items():
            parts.append(f"# {category} [[Back]](#toc)\n")
            for n in range(first, first + 10):
                number = n if category == "cs.CV" else n + 500
                title = " ".join(rng.choice(words) for _ in range(6)).title()
                parts.append(f"### [{number}] [{title}](https://arxiv.org/abs/2502.{number:05d})\n"
                             f"*Author {rng.randrange(30)}*\n\nMain category: {category}\n\n"
                             f"TL;DR: {' '.join(rng.choice(words) for _ in range(20))}.\n\n")
        (folder / f"{day}.md").write_text("\n".join(parts), encoding="utf-8")


def _wait_for_file(reader: Terminal, file: Path, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if file.is_file():
            return
        reader.read(0.2)
    raise AssertionError(reader.describe(f"{file.name} was never written"))


def test_a_second_start_trains_for_you_from_the_features_file(tmp_path: Path, terminals) -> None:
    home = tmp_path / "home"
    home.mkdir()
    library = tmp_path / "digests"
    _write_library(library)
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "tui_reader", "mark", "--star", "2502.00001", "2502.00002",
                    "2502.00003"], check=True, env=env, capture_output=True)
    file = features_file(AppPaths.resolve(home).cache_dir)
    assert not file.exists()

    reader = terminals([sys.executable, "-m", "tui_reader", str(library)], size=(110, 30), home=home)
    reader.wait_for("For you", timeout=START_TIMEOUT)
    _wait_for_file(reader, file)  # trained once the stars were known: every paper hashed, written
    written = file.stat().st_mtime_ns
    reader.press("j", "s", pause=0.5)  # a star pressed: trained again, nothing new to hash
    reader.read(5.0)
    reader.press("q", pause=0.4)
    assert reader.wait_exit() == 0
    with Store.open(AppPaths.resolve(home).state_file, repair=False) as store:
        assert sum(1 for m in store.marks().values() if m.starred) == 4
    assert file.stat().st_mtime_ns == written

    again = terminals([sys.executable, "-m", "tui_reader", str(library)], size=(110, 30), home=home)
    again.wait_for("For you", timeout=START_TIMEOUT)
    again.read(6.0)  # past the training's delay and idle wait
    again.press("j", pause=0.4)
    again.press("q", pause=0.4)
    assert again.wait_exit() == 0
    assert file.stat().st_mtime_ns == written  # read, not made again: no paper was hashed
    assert b"Traceback" not in bytes(reader.output) + bytes(again.output)
