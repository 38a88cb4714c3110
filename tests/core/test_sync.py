"""Sync through a shared folder: homes converge, and an unreliable folder loses nothing."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from tui_reader.core.state import store as store_module
from tui_reader.core.state.store import Store
from tui_reader.core.sync.folder import exchange, sync_status
from tui_reader.core.sync.log import Change, change_line, header_line, log_name, machine_of
from tui_reader.core.sync.state import machine_id

from sync_helpers import Home, paper, visible_state


def _homes(tmp_path: Path, count: int) -> list[Home]:
    folder = tmp_path / "shared"
    return [Home.make(tmp_path, f"home{n}", folder) for n in range(count)]


def _mark_500(home: Home, offset: int, rng: random.Random) -> set[str]:
    ids = [paper(offset + n) for n in range(500)]
    for start in range(0, 500, 25):
        batch = ids[start:start + 25]
        action = rng.choice(("read", "star", "note", "tags"))
        if action == "read":
            home.store.set_read(batch, True)
        elif action == "star":
            home.store.set_starred(batch, True)
        elif action == "note":
            for paper_id in batch:
                home.store.set_note(paper_id, f"note by {home.root.name}")
        else:
            for paper_id in batch:
                home.store.set_tags(paper_id, [home.root.name, "synced"])
    return set(ids)


@pytest.mark.parametrize("count", [2, 3])
def test_homes_marking_500_papers_each_end_identical_with_every_mark_after_random_exchanges(
        tmp_path: Path, count: int) -> None:
    rng = random.Random(count)
    homes = _homes(tmp_path, count)
    expected: set[str] = set()
    for n, home in enumerate(homes):
        expected |= _mark_500(home, n * 1000, rng)
    # Some papers changed on every home, so later-change-wins really decides something.
    for home in homes:
        home.store.set_note(paper(0), f"last word of {home.root.name}")
        home.store.set_read([paper(1000)], False)
    order = [rng.randrange(count) for _ in range(4 * count)] + list(range(count)) * 2
    for index in order:
        homes[index].exchange()
    states = [visible_state(home) for home in homes]
    assert all(state == states[0] for state in states)
    assert set(states[0]) == expected
    assert states[0][paper(0)][2] == f"last word of {homes[-1].root.name}"  # the last note made
    assert states[0][paper(1000)][0] is None


def test_a_change_made_after_seeing_a_fast_clocks_change_wins_although_its_clock_is_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _homes(tmp_path, 2)
    real_now = store_module.utc_now
    monkeypatch.setattr(store_module, "utc_now", lambda: "2099-01-01T00:00:00.000000+00:00")
    fast.store.set_read([paper(1)], True)
    monkeypatch.setattr(store_module, "utc_now", real_now)
    fast.exchange()
    slow.exchange()
    assert slow.store.get(paper(1)).read
    slow.store.set_read([paper(1)], False)  # after seeing it: must win though 2099 is "later"
    slow.exchange()
    fast.exchange()
    assert not fast.store.get(paper(1)).read
    assert not slow.store.get(paper(1)).read


def _write_log(folder: Path, machine: str, changes: list[Change], name: str | None = None) -> Path:
    path = folder / (name or log_name(machine))
    path.write_bytes(header_line(machine, "g" + machine[:8]) + b"".join(change_line(c) for c in changes))
    return path


def test_equal_change_times_are_settled_by_machine_id_the_same_way_in_any_order(tmp_path: Path) -> None:
    time = "2026-01-01T00:00:00.000000+00:00"
    low, high = "1" * 16, "f" * 16
    outcomes = []
    for order in ((low, high), (high, low)):
        folder = tmp_path / "-".join(order)
        home = Home.make(tmp_path, f"reader-{order[0]}", folder)
        for machine in order:
            _write_log(folder, machine, [Change(paper(7), "note", f"from {machine}", time, machine)])
            home.exchange()
        outcomes.append(home.store.get(paper(7)).note)
    assert outcomes == [f"from {high}", f"from {high}"]


def test_a_partly_written_last_line_is_ignored_until_it_is_complete(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    home = Home.make(tmp_path, "home", folder)
    other = "a" * 16
    first = Change(paper(1), "note", "first", "2026-01-01T00:00:00.000000+00:00", other)
    second = Change(paper(2), "note", "second", "2026-01-01T00:00:01.000000+00:00", other)
    path = _write_log(folder, other, [first])
    whole = change_line(second)
    with open(path, "ab") as fh:
        fh.write(whole[:20])  # a sync tool mid-copy
    report = home.exchange()
    assert home.store.get(paper(1)).note == "first"
    assert home.store.get(paper(2)).note == ""
    assert report.problems == []
    with open(path, "ab") as fh:
        fh.write(whole[20:])
    home.exchange()
    assert home.store.get(paper(2)).note == "second"


@pytest.mark.parametrize("copy_name", [
    "machine-{id} (conflicted copy 2026-01-02).jsonl",          # Dropbox, Nextcloud
    "machine-{id}.sync-conflict-20260102-101010-ABCDEFG.jsonl",  # Syncthing
])
def test_a_conflict_copy_is_read_as_another_log_of_the_same_machine(tmp_path: Path, copy_name: str) -> None:
    folder = tmp_path / "shared"
    home = Home.make(tmp_path, "home", folder)
    other = "b" * 16
    _write_log(folder, other, [Change(paper(1), "read", "2026-01-01T00:00:00.000000+00:00",
                                      "2026-01-01T00:00:00.000000+00:00", other)])
    name = copy_name.format(id=other)
    assert machine_of(name) == other
    _write_log(folder, other, [Change(paper(2), "starred", "2026-01-01T00:00:02.000000+00:00",
                                      "2026-01-01T00:00:02.000000+00:00", other)], name=name)
    report = home.exchange()
    assert home.store.get(paper(1)).read and home.store.get(paper(2)).starred
    assert report.machines == [other]
    assert sync_status(home.store, folder).machines[0].files == 2


def test_a_deleted_or_truncated_log_never_removes_marks_and_later_lines_still_arrive(tmp_path: Path) -> None:
    writer, reader = _homes(tmp_path, 2)
    writer.store.set_read([paper(n) for n in range(10)], True)
    writer.exchange()
    reader.exchange()
    log = writer.folder / log_name(machine_id(writer.store))
    text = log.read_bytes()
    log.write_bytes(text.split(b"\n", 1)[0] + b"\n")  # truncated to its header
    reader.exchange()
    log.unlink()
    reader.exchange()
    assert all(reader.store.get(paper(n)).read for n in range(10))
    # The writer finds its log gone, writes it again whole, and a new home gets everything.
    writer.store.set_starred([paper(99)], True)
    writer.exchange()
    reader.exchange()
    newcomer = Home.make(tmp_path, "newcomer", writer.folder)
    newcomer.exchange()
    for home in (reader, newcomer):
        assert all(home.store.get(paper(n)).read for n in range(10))
        assert home.store.get(paper(99)).starred


def test_a_torn_append_of_the_writer_is_repaired_by_rewriting_its_log(tmp_path: Path) -> None:
    writer, reader = _homes(tmp_path, 2)
    writer.store.set_read([paper(1)], True)
    writer.exchange()
    log = writer.folder / log_name(machine_id(writer.store))
    with open(log, "ab") as fh:
        fh.write(b'{"id":"2501.0')  # a crash mid-append
    writer.store.set_read([paper(2)], True)
    report = writer.exchange()
    assert report.machine == machine_id(writer.store)  # not mistaken for a copied home
    assert log.read_bytes().endswith(b"\n")
    reader.exchange()
    assert reader.store.get(paper(1)).read and reader.store.get(paper(2)).read


def test_a_copied_home_is_found_and_takes_a_new_id_and_nothing_is_lost(tmp_path: Path) -> None:
    original, third = _homes(tmp_path, 2)
    original.store.set_read([paper(1)], True)
    original.exchange()
    original.store.close()
    copy_root = tmp_path / "copy"
    shutil.copytree(original.root, copy_root)
    original.store = Store.open(original.root / "state.sqlite3")
    copy = Home(copy_root, original.folder, Store.open(copy_root / "state.sqlite3"))
    assert machine_id(copy.store) == machine_id(original.store)
    original.store.set_starred([paper(2)], True)
    copy.store.set_note(paper(3), "made on the copy")
    reports = [original.exchange(), copy.exchange(), original.exchange(), copy.exchange()]
    assert any("copied home" in problem for report in reports for problem in report.problems)
    assert machine_id(copy.store) != machine_id(original.store)
    for _ in range(2):
        for home in (original, copy, third):
            home.exchange()
    states = [visible_state(h) for h in (original, copy, third)]
    assert states[0] == states[1] == states[2]
    assert third.store.get(paper(1)).read and third.store.get(paper(2)).starred
    assert third.store.get(paper(3)).note == "made on the copy"


def test_compaction_keeps_the_latest_change_per_field_and_readers_follow_the_rewrite(tmp_path: Path) -> None:
    writer, reader = _homes(tmp_path, 2)
    for n in range(30):
        writer.store.set_note(paper(1), f"draft {n}")
        writer.exchange()
        if n == 10:
            reader.exchange()  # the reader's offset is now inside the old version
    log = writer.folder / log_name(machine_id(writer.store))
    before = log.stat().st_size
    assert writer.exchange(compact=True).compacted
    lines = log.read_bytes().splitlines()[1:]
    assert [json.loads(line)["value"] for line in lines] == ["draft 29"]
    assert log.stat().st_size < before
    reader.exchange()
    assert reader.store.get(paper(1)).note == "draft 29"


def test_pending_changes_are_counted_and_sent_once(tmp_path: Path) -> None:
    home, = _homes(tmp_path, 1)
    home.store.set_read([paper(1), paper(2)], True)
    home.store.set_note(paper(1), "x")
    assert sync_status(home.store, home.folder).pending == 3
    assert home.exchange().sent == 3
    assert home.exchange().sent == 0
    assert sync_status(home.store, home.folder).pending == 0


def test_received_changes_are_not_sent_back(tmp_path: Path) -> None:
    first, second = _homes(tmp_path, 2)
    first.store.set_read([paper(n) for n in range(20)], True)
    first.exchange()
    report = second.exchange()
    assert report.received == 20
    assert second.exchange().sent == 0
    own = second.folder / log_name(machine_id(second.store))
    assert own.read_bytes().count(b"\n") == 1  # the header only


def test_a_damaged_line_is_skipped_with_one_problem_and_the_rest_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    home = Home.make(tmp_path, "home", folder)
    other = "c" * 16
    path = _write_log(folder, other, [Change(paper(1), "note", "ok", "2026-01-01T00:00:00.000000+00:00", other)])
    with open(path, "ab") as fh:
        fh.write(b'{"id":"not an id","field":"note","value":"x","time":"2026","machine":"cc"}\n')
        fh.write(change_line(Change(paper(2), "note", "\x1b[31mred\x1b[0m", "2026-01-01T00:00:01.000000+00:00", other)))
    report = home.exchange()
    assert home.store.get(paper(1)).note == "ok"
    assert home.store.get(paper(2)).note == "red"  # control sequences never reach the marks
    assert len(report.problems) == 1 and "damaged" in report.problems[0]


def test_a_missing_folder_is_one_problem_and_changes_nothing(tmp_path: Path) -> None:
    home, = _homes(tmp_path, 1)
    home.store.set_read([paper(1)], True)
    report = exchange(home.store, tmp_path / "not-mounted")
    assert len(report.problems) == 1 and "does not exist" in report.problems[0]
    assert sync_status(home.store, home.folder).pending == 1


MARKER = """
import sys
from tui_reader.core.state.store import Store
store = Store.open(sys.argv[1])
for n in range(300):
    store.set_read([f"2502.{n:05d}"], True)
store.close()
"""


def test_exchanges_while_another_process_marks_lose_no_mark(tmp_path: Path) -> None:
    import subprocess
    import sys

    writer, reader = _homes(tmp_path, 2)
    marker = subprocess.Popen([sys.executable, "-c", MARKER, str(writer.store.path)])
    while marker.poll() is None:
        writer.exchange()
    assert marker.returncode == 0
    writer.exchange()
    reader.exchange()
    assert all(reader.store.get(f"2502.{n:05d}").read for n in range(300))


def test_an_exchange_with_nothing_new_writes_nothing_and_the_folder_signature_shows_news(tmp_path: Path) -> None:
    from tui_reader.core.sync.folder import folder_signature

    first, second = _homes(tmp_path, 2)
    first.exchange()
    second.exchange()
    before = folder_signature(first.folder)
    watcher = Store.open(second.store.path)
    watcher.changed_elsewhere()
    second.exchange()
    assert not watcher.changed_elsewhere()  # a reader polling every few seconds costs no write
    assert folder_signature(first.folder) == before
    first.store.set_read([paper(1)], True)
    first.exchange()
    assert folder_signature(first.folder) != before
    second.exchange()
    assert watcher.changed_elsewhere() and watcher.get(paper(1)).read
    watcher.close()


def test_a_mark_made_after_an_exchange_that_received_nothing_is_still_sent(tmp_path: Path) -> None:
    first, second = _homes(tmp_path, 2)
    second.exchange()  # its log holds no change yet
    first.exchange()   # reads it: a transaction that writes no mark
    first.store.set_read([paper(1)], True)
    assert first.exchange().sent == 1
    second.exchange()
    assert second.store.get(paper(1)).read


def test_a_dismissal_and_its_undoing_travel_between_homes(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    laptop, server = tmp_path / "laptop.sqlite3", tmp_path / "server.sqlite3"
    with Store.open(laptop) as store:
        store.set_dismissed([paper(7)], True)
    exchange(laptop, folder)
    exchange(server, folder)
    with Store.open(server) as store:
        assert store.get(paper(7)).dismissed
        store.set_dismissed([paper(7)], False)
    exchange(server, folder)
    exchange(laptop, folder)
    with Store.open(laptop) as store:
        assert not store.get(paper(7)).dismissed
