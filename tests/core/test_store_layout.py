"""The store's in-memory form and the shared SQLite error helpers."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from tui_reader.core.state.sqlite_errors import classify, is_busy, move_database, remove_database
from tui_reader.core.state.store import Mark, Store


def test_an_in_memory_store_keeps_marks_for_the_session_and_writes_no_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store.in_memory(notice="state file unusable; marks are kept for this session")
    store.set_read(["2501.00001"], True)
    store.set_starred(["2501.00002"], True)
    store.set_note("2501.00002", "later")
    store.restore([Mark("2501.00001")])
    marks = store.marks()
    assert not marks["2501.00001"].read
    assert marks["2501.00002"].starred and marks["2501.00002"].note == "later"
    assert store.notice and not store.read_only
    assert not store.changed_elsewhere()
    store.close()
    assert list(tmp_path.iterdir()) == []


def test_a_held_write_lock_is_classified_busy_not_damage(tmp_path: Path) -> None:
    file = tmp_path / "x.sqlite3"
    holder = sqlite3.connect(file, isolation_level=None)
    holder.execute("CREATE TABLE t (a)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(file, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as err:
        assert classify(err) == "busy" and is_busy(err)
    else:
        raise AssertionError("the second writer was not refused")
    finally:
        other.close()
        holder.close()


def test_a_file_that_is_not_a_database_is_classified_corrupt(tmp_path: Path) -> None:
    file = tmp_path / "x.sqlite3"
    file.write_bytes(b"not a database " * 100)
    db = sqlite3.connect(file)
    try:
        db.execute("PRAGMA user_version").fetchone()
        db.execute("SELECT * FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as err:
        assert classify(err) == "corrupt" and not is_busy(err)
    else:
        raise AssertionError("garbage was read as a database")
    finally:
        db.close()


def test_side_files_move_and_go_with_their_database(tmp_path: Path) -> None:
    file = tmp_path / "s.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{file}{suffix}").write_text("x")
    target = tmp_path / "s.sqlite3.damaged"
    move_database(file, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite3.damaged", "s.sqlite3.damaged-shm",
                                                          "s.sqlite3.damaged-wal"]
    assert remove_database(target) == []
    assert list(tmp_path.iterdir()) == []

