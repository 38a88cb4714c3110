"""Where command output goes: special files at -o are written as they are or refused, never
replaced; a closed or full standard output is one line and exit 1; a broken pipe is silent."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui_reader.cli import main

DIGEST = """\
# cs.AI [[Back]](#toc)

### [1] [An Invented Paper](https://arxiv.org/abs/2502.10001)
*Ana Ortiz*

TL;DR: An invented summary.
"""


@pytest.fixture
def digest(tmp_path: Path) -> Path:
    path = tmp_path / "2025-02-14.md"
    path.write_text(DIGEST, encoding="utf-8")
    return path


def _char_device(path: Path, minor: int) -> Path:
    """A character device node of our own (1,3 is null, 1,7 is full): never the system's."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, OSError) as err:
        pytest.skip(f"cannot make a device node here ({err})")
    return path


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tui-reader: "), err
    assert "internal error" not in err and "Traceback" not in err
    return lines[0]


def test_export_force_into_a_fifo_writes_into_it_and_keeps_it_a_fifo(home, digest, tmp_path, capsys):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["export", str(digest), "-o", str(fifo), "--force", "--format", "json"]) == 0
    reader.join(10)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"2502.10001" in received[0]


def test_export_force_into_a_fifo_nobody_reads_is_refused_at_once(home, digest, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "tui_reader", "export", str(digest), "-o", str(fifo), "--force"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "reading" in _one_line(result.stderr)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_force_into_a_full_character_device_keeps_the_device(home, digest, tmp_path, capsys):
    device = _char_device(tmp_path / "full", 7)
    assert main(["export", str(digest), "-o", str(device), "--force"]) == 1
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert "No space left on device" in _one_line(capsys.readouterr().err)


def test_export_force_into_a_null_device_writes_and_keeps_the_device(home, digest, tmp_path, capsys):
    device = _char_device(tmp_path / "null", 3)
    assert main(["export", str(digest), "-o", str(device), "--force"]) == 0
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_export_force_through_a_symlink_replaces_the_target_and_keeps_the_link(home, digest, tmp_path, capsys):
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(["export", str(digest), "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and "An Invented Paper" in target.read_text()


def test_export_force_through_a_dangling_symlink_is_refused(home, digest, tmp_path, capsys):
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "nowhere" / "x.md")
    assert main(["export", str(digest), "-o", str(link), "--force"]) == 1
    assert link.is_symlink() and "symlink" in _one_line(capsys.readouterr().err)


def _run_shell(command: str, home: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUI_READER_HOME": str(home), "TMPDIR": str(tmp_path)}
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("command", ["dump", "stats", "export"])
def test_a_closed_standard_output_is_one_line_and_exit_1(home, digest, tmp_path, command):
    result = _run_shell(f"exec '{sys.executable}' -m tui_reader {command} '{digest}' >&-", home, tmp_path)
    assert result.returncode == 1
    assert "cannot write output" in _one_line(result.stderr)
    assert not list(tmp_path.glob("tui-reader-crash-*"))


@pytest.mark.parametrize("command", ["dump", "stats", "export"])
def test_a_full_standard_output_is_one_line_and_exit_1(home, digest, tmp_path, command):
    device = _char_device(tmp_path / "full", 7)
    result = _run_shell(f"exec '{sys.executable}' -m tui_reader {command} '{digest}' > '{device}'", home, tmp_path)
    assert result.returncode == 1
    assert "cannot write output (No space left on device)" in _one_line(result.stderr)
    assert not list(tmp_path.glob("tui-reader-crash-*"))


def test_a_broken_pipe_stays_silent(home, tmp_path):
    big = tmp_path / "2025-02-15.md"
    big.write_text("".join(f"### [{n}] [Paper {n}](https://arxiv.org/abs/2502.{n:05d})\n*A*\n\nTL;DR: x\n\n"
                           for n in range(1, 3000)))
    result = _run_shell(f"'{sys.executable}' -m tui_reader dump '{big}' | head -c 100 >/dev/null", home, tmp_path)
    assert result.returncode == 0 and result.stderr == ""
