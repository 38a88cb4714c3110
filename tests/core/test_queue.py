"""The reading queue: oldest star first, reordered by moves, stored in the state file,
carried through a state backup and followed by `export --starred`."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.core.state.queue import reordered
from tui_reader.core.state.backup import BackupError, parse_backup
from tui_reader.core.state.store import MIGRATIONS, Store

A, B, C, D = "2502.10001", "2502.10002", "2502.10003", "2502.10004"


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.sqlite3"


def queue_of(path: Path, *starred: str) -> Store:
    store = Store.open(path)
    for paper_id in starred:  # one call each: distinct star times, in this order
        store.set_starred([paper_id], True)
    return store


@pytest.mark.parametrize(("paper", "where", "expected"), [
    (C, "up", [A, C, B]), (A, "up", [A, B, C]), (A, "down", [B, A, C]), (C, "down", [A, B, C]),
    (C, "top", [C, A, B]), (A, "top", [A, B, C]), (D, "top", [A, B, C]),
])
def test_reordered_moves_one_place_or_to_the_head_and_stops_at_the_ends(paper, where, expected) -> None:
    assert reordered([A, B, C], paper, where) == expected


def test_reordered_refuses_an_unknown_move() -> None:
    with pytest.raises(ValueError, match="no such queue move"):
        reordered([A, B], A, "bottom")  # type: ignore[arg-type]


def test_the_queue_is_oldest_star_first_until_moved(state_path: Path) -> None:
    with queue_of(state_path, B, A, C) as store:
        assert store.queue() == [B, A, C]


def test_moves_reorder_the_queue_and_survive_reopening(state_path: Path) -> None:
    with queue_of(state_path, A, B, C, D) as store:
        store.move_in_queue(D, "top")
        store.move_in_queue(B, "down")
        store.move_in_queue(A, "up")
        assert store.queue() == [A, D, C, B]
    with Store.open(state_path) as store:
        assert store.queue() == [A, D, C, B]


def test_a_paper_starred_after_a_move_joins_the_end(state_path: Path) -> None:
    with queue_of(state_path, A, B) as store:
        store.move_in_queue(B, "top")
        store.set_starred([C], True)
        assert store.queue() == [B, A, C]


def test_an_unstarred_paper_leaves_the_queue_and_comes_back_at_the_end(state_path: Path) -> None:
    with queue_of(state_path, A, B, C) as store:
        store.move_in_queue(C, "top")
        store.set_starred([C], False)
        assert store.queue() == [A, B]
        store.set_starred([C], True)
        assert store.queue() == [A, B, C]


def test_moving_a_paper_that_is_not_starred_changes_nothing(state_path: Path) -> None:
    with queue_of(state_path, A, B) as store:
        store.move_in_queue(D, "top")
        assert store.queue() == [A, B] and not store.get(D).starred


def test_a_move_is_one_transaction_with_one_change_number(state_path: Path) -> None:
    with queue_of(state_path, A, B, C) as store:
        store.move_in_queue(C, "top")
    db = sqlite3.connect(state_path)
    rows = db.execute("SELECT id, queue_pos, seq FROM marks ORDER BY queue_pos").fetchall()
    db.close()
    assert [(r[0], r[1]) for r in rows] == [(C, 1), (A, 2), (B, 3)]
    assert len({r[2] for r in rows}) == 1


def test_set_queue_order_puts_a_saved_order_back_for_undo(state_path: Path) -> None:
    with queue_of(state_path, A, B, C) as store:
        before = store.queue()
        store.move_in_queue(C, "top")
        store.set_queue_order(before)
        assert store.queue() == [A, B, C]


def test_a_version_2_file_gains_the_queue_and_keeps_its_stars(state_path: Path) -> None:
    state_path.parent.mkdir()
    db = sqlite3.connect(state_path)
    db.executescript(MIGRATIONS[0] + MIGRATIONS[1])
    db.executemany("INSERT INTO marks (id, starred_at, star_changed_at) VALUES (?, ?, ?)",
                   [(B, "2025-01-01T00:00:00.000000+00:00", None), (A, "2025-01-02T00:00:00.000000+00:00", None)])
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with Store.open(state_path) as store:
        assert store.queue() == [B, A]
        store.move_in_queue(A, "top")
        assert store.queue() == [A, B]


def test_a_backup_with_a_bad_queue_place_is_refused() -> None:
    document = {"format": "tui-reader-state", "version": 1,
                "marks": [{"id": A, "starred_at": "2025-01-01T00:00:00+00:00", "queue_pos": "first"}]}
    with pytest.raises(BackupError, match="queue_pos"):
        parse_backup(json.dumps(document).encode())


DIGEST = "".join(
    f"### [{n}] [Invented Paper {n}](https://arxiv.org/abs/{paper})\n*Ana Ortiz*\n\nMain category: cs.AI\n\n"
    f"TL;DR: Invented summary {n}.\n\n\n"
    for n, paper in enumerate((A, B, C, D), 1))


def test_state_export_and_import_carry_the_queue_order(tmp_path: Path, monkeypatch, capsys) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    with queue_of(first / "state.sqlite3", A, B, C) as store:
        store.move_in_queue(C, "top")
        store.move_in_queue(B, "up")
    backup = tmp_path / "backup.json"
    assert main(["state", "export", str(backup), "--home", str(first)]) == 0
    assert main(["state", "import", str(backup), "--home", str(second)]) == 0
    with Store.open(second / "state.sqlite3") as store:
        assert store.queue() == [C, B, A]


def test_export_starred_writes_the_papers_in_queue_order(tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    digest = tmp_path / "2025-02-14.md"
    digest.write_text("# cs.AI [[Back]](#toc)\n\n" + DIGEST, encoding="utf-8")
    with queue_of(home / "state.sqlite3", A, B, C) as store:
        store.move_in_queue(C, "top")
        store.move_in_queue(A, "down")
    capsys.readouterr()
    assert main(["export", "--starred", "--format", "json", "--home", str(home), str(digest)]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert [paper["id"] for paper in exported] == [C, B, A]


def test_an_old_file_opened_read_only_reads_its_queue_and_records(state_path: Path) -> None:
    state_path.parent.mkdir()
    db = sqlite3.connect(state_path)
    db.executescript(MIGRATIONS[0] + MIGRATIONS[1])
    db.execute("INSERT INTO marks (id, starred_at) VALUES (?, ?)", (A, "2025-01-01T00:00:00.000000+00:00"))
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    read_only = sqlite3.connect(f"{state_path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    store = Store(state_path, read_only, read_only=True, notice="read-only")
    try:
        assert store.queue() == [A]
        assert store.records()[0]["queue_pos"] is None
    finally:
        store.close()
