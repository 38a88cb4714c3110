"""Through a real terminal: N writes the note in $EDITOR (the reader suspended, then back), and
papers arriving in a running reader ring the bell when the settings ask for it."""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyte")

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from generator_repo import GeneratorRepo, day_papers  # noqa: E402

READER = [sys.executable, "-m", "tui_reader"]
PAPER_ID = re.compile(r"arXiv\s+(\d{4}\.\d{4,5})\b")
FIXTURES = TESTS / "fixtures" / "ui"


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    env.pop("EDITOR", None)
    env.pop("VISUAL", None)
    return subprocess.run([*READER, *args], env=env, capture_output=True, text=True, timeout=120)


def _env(**extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **extra}


def _editor(tmp_path: Path, body: str) -> Path:
    """An editor that appends a line to the file it is given, as a person typing would."""
    script = tmp_path / "fake-editor"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_n_writes_the_note_in_the_editor_named_by_editor_and_keeps_it(terminals, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    editor = _editor(tmp_path, 'printf "written in my editor\\n" >> "$1"')
    reader = terminals(READER + [str(FIXTURES)], size=(120, 40), home=home, env=_env(EDITOR=str(editor)))
    reader.wait_until(lambda s: PAPER_ID.search(s.text()) is not None, "a paper in the detail pane", 60)
    paper = PAPER_ID.search(reader.screen.text()).group(1)
    reader.press("N", pause=1.0)
    reader.wait_for("written in my editor", timeout=15)  # the reader is back, the note shown
    assert reader.quit() == 0
    noted = _cli(home, "dump", "--query", 'note:"written in my editor"', str(FIXTURES)).stdout
    assert [json.loads(line)["id"] for line in noted.splitlines()] == [paper]  # on disk, on that paper


def test_an_editor_that_fails_leaves_the_note_unchanged_and_says_so(terminals, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    editor = _editor(tmp_path, 'printf "half a note" >> "$1"; exit 3')
    reader = terminals(READER + [str(FIXTURES)], size=(120, 40), home=home, env=_env(EDITOR=str(editor)))
    reader.wait_until(lambda s: PAPER_ID.search(s.text()) is not None, "a paper in the detail pane", 60)
    reader.press("N", pause=1.0)
    reader.wait_for(re.compile(r"status 3.{0,10}\s*.*unchanged", re.S), timeout=15)
    assert reader.quit() == 0
    assert _cli(home, "dump", "--query", "note:editor", str(FIXTURES)).stdout == ""


def test_an_editor_that_is_not_there_is_named_and_the_reader_goes_on(terminals, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    missing = tmp_path / "no-such-editor"
    reader = terminals(READER + [str(FIXTURES)], size=(120, 40), home=home, env=_env(EDITOR=str(missing)))
    reader.wait_until(lambda s: PAPER_ID.search(s.text()) is not None, "a paper in the detail pane", 60)
    first = PAPER_ID.search(reader.screen.text()).group(1)
    reader.press("N", pause=1.0)
    reader.wait_for(re.compile(r"could\s+not\s+start", re.S), timeout=15)
    # Back in application mode, answering keys and painting (Textual's suspend left the
    # terminal stopped when the code inside it raised, and the reader hung on its next writes).
    reader.press(*"jjjjjj", pause=0.3)
    reader.wait_until(lambda s: (found := PAPER_ID.search(s.text())) is not None and found.group(1) != first,
                      "another paper in the detail pane", 15)
    assert reader.quit() == 0
    assert _cli(home, "dump", "--query", "note:editor", str(FIXTURES)).stdout == ""


@pytest.mark.parametrize("alert, rings", [("bell", True), ("off", False)])
def test_papers_arriving_ring_the_bell_only_when_asked(terminals, tmp_path, alert, rings):
    repo = GeneratorRepo(tmp_path / "fork")
    repo.add_day("2025-03-03", day_papers("2025-03-03", 3))
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'auto_read = false\nnew_day_alert = "{alert}"\n', encoding="utf-8")
    assert _cli(home, "source", "add", repo.url, "--name", "fork").returncode == 0
    assert _cli(home, "pull").returncode == 0
    reader = terminals(READER, size=(120, 40), home=home, env=_env())
    reader.wait_until(lambda s: PAPER_ID.search(s.text()) is not None, "a paper in the detail pane", 60)
    reader.press("j", pause=1.0)  # a person reads a while before the next pull
    mark = len(reader.output)
    repo.add_day("2025-03-04", day_papers("2025-03-04", 2))
    assert _cli(home, "pull").returncode == 0
    reader.wait_for(re.compile(r"2025-03-04: 2 papers new to the library"), timeout=20)
    reader.press("j", pause=0.5)
    assert (b"\x07" in reader.output[mark:]) is rings
    assert reader.quit() == 0


def test_the_palette_exports_the_list_on_screen_as_an_atom_feed(terminals, tmp_path):
    import feedparser

    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    reader = terminals(READER + [str(FIXTURES)], size=(120, 40), home=home, env=_env())
    reader.wait_until(lambda s: PAPER_ID.search(s.text()) is not None, "a paper in the detail pane", 60)
    reader.press("ctrl+p", pause=0.8)
    reader.type("atom feed", pause=0.1)
    reader.wait_for("Export the list as Atom feed", timeout=10)
    reader.press("down", "enter", pause=0.5)
    screen = reader.wait_for(re.compile(r"Exported 8 papers as atom to"), timeout=15)
    saved = list(home.rglob("tui-reader-*-8.atom"))  # Downloads under the terminal's HOME
    assert len(saved) == 1, screen
    feed = feedparser.parse(saved[0].read_text(encoding="utf-8"))
    assert not feed.bozo and len(feed.entries) == 8
    assert reader.quit() == 0
