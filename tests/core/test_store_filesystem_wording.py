"""A state file on a full disk or a read-only file system says so in those words (on a real
small tmpfs: these tests need the right to mount, and skip without it)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tui_reader.core.state.store import Store, StoreError


@pytest.fixture
def small_disk(tmp_path: Path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or result.returncode})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _state_with_one_mark(folder: Path) -> Path:
    path = folder / "state.sqlite3"
    with Store.open(path) as store:
        store.set_read(["2501.00001"], True)
    return path


def _fill(folder: Path) -> None:
    with open(folder / "fill", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass


def _remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def test_opening_a_state_file_on_a_full_disk_says_the_disk_is_full(small_disk):
    path = _state_with_one_mark(small_disk)
    _fill(small_disk)
    with Store.open(path) as store:
        assert store.notice is not None and "the disk is full" in store.notice
        assert store.get("2501.00001").read  # what is there is still shown
        with pytest.raises(StoreError, match="the disk is full"):
            store.set_read(["2501.00002"], True)


def test_opening_a_state_file_on_a_read_only_file_system_says_so(small_disk):
    path = _state_with_one_mark(small_disk)
    _remount_read_only(small_disk)
    with Store.open(path) as store:
        assert store.notice is not None and "read-only file system" in store.notice
        assert "permission denied" not in store.notice
        assert store.get("2501.00001").read
        with pytest.raises(StoreError, match="read-only file system"):
            store.set_read(["2501.00002"], True)


def test_creating_a_state_file_on_a_read_only_file_system_says_so(small_disk):
    _remount_read_only(small_disk)
    with Store.open(small_disk / "state.sqlite3") as store:
        assert store.notice is not None and "read-only file system" in store.notice


def test_a_write_that_fills_the_disk_says_the_disk_is_full(small_disk):
    path = _state_with_one_mark(small_disk)
    with Store.open(path) as store:
        _fill(small_disk)
        with pytest.raises(StoreError, match="the disk is full"):
            store.set_note("2501.00001", "x" * 200_000)
    assert os.path.exists(path)
