"""The store under several processes: concurrent writers and processes killed mid-write."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui_reader.core.state.store import Store

# Marks papers one action (one transaction) at a time and reports each after the call returns.
MARKER = """
import sys
from pathlib import Path
from tui_reader.core.state.store import Store

path, start, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
store = Store.open(path)
for n in range(start, start + count):
    paper = f"2501.{n:05d}"
    if n % 3 == 0:
        store.set_starred([paper], True)
    else:
        store.set_read([paper], True)
    print(paper, flush=True)
store.close()
"""


def _start_marker(path: Path, start: int, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", MARKER, str(path), str(start), str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _is_marked(store: Store, paper: str) -> bool:
    mark = store.get(paper)
    return mark.read or mark.starred


def test_two_processes_marking_500_papers_each_keep_all_1000(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first, second = _start_marker(path, 0, 500), _start_marker(path, 500, 500)
    out_first, err_first = first.communicate(timeout=120)
    out_second, err_second = second.communicate(timeout=120)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    with Store.open(path) as store:
        marks = store.marks()
        assert store.notice is None
    expected = {f"2501.{n:05d}" for n in range(1000)}
    assert set(out_first.split()) | set(out_second.split()) == expected
    assert {pid for pid, mark in marks.items() if mark.read or mark.starred} == expected


@pytest.mark.slow
def test_process_killed_at_random_points_loses_no_reported_mark(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    path = tmp_path / "state.sqlite3"
    reported: set[str] = set()
    for run in range(20):
        marker = _start_marker(path, run * 10_000, 10_000)
        time.sleep(rng.uniform(0.0, 0.6))  # early runs may die while creating or migrating the file
        marker.send_signal(signal.SIGKILL)
        out, err = marker.communicate(timeout=30)
        assert marker.returncode == -signal.SIGKILL, f"seed {seed}, run {run}: {err}"
        reported.update(out.split())
        with Store.open(path) as store:
            assert store.notice is None, f"seed {seed}, run {run}: {store.notice}"
            missing = [p for p in sorted(reported) if not _is_marked(store, p)]
        assert not missing, f"seed {seed}, run {run}: {len(missing)} reported marks lost"
    assert reported, f"seed {seed}: no process reported any mark"
    assert not list(tmp_path.glob("*.damaged-*"))


# Waits for a go file so that every process opens the brand-new state file at once.
OPENER = """
import sys, time
from pathlib import Path
from tui_reader.core.state.store import Store

path, go, paper = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
while not go.exists():
    time.sleep(0.001)
with Store.open(path) as store:
    store.set_read([paper], True)
"""


def test_processes_creating_the_same_fresh_state_file_at_once_all_open_it(tmp_path: Path) -> None:
    for round_ in range(3):
        path, go = tmp_path / f"state-{round_}.sqlite3", tmp_path / f"go-{round_}"
        papers = [f"2501.{round_}{n:04d}" for n in range(6)]
        openers = [subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(go), paper],
                                    stderr=subprocess.PIPE, text=True) for paper in papers]
        time.sleep(1.0)  # every interpreter started and waiting
        go.touch()
        errors = [proc.communicate(timeout=60)[1] for proc in openers]
        assert [proc.returncode for proc in openers] == [0] * len(papers), errors
        with Store.open(path) as store:
            assert {pid for pid, mark in store.marks().items() if mark.read} == set(papers)
