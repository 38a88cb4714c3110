"""A sync folder on a read-only or full disk: one message, reading goes on, nothing is lost."""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tui_reader.core.sync.folder import sync_status
from tui_reader.core.sync.log import Change, change_line, header_line, log_name

from sync_helpers import Home, paper

OTHER = "d" * 16


def _mount(folder: Path, options: str) -> bool:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True)
    return done.returncode == 0


@contextmanager
def _tmpfs(folder: Path, size: str = "1m") -> Iterator[None]:
    """A real filesystem of its own for the folder (as root), so it can be made read-only
    or full; the test is skipped where that is not possible."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _mount(folder, f"size={size},mode=0755"):
        pytest.skip("needs root and tmpfs mounts to make a real read-only or full disk")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _other_machines_log(folder: Path) -> None:
    change = Change(paper(5), "starred", "2026-01-01T00:00:00.000000+00:00",
                    "2026-01-01T00:00:00.000000+00:00", OTHER)
    (folder / log_name(OTHER)).write_bytes(header_line(OTHER, "g1") + change_line(change))


def test_a_read_only_folder_gives_one_message_while_other_machines_changes_still_arrive(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    with _tmpfs(folder):
        _other_machines_log(folder)
        home = Home.make(tmp_path, "home", folder)
        home.store.set_read([paper(n) for n in range(3)], True)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        report = home.exchange()
        assert len(report.problems) == 1
        assert "cannot write to the sync folder" in report.problems[0]
        assert "3 changes wait" in report.problems[0]
        assert home.store.get(paper(5)).starred  # reading went on
        assert sync_status(home.store, folder).pending == 3
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
        report = home.exchange()
        assert report.problems == [] and report.sent == 3


def test_a_full_folder_gives_one_message_and_the_changes_are_sent_once_there_is_room(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    with _tmpfs(folder, size="256k"):
        _other_machines_log(folder)
        home = Home.make(tmp_path, "home", folder)
        home.exchange()  # its log exists, so the next exchange appends
        filler = folder / "filler"
        with open(filler, "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"\0" * 512)
            except OSError:
                pass
        home.store.set_read([paper(n) for n in range(400)], True)
        report = home.exchange()
        assert len(report.problems) == 1 and "cannot write to the sync folder" in report.problems[0]
        filler.unlink()
        report = home.exchange()
        assert report.problems == [] and report.sent == 400
        reader = Home.make(tmp_path, "reader", folder)
        reader.exchange()
        assert all(reader.store.get(paper(n)).read for n in range(400))
