"""New digests in a running reader: seconds from a file written to the library folder to its
papers on the reader's screen, and the reader's idle CPU with the library watcher on.

Usage: python benchmarks/bench_pickup.py [--days 30] [--runs 5] [--idle 10]

Prints figures; asserts nothing. The reader runs in a real pty (the project's terminal
driver) on a synthetic library of --days days written by make_library.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests" / "flows")]

from bench_ui import environment, start  # noqa: E402
from make_library import make_library  # noqa: E402

NEW_DAY = """\
<div id=toc></div>

# Table of Contents

- [cs.CL](#cs.CL) [Total: 1]

<div id='cs.CL'></div>

# cs.CL [[Back]](#toc)

### [1] [Arrival Marker Paper {n}](https://arxiv.org/abs/2612.{n:05d})
*Ada Arrival*

Main category: cs.CL

TL;DR: A paper that arrives while the reader runs.

"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tui-reader-pickup-") as tmp:
        home = Path(tmp) / "home"
        library = home / "library"
        library.mkdir(parents=True)
        make_library(library, days=args.days)
        terminal = start([sys.executable, "-m", "tui_reader"], environment(str(home)))
        try:
            terminal.wait_until(lambda s: "unread" in s.line(0) and "loading" not in s.line(0),
                                "the whole library", 120)
            time.sleep(6.0)  # the watcher starts, the search index and For you are built, then idle
            before = cpu_seconds(terminal.pid)
            time.sleep(args.idle)
            idle = (cpu_seconds(terminal.pid) - before) / args.idle
            waits = []
            for n in range(1, args.runs + 1):
                target = library / f"2026-12-{n:02d}.md"
                written = time.monotonic()
                target.write_text(NEW_DAY.format(n=n), encoding="utf-8")
                terminal.wait_until(lambda s, n=n: re.search(rf"2026-12-{n:02d}: 1 new paper", s.text()) is not None,
                                    f"day {n} on screen", 30)
                waits.append(time.monotonic() - written)
                time.sleep(1.0)
        finally:
            terminal.close()
    print(f"library: {args.days} days (make_library)")
    print(f"reader idle CPU with the watcher on: {idle * 100:.2f}% of a core over {args.idle:g} s")
    print(f"new file in the library folder -> its papers on screen: {statistics.median(waits):.2f} s median, "
          f"{max(waits):.2f} s worst ({len(waits)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
