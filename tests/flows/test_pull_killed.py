"""Issue 24 (Low): a `tui-reader pull` killed while git runs (SIGTERM, SIGKILL, or its
terminal hung up) leaves no git process behind. A real pull of a file:// repository, with a
slow `git` first on PATH: for `fetch` it starts a child that sleeps (as ssh or upload-pack
would run under git), records both process ids, waits, then runs the real git."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator_repo import GeneratorRepo, day_papers, needs_git  # noqa: E402

pytestmark = needs_git()
pytest.importorskip("pty")

SLOW_GIT = """#!/bin/sh
case " $* " in
  *" fetch "*)
    sleep 600 &
    echo $! >> "{pids}"
    echo $$ >> "{pids}"
    wait
    ;;
esac
exec "{git}" "$@"
"""


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting for a parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"


@pytest.fixture
def slow_pull(tmp_path: Path) -> Iterator[tuple[list[str], dict[str, str], Path]]:
    """(argv, environment, pid file) of a pull whose git fetch hangs; kills what is left."""
    repo = GeneratorRepo(tmp_path / "upstream")
    repo.add_day("2025-01-07", day_papers("2025-01-07", 2))
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'[[source]]\nname = "slow"\nurl = "{repo.url}"\n', encoding="utf-8")
    wrappers = tmp_path / "bin"
    wrappers.mkdir()
    pids = tmp_path / "git-pids"
    real_git = shutil.which("git")
    assert real_git
    (wrappers / "git").write_text(SLOW_GIT.format(pids=pids, git=real_git))
    (wrappers / "git").chmod(0o755)
    env = {**os.environ, "PATH": f"{wrappers}{os.pathsep}{os.environ.get('PATH', '')}",
           "TUI_READER_HOME": str(home)}
    yield [sys.executable, "-m", "tui_reader", "pull"], env, pids
    for pid in _recorded(pids):  # never leave a sleeping process behind, whatever happened
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _recorded(pids: Path) -> list[int]:
    try:
        return [int(line) for line in pids.read_text().split()]
    except FileNotFoundError:
        return []


def _wait_for_git(pids: Path) -> list[int]:
    end = time.monotonic() + 60
    while len(_recorded(pids)) < 2:
        assert time.monotonic() < end, "git fetch never started"
        time.sleep(0.05)
    return _recorded(pids)


def _survivors(started: list[int], timeout: float = 20.0) -> list[int]:
    """The processes still alive once `timeout` seconds have passed (or none are)."""
    end = time.monotonic() + timeout
    while (alive := [pid for pid in started if _alive(pid)]) and time.monotonic() < end:
        time.sleep(0.1)
    return alive


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL, signal.SIGHUP], ids=lambda s: s.name)
def test_a_pull_killed_while_git_fetches_leaves_no_git_running(slow_pull, signum) -> None:
    argv, env, pids = slow_pull
    pull = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    started = _wait_for_git(pids)
    pull.send_signal(signum)
    pull.wait(timeout=30)
    assert _survivors(started) == []


def test_a_pull_whose_terminal_hangs_up_leaves_no_git_running(slow_pull) -> None:
    from terminal import Terminal

    argv, env, pids = slow_pull
    terminal = Terminal(argv, size=(100, 20), env=env)
    try:
        started = _wait_for_git(pids)
        terminal.hang_up()
        end = time.monotonic() + 30
        while not terminal.exited():
            assert time.monotonic() < end, "the pull outlived its terminal"
            time.sleep(0.05)
        assert _survivors(started) == []
    finally:
        terminal.kill()
