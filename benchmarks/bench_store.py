"""How long marking one paper and loading 100,000 marks take, against raw SQLite baselines.

Run: python benchmarks/bench_store.py [--papers N] [--marks N]. Prints figures and ratios;
asserts nothing (times depend on the machine and its disk)."""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tui_reader.core.state.store import Store


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def baseline_commit(folder: Path, rounds: int) -> list[float]:
    """One durable insert + commit in raw sqlite3 (WAL, synchronous=FULL): the floor."""
    db = sqlite3.connect(folder / "baseline.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, at TEXT)")
    samples = []
    for n in range(rounds):
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?, ?)", (f"2501.{n:05d}", "x"))
        db.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    db.close()
    return samples


def baseline_connect(folder: Path, rounds: int) -> list[float]:
    """An empty sqlite3 connect + commit + close."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        db = sqlite3.connect(folder / "empty.sqlite3")
        db.commit()
        db.close()
        samples.append(time.perf_counter() - start)
    return samples


def mark_one(folder: Path, rounds: int) -> list[float]:
    """Store.set_read of one paper, as the reader does on a key press."""
    samples = []
    with Store.open(folder / "marks.sqlite3") as store:
        for n in range(rounds):
            start = time.perf_counter()
            store.set_read([f"2501.{n:05d}"], True)
            samples.append(time.perf_counter() - start)
    return samples


def load_many(folder: Path, count: int, rounds: int) -> dict[str, list[float]]:
    """With `count` marked papers: a raw sqlite3 fetch of the rows (baseline), opening the
    store and loading every mark, and reloading after another process marked one paper."""
    path = folder / "big.sqlite3"
    with Store.open(path) as store:
        ids = [f"{2000 + n // 100_000 % 100:04d}.{n % 100_000:05d}" for n in range(count)]
        store.set_read(ids, True)
        store.set_starred(ids[::10], True)
    times: dict[str, list[float]] = {"raw": [], "open_load": [], "reload": []}
    for n in range(rounds):
        start = time.perf_counter()
        db = sqlite3.connect(path)
        db.execute("SELECT id, read_at, starred_at, note, tags FROM marks").fetchall()
        db.close()
        times["raw"].append(time.perf_counter() - start)
        start = time.perf_counter()
        store = Store.open(path)
        marks = store.marks()
        times["open_load"].append(time.perf_counter() - start)
        assert len(marks) == count
        with Store.open(path) as other:
            other.set_note(ids[n], f"note {n}")
        start = time.perf_counter()
        changed = store.changed_elsewhere()
        marks = store.marks()
        times["reload"].append(time.perf_counter() - start)
        assert changed and marks[ids[n]].note == f"note {n}"
        store.close()
    return times


def command_runs(folder: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Wall time of `python -m tui_reader mark --read ID` against `python -c 'import sqlite3'`."""
    env = {**os.environ, "TUI_READER_HOME": str(folder / "cli-home")}
    baseline, marking = [], []
    for n in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sqlite3"], check=True, env=env)
        baseline.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tui_reader", "mark", "--read", f"2501.{n:05d}"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        marking.append(time.perf_counter() - start)
    return baseline, marking


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=200, help="single marks to time")
    parser.add_argument("--marks", type=int, default=100_000, help="marks in the store to load")
    parser.add_argument("--rounds", type=int, default=5, help="loads to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        folder = Path(tmp)
        connect = _median_ms(baseline_connect(folder, args.papers))
        commit = _median_ms(baseline_commit(folder, args.papers))
        mark = _median_ms(mark_one(folder, args.papers))
        loads = load_many(folder, args.marks, args.rounds)
        python, command = command_runs(folder, args.rounds)
    print(f"baseline: sqlite3 connect+commit+close     median {connect:8.3f} ms")
    print(f"baseline: raw durable insert+commit (WAL)  median {commit:8.3f} ms")
    print(f"mark one paper (Store.set_read)            median {mark:8.3f} ms"
          f"   = {mark / commit:5.2f}x raw commit, {mark / connect:5.2f}x connect")
    raw, open_load, reload = (_median_ms(loads[k]) for k in ("raw", "open_load", "reload"))
    print(f"baseline: raw sqlite3 fetch, {args.marks:,} rows  median {raw:8.1f} ms")
    print(f"open store + load {args.marks:,} marks       median {open_load:8.1f} ms"
          f"   = {open_load / raw:5.2f}x raw fetch")
    print(f"reload after a change elsewhere            median {reload:8.1f} ms"
          f"   = {reload / raw:5.3f}x raw fetch")
    print(f"baseline: python -c 'import sqlite3'       median {_median_ms(python):8.1f} ms")
    print(f"tui-reader mark --read ID (whole process)  median {_median_ms(command):8.1f} ms"
          f"   = {_median_ms(command) / _median_ms(python):5.2f}x bare python")


if __name__ == "__main__":
    main()
