"""How long an exchange takes with 100,000 changes in the sync folder, and its size per 10,000.

Run: python benchmarks/bench_sync.py [--changes 100000] [--machines 4]. The folder is
filled by real homes (each marks its share of papers and exchanges); then a fresh home
reads all of it, and the steady-state exchanges a reader makes on its timer are timed.
Prints figures; asserts nothing (times depend on the machine and its disk)."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui_reader.core.state.store import Store  # noqa: E402
from tui_reader.core.sync.folder import exchange  # noqa: E402


def _paper(n: int) -> str:
    return f"{2400 + n // 100_000}.{n % 100_000:05d}"


def _timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--machines", type=int, default=4)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        folder = base / "shared"
        folder.mkdir()
        share = args.changes // args.machines
        writers = []
        fill_seconds = 0.0
        for m in range(args.machines):
            store = Store.open(base / f"home{m}" / "state.sqlite3")
            ids = [_paper(m * share + n) for n in range(share)]
            store.set_read(ids[: share // 2], True)  # read and starred: two kinds of field
            store.set_starred(ids[share // 2:], True)
            seconds, report = _timed(lambda store=store: exchange(store, folder))
            fill_seconds += seconds
            writers.append(store)
        size = _folder_bytes(folder)
        print(f"folder: {args.changes:,} changes from {args.machines} machines, {size / 1e6:.1f} MB, "
              f"{size / (args.changes / 10_000) / 1e6:.2f} MB per 10,000 changes")
        print(f"sending: {fill_seconds / args.machines * 1000:.0f} ms per machine for {share:,} new changes "
              "(its first exchange, log written)")

        reader = Store.open(base / "reader" / "state.sqlite3")
        seconds, report = _timed(lambda: exchange(reader, folder))
        print(f"exchange of a new home reading all {report.read:,} changes: {seconds * 1000:.0f} ms "
              f"({report.received:,} taken)")
        idle = [_timed(lambda: exchange(reader, folder))[0] for _ in range(5)]
        print(f"exchange with nothing new (the reader's timer): {min(idle) * 1000:.1f} ms (best of 5)")

        writers[0].set_note(_paper(0), "a new note")
        writers[0].set_read([_paper(1)], False)
        exchange(writers[0], folder)
        seconds, report = _timed(lambda: exchange(reader, folder))
        print(f"exchange after another machine sent 2 changes: {seconds * 1000:.1f} ms "
              f"({report.received} taken)")

        reader.set_read([_paper(args.changes + n) for n in range(1000)], True)
        seconds, report = _timed(lambda: exchange(reader, folder))
        print(f"exchange sending 1,000 local changes: {seconds * 1000:.1f} ms ({report.sent} sent)")

        for n in range(5):  # superseded lines, so the compaction has something to drop
            writers[1].set_note(_paper(share), f"draft {n}")
            exchange(writers[1], folder)
        seconds, report = _timed(lambda: exchange(writers[1], folder, compact=True))
        print(f"compacting one machine's log of {share:,} live changes: {seconds * 1000:.0f} ms")
        seconds, report = _timed(lambda: exchange(reader, folder))
        print(f"exchange re-reading that compacted log: {seconds * 1000:.0f} ms")
        for store in (*writers, reader):
            store.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
