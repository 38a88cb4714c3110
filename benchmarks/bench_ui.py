"""Reader speed through a real pseudo-terminal: process start to a painted list, and `j` to the
end of its repaint, each beside a bare Textual app started the same way in the same run.

Usage: python benchmarks/bench_ui.py [--sample DIGEST] [--papers 50000] [--runs 3] [--keys 30]

`j` is timed to the end of the last frame it caused: the terminal answers Textual's question
whether it has synchronised output (as tmux, kitty, WezTerm and recent terminals do), so each
frame comes between `CSI ? 2026 h` and `CSI ? 2026 l`, and the last frame is the one followed
by QUIET seconds of silence. The bare app for keys is an OptionList moving its highlight; the
reader's keys are pressed once its whole library is shown and the screen is quiet.

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
REAL = HERE.parents[1] / "shared" / "real" / "2025-q4"
"""The generator's real published history (three months); measured when present."""
SIZE = (50, 160)
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


BARE_LIST_APP = """
from textual.app import App
from textual.widgets import OptionList
class BareList(App):
    BINDINGS = [("j", "down", "down")]
    def compose(self):
        yield OptionList(*[f"BARE-LIST option {n}" for n in range(500)], id="o")
    def action_down(self):
        self.query_one("#o", OptionList).action_cursor_down()
BareList().run()
"""
"""A bare Textual app whose `j` moves an OptionList's highlight: the baseline of a key."""

SYNC_QUERY, SYNC_ANSWER, FRAME_END = b"\x1b[?2026$p", b"\x1b[?2026;2$y", b"\x1b[?2026l"
QUIET = 0.12
"""Seconds of silence after a frame that make it the last one a key caused."""


def answer_sync_query(term: Terminal, timeout: float = 120) -> None:
    """Say the terminal has synchronised output when the program asks (Textual asks at start)."""
    term.wait_for_output(SYNC_QUERY, timeout=timeout)
    term.write(SYNC_ANSWER)


def key_to_repaint(term: Terminal, key: bytes = b"j", expect: bytes | None = None,
                   timeout: float = 30) -> tuple[float, int]:
    """Press `key`; (seconds to the end of the last frame it caused, frames). `expect`: bytes
    the repaint must hold (the paper's id), else TimeoutError."""
    mark = term.write(key)
    sent = time.perf_counter()
    last_end: float | None = None
    frames = 0
    while True:
        quiet_left = QUIET if last_end is None else QUIET - (time.perf_counter() - last_end)
        if last_end is not None and quiet_left <= 0:
            break
        before = len(term.output)
        if not term.read_ready(quiet_left if last_end is not None else 0.02):
            raise TimeoutError("the program ended")
        if len(term.output) > before:
            found = term.output.count(FRAME_END, max(mark, before - len(FRAME_END)))
            if found:
                frames += found
                last_end = time.perf_counter()
        elif last_end is None and time.perf_counter() - sent > timeout:
            raise TimeoutError(f"no frame within {timeout} s of {key!r}")
    if expect is not None and expect not in term.output[mark:]:
        raise TimeoutError(f"{expect!r} not shown after {key!r}")
    return last_end - sent, frames


def settle(term: Terminal, quiet: float = 1.0, limit: float = 60) -> None:
    """Read until the program has written nothing for `quiet` seconds (at most `limit`)."""
    end = time.perf_counter() + limit
    last, since = len(term.output), time.perf_counter()
    while time.perf_counter() < end and time.perf_counter() - since < quiet:
        term.read_ready(0.05)
        if len(term.output) != last:
            last, since = len(term.output), time.perf_counter()


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]


def time_bare_list(home: str, presses: int) -> list[tuple[float, int]]:
    """`presses` of `j` in the bare OptionList app: (seconds to the repaint's end, frames) each."""
    term = start([sys.executable, "-c", BARE_LIST_APP], environment(home))
    try:
        answer_sync_query(term)
        term.wait_for_output(b"BARE-LIST option", timeout=120)
        settle(term, 0.5)
        return [key_to_repaint(term) for _ in range(presses)]
    finally:
        term.close()


def key_figure(keys: list[tuple[float, int]], bare: list[tuple[float, int]]) -> str:
    """`j`'s p90, median, worst and frames beside the bare app's."""
    times, bare_times = [k[0] for k in keys], [b[0] for b in bare]
    frames = sum(k[1] for k in keys) / len(keys)
    return (f"p90 {p90(times) * 1000:.1f} ms = {p90(times) / p90(bare_times):.2f}× bare "
            f"({p90(bare_times) * 1000:.1f} ms); median {statistics.median(times) * 1000:.1f}, "
            f"worst {max(times) * 1000:.1f} ms; {frames:.1f} frames a key; {len(times)} presses")


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


def time_reader(paths: list[str], home: str, rows: list[tuple[str, str]], key_count: int,
                total: int) -> tuple[float, float, list[tuple[float, int]]]:
    """(seconds to the first frame, seconds to the painted list, `j` → end of repaint and
    frames for each key, pressed once all `total` papers are shown and the screen is quiet)."""
    # Fresh reading state and session each run; the parse cache (home/cache) is kept, so
    # the first run of a library is a cold start and the later ones are warm.
    for name in ("state.sqlite3", "cache/session.json"):
        Path(home, name).unlink(missing_ok=True)
    os.makedirs(home, exist_ok=True)
    Path(home, "config.toml").write_text("auto_read = false\n")
    term = start(reader_argv(paths), environment(home))
    try:
        answer_sync_query(term)
        term.wait_for_output(b"tui-reader", timeout=120)
        first_frame = time.perf_counter() - term.started
        term.wait_for_output(rows[0][0].encode(), timeout=120)
        painted = time.perf_counter() - term.started
        term.wait_for_output(f"/{total} · ".encode(), timeout=300)  # the header's `All n/N`: all loaded
        settle(term)
        # The cursor's paper is the one whose id (shown in the detail pane) was written last.
        cursor = max(range(len(rows)), key=lambda n: term.output.rfind(rows[n][1].encode()))
        keys = [key_to_repaint(term, expect=rows[n][1].encode())
                for n in range(cursor + 1, min(cursor + 1 + key_count, len(rows)))]
        return first_frame, painted, keys
    finally:
        term.close()


def report(name: str, runs: list[tuple[float, float, list[tuple[float, int]]]],
           bare: list[tuple[float, list[float]]], bare_keys: list[tuple[float, int]]) -> None:
    bare_first = statistics.median(b[0] for b in bare)
    warm = runs[1:] or runs
    first = statistics.median(r[0] for r in warm)
    cold = runs[0][1]
    painted = statistics.median(r[1] for r in warm)
    keys = [k for r in runs for k in r[2]]
    print(f"{name}:")
    print(f"  first frame        {first * 1000:7.0f} ms   ({first / bare_first:.2f}× bare Textual {bare_first * 1000:.0f} ms)")
    print(f"  painted list, cold {cold * 1000:7.0f} ms   ({cold / bare_first:.2f}× bare Textual first paint; parse cache empty)")
    print(f"  painted list, warm {painted * 1000:7.0f} ms   ({painted / bare_first:.2f}× bare Textual first paint; median of {len(warm)})")
    print(f"  j → repaint done   {key_figure(keys, bare_keys)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default=str(SAMPLE))
    parser.add_argument("--real", default=str(REAL), help="a folder of real digests ('': skip)")
    parser.add_argument("--size", default="160x50",
                        help="terminal COLUMNSxROWS (the repaint is known by the paper id in the detail pane, "
                             "off screen at 80x24; issue 25 measured at 160x50)")
    parser.add_argument("--papers", type=int, default=50_000, help="synthetic library size (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=30)
    args = parser.parse_args()
    global SIZE
    columns, rows_high = (int(n) for n in args.size.lower().split("x"))
    SIZE = (rows_high, columns)
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        bare = [time_bare(home) for _ in range(args.runs)]
        bare_keys = [key for _ in range(args.runs) for key in time_bare_list(home, args.keys)]
        libraries = []
        if Path(args.sample).is_file():
            libraries.append(("sample digest", [args.sample]))
        else:
            print(f"(no sample at {args.sample}; skipped)")
        if args.real and Path(args.real).is_dir():
            libraries.append((f"real history {Path(args.real).name}", [args.real]))
        elif args.real:
            print(f"(no real history at {args.real}; skipped)")
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
            runs = [time_reader(paths, reader_home, rows, args.keys, count) for _ in range(args.runs)]
            report(f"{name} ({count} papers; runs: {args.runs})", runs, bare, bare_keys)
    return 0


if __name__ == "__main__":
    sys.exit(main())
