"""Reader speed through a real pseudo-terminal: process start to a painted list, and a key to
the repainted detail pane, each beside a bare Textual app started the same way in the same run.

Usage: python benchmarks/bench_ui.py [--sample DIGEST] [--papers 50000] [--runs 3] [--keys 20]

Prints figures and ratios; asserts nothing. The synthetic library comes from
benchmarks/make_library.py (185 invented papers a day), written to a temporary folder.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "flows"))  # the project's one terminal driver
from terminal import Terminal  # noqa: E402

SAMPLE = HERE.parents[1] / "shared" / "digests" / "2025-12-25.md"
SIZE = (24, 80)
"""(rows, columns) of the benchmarks' terminal."""

BARE_APP = """
import sys
from textual.app import App
from textual.widgets import Static
class Bare(App):
    BINDINGS = [("j", "bump", "bump"), ("q", "quit", "quit")]
    count = 0
    def compose(self):
        yield Static("BARE-READY count=0", id="s")
    def action_bump(self):
        self.count += 1
        self.query_one("#s", Static).update(f"BARE-READY count={self.count}")
Bare().run()
"""


def start(argv: list[str], env: dict[str, str]) -> Terminal:
    """A child process on a pty of SIZE in a session of its own (as the benchmarks always
    started it), read through the project's terminal driver."""
    return Terminal(argv, size=(SIZE[1], SIZE[0]), env=env, controlling=False)


def environment(home: str) -> dict[str, str]:
    # Without PYTHONDONTWRITEBYTECODE: an installed reader, like the installed Textual the
    # bare app runs, has its bytecode compiled once (pip does it at install); with it, every
    # module edited since its .pyc was written would be compiled again at every start.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SSH_", "TEXTUAL")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(TERM="xterm-256color", TUI_READER_HOME=home, COLUMNS=str(SIZE[1]), LINES=str(SIZE[0]))
    return env


def reader_argv(paths: list[str]) -> list[str]:
    return [sys.executable, "-m", "tui_reader", *paths]


def expected_rows(paths: list[str]) -> list[tuple[str, str]]:
    """(first words of the title, id) of the papers the All node lists first."""
    from tui_reader.core.library.load import load_library
    from tui_reader.core.formats.text import render_latex

    papers = load_library(paths).sorted_papers()
    return [(" ".join(render_latex(p.title).split())[:12], p.id) for p in papers[:60]]


def time_bare(home: str) -> tuple[float, list[float]]:
    term = start([sys.executable, "-c", BARE_APP], environment(home))
    try:
        term.wait_for_output(b"BARE-READY", timeout=120)
        first = time.perf_counter() - term.started
        term.drain(0.2)
        keys = []
        for n in range(1, 21):
            mark = term.send(b"j")
            keys.append(term.wait_for_output(f"count={n}".encode(), mark, timeout=120))
        return first, keys
    finally:
        term.close()


def time_reader(paths: list[str], home: str, rows: list[tuple[str, str]], key_count: int) -> tuple[float, float, list[float]]:
    """(seconds to the first frame, seconds to the painted list, key-to-detail latencies)."""
    # Fresh reading state and session each run; the parse cache (home/cache) is kept, so
    # the first run of a library is a cold start and the later ones are warm.
    for name in ("state.sqlite3", "cache/session.json"):
        Path(home, name).unlink(missing_ok=True)
    os.makedirs(home, exist_ok=True)
    Path(home, "config.toml").write_text("auto_read = false\n")
    term = start(reader_argv(paths), environment(home))
    try:
        term.wait_for_output(b"tui-reader", timeout=120)
        first_frame = time.perf_counter() - term.started
        term.wait_for_output(rows[0][0].encode(), timeout=120)
        painted = time.perf_counter() - term.started
        term.wait_for_output(rows[0][1].encode(), timeout=120)  # the detail pane shows the first paper
        term.drain(0.2)
        keys = []
        for n in range(1, min(key_count, len(rows) - 1) + 1):
            mark = term.send(b"j")
            keys.append(term.wait_for_output(rows[n][1].encode(), mark, timeout=120))
        return first_frame, painted, keys
    finally:
        term.close()


def report(name: str, runs: list[tuple[float, float, list[float]]], bare: list[tuple[float, list[float]]]) -> None:
    bare_first = statistics.median(b[0] for b in bare)
    bare_key = statistics.median(k for b in bare for k in b[1])
    warm = runs[1:] or runs
    first = statistics.median(r[0] for r in warm)
    cold = runs[0][1]
    painted = statistics.median(r[1] for r in warm)
    keys = [k for r in runs for k in r[2]]
    key = statistics.median(keys)
    print(f"{name}:")
    print(f"  first frame        {first * 1000:7.0f} ms   ({first / bare_first:.2f}× bare Textual {bare_first * 1000:.0f} ms)")
    print(f"  painted list, cold {cold * 1000:7.0f} ms   ({cold / bare_first:.2f}× bare Textual first paint; parse cache empty)")
    print(f"  painted list, warm {painted * 1000:7.0f} ms   ({painted / bare_first:.2f}× bare Textual first paint; median of {len(warm)})")
    print(f"  j → detail pane    {key * 1000:7.1f} ms median, {max(keys) * 1000:.1f} ms worst"
          f"   ({key / bare_key:.2f}× bare Textual key→repaint {bare_key * 1000:.1f} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default=str(SAMPLE))
    parser.add_argument("--papers", type=int, default=50_000, help="synthetic library size (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        bare = [time_bare(home) for _ in range(args.runs)]
        libraries = []
        if Path(args.sample).is_file():
            libraries.append(("sample digest", [args.sample]))
        else:
            print(f"(no sample at {args.sample}; skipped)")
        if args.papers:
            sys.path.insert(0, str(HERE))
            from make_library import make_library

            folder = os.path.join(tmp, "library")
            days = max(1, round(args.papers / 132))  # weekends repeat Friday: ~132 new papers a day
            t0 = time.perf_counter()
            make_library(folder, days)
            print(f"(synthetic library: {days} days written in {time.perf_counter() - t0:.1f} s)")
            libraries.append((f"synthetic library, {days} days", [folder]))
        for name, paths in libraries:
            rows = expected_rows(paths)
            count = len(__import__("tui_reader.core.library.load", fromlist=["x"]).load_library(paths).papers)
            reader_home = os.path.join(tmp, f"reader-home-{len(name)}-{count}")
            runs = [time_reader(paths, reader_home, rows, args.keys) for _ in range(args.runs)]
            report(f"{name} ({count} papers; runs: {args.runs})", runs, bare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
