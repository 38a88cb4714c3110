"""A large import is committed in bounded transactions, so other writers get in between."""
from __future__ import annotations

import sqlite3

from tui_reader.core.state.backup import empty_record, merge_record
from tui_reader.core.state.store import IMPORT_BATCH, Store


def _records(count: int) -> list[dict]:
    return [empty_record(f"2501.{n:05d}") | {"read_at": "2025-01-01T00:00:00.000000+00:00",
                                              "read_changed_at": "2025-01-01T00:00:00.000000+00:00"}
            for n in range(count)]


def test_an_import_larger_than_a_batch_is_committed_in_one_transaction_per_batch(tmp_path):
    path = tmp_path / "state.sqlite3"
    count = IMPORT_BATCH * 2 + 7
    with Store.open(path) as store:
        outcome = store.merge_records(_records(count), merge_record)
    assert len(outcome) == count and all(new and taken == ["read"] for _id, new, taken in outcome)
    with sqlite3.connect(path) as db:
        transactions = db.execute("SELECT count(DISTINCT seq) FROM marks").fetchone()[0]
        assert db.execute("SELECT count(*) FROM marks").fetchone()[0] == count
    assert transactions == 3


def test_another_writer_gets_in_between_batches_and_its_write_is_kept(tmp_path):
    path = tmp_path / "state.sqlite3"
    records = _records(IMPORT_BATCH * 2)
    other = Store.open(path)
    other._db.execute("PRAGMA busy_timeout = 0")  # would fail at once while the import held the lock
    seen: list[tuple[int, int]] = []

    def between_batches(done: int, total: int) -> None:
        seen.append((done, total))
        if done == IMPORT_BATCH:
            other.set_starred(["2501.00003"], True)

    with Store.open(path) as store:
        store.merge_records(records, merge_record, on_batch=between_batches)
    assert seen == [(IMPORT_BATCH, IMPORT_BATCH * 2), (IMPORT_BATCH * 2, IMPORT_BATCH * 2)]
    mark = other.get("2501.00003")
    assert mark.starred and mark.read
    other.close()
