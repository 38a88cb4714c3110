"""The dismiss mark ("not interested"): stored through migration 4, undone, backed up and merged."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tui_reader.core.state.backup import backup_text, merge_record, parse_backup
from tui_reader.core.state.store import MIGRATIONS, SCHEMA_VERSION, Mark, Store


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.sqlite3"


def _old_state_file(path: Path, version: int) -> None:
    """A state file as a release with `version` migrations wrote it, with one starred,
    read paper in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:version]:
        for statement in step.split(";"):
            if statement.strip():
                db.execute(statement)
    db.execute(f"PRAGMA user_version = {version}")
    db.execute("INSERT INTO marks (id, read_at, read_changed_at, starred_at, star_changed_at, note) "
               "VALUES ('2501.00001', '2025-01-06T10:00:00.000000+00:00', '2025-01-06T10:00:00.000000+00:00', "
               "'2025-01-06T10:00:01.000000+00:00', '2025-01-06T10:00:01.000000+00:00', 'kept')")
    db.close()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_old_state_file_upgrades_keeping_its_marks_and_can_dismiss(state_path: Path, version: int) -> None:
    assert version < SCHEMA_VERSION
    _old_state_file(state_path, version)
    with Store.open(state_path) as store:
        before = store.get("2501.00001")
        store.set_dismissed(["2501.00002"], True)
        dismissed = store.get("2501.00002")
    assert before.read and before.starred and before.note == "kept" and not before.dismissed
    assert dismissed.dismissed and not dismissed.read
    db = sqlite3.connect(state_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = {row[1] for row in db.execute("PRAGMA table_info(marks)")}
    assert {"dismissed_at", "dismiss_changed_at"} <= columns


def test_dismissing_keeps_the_first_time_and_undismissing_clears_it(state_path: Path) -> None:
    with Store.open(state_path) as store:
        store.set_dismissed(["2501.00001"], True)
        first = store.get("2501.00001").dismissed_at
        store.set_dismissed(["2501.00001", "2501.00002"], True)
        assert store.get("2501.00001").dismissed_at == first
        store.set_dismissed(["2501.00001"], False)
        assert not store.get("2501.00001").dismissed
        assert store.get("2501.00002").dismissed
        record = next(r for r in store.records() if r["id"] == "2501.00001")
    assert first is not None and record["dismiss_changed_at"] > first


def test_a_dismissed_paper_is_not_unread_though_never_read() -> None:
    assert Mark("a").unread
    assert not Mark("a", dismissed_at="2025-01-06T10:00:00+00:00").unread
    assert not Mark("a", read_at="2025-01-06T10:00:00+00:00").unread


def test_marks_seen_incrementally_pick_up_a_dismissal_from_another_connection(state_path: Path) -> None:
    with Store.open(state_path) as mine, Store.open(state_path) as other:
        assert mine.marks() == {}
        other.set_dismissed(["2501.00003"], True)
        assert mine.marks()["2501.00003"].dismissed


def test_restore_puts_a_dismissal_back_for_undo(state_path: Path) -> None:
    with Store.open(state_path) as store:
        before = [store.get("2501.00001")]
        store.set_dismissed(["2501.00001"], True)
        store.restore(before)
        assert not store.get("2501.00001").dismissed
        dismissed = [store.get("2501.00001")]
        store.set_dismissed(["2501.00001"], True)
        store.set_dismissed(["2501.00001"], False)
        store.restore([Mark("2501.00001", dismissed_at="2025-01-06T10:00:00.000000+00:00")])
        assert store.get("2501.00001").dismissed
    assert not dismissed[0].dismissed


def test_a_dismissal_travels_through_a_backup_and_the_later_change_wins(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.sqlite3") as laptop:
        laptop.set_dismissed(["2501.00001", "2501.00002"], True)
        text = backup_text(laptop.records())
    with Store.open(tmp_path / "b.sqlite3") as desktop:
        desktop.set_dismissed(["2501.00002"], True)
        desktop.set_dismissed(["2501.00002"], False)  # undismissed later than the laptop's dismissal
        outcome = desktop.merge_records(parse_backup(text.encode()), merge_record)
        marks = desktop.marks()
    assert marks["2501.00001"].dismissed
    assert not marks["2501.00002"].dismissed
    assert ("2501.00001", True, ["dismissed"]) in outcome


def test_a_backup_without_dismissals_still_imports(tmp_path: Path) -> None:
    document = {"format": "tui-reader-state", "version": 1,
                "marks": [{"id": "2501.00001", "read_at": "2025-01-06T10:00:00Z"}]}
    records = parse_backup(json.dumps(document).encode())
    assert records[0]["dismissed_at"] is None
    with Store.open(tmp_path / "s.sqlite3") as store:
        store.merge_records(records, merge_record)
        assert store.get("2501.00001").read and not store.get("2501.00001").dismissed


def test_a_backup_with_a_bad_dismissal_time_is_refused() -> None:
    from tui_reader.core.state.backup import BackupError

    document = {"format": "tui-reader-state", "version": 1,
                "marks": [{"id": "2501.00001", "dismissed_at": "yesterday"}]}
    with pytest.raises(BackupError, match="dismissed_at"):
        parse_backup(json.dumps(document).encode())


def test_an_old_file_read_without_migrating_reads_as_nothing_dismissed(state_path: Path) -> None:
    """A file of schema 3 opened read-only (a newer release's file on a read-only disk goes
    the same way) has no dismissal columns: its marks still read, none dismissed."""
    _old_state_file(state_path, 3)
    db = sqlite3.connect(state_path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None,
                         check_same_thread=False)
    store = Store(state_path, db, read_only=True, notice="read-only")
    try:
        mark = store.marks()["2501.00001"]
        assert mark.read and mark.starred and not mark.dismissed
        assert store.get("2501.00001") == mark
        assert store.records()[0]["dismissed_at"] is None
    finally:
        store.close()
