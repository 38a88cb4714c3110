"""The daily loop through a real terminal: a new day pulled by another process appears in the
running reader (unread, the cursor kept), a mark made on another machine arrives after its
sync, and a node is triaged a key a paper. Checked on screen and on disk."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from terminal import Terminal

pytest.importorskip("pyte")
pytest.importorskip("pty")

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from generator_repo import GeneratorRepo, day_papers  # noqa: E402

from tui_reader.core.state.store import Store  # noqa: E402
from tui_reader.core.sync.folder import exchange  # noqa: E402

SIZE = (120, 40)
READER = [sys.executable, "-m", "tui_reader"]
PAPER_ID = re.compile(r"arXiv\s+(\d{4}\.\d{4,5})\b")


def tui_reader(home: Path, *args: str) -> subprocess.CompletedProcess:
    """The command line in another process, as a person or cron runs it."""
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    return subprocess.run([*READER, *args], env=env, capture_output=True, text=True, timeout=120)


def shown_paper(terminal: Terminal) -> str | None:
    match = PAPER_ID.search(terminal.screen.text())
    return match.group(1) if match else None


def start_reader(terminals, home: Path, config: str | None = "auto_read = false\n") -> Terminal:
    home.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (home / "config.toml").write_text(config, encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    terminal = terminals(READER, size=SIZE, home=home, env=env)
    terminal.wait_until(lambda s: PAPER_ID.search(s.text()) is not None, "a paper in the detail pane", 60)
    return terminal


def test_a_day_pulled_by_another_process_appears_unread_with_the_cursor_kept(terminals, tmp_path):
    repo = GeneratorRepo(tmp_path / "fork")
    repo.add_day("2025-03-03", day_papers("2025-03-03", 5))
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    assert tui_reader(home, "source", "add", repo.url, "--name", "fork").returncode == 0
    assert tui_reader(home, "pull").returncode == 0
    reader = start_reader(terminals, home, config=None)
    reader.press("j", "j", pause=0.3)
    before = shown_paper(reader)
    repo.add_day("2025-03-04", day_papers("2025-03-04", 4))
    pulled = tui_reader(home, "pull")
    assert pulled.returncode == 0 and "1 new day" in pulled.stdout, pulled
    screen = reader.wait_for(re.compile(r"2025-03-04: 4 papers new to the library"), timeout=15)
    reader.wait_until(lambda s: "9 unread" in s.line(0), "the header counting 9 unread", 10)
    assert shown_paper(reader) == before, screen  # the cursor stayed on its paper
    assert "2025-03-04" in reader.screen.text()  # the new day's node in the tree
    assert reader.quit() == 0


def test_a_mark_made_on_another_machine_arrives_after_its_sync(terminals, tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    library = tmp_path / "home" / "library"
    library.mkdir(parents=True)
    (library / "2025-03-03.md").write_text(_markdown_day(), encoding="utf-8")
    reader = start_reader(terminals, tmp_path / "home", f'auto_read = false\n[sync]\nfolder = "{folder}"\n')
    other = tmp_path / "laptop" / "state.sqlite3"
    other.parent.mkdir()
    with Store.open(other) as store:
        store.set_starred(["2503.03002"], True)
    exchange(other, folder)  # the laptop's `tui-reader sync`
    reader.wait_until(lambda s: "1 starred" in s.line(0), "the header counting 1 starred", 15)
    assert reader.quit() == 0
    with Store.open(tmp_path / "home" / "state.sqlite3") as store:
        assert store.get("2503.03002").starred


def test_triage_decides_a_paper_a_key_and_returns_where_it_was(terminals, tmp_path):
    library = tmp_path / "home" / "library"
    library.mkdir(parents=True)
    (library / "2025-03-03.md").write_text(_markdown_day(), encoding="utf-8")
    reader = start_reader(terminals, tmp_path / "home")
    reader.press("F", pause=0.3)
    reader.wait_for("Triage", timeout=10)
    for key in ("s", "x", "r", "space"):
        reader.press(key, pause=0.3)
    reader.wait_for(re.compile(r"5/5 · 1 left"), timeout=10)
    reader.press("escape", pause=0.5)
    reader.wait_gone("Triage ·", timeout=10)
    assert shown_paper(reader) == "2503.03001"  # back where the list was
    assert reader.quit() == 0
    with Store.open(tmp_path / "home" / "state.sqlite3") as store:
        marks = store.marks()
    assert marks["2503.03001"].starred and marks["2503.03002"].dismissed and marks["2503.03003"].read
    assert "2503.03004" not in marks


def _markdown_day() -> str:
    """A day of five papers in the generator's Markdown."""
    parts = ["<div id=toc></div>\n\n# Table of Contents\n\n- [cs.CL](#cs.CL) [Total: 5]\n\n",
             "<div id='cs.CL'></div>\n\n# cs.CL [[Back]](#toc)\n\n"]
    for n in range(1, 6):
        parts.append(f"### [{n}] [Paper {n} of the day](https://arxiv.org/abs/2503.0300{n})\n"
                     f"*Author {n},Second Author*\n\nMain category: cs.CL\n\nTL;DR: Paper {n}.\n\n\n"
                     "<details>\n  <summary>Details</summary>\nMotivation: M.\n\nMethod: M.\n\n"
                     "Result: R.\n\nConclusion: C.\n\nAbstract: A.\n\n</details>\n\n")
    return "".join(parts)
