"""One command for the performance table: libraries of 1 and 365 days, cold and warm, core and reader.

Usage: python benchmarks/run.py [--quick] [--days 1,365] [--runs 5] [--keys 15] [--seed 0] [--each]
       python benchmarks/run.py --shape real [--days 450] [--runs 3] [--size 160x50]

`--shape real` is issue 15's table (run_real.py): one library in the generator's published
shape (raw + AI-enhanced JSONL, some Markdown, make_library.py --shape real), measured warm,
cold, for memory, dump and search keys in a 160×50 pty.

Writes synthetic libraries (benchmarks/make_library.py) into a temporary folder, measures,
and prints a Markdown table with each figure, its target and a verdict. Reader figures go
through a real pseudo-terminal of 80x24 (the terminal driver, tests/flows/terminal.py) beside a bare Textual app (one
Static) started the same way in the same run, and are given as ratios to it, because these
machines are noisy. A figure that cannot be measured here (no pty, no reader) is shown as
n/a with the reason; nothing is asserted. --quick (1 and 3 days, one run) is the CI smoke run.
"""
from __future__ import annotations

import argparse
import gc
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from make_library import make_library  # noqa: E402

from tui_reader.core.library.cache import ParseCache  # noqa: E402
from tui_reader.core.library.load import load_library  # noqa: E402

SEARCH_QUERIES = ("segmentation robust", "au:haddad sparse", "cat:cs.CL translation -survey")
TABLE_HEADER = "| figure | {} | target |"
KEY_PAUSE = 0.15
"""Seconds between a search key's last result and the next key (a fast typist's pace)."""
EACH = False
"""--each: print every search key's times (first screen / every match, ms) as measured."""
SCREEN_ROWS = 50
"""Rows a tall terminal's paper list shows: the in-process first screen of a search's matches."""


@dataclass(slots=True)
class Figure:
    """One row of the table: a value per library, a target per library, and how to judge it."""

    name: str
    values: dict[str, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    verdicts: dict[str, bool | None] = field(default_factory=dict)

    def set(self, library: str, text: str, ok: bool | None = None, target: str = "") -> None:
        self.values[library] = text
        self.verdicts[library] = ok
        if target:
            self.targets[library] = target


class Table:
    """Figures in the order they were first named."""

    def __init__(self, libraries: list[str]) -> None:
        self.libraries = libraries
        self.figures: dict[str, Figure] = {}

    def __getitem__(self, name: str) -> Figure:
        return self.figures.setdefault(name, Figure(name))

    def render(self) -> str:
        lines = [TABLE_HEADER.format(" | ".join(self.libraries)),
                 "| --- |" + " --- |" * len(self.libraries) + " --- |"]
        for fig in self.figures.values():
            cells = []
            for lib in self.libraries:
                text = fig.values.get(lib, "—")
                ok = fig.verdicts.get(lib)
                cells.append(text + ("" if ok is None else (" ✓" if ok else " ✗")))
            targets = " / ".join(dict.fromkeys(t for t in (fig.targets.get(lib, "") for lib in self.libraries) if t))
            lines.append(f"| {fig.name} | {' | '.join(cells)} | {targets or ''} |")
        return "\n".join(lines)


def p90_ms(keys: list[tuple[float, int]]) -> float:
    """The 90th percentile of key → repaint times, in ms."""
    import bench_ui as ui

    return ui.p90([k[0] for k in keys]) * 1000


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


_MEASURE_CHILD = """
import os, sys
report = int(sys.argv[1])
pid = os.fork()
if pid == 0:
    os.close(report)
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
os.write(report, f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}".encode())
"""
"""Runs the measured command from a small fresh process: Linux counts in a child's peak RSS
the memory of the process it was forked from, which here is the benchmark itself (a whole
library loaded in-process), so a direct child's ru_maxrss said 1.5 GB for a 70 MB dump."""


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit status) of one child process, output discarded."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _MEASURE_CHILD, str(write_end), *argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, pass_fds=(write_end,))
    os.close(write_end)
    with os.fdopen(read_end, "rb") as report:
        answer = report.read().decode()
    proc.wait()
    elapsed = time.perf_counter() - started
    try:
        maxrss_kb, status = (int(x) for x in answer.split())
    except ValueError:
        return elapsed, float("nan"), proc.returncode or 1
    return elapsed, maxrss_kb / 1024, status


def cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (parse workers) so far."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure_core(table: Table, lib: str, paths: list[str], work: Path, runs: int, total_mb: float) -> object:
    """Cold and warm load_library in this process and in fresh ones; parse throughput."""
    cache_dir = work / "core-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    with ParseCache.open(cache_dir) as cache:
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        library = load_library(paths, cache)
        cold = time.perf_counter() - t0
        cold_cpu = cpu_seconds() - cpu0
    entries = sum(len(d.papers) for d in library.digests)
    table["papers: distinct (listed) / Markdown size"].set(lib, f"{len(library.papers)} ({entries}) / {total_mb:.1f} MB")
    table["core load, no cache (in-process, parsing in workers)"].set(
        lib, f"{ms(cold)} ({ms(cold_cpu)} of CPU, workers included)")
    table["parse throughput, cold load"].set(lib, f"{total_mb / cold:.1f} MB/s, {entries / cold:,.0f} papers/s")
    warm = []
    for _ in range(runs):
        del library
        gc.collect()
        with ParseCache.open(cache_dir) as cache:
            t0 = time.perf_counter()
            library = load_library(paths, cache)
            warm.append(time.perf_counter() - t0)
    table["core load, warm cache (in-process)"].set(lib, ms(statistics.median(warm)))
    newest = sorted(Path(paths[0]).glob("*.md"))[-1]
    added = newest.with_name("zz-added-2030-01-01.md")  # a new day arrives: one file to parse
    added.write_bytes(newest.read_bytes() + b"\n")
    try:
        del library
        gc.collect()
        with ParseCache.open(cache_dir) as cache:
            t0 = time.perf_counter()
            library = load_library(paths, cache)
            table["core load, warm cache + 1 new digest (in-process)"].set(lib, ms(time.perf_counter() - t0))
    finally:
        added.unlink()
    del library
    gc.collect()
    with ParseCache.open(cache_dir) as cache:
        library = load_library(paths, cache)
    script = ("import sys; from tui_reader.core.library.cache import ParseCache; from tui_reader.core.library.load import load_library; "
              "c = ParseCache.open(sys.argv[1]); lib = load_library(sys.argv[2:], c); c.close()")
    elapsed, rss, _ = run_measured([sys.executable, "-c", script, str(cache_dir), *paths])
    table["core load, warm cache (fresh process, with imports)"].set(lib, ms(elapsed))
    table["peak RSS, core warm load process"].set(lib, f"{rss:.0f} MB")
    return library


def measure_serial_parse(table: Table, lib: str, paths: list[str]) -> None:
    """Single-core parser speed over at most a week of files, no cache, no workers."""
    files = sorted(Path(paths[0]).glob("*.md"))[:7]
    size = sum(f.stat().st_size for f in files) / 1e6
    t0 = time.perf_counter()
    library = load_library(files)
    elapsed = time.perf_counter() - t0
    entries = sum(len(d.papers) for d in library.digests)
    table["parse throughput, one core (≤7 files, no cache)"].set(
        lib, f"{size / elapsed:.1f} MB/s, {entries / elapsed:,.0f} papers/s ({ms(elapsed / len(files))}/file)")


def measure_dump(table: Table, lib: str, paths: list[str], work: Path) -> None:
    home = work / "dump-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    argv = [sys.executable, "-m", "tui_reader", "dump", "--home", str(home), *paths]
    cold, cold_rss, status = run_measured(argv)
    warm, warm_rss, _ = run_measured(argv)
    note = "" if status == 0 else f" (exit {status})"
    if not any((home / "cache").glob("*.sqlite3")):
        note += " (dump does not use the parse cache)"
    table["`tui-reader dump` > /dev/null: first / second run"].set(lib, f"{ms(cold)} / {ms(warm)}{note}")
    table["peak RSS, `tui-reader dump`"].set(lib, f"{max(cold_rss, warm_rss):.0f} MB")


def measure_search(table: Table, lib: str, library) -> None:
    """Each query typed one key at a time into one SearchIndex, as the reader's search line
    searches (search_in_stages with its budget): seconds to the first screen of matches (a partial result
    holding SCREEN_ROWS rows, or the complete one) and to every match."""
    try:
        from tui_reader.core.search.query import (
            WHOLE_SEARCH_BUDGET, QueryError, SearchIndex, parse_query, search_in_stages,
        )
    except ImportError as err:
        table["search keystroke → first screen of matches (in-process)"].set(lib, f"n/a ({err})")
        return
    papers = library.sorted_papers()
    t0 = time.perf_counter()
    index = SearchIndex(papers)
    built = time.perf_counter() - t0
    gc.freeze()  # as the reader does once the library and its index are built
    screens, wholes = [], []
    for text in SEARCH_QUERIES:
        index.clear_cache()
        for end in range(1, len(text) + 1):
            t0 = time.perf_counter()
            try:
                query = parse_query(text[:end])
            except QueryError:
                continue  # the reader keeps the list as it was
            screen = None
            for found, complete in search_in_stages(index, query, {}, budget=WHOLE_SEARCH_BUDGET, enough=SCREEN_ROWS):
                if screen is None and (complete or len(found) >= SCREEN_ROWS):
                    screen = time.perf_counter() - t0
            wholes.append(time.perf_counter() - t0)
            screens.append(screen)
    table["search index built (once per load, in a thread)"].set(lib, ms(built))
    median, worst = statistics.median(screens), max(screens)
    table["search keystroke → first screen of matches (in-process)"].set(
        lib, f"{median * 1000:.1f} ms median, {worst * 1000:.1f} worst", worst <= 0.050, "≤ 50 ms")
    table["search keystroke → every match (in-process)"].set(
        lib, f"{statistics.median(wholes) * 1000:.1f} ms median, {max(wholes) * 1000:.1f} worst")


def peak_rss_of(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def reader_rows(library) -> list[tuple[str, str]]:
    """(first words of the title, id) of the first papers the reader lists (as bench_ui)."""
    from tui_reader.core.formats.text import render_latex

    return [(" ".join(render_latex(p.title).split())[:12], p.id) for p in library.sorted_papers()[:60]]


def whole_library_shown(total: int) -> bytes:
    """What the header writes once every paper is in: the All node's position (`All 1/N · `),
    which the reader shows only when loading is done."""
    return f"/{total} · ".encode()


def wait_recording(term, target: bytes, early: bytes, timeout: float) -> tuple[float | None, float]:
    """Read until `target` appears; seconds from the start to `early` (None if it never
    showed) and to `target`."""
    early_at = None
    deadline = time.perf_counter() + timeout
    while True:
        if early_at is None and early in term.output:
            early_at = time.perf_counter() - term.started
        if target in term.output:
            return early_at, time.perf_counter() - term.started
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{target!r} did not appear within {timeout} s")
        if not term.read_ready(0.01):
            raise TimeoutError("the program ended early")


def reader_session(ui, paths: list[str], home: Path, rows: list[tuple[str, str]], keys: int,
                   total: int) -> tuple:
    """(seconds to the first frame, to the painted list, `j` repaints (ui.key_to_repaint), peak RSS MB,
    progress shown, seconds to the whole library) of one start. The reader paints the
    newest day first, so RSS is read only once the header counts all `total` papers."""
    (home / "config.toml").write_text("auto_read = false\n")
    for session in (home / "cache").glob("session*.json"):  # start on the first paper each time
        session.unlink()
    term = ui.start(ui.reader_argv(paths), ui.environment(str(home)))
    try:
        ui.answer_sync_query(term)
        first_frame, painted = wait_recording(term, rows[0][0].encode(), b"tui-reader", timeout=60)
        term.wait_for_output(whole_library_shown(total), timeout=180)
        whole = time.perf_counter() - term.started
        rss = peak_rss_of(term.pid)
        progress = b"loading" in term.output
        latencies = []
        if keys:  # `j` → the end of its repaint, the whole library shown and the screen quiet
            ui.settle(term)
            cursor = max(range(len(rows)), key=lambda n: term.output.rfind(rows[n][1].encode()))
            latencies = [ui.key_to_repaint(term, expect=rows[n][1].encode())
                         for n in range(cursor + 1, min(cursor + 1 + keys, len(rows)))]
        return first_frame, painted, latencies, rss, progress, whole
    except TimeoutError as err:
        screen = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\s+", b" ", bytes(term.output[-400:])).decode("utf-8", "replace")
        headline = str(err).splitlines()[0]  # the driver's message goes on with the whole screen
        raise TimeoutError(f"{headline}; reader exit status {term.exit_code()}; last output: {screen[-160:]}") from None
    finally:
        term.close()


def measure_reader(table: Table, lib: str, paths: list[str], library, work: Path, runs: int, keys: int,
                   bare: tuple[float, list[tuple[float, int]]], large: bool) -> None:
    import bench_ui as ui

    _, bare_keys = bare
    rows = reader_rows(library)
    home = work / "reader-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    total = len(library.papers)
    _, cold, _, cold_rss, progress, cold_whole = reader_session(ui, paths, home, rows, 0, total)
    # Each warm start right after a bare app's start: the machine's load drifts over a run,
    # and a ratio to a bare start measured minutes earlier would carry that drift.
    warm_runs, bare_firsts = [], []
    (work / "bare-home").mkdir(exist_ok=True)
    for _ in range(runs):
        bare_firsts.append(ui.time_bare(str(work / "bare-home"))[0])
        warm_runs.append(reader_session(ui, paths, home, rows, keys, total))
    bare_first = statistics.median(bare_firsts)
    firsts = [r[0] for r in warm_runs if r[0] is not None]
    if firsts:
        first = statistics.median(firsts)
        table["reader: start → first frame (header), warm cache"].set(lib, f"{ms(first)} = {first / bare_first:.2f}× bare")
    painted = statistics.median(r[1] for r in warm_runs)
    latencies = [k for r in warm_runs for k in r[2]]
    limit = 2.0 if large else 1.5
    ratio = painted / bare_first
    table["reader: start → painted list, warm cache"].set(
        lib, f"{ms(painted)} = {ratio:.2f}× bare ({ms(bare_first).strip()}, started alternately)",
        ratio <= limit, f"≤ {limit}× bare")
    table["reader: first start, no cache → painted list"].set(lib, ms(cold))
    table["reader: first start, no cache → whole library loaded"].set(
        lib, f"{ms(cold_whole)}{', progress shown' if progress else ''}", cold_whole <= 10 if large else None,
        "≤ 10 s with progress" if large else "")
    if latencies:
        key_p90, bare_p90 = ui.p90([k[0] for k in latencies]), ui.p90([b[0] for b in bare_keys])
        table["reader: `j` → repaint finished (p90)"].set(
            lib, ui.key_figure(latencies, bare_keys), key_p90 <= 2 * bare_p90, "p90 ≤ 2× bare")
    rss = max([r for r in [cold_rss, *(r[3] for r in warm_runs)] if r is not None], default=None)
    if rss is not None:
        limit_mb = 400 if large else 150
        table["peak RSS, reader"].set(lib, f"{rss:.0f} MB", rss <= limit_mb, f"≤ {limit_mb} MB")


def search_statuses(library, rows: int) -> list[tuple[str, str, str]]:
    """For each prefix of SEARCH_QUERIES typed into the reader's search line (whole library,
    no marks) of a terminal `rows` lines high: (keys typed, the status its first screen
    shows, the status of every match), as search_in_stages gives them (without its budget:
    the reader may also show the complete result first). Prefixes that do not parse give
    empty statuses."""
    from tui_reader.core.search.query import QueryError, SearchIndex, parse_query, search_in_stages

    def status(count: int, complete: bool) -> str:
        return f"{count:,}+ matches," if not complete else f"{count:,} match{'' if count == 1 else 'es'} "

    index = SearchIndex(library.sorted_papers())
    steps = []
    for text in SEARCH_QUERIES:
        for end in range(1, len(text) + 1):
            try:
                query = parse_query(text[:end])
            except QueryError:
                steps.append((text[:end], "", ""))
                continue
            stages = list(search_in_stages(index, query, {}, enough=rows))
            screen = next((found, done) for found, done in stages if done or len(found) >= rows)
            steps.append((text[:end], status(len(screen[0]), screen[1]), status(len(stages[-1][0]), True)))
    return steps


def wait_status(term, statuses: tuple[str, ...], start: int, timeout: float) -> float:
    """The perf_counter time at which one of the search line's `statuses` was seen written
    after output offset `start` (a count not preceded by a digit: "12 matches" is not
    "112 matches")."""
    pattern = re.compile(rb"(?<![\d,])(?:" + b"|".join(re.escape(s.encode()) for s in statuses) + b")")
    t0 = time.perf_counter()
    while not pattern.search(term.output, start):
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"{statuses!r} did not appear within {timeout} s")
        if not term.read_ready(0.05):
            raise TimeoutError("the program ended early")
    return time.perf_counter()


def measure_reader_search(table: Table, lib: str, paths: list[str], library, work: Path) -> None:
    """The search line of the real reader in a pty, typed one key at a time once the whole
    library is in, KEY_PAUSE after the last key's result: key → the status line of its
    first screen (painted in the same frame as its rows; as many rows as the terminal has
    lines), and → every match."""
    import bench_ui as ui

    home = work / "search-home"
    home.mkdir(exist_ok=True)
    time_search_keys(table, lib, paths, len(library.papers), search_statuses(library, ui.SIZE[0]), home)


def time_search_keys(table: Table, lib: str, paths: list[str], total: int, steps: list[tuple[str, str, str]],
                     home: Path) -> None:
    """measure_reader_search's pty part: a reader started in `home`, whose library holds
    `total` papers, typed the keys of `steps` (search_statuses)."""
    import bench_ui as ui

    (home / "config.toml").write_text("auto_read = false\n")
    term = ui.start(ui.reader_argv(paths), ui.environment(str(home)))
    screens, wholes = [], []
    try:
        term.wait_for_output(whole_library_shown(total), timeout=180)
        term.send(b"/")
        wait_status(term, (f"{total:,} matches ",), 0, timeout=120)  # indexed, and the empty query shown
        shown = f"{total:,} matches "
        for n, (typed, screen, whole) in enumerate(steps):
            if len(typed) == 1 and n:  # a new query: empty the line first (Ctrl+U)
                mark = term.send(b"\x15")
                wait_status(term, (f"{total:,} matches ",), mark, timeout=30)
                shown = f"{total:,} matches "
            sent = time.perf_counter()
            mark = term.send(typed[-1].encode())
            if not whole:  # a query that does not parse (yet): the line shows why
                term.drain(0.1)
                shown = ""
                continue
            if whole != shown:  # a partial status may be overwritten before it is painted
                screens.append((wait_status(term, (screen, whole), mark, timeout=30) - sent, typed))
                wholes.append((wait_status(term, (whole,), mark, timeout=30) - sent, typed))
            shown = whole
            term.drain(KEY_PAUSE)
        if EACH:
            print(f"  search keys ({lib}): " + " ".join(f"{t!r}:{a * 1000:.0f}/{b * 1000:.0f}"
                                                    for (a, t), (b, _) in zip(screens, wholes)), flush=True)
        term.send(b"\x1b")  # leave the search line, so that close()'s `q` quits
        term.drain(0.3)
    finally:
        term.close()
    for figure, times in (("reader (pty): search key → first screen of matches", screens),
                          ("reader (pty): search key → every match counted", wholes)):
        if not times:
            continue
        median = statistics.median(t for t, _ in times)
        worst, slowest = max(times)
        ok = (worst <= 0.050) if "first screen" in figure else None
        table[figure].set(lib, f"{median * 1000:.0f} ms median, {worst * 1000:.0f} worst ({slowest!r})",
                          ok, "≤ 50 ms" if ok is not None else "")


def measure_bare(runs: int, work: Path, keys: int = 30) -> tuple[float, list[tuple[float, int]]]:
    """The bare apps: (median seconds from start to the first paint of one Static, `j`
    presses in an OptionList: seconds to the end of the repaint and frames)."""
    import bench_ui as ui

    home = work / "bare-home"
    home.mkdir(exist_ok=True)
    results = [ui.time_bare(str(home)) for _ in range(runs)]
    return statistics.median(r[0] for r in results), ui.time_bare_list(str(home), keys)


def attempt(table: Table, figure: str, libraries: list[str], action: Callable[[], object]) -> object:
    """Run one measurement; on failure mark its row n/a with a one-line reason."""
    try:
        return action()
    except Exception as err:  # a benchmark row that cannot run here must not hide the others
        reason = " ".join(f"{type(err).__name__}: {err}".split())[:120]
        for lib in libraries:
            table[figure].set(lib, f"n/a ({reason})")
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 and 3 days, one run: a smoke run for CI")
    parser.add_argument("--days", default=None, help="comma-separated library sizes in days (default 1,365)")
    parser.add_argument("--runs", type=int, default=None, help="repeats of each warm figure (median shown)")
    parser.add_argument("--keys", type=int, default=None, help="`j` presses timed per reader start")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-ui", action="store_true", help="skip the pty reader figures")
    parser.add_argument("--each", action="store_true", help="print every search key's times too")
    parser.add_argument("--shape", choices=("markdown", "real"), default="markdown",
                        help="markdown: 1 and 365 days of Markdown digests (default); real: issue 15's table "
                             "on the generator's published shape (--days one number, default 450)")
    parser.add_argument("--load-only", action="store_true",
                        help="--shape real: only loading, memory and a new day (no dump, search keys)")
    parser.add_argument("--size", default=None, help="terminal COLUMNSxROWS for --shape real (default 160x50)")
    args = parser.parse_args(argv)
    global EACH
    EACH = args.each
    if args.shape == "real":
        if args.quick or args.no_ui or (args.days and not args.days.isdigit()):
            parser.error("--shape real takes one number of days and measures the reader (no --quick, --no-ui)")
        import run_real

        with tempfile.TemporaryDirectory(prefix="tui-reader-bench-real-") as tmp:
            args.work = tmp
            return run_real.main_real(args)
    days = [int(d) for d in (args.days or ("1,3" if args.quick else "1,365")).split(",")]
    runs = args.runs or (1 if args.quick else 5)
    keys = args.keys or (5 if args.quick else 15)
    names = [f"{d} day{'s' if d != 1 else ''}" for d in days]
    table = Table(names)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tui-reader-bench-") as tmp:
        work = Path(tmp)
        bare = None
        if not args.no_ui:
            bare = attempt(table, "bare Textual app (one Static): start → first paint", names,
                           lambda: measure_bare(max(3, runs), work))
            if bare is not None:
                for name in names:
                    table["bare Textual app (one Static): start → first paint"].set(name, ms(bare[0]))
                    table["bare Textual app: `j` → repaint (OptionList), p90"].set(
                        name, f"{p90_ms(bare[1]):.1f} ms")
        for n_days, name in zip(days, names):
            folder = work / f"library-{n_days}"
            t0 = time.perf_counter()
            summary = make_library(folder, n_days, args.seed)
            print(f"({name}: {summary.paper_entries} papers written in {time.perf_counter() - t0:.1f} s)", flush=True)
            paths = [str(folder)]
            lib_work = work / f"work-{n_days}"
            lib_work.mkdir()
            total_mb = summary.bytes_written / 1e6
            library = measure_core(table, name, paths, lib_work, runs, total_mb)
            attempt(table, "parse throughput, one core (≤7 files, no cache)", [name],
                    lambda: measure_serial_parse(table, name, paths))
            attempt(table, "`tui-reader dump` > /dev/null: first / second run", [name],
                    lambda: measure_dump(table, name, paths, lib_work))
            attempt(table, "search keystroke → first screen of matches (in-process)", [name],
                    lambda: measure_search(table, name, library))
            if not args.no_ui:
                attempt(table, "reader (pty): search key → first screen of matches", [name],
                        lambda: measure_reader_search(table, name, paths, library, lib_work))
            if bare is not None:
                attempt(table, "reader: start → painted list, warm cache", [name],
                        lambda: measure_reader(table, name, paths, library, lib_work, runs, keys, bare,
                                               large=n_days >= 365))
            library = None  # free it before the next, larger library
            gc.collect()
    print()
    print(table.render())
    verdicts = [ok for fig in table.figures.values() for ok in fig.verdicts.values() if ok is not None]
    print(f"\n{sum(verdicts)}/{len(verdicts)} targets met; {os.cpu_count()} CPUs; "
          f"Python {sys.version.split()[0]}; whole run {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
