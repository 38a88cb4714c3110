"""Sync against hostile logs: forged times, huge and nested values, logs that are not files.

Each test writes what a peer (or an attacker with write access to the shared folder) could
put there, then checks that marking, syncing and converging still work on real state files."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from tui_reader.core.sync.folder import exchange
from tui_reader.core.sync.log import header_line, log_name

from sync_helpers import Home, paper, visible_state

FORGER = "00000000000000aa"
NOW_ISH = "2026-"  # the tests run in the present; every stamp made here starts with the year


def _forged_log(folder: Path, lines: Sequence[object], machine: str = FORGER) -> Path:
    """A peer's log: a proper header, then the given lines (dicts as JSON, str/bytes as is)."""
    path = folder / log_name(machine)
    with open(path, "wb") as fh:
        fh.write(header_line(machine, "f0f0f0f0"))
        for line in lines:
            if isinstance(line, dict):
                line = json.dumps(line)
            if isinstance(line, str):
                line = line.encode()
            assert isinstance(line, bytes)
            fh.write(line + b"\n")
    return path


def _line(paper_id: str, field: str, value: object, time: str, machine: str = FORGER) -> dict:
    return {"id": paper_id, "field": field, "value": value, "time": time, "machine": machine}


def _clock(home: Home) -> str:
    with sqlite3.connect(home.store.path) as db:
        return db.execute("SELECT value FROM sync_meta WHERE key = 'clock'").fetchone()[0]


# ------------------------------------------------------------------------ 1: time stamps

def test_a_far_future_stamp_is_refused_and_marking_still_works(tmp_path: Path) -> None:
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    top = "9999-12-31T23:59:59.999999+00:00"
    _forged_log(home.folder, [_line(paper(1), "starred", top, top)])
    report = home.exchange()
    assert any("ahead" in problem for problem in report.problems), report.problems
    assert not _clock(home).startswith("9999")
    home.store.set_starred([paper(2)], True)  # raised OverflowError in Store._stamp before
    starred = {r["id"] for r in home.records() if r["starred_at"]}
    assert starred == {paper(2)}


def test_a_poisoned_clock_left_by_an_older_release_is_repaired(tmp_path: Path) -> None:
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    other = Home.make(tmp_path, "other", tmp_path / "shared")
    from tui_reader.core.sync.state import repair_clock

    top = "9999-12-31T23:59:59.999999+00:00"
    home.store.set_starred([paper(1)], True)
    home.exchange()
    other.exchange()
    with sqlite3.connect(home.store.path) as db:  # what the old release wrote after a forged line
        db.execute("UPDATE sync_meta SET value = ? WHERE key = 'clock'", (top,))
        db.execute("UPDATE marks SET star_changed_at = ?, starred_at = ? WHERE id = ?",
                   (top, top, paper(1)))
    home.store.set_read([paper(3)], True)  # must not raise even before any repair
    result = repair_clock(home.store)
    assert result.fields == 2 and not result.clock.startswith("9999")
    assert _clock(home).startswith(NOW_ISH)
    home.exchange()
    other.exchange()
    other.store.set_starred([paper(1)], False)  # a later unstar elsewhere must win
    other.exchange()
    home.exchange()
    assert visible_state(home) == visible_state(other)
    assert not any(r["starred_at"] for r in home.records() if r["id"] == paper(1))


def test_the_exchange_repairs_a_poisoned_clock_by_itself(tmp_path: Path) -> None:
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    home.exchange()
    with sqlite3.connect(home.store.path) as db:
        db.execute("UPDATE sync_meta SET value = '9999-12-31T23:59:59.999999+00:00' WHERE key = 'clock'")
    report = home.exchange()
    assert _clock(home).startswith(NOW_ISH)
    assert any("clock" in problem for problem in report.problems), report.problems


@pytest.mark.parametrize("odd", ["2026-W01-1T00:00:00+00:00", "2025-12-29T00:00:00Z",
                                 "20251229T000000+00:00", "2025-12-29T01:00:00+01:00"])
def test_odd_iso_forms_are_normalised_so_a_later_unstar_wins_everywhere(
        tmp_path: Path, odd: str) -> None:
    first = Home.make(tmp_path, "first", tmp_path / "shared")
    second = Home.make(tmp_path, "second", tmp_path / "shared")
    _forged_log(first.folder, [_line(paper(7), "starred", odd, odd)])
    first.exchange()
    assert any(r["starred_at"] for r in first.records() if r["id"] == paper(7))
    assert _clock(first) == "2025-12-29T00:00:00.000000+00:00"
    first.store.set_starred([paper(7)], False)  # now: later than 2025-12-29 by any measure
    first.exchange()
    second.exchange()
    for home in (first, second):
        assert not any(r["starred_at"] for r in home.records() if r["id"] == paper(7))
    assert visible_state(first) == visible_state(second)


# ------------------------------------------------------------------------ 3: bad values

@pytest.mark.parametrize("bad", [
    _line(paper(5), "queue", 2 ** 63, "2025-12-29T00:00:00+00:00"),
    _line(paper(5), "queue", -(2 ** 63) - 1, "2025-12-29T00:00:00+00:00"),
    "{\"id\": \"2501.00005\", \"field\": \"note\", \"value\": " + "[" * 3000 + "]" * 3000 + "}",
    "[" * 100_000 + "]" * 100_000,
    _line(paper(5), "tags", ["t" * 5000], "2025-12-29T00:00:00+00:00"),
    _line(paper(5), "tags", [f"t{n}" for n in range(5000)], "2025-12-29T00:00:00+00:00"),
])
def test_a_bad_value_in_the_first_log_is_skipped_and_the_other_logs_still_arrive(
        tmp_path: Path, bad: object) -> None:
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    peer = Home.make(tmp_path, "peer", tmp_path / "shared")
    peer.store.set_starred([paper(9)], True)
    peer.exchange()
    _forged_log(home.folder, [bad, _line(paper(6), "read", "2025-12-29T00:00:00+00:00",
                                         "2025-12-29T00:00:00+00:00")],
                machine="0000000000000000")  # sorts before every other log
    report = home.exchange()
    assert any("damaged" in problem for problem in report.problems), report.problems
    state = visible_state(home)
    assert state[paper(9)][1] is not None  # the peer's star arrived
    assert state[paper(6)][0] is not None  # the good line after the bad one too
    assert paper(5) not in state
    home.store.set_starred([paper(1)], True)
    assert home.exchange().sent == 1


def test_a_log_that_breaks_merging_is_one_problem_and_others_still_merge(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_reader.core.sync import folder as sync_module

    home = Home.make(tmp_path, "home", tmp_path / "shared")
    peer = Home.make(tmp_path, "peer", tmp_path / "shared")
    peer.store.set_starred([paper(9)], True)
    peer.exchange()
    _forged_log(home.folder, [_line(paper(6), "read", "2025-12-29T00:00:00+00:00",
                                    "2025-12-29T00:00:00+00:00")], machine="0000000000000000")
    real_merge = sync_module.merge_changes

    def failing_merge(store, changes, me, rows=()):
        if rows and rows[0][1] == "0000000000000000":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real_merge(store, changes, me, rows)

    monkeypatch.setattr(sync_module, "merge_changes", failing_merge)
    report = home.exchange()
    assert any("0000000000000000" in problem for problem in report.problems), report.problems
    assert visible_state(home)[paper(9)][1] is not None


# ------------------------------------------------------------------------ 4: own log

def test_own_log_replaced_by_a_fifo_is_treated_as_missing(tmp_path: Path) -> None:
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    home.store.set_read([paper(1)], True)
    first = home.exchange()
    own = home.folder / log_name(first.machine)
    own.unlink()
    os.mkfifo(own)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(home.exchange()), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the hung open so the test process can end
        fd = os.open(own, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("sync hung on a FIFO in place of its own log")
    assert done and own.is_file() and not own.is_symlink()


def test_own_log_as_a_symlink_to_an_endless_device_is_not_read(tmp_path: Path) -> None:
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    home.store.set_read([paper(1)], True)
    first = home.exchange()
    own = home.folder / log_name(first.machine)
    own.unlink()
    own.symlink_to("/dev/zero")
    home.store.set_read([paper(2)], True)
    report = home.exchange()
    assert report.sent == 1
    assert own.is_file() and not own.is_symlink()
    assert b"2501.00002" in own.read_bytes()


def test_a_peer_log_that_is_a_fifo_or_device_link_is_skipped(tmp_path: Path) -> None:
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    os.mkfifo(home.folder / log_name("00000000000000bb"))
    (home.folder / log_name("00000000000000cc")).symlink_to("/dev/zero")
    peer = Home.make(tmp_path, "peer", tmp_path / "shared")
    peer.store.set_starred([paper(9)], True)
    peer.exchange()
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(home.exchange()), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        fd = os.open(home.folder / log_name("00000000000000bb"), os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("sync hung on a FIFO in the folder")
    assert visible_state(home)[paper(9)][1] is not None


def test_state_import_refuses_a_forged_far_future_time(tmp_path: Path) -> None:
    from tui_reader.core.state.backup import BackupError, parse_backup

    forged = {"format": "tui-reader-state", "version": 1, "marks": [
        {"id": paper(1), "starred_at": "9999-12-31T23:59:59.999999+00:00",
         "star_changed_at": "9999-12-31T23:59:59.999999+00:00"}]}
    with pytest.raises(BackupError, match="future"):
        parse_backup(json.dumps(forged).encode())
    week = {"format": "tui-reader-state", "version": 1, "marks": [
        {"id": paper(1), "read_at": "2026-W01-1T00:00:00Z", "read_changed_at": "2026-W01-1T00:00:00Z"}]}
    assert parse_backup(json.dumps(week).encode())[0]["read_changed_at"] == "2025-12-29T00:00:00.000000+00:00"


# ------------------------------------------------------------------------ 6: batches

def test_a_large_log_is_merged_in_bounded_batches_and_a_giant_line_is_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_reader.core.sync import folder as sync_module
    from tui_reader.core.sync import log as sync_log

    monkeypatch.setattr(sync_log, "READ_LIMIT", 64 * 1024)
    monkeypatch.setattr(sync_log, "MAX_LINE_BYTES", 32 * 1024)
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    stamp = "2025-12-29T00:00:00.000000+00:00"
    lines: list[object] = [_line(paper(n), "read", stamp, stamp) for n in range(3000)]
    lines.insert(1500, _line(paper(99999), "note", "x" * 100_000, stamp))  # over the line limit
    _forged_log(home.folder, lines)
    batches: list[int] = []
    real = sync_module.merge_changes

    def counting(store, changes, me, rows=()):
        batches.append(len(changes))
        return real(store, changes, me, rows)

    monkeypatch.setattr(sync_module, "merge_changes", counting)
    report = home.exchange()
    assert len(batches) > 3 and max(batches) < 1000, batches
    assert report.read == 3000 and len(visible_state(home)) == 3000
    assert any("1 damaged" in problem for problem in report.problems), report.problems
    batches.clear()
    assert home.exchange().read == 0 and batches == []  # nothing re-read


def test_a_half_copied_giant_last_line_is_not_rescanned_from_its_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_reader.core.sync import log as sync_log

    monkeypatch.setattr(sync_log, "READ_LIMIT", 16 * 1024)
    monkeypatch.setattr(sync_log, "MAX_LINE_BYTES", 8 * 1024)
    home = Home.make(tmp_path, "home", tmp_path / "shared")
    stamp = "2025-12-29T00:00:00.000000+00:00"
    log = _forged_log(home.folder, [_line(paper(1), "read", stamp, stamp)])
    with open(log, "ab") as fh:
        fh.write(b'{"id": "2501.00002", "note": "' + b"x" * 3_000_000)  # still being copied
    scans: list[int] = []
    real = sync_log._skip_long_line

    def recording(fh):
        scans.append(fh.tell())
        return real(fh)

    monkeypatch.setattr(sync_log, "_skip_long_line", recording)
    assert home.exchange().read == 1
    with open(log, "ab") as fh:
        fh.write(b"y" * 1_000_000)
    assert home.exchange().read == 0
    assert scans[1] >= 3_000_000, scans  # went on from where the first scan stopped
    with open(log, "ab") as fh:
        fh.write(b'"}\n' + json.dumps(_line(paper(3), "read", stamp, stamp)).encode() + b"\n")
    report = home.exchange()
    assert report.read == 1 and any("1 damaged" in p for p in report.problems), report.problems
    assert set(visible_state(home)) == {paper(1), paper(3)}
