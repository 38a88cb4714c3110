"""git_process: a git that outlives its wait (a timeout, an exception) ends with everything it
started; one that ends by itself leaves its watchdog to go quietly."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tui_reader.core.sources.git_process import git_process, run_git

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")


def _gone(pid: int, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def _slow(pidfile: Path) -> list[str]:
    """A stand-in for a git that starts a child and waits on it."""
    return ["/bin/sh", "-c", f'sleep 600 & echo $! > "{pidfile}"; wait']


def test_a_timeout_ends_the_process_and_its_children(tmp_path: Path) -> None:
    pidfile = tmp_path / "child"
    with pytest.raises(subprocess.TimeoutExpired):
        run_git(_slow(pidfile), input_bytes=None, timeout=1, env=dict(os.environ))
    assert _gone(int(pidfile.read_text()))


def test_an_exception_inside_the_block_ends_the_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "child"
    with pytest.raises(RuntimeError), git_process(_slow(pidfile), stdout=subprocess.DEVNULL) as proc:
        while not pidfile.exists() or not pidfile.read_text().strip():
            time.sleep(0.02)
        raise RuntimeError("the caller gave up")
    assert proc.returncode is not None and _gone(int(pidfile.read_text()))


def test_a_git_that_ends_by_itself_gives_its_output_and_leaves_nothing_running() -> None:
    done = run_git(["/bin/sh", "-c", "cat; echo err >&2; exit 3"], input_bytes=b"in", timeout=30,
                   env=dict(os.environ))
    assert (done.returncode, done.stdout, done.stderr) == (3, b"in", b"err\n")
    children = subprocess.run(["ps", "-o", "args=", "--ppid", str(os.getpid())], capture_output=True, text=True)
    assert "read -r group" not in children.stdout  # the watchdog has gone
