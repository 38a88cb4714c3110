"""The library watcher with real files: what it reports, when, and that it stops."""
from __future__ import annotations

import os
import queue
import threading
import time
from pathlib import Path

import pytest

from tui_reader.core.atomic_write import replace_atomically
from tui_reader.core.library.watch import LibraryWatcher, is_digest_path

WAIT = 10.0  # generous on a loaded machine; the watcher answers in well under a second


@pytest.fixture(params=[False, True], ids=["inotify", "polling"])
def watched(request, tmp_path: Path):
    """A library folder with one source folder, watched; yields (folder, batches queue)."""
    library = tmp_path / "library"
    (library / "src").mkdir(parents=True)
    batches: queue.Queue[set[Path]] = queue.Queue()
    watcher = LibraryWatcher([library], batches.put, debounce=0.3, force_polling=request.param)
    watcher.start()
    assert watcher.polling is request.param
    yield library, batches
    watcher.stop()
    assert not watcher.running


def changed_until(batches: queue.Queue, wanted: set[Path]) -> set[Path]:
    seen: set[Path] = set()
    deadline = time.monotonic() + WAIT
    while not wanted <= seen and time.monotonic() < deadline:
        try:
            seen |= batches.get(timeout=0.1)
        except queue.Empty:
            pass
    return seen


def test_a_digest_written_atomically_is_reported_and_the_temporary_file_is_not(watched) -> None:
    library, batches = watched
    target = library / "src" / "2025-01-06_AI_enhanced_English.jsonl"
    replace_atomically(target, b'{"id": "2501.00001"}\n')
    seen = changed_until(batches, {target})
    assert target in seen
    assert not any(p.name.startswith(".") for p in seen)


def test_a_removed_and_an_edited_digest_are_reported(watched) -> None:
    library, batches = watched
    old, edited = library / "src" / "2025-01-05.md", library / "2025-01-04.jsonl"
    old.write_text("x")
    edited.write_text("a")
    changed_until(batches, {old, edited})
    old.unlink()
    with edited.open("a") as fh:
        fh.write("b")
    assert {old, edited} <= changed_until(batches, {old, edited})


def test_a_source_folder_made_after_the_start_is_watched_too(watched) -> None:
    library, batches = watched
    (library / "new-source").mkdir()
    time.sleep(0.2)  # a pull makes the folder, then its first file
    target = library / "new-source" / "2025-01-10.jsonl"
    replace_atomically(target, b"{}\n")
    assert target in changed_until(batches, {target})


def test_files_that_are_no_digests_and_dot_folders_are_ignored(watched) -> None:
    library, batches = watched
    (library / "src" / ".tui-reader-git").mkdir()
    (library / "src" / ".tui-reader-git" / "2025-01-01.jsonl").write_text("x")
    (library / "src" / "notes.pdf").write_bytes(b"%PDF-")
    marker = library / "src" / "2025-01-09.jsonl"
    marker.write_text("x")
    assert changed_until(batches, {marker}) == {marker}


def test_changes_made_together_arrive_in_few_callbacks(tmp_path: Path) -> None:
    calls: list[set[Path]] = []
    watcher = LibraryWatcher([tmp_path], calls.append, debounce=0.5)
    watcher.start()
    try:
        names = {tmp_path / f"2025-02-{n:02d}.jsonl" for n in range(1, 21)}
        for name in names:
            name.write_text("x")
        deadline = time.monotonic() + WAIT
        while set().union(*calls) != names and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watcher.stop()
    assert set().union(*calls) == names
    assert len(calls) <= 3  # debounced: twenty writes, not twenty callbacks


def test_an_opened_file_is_watched_through_its_folder_so_a_rename_save_is_seen(tmp_path: Path) -> None:
    opened = tmp_path / "2025-03-01.md"
    opened.write_text("first")
    (tmp_path / "2025-03-02.md").write_text("a neighbour not opened")
    batches: queue.Queue[set[Path]] = queue.Queue()
    watcher = LibraryWatcher([opened], batches.put, debounce=0.2)
    watcher.start()
    try:
        (tmp_path / "2025-03-02.md").write_text("changed, but not watched")
        spare = tmp_path / "2025-03-01.md~"
        spare.write_text("second")
        os.replace(spare, opened)  # how editors save
        seen = changed_until(batches, {opened})
    finally:
        watcher.stop()
    assert seen == {opened}


def test_a_callback_that_raises_does_not_end_the_watch(tmp_path: Path) -> None:
    got = threading.Event()

    def callback(paths: set[Path]) -> None:
        if any(p.name.startswith("2025-01-01") for p in paths):
            raise RuntimeError("the reader's handler failed")
        got.set()

    watcher = LibraryWatcher([tmp_path], callback, debounce=0.1)
    watcher.start()
    try:
        (tmp_path / "2025-01-01.jsonl").write_text("x")
        time.sleep(0.6)
        (tmp_path / "2025-01-02.jsonl").write_text("x")
        assert got.wait(WAIT)
    finally:
        watcher.stop()
    assert "the reader's handler failed" in (watcher.last_error or "")


def test_stop_ends_the_thread_promptly_and_missing_paths_are_listed(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    watcher = LibraryWatcher([tmp_path, tmp_path / "absent"], lambda paths: None)
    watcher.start()
    assert watcher.running and watcher.unwatched == [(tmp_path / "absent").absolute()]
    started = set(threading.enumerate()) - before
    assert started
    watcher.stop(timeout=2.0)  # waits for the thread at most this long, then gives up on it
    assert not watcher.running and not any(thread.is_alive() for thread in started)


def test_digest_paths_are_told_from_the_pulls_own_files() -> None:
    assert is_digest_path(Path("/lib/src/2025-01-01_AI_enhanced_English.jsonl"))
    assert not is_digest_path(Path("/lib/src/.2025-01-01.jsonl.partial"))
    assert not is_digest_path(Path("/lib/src/.tui-reader-source.json"))
    assert not is_digest_path(Path("/lib/src/.tui-reader-git/objects/pack/x.json"))
