"""The real program on a cold start of a large library (issue 29): a search typed while the
rest of the library loads says its count is partial, then gives the whole library's."""
from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("pty")
pytest.importorskip("pyte")

DAYS = 360
"""Enough days that the cold load outlasts the typing on a quiet machine (120 days, 18,000
papers, loaded within the 1.4 s a person takes to type the search once loading got faster)."""
PAPERS_A_DAY = 150
START_TIMEOUT = 60.0
"""Seconds to wait for a screen: the machine running the tests may be busy."""


def write_library(library: Path) -> None:
    """DAYS days of the generator's raw files, PAPERS_A_DAY distinct papers each."""
    library.mkdir(parents=True)
    for n in range(DAYS):
        day = date(2024, 1, 1) + timedelta(days=n)
        stamp = day.isoformat()
        lines = []
        for k in range(PAPERS_A_DAY):
            paper_id = f"{day:%y%m}.{day.day * 1000 + k:05d}"
            lines.append(json.dumps({"id": paper_id, "categories": ["cs.CL"], "authors": ["Ada Example"],
                                     "title": f"Lantern study {k} of {stamp}",
                                     "summary": "A lantern of words.", "abs": f"https://arxiv.org/abs/{paper_id}"}))
        (library / f"{stamp}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_search_typed_during_a_cold_start_says_the_library_is_still_loading(tmp_path: Path, terminals) -> None:
    home = tmp_path / "home"
    write_library(home / "library")
    term = terminals([sys.executable, "-m", "tui_reader"], size=(120, 30), home=home)
    term.wait_for("loading the rest of the library", timeout=START_TIMEOUT)
    term.press("/")
    term.type("lantern")
    screen = term.wait_for(re.compile(r"[\d,]+ matches so far, library still loading"), timeout=START_TIMEOUT)
    partial = int(re.search(r"([\d,]+) matches so far", screen.text()).group(1).replace(",", ""))
    assert partial == PAPERS_A_DAY  # the newest day's papers, said to be a part
    # Once loaded, the same search counts the whole library, and no longer says "so far".
    total = f"{DAYS * PAPERS_A_DAY:,} matches"
    screen = term.wait_for(total, timeout=240)
    assert "so far" not in screen.text() and "still loading" not in screen.text()
    assert term.quit("escape", "q") == 0
