"""The reader with a poisoned sync folder, in a real terminal: it starts, a star lands on disk,
the folder's damage is one clear line on screen, and quitting ends with exit 0."""
from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from terminal import Terminal

pytest.importorskip("pyte")
pytest.importorskip("pty")

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "flows"))
from test_daily_loop import READER, SIZE, _markdown_day, start_reader  # noqa: E402

from tui_reader.core.state.store import Store  # noqa: E402
from tui_reader.core.sync.log import header_line, log_name  # noqa: E402

TOP = "9999-12-31T23:59:59.999999+00:00"


def _poison(folder: Path) -> None:
    """What the probe planted: a log sorting first with an out-of-range queue place, a
    nested value and a far-future star, and a FIFO named like another machine's log."""
    first = "0000000000000000"
    lines = [
        {"id": "2503.03004", "field": "queue", "value": 2 ** 63, "time": "2025-03-03T00:00:00+00:00",
         "machine": first},
        {"id": "2503.03005", "field": "starred", "value": TOP, "time": TOP, "machine": first},
    ]
    with open(folder / log_name(first), "wb") as fh:
        fh.write(header_line(first, "0badc0de"))
        for line in lines:
            fh.write(json.dumps(line).encode() + b"\n")
        fh.write(b'{"id": "2503.03004", "field": "note", "value": ' + b"[" * 5000 + b"]" * 5000 + b"}\n")
    os.mkfifo(folder / log_name("00000000000000ff"))


def test_a_poisoned_sync_folder_neither_stops_marking_nor_quitting(terminals, tmp_path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    _poison(folder)
    home = tmp_path / "home"
    (home / "library").mkdir(parents=True)
    (home / "library" / "2025-03-03.md").write_text(_markdown_day(), encoding="utf-8")
    with Store.open(home / "state.sqlite3") as store:  # a clock poisoned by an older release
        store.set_read(["2503.03003"], True)
    with sqlite3.connect(home / "state.sqlite3") as db:
        db.execute("UPDATE sync_meta SET value = ? WHERE key = 'clock'", (TOP,))
    reader: Terminal = start_reader(terminals, home, f'auto_read = false\n[sync]\nfolder = "{folder}"\n')
    reader.wait_for("damaged", timeout=20)
    reader.press("s", pause=0.5)
    reader.wait_until(lambda s: "1 starred" in s.line(0), "the header counting 1 starred", 15)
    assert reader.quit() == 0
    with Store.open(home / "state.sqlite3") as store:
        assert store.get("2503.03001").starred
        assert not store.get("2503.03005") or not store.get("2503.03005").starred
    with sqlite3.connect(home / "state.sqlite3") as db:
        clock = db.execute("SELECT value FROM sync_meta WHERE key = 'clock'").fetchone()[0]
    assert not clock.startswith("9999")


def test_the_reader_exits_non_zero_after_a_crash(terminals, tmp_path) -> None:
    """A fault no check foresaw (injected: starring raises) ends the reader with a non-zero
    exit (Textual prints the error), never exit 0 as if all went well."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "from tui_reader.core.state import store\n"
        "def _broken(self, ids, starred):\n"
        "    raise OverflowError('date value out of range')\n"
        "store.Store.set_starred = _broken\n", encoding="utf-8")
    home = tmp_path / "home"
    (home / "library").mkdir(parents=True)
    (home / "library" / "2025-03-03.md").write_text(_markdown_day(), encoding="utf-8")
    (home / "config.toml").write_text("auto_read = false\n", encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONPATH": f"{inject}{os.pathsep}{Path(__file__).resolve().parents[2]}"}
    reader = terminals(READER, size=SIZE, home=home, env=env)
    reader.wait_for("Paper 1 of the day", timeout=60)
    reader.press("s", pause=0.5)
    code = reader.wait_exit(30)
    assert code != 0
