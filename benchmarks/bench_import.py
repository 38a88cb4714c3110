"""How long a large `state import` keeps other writers waiting.

Usage: python benchmarks/bench_import.py [MARKS]   (default 300000)
Imports MARKS records into a fresh state file while another connection (as `tui-reader
mark` or the reader would) marks a paper every 20 ms; prints the import's time and the
longest wait of those marks."""
from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from tui_reader.core.state.backup import empty_record, merge_record
from tui_reader.core.state.store import Store, StoreError


def records(count: int) -> list[dict]:
    stamp = "2025-01-01T00:00:00.000000+00:00"
    return [empty_record(f"{2501 + n // 99_999 % 12:04d}.{n % 99_999:05d}")
            | {"read_at": stamp, "read_changed_at": stamp, "note": f"note {n}", "note_changed_at": stamp}
            for n in range(count)]


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.sqlite3"
        incoming = records(count)
        importer, marker = Store.open(path), Store.open(path)
        waits: list[float] = []
        failures: list[str] = []
        done = threading.Event()

        def keep_marking() -> None:
            n = 0
            while not done.is_set():
                start = time.perf_counter()
                try:
                    marker.set_starred([f"2412.{n % 99_999:05d}"], True)
                except StoreError as err:
                    failures.append(str(err))
                waits.append(time.perf_counter() - start)
                n += 1
                time.sleep(0.02)

        thread = threading.Thread(target=keep_marking)
        start = time.perf_counter()
        thread.start()
        batches: list[float] = []
        try:
            importer.merge_records(incoming, merge_record, on_batch=lambda done, total: batches.append(time.perf_counter()))
        except TypeError:  # a release that imports in one transaction
            importer.merge_records(incoming, merge_record)
        elapsed = time.perf_counter() - start
        done.set()
        thread.join()
        importer.close()
        marker.close()
    print(f"import of {count} marks: {elapsed:.1f} s; {len(waits)} marks meanwhile: "
          f"longest wait {max(waits) * 1000:.0f} ms, median {statistics.median(waits) * 1000:.1f} ms, "
          f"{len(failures)} failed{' (' + failures[0] + ')' if failures else ''}")
    if len(batches) > 1:
        steps = [b - a for a, b in zip(batches, batches[1:])]
        print(f"{len(batches)} transactions; longest batch with its pause {max(steps) * 1000:.0f} ms "
              f"(the lock is held about half of it)")


if __name__ == "__main__":
    measure(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
