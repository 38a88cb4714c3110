"""`tui-reader sync`: setting the folder, exchanging between homes, status, and git folders."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.core.state.store import Store


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "tui_reader", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def _marks(home: Path) -> dict:
    with Store.open(home / "state.sqlite3") as store:
        return store.marks()


def test_sync_without_a_folder_says_how_to_set_one_and_exits_2(tmp_path: Path) -> None:
    done = _run(tmp_path / "home", "sync")
    assert done.returncode == 2
    assert done.stderr.strip() == "tui-reader: no sync folder is set; run 'tui-reader sync --folder DIR' once"


def test_sync_folder_is_written_into_the_settings_keeping_the_rest_and_marks_cross_homes(tmp_path: Path) -> None:
    first, second, folder = tmp_path / "first", tmp_path / "second", tmp_path / "Sync"
    first.mkdir()
    settings = 'theme = "nord"   # my theme\n\n[watch]\nkeywords = ["diffusion"]\n'
    (first / "config.toml").write_text(settings, encoding="utf-8")
    assert _run(first, "mark", "--star", "2501.00001").returncode == 0
    done = _run(first, "sync", "--folder", str(folder))
    assert done.returncode == 0, done.stderr
    assert "sent 1 changes" in done.stdout
    text = (first / "config.toml").read_text(encoding="utf-8")
    assert text.startswith(settings) and f'[sync]\nfolder = "{folder}"' in text
    assert _run(second, "sync", "--folder", str(folder)).returncode == 0
    assert _marks(second)["2501.00001"].starred
    assert _run(second, "mark", "--read", "2501.00002").returncode == 0
    status = _run(second, "sync", "--status")
    assert "pending       1 changes to send" in status.stdout
    assert _run(second, "sync").returncode == 0
    assert _run(first, "sync").returncode == 0
    assert _marks(first)["2501.00002"].read
    status = _run(first, "sync", "--status")
    assert status.returncode == 0
    assert "machines seen:" in status.stdout and "pending       0 changes" in status.stdout


def test_sync_folder_refuses_a_broken_settings_file_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("theme = \n", encoding="utf-8")
    done = _run(home, "sync", "--folder", str(tmp_path / "Sync"))
    assert done.returncode == 1
    assert done.stderr.startswith("tui-reader: ") and "not valid TOML" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert (home / "config.toml").read_text(encoding="utf-8") == "theme = \n"


def _git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_git_repository_as_the_folder_is_pulled_committed_and_pushed(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    _git("init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    _git("clone", "-q", remote.as_uri(), str(seed))
    (seed / "README").write_text("reading state\n")
    _git("add", "README", cwd=seed)
    _git("commit", "-q", "-m", "start", cwd=seed)
    _git("push", "-q", "origin", "HEAD:main", cwd=seed)
    homes = []
    for name in ("laptop", "server"):
        clone = tmp_path / f"{name}-sync"
        _git("clone", "-q", remote.as_uri(), str(clone))
        homes.append((tmp_path / name, clone))
    (laptop, laptop_sync), (server, server_sync) = homes
    assert _run(laptop, "mark", "--read", "2501.00001").returncode == 0
    done = _run(laptop, "sync", "--folder", str(laptop_sync))
    assert done.returncode == 0, done.stderr
    done = _run(server, "sync", "--folder", str(server_sync))
    assert done.returncode == 0, done.stderr
    assert _marks(server)["2501.00001"].read
    assert _run(server, "mark", "--star", "2501.00002").returncode == 0
    assert _run(server, "sync").returncode == 0
    assert _run(laptop, "sync").returncode == 0
    assert _marks(laptop)["2501.00002"].starred
    log = subprocess.run(["git", "-C", str(remote), "log", "--oneline", "main"],
                         capture_output=True, text=True).stdout
    assert "tui-reader: reading state of machine" in log


def test_sync_repair_brings_a_poisoned_clock_and_times_back_and_says_so(tmp_path: Path) -> None:
    import sqlite3

    home, folder = tmp_path / "home", tmp_path / "Sync"
    assert _run(home, "mark", "--star", "2501.00001").returncode == 0
    top = "9999-12-31T23:59:59.999999+00:00"
    with sqlite3.connect(home / "state.sqlite3") as db:  # what an older release kept
        db.execute("UPDATE sync_meta SET value = ? WHERE key = 'clock'", (top,))
        db.execute("UPDATE marks SET star_changed_at = ? WHERE id = '2501.00001'", (top,))
    done = _run(home, "sync", "--repair")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("repaired 1 change time"), done.stdout
    assert "Traceback" not in done.stderr
    with sqlite3.connect(home / "state.sqlite3") as db:
        clock = db.execute("SELECT value FROM sync_meta WHERE key = 'clock'").fetchone()[0]
        changed = db.execute("SELECT star_changed_at FROM marks").fetchone()[0]
    assert clock < "9999" and changed < "9999" and _marks(home)["2501.00001"].starred
    again = _run(home, "sync", "--repair", "--folder", str(folder))
    assert again.returncode == 0 and again.stdout.startswith("nothing to repair"), again.stdout
    assert "sent 1 changes" in again.stdout
