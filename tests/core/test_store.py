"""The reading state store: persistence, marks semantics, repair, schema versions."""
from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from tui_reader.core.state.store import SCHEMA_VERSION, Mark, Store, StoreError, StoreNewerSchema


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.sqlite3"


def test_marks_survive_closing_and_reopening(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_read(["2501.00001", "2501.00002"], True)
        store.set_starred(["2501.00002"], True)
        store.set_note("2501.00003", "read with the 2024 survey")
        store.set_tags("2501.00003", ["survey", "llm"])
    with Store.open(state_path) as store:
        marks = store.marks()
    assert marks["2501.00001"].read and not marks["2501.00001"].starred
    assert marks["2501.00002"].read and marks["2501.00002"].starred
    assert marks["2501.00003"].note == "read with the 2024 survey"
    assert marks["2501.00003"].tags == ("survey", "llm")


def test_get_of_unknown_paper_is_an_empty_mark(state_path: Path) -> None:
    with Store.open(state_path) as store:
        assert store.get("2501.99999") == Mark("2501.99999")


def test_restarring_keeps_the_first_star_time_and_queue_order(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_starred(["2501.00002", "2501.00001"], True)
        first = store.get("2501.00002").starred_at
        store.set_starred(["2501.00003"], True)
        store.set_starred(["2501.00002"], True)
        assert store.get("2501.00002").starred_at == first
        assert store.queue() == ["2501.00002", "2501.00001", "2501.00003"]


def test_unread_and_unstar_clear_the_time_but_keep_the_change_time(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_read(["2501.00001"], True)
        store.set_starred(["2501.00001"], True)
        store.set_read(["2501.00001"], False)
        store.set_starred(["2501.00001"], False)
        mark = store.get("2501.00001")
        record = store.records()[0]
    assert not mark.read and not mark.starred
    assert record["read_changed_at"] is not None and record["star_changed_at"] is not None


def test_timestamps_are_utc_iso_with_microseconds(state_path: Path) -> None:
    from datetime import datetime, timezone

    with Store.open(state_path) as store:
        store.set_read(["2501.00001"], True)
        stamp = store.get("2501.00001").read_at
    assert stamp is not None
    moment = datetime.fromisoformat(stamp)
    assert moment.utcoffset() == timezone.utc.utcoffset(None)
    assert len(stamp.split(".")[1].split("+")[0]) == 6


def test_restore_puts_marks_back_exactly(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_read(["2501.00001"], True)
        store.set_note("2501.00001", "keep")
        before = [store.get("2501.00001"), store.get("2501.00002")]
        store.set_read(["2501.00001", "2501.00002"], False)
        store.set_starred(["2501.00001", "2501.00002"], True)
        store.set_note("2501.00001", "")
        store.restore(before)
        assert [store.get("2501.00001"), store.get("2501.00002")] == before


def test_another_connection_writing_is_noticed_but_own_writes_are_not(state_path: Path) -> None:
    with Store.open(state_path) as reader, Store.open(state_path) as other:
        assert not reader.changed_elsewhere()
        reader.set_read(["2501.00001"], True)
        assert not reader.changed_elsewhere()
        other.set_starred(["2501.00002"], True)
        assert reader.changed_elsewhere()
        assert not reader.changed_elsewhere()
        assert reader.get("2501.00002").starred


def test_new_folder_and_file_are_private(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_read(["2501.00001"], True)
        for companion in state_path.parent.glob("state.sqlite3-*"):  # WAL and shared memory
            assert stat.S_IMODE(companion.stat().st_mode) == 0o600, companion.name
    assert stat.S_IMODE(state_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(state_path.parent.stat().st_mode) == 0o700


def test_wal_mode_and_schema_version_are_set(state_path: Path) -> None:
    Store.open(state_path).close()
    db = sqlite3.connect(state_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_corrupt_file_is_moved_aside_and_reported(state_path: Path) -> None:
    state_path.parent.mkdir()
    garbage = b"this is not a database\n" * 200
    state_path.write_bytes(garbage)
    with Store.open(state_path) as store:
        assert store.notice and "damaged" in store.notice
        assert "\n" not in store.notice
        assert store.marks() == {}
        store.set_read(["2501.00001"], True)
    aside = list(state_path.parent.glob("state.sqlite3.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    assert aside[0].name in (store.notice or "")


def test_damaged_pages_are_detected_and_moved_aside(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_read([f"2501.{n:05d}" for n in range(2000)], True)
    data = bytearray(state_path.read_bytes())
    data[4096: 4096 * 8] = b"\xff" * (4096 * 7)  # scribble over pages 2 to 8
    state_path.write_bytes(bytes(data))
    with Store.open(state_path) as store:
        assert store.notice and "damaged" in store.notice
    assert list(state_path.parent.glob("state.sqlite3.damaged-*"))


def test_no_repair_refuses_and_leaves_the_file_alone(state_path: Path) -> None:
    state_path.parent.mkdir()
    state_path.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(state_path, repair=False)
    assert state_path.read_bytes() == b"\x00garbage" * 100
    assert not list(state_path.parent.glob("*.damaged-*"))


def test_another_programs_sqlite_file_is_moved_aside_not_altered(state_path: Path) -> None:
    state_path.parent.mkdir()
    db = sqlite3.connect(state_path)
    db.execute("CREATE TABLE bookmarks (url TEXT)")
    db.execute("INSERT INTO bookmarks VALUES ('x')")
    db.commit()
    db.close()
    with Store.open(state_path) as store:
        assert store.notice and "damaged" in store.notice
    aside = next(state_path.parent.glob("state.sqlite3.damaged-*"))
    db = sqlite3.connect(aside)
    assert db.execute("SELECT url FROM bookmarks").fetchall() == [("x",)]
    db.close()


def test_newer_schema_is_read_but_never_written(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_read(["2501.00001"], True)
    db = sqlite3.connect(state_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before = state_path.read_bytes()
    with Store.open(state_path) as store:
        assert store.read_only and store.notice and "newer" in store.notice
        assert store.get("2501.00001").read
        with pytest.raises(StoreNewerSchema):
            store.set_read(["2501.00002"], True)
        with pytest.raises(StoreError):
            store.set_note("2501.00001", "x")
    assert state_path.read_bytes() == before


def test_unwritable_location_gives_a_readable_store_whose_writes_fail_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with Store.open(blocker / "state.sqlite3") as store:
        assert store.read_only and store.notice
        assert store.marks() == {}
        with pytest.raises(StoreError, match="not saved"):
            store.set_read(["2501.00001"], True)


def test_read_only_file_is_still_read(state_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(state_path) as store:
        store.set_starred(["2501.00001"], True)
    import os

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode))
    with Store.open(state_path) as store:
        assert store.read_only and store.notice
        assert store.get("2501.00001").starred
        with pytest.raises(StoreError):
            store.set_starred(["2501.00002"], True)


def test_tags_are_trimmed_and_deduplicated(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_tags("2501.00001", [" rl ", "rl", "", "vision  models"])
        assert store.get("2501.00001").tags == ("rl", "vision models")


def test_an_empty_file_left_by_an_early_crash_becomes_a_store(state_path: Path) -> None:
    state_path.parent.mkdir()
    state_path.write_bytes(b"")
    with Store.open(state_path) as store:
        assert store.notice is None and not store.read_only
        store.set_read(["2501.00001"], True)
    with Store.open(state_path) as store:
        assert store.get("2501.00001").read


def test_a_version_1_file_is_migrated_forward_keeping_every_mark(state_path: Path) -> None:
    from tui_reader.core.state.store import MIGRATIONS

    state_path.parent.mkdir()
    db = sqlite3.connect(state_path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO marks (id, read_at, read_changed_at, note) VALUES "
               "('2501.00001', '2025-01-01T00:00:00.000000+00:00', '2025-01-01T00:00:00.000000+00:00', 'old note')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store.open(state_path) as store:
        assert store.notice is None
        assert store.get("2501.00001") == Mark("2501.00001", read_at="2025-01-01T00:00:00.000000+00:00",
                                               note="old note")
        store.set_starred(["2501.00001"], True)
        assert store.marks()["2501.00001"].starred
    db = sqlite3.connect(state_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_repeated_marks_calls_see_every_change_from_anywhere(state_path: Path) -> None:
    with Store.open(state_path) as reader, Store.open(state_path) as other:
        reader.set_read(["2501.00001", "2501.00002"], True)
        assert set(reader.marks()) == {"2501.00001", "2501.00002"}
        other.set_read(["2501.00001"], False)
        other.set_tags("2501.00003", ["new"])
        reader.set_starred(["2501.00002"], True)
        marks = reader.marks()
        assert not marks["2501.00001"].read
        assert marks["2501.00002"].starred and marks["2501.00003"].tags == ("new",)
        other.restore([Mark("2501.00001", read_at="2025-01-01T00:00:00.000000+00:00")])
        assert reader.marks()["2501.00001"].read
        marks["2501.00009"] = Mark("2501.00009")  # the caller's copy, not the store's
        assert "2501.00009" not in reader.marks()
        from tui_reader.core.state.backup import empty_record, merge_record

        imported = empty_record("2501.00004") | {"note": "from a backup",
                                                 "note_changed_at": "2025-01-02T00:00:00.000000+00:00"}
        other.merge_records([imported], merge_record)
        assert reader.marks()["2501.00004"].note == "from a backup"
        with Store.open(state_path) as fresh:
            assert reader.marks() == fresh.marks()
