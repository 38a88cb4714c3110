"""A running reader can tell that its state file was deleted or replaced, and move to the
file now at the path with its own marks carried over."""
from __future__ import annotations

import os
from pathlib import Path

from tui_reader.core.state.backup import merge_record
from tui_reader.core.state.store import Store


def _remove_state(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


def test_an_open_store_whose_file_is_untouched_is_not_replaced(tmp_path):
    with Store.open(tmp_path / "state.sqlite3") as store:
        store.set_read(["2501.00001"], True)
        assert not store.file_replaced()


def test_deleting_the_state_file_is_noticed(tmp_path):
    path = tmp_path / "state.sqlite3"
    with Store.open(path) as store:
        _remove_state(path)
        assert store.file_replaced()


def test_a_file_renamed_over_the_state_file_is_noticed(tmp_path):
    path = tmp_path / "state.sqlite3"
    with Store.open(tmp_path / "other.sqlite3") as other:
        other.set_read(["2501.00009"], True)
    with Store.open(path) as store:
        os.replace(tmp_path / "other.sqlite3", path)
        assert store.file_replaced()


def test_reopen_moves_to_the_new_file_with_both_sets_of_marks(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = Store.open(path)
    store.set_read(["2501.00001"], True)
    _remove_state(path)
    store.set_starred(["2501.00002"], True)  # written into the unlinked file: lost without reopen
    with Store.open(path) as elsewhere:      # `tui-reader mark` makes a new file meanwhile
        elsewhere.set_read(["2501.00003"], True)
    assert store.file_replaced()
    fresh = store.reopen(merge_record)
    try:
        assert not fresh.file_replaced()
        marks = fresh.marks()
        assert marks["2501.00001"].read and marks["2501.00002"].starred and marks["2501.00003"].read
    finally:
        fresh.close()
    with Store.open(path) as check:  # what the reader carried over is in the file on disk
        assert check.get("2501.00002").starred


def test_reopen_after_deletion_creates_the_file_again(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = Store.open(path)
    store.set_read(["2501.00001"], True)
    _remove_state(path)
    fresh = store.reopen(merge_record)
    fresh.close()
    assert path.is_file()
    with Store.open(path) as check:
        assert check.get("2501.00001").read


def test_an_in_memory_store_is_never_replaced():
    store = Store.in_memory()
    assert not store.file_replaced()
    assert store.reopen(merge_record) is store
