"""A day written in two languages through a real terminal (issue 26): the settings' language
is shown, L switches to the other and back, and a star made after switching lands on disk."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from terminal import Terminal

from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store

pytest.importorskip("pyte")
pytest.importorskip("pty")

BILINGUAL = Path(__file__).resolve().parents[1] / "fixtures" / "forks" / "bilingual"
READER = [sys.executable, "-m", "tui_reader"]


def test_l_switches_between_the_english_and_chinese_summaries_of_one_day(terminals, tmp_path):
    day = tmp_path / "day"
    shutil.copytree(BILINGUAL, day)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('auto_read = false\nlanguage = "Chinese"\n', encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    terminal: Terminal = terminals([*READER, str(day)], size=(120, 40), home=home, env=env)
    terminal.wait_for("卫星每周绘制海带冠层地图", timeout=60)
    assert "Satellites map kelp" not in terminal.screen.text()  # one language, never both merged
    terminal.press("L", pause=0.5)
    screen = terminal.wait_for("Satellites map kelp canopies weekly.", timeout=30)
    assert "卫星每周" not in screen.text()
    assert "Summaries in English" in screen.text()
    terminal.press("L", pause=0.5)
    terminal.wait_for("卫星每周绘制海带冠层地图", timeout=30)
    terminal.press("s", pause=0.5)  # the paper stays the same paper whatever the language
    terminal.press("q", pause=0.5)
    assert terminal.wait_exit(30) == 0
    state = AppPaths.resolve(str(home)).state_file
    with Store.open_for_reading(state) as store:
        assert store.marks()["2602.04001"].starred
