"""Commands that only read the state (stats, export, state export, dump) leave it exactly as
it is: a damaged file is not moved aside, a missing one not created, an old one not migrated."""
from __future__ import annotations

import re

import sqlite3
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.core.state.store import Store

DIGEST = """\
### [1] [An Invented Paper](https://arxiv.org/abs/2502.10001)
*Ana Ortiz*

TL;DR: An invented summary.
"""

READ_ONLY = [
    ["stats"], ["export"], ["export", "--format", "json"], ["dump", "-q", "is:read"],
]


@pytest.fixture
def digest(tmp_path: Path) -> Path:
    path = tmp_path / "2025-02-14.md"
    path.write_text(DIGEST, encoding="utf-8")
    return path


def _damage(home: Path) -> bytes:
    garbage = b"this is not an SQLite file at all\n" * 200
    (home / "state.sqlite3").write_bytes(garbage)
    return garbage


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_read_only_command_leaves_a_damaged_state_file_where_it_is(home, digest, capsys, command):
    garbage = _damage(home)
    main([*command, str(digest)])
    err = capsys.readouterr().err
    assert (home / "state.sqlite3").read_bytes() == garbage
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("state")) == ["state.sqlite3"]
    assert "damaged" in err and "Traceback" not in err


def test_state_export_leaves_a_damaged_state_file_where_it_is(home, tmp_path, capsys):
    garbage = _damage(home)
    assert main(["state", "export", str(tmp_path / "backup.json")]) == 1
    assert (home / "state.sqlite3").read_bytes() == garbage
    assert not (tmp_path / "backup.json").exists()
    assert [p.name for p in home.iterdir() if "damaged" in p.name] == []
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["stats"], ["export"], ["dump"]], ids=" ".join)
def test_read_only_commands_accept_no_repair(home, digest, capsys, command):
    assert main([*command, "--no-repair", str(digest)]) == 0


def test_state_export_accepts_no_repair(home, tmp_path, capsys):
    assert main(["state", "export", "--no-repair", str(tmp_path / "b.json")]) == 0


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_read_only_command_creates_no_state_file(home, digest, capsys, command):
    assert main([*command, str(digest)]) == 0
    assert not (home / "state.sqlite3").exists()


def test_a_read_only_command_sees_marks_without_migrating_an_old_file(home, digest, capsys):
    path = home / "state.sqlite3"
    with Store.open(path) as store:
        store.set_read(["2502.10001"], True)
    with sqlite3.connect(path) as db:  # back to the first schema, as an older release left it
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("DROP INDEX marks_seq")
        db.execute("ALTER TABLE marks DROP COLUMN seq")
        db.execute("PRAGMA user_version = 1")
    assert main(["stats", str(digest)]) == 0
    assert re.search(r"^read +1\b", capsys.readouterr().out, re.M)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
