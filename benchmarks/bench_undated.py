"""Start → first painted list of one digest named with its date and of the same digest
undated (no date in its name or text), each beside a bare Textual app, warm parse cache.

Usage: python benchmarks/bench_undated.py [--sample DIGEST] [--runs 3]

Prints best-of-runs figures and ratios to the bare app's best, and the header each start
ends with; asserts nothing. Starts alternate (bare, dated, undated) so the machine's drift
falls on all three alike.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_ui as ui  # noqa: E402  (puts the terminal driver on the path)

_DATE_TITLE_RE = re.compile(r"^#[ \t]+\d{4}-\d{2}-\d{2}.*$\n?", re.MULTILINE)
"""A Markdown digest's dated title line: the one place its text gives a date."""


def write_copies(sample: Path, folder: Path) -> tuple[Path, Path]:
    """(dated, undated) copies of `sample`: the undated one named `seed.md`, its date title
    lines removed."""
    text = sample.read_text(encoding="utf-8")
    dated_dir, undated_dir = folder / "dated", folder / "undated"
    dated_dir.mkdir()
    undated_dir.mkdir()
    dated = dated_dir / "2025-12-25.md"
    dated.write_text(text, encoding="utf-8")
    undated = undated_dir / "seed.md"
    undated.write_text(_DATE_TITLE_RE.sub("", text), encoding="utf-8")
    return dated, undated


def first_row(path: Path) -> str:
    """The first words of the title the reader lists first."""
    from tui_reader.core.library.load import load_library
    from tui_reader.core.formats.text import render_latex

    paper = load_library([path]).sorted_papers()[0]
    return " ".join(render_latex(paper.title).split())[:12]


def time_start(path: Path, home: Path, row: str) -> tuple[float, str, bool]:
    """Seconds from process start to the first painted list row, the header line once
    loading is done (it leads with the All node's position then), and whether the loading
    placeholder was painted first (the list came from the loading thread)."""
    (home / "config.toml").write_text("auto_read = false\n")
    for session in (home / "cache").glob("session*.json"):
        session.unlink()
    term = ui.start(ui.reader_argv([str(path)]), ui.environment(str(home)))
    try:
        term.wait_for_output(row.encode(), timeout=60)
        painted = time.perf_counter() - term.started
        screen = term.wait_for(re.compile(r"All 1/\d+ · "), timeout=30)  # loading done, first paper shown
        header = next(line for line in screen.text().splitlines() if "unread" in line).strip()
        return painted, header, b"Loading the library" in term.output
    finally:
        term.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default=str(ui.SAMPLE))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sample = Path(args.sample)
    if not sample.is_file():
        print(f"(no sample at {sample}; nothing measured)")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-undated-") as tmp:
        folder = Path(tmp)
        dated, undated = write_copies(sample, folder)
        row = first_row(dated)
        homes = {}
        for name, path in (("dated", dated), ("undated", undated)):
            homes[name] = folder / f"home-{name}"
            homes[name].mkdir()
            time_start(path, homes[name], row)  # fills the parse cache: every timed start is warm
        (folder / "home-bare").mkdir()
        times: dict[str, list[float]] = {"bare": [], "dated": [], "undated": []}
        headers: dict[str, str] = {}
        waited: dict[str, int] = {"dated": 0, "undated": 0}
        for _ in range(args.runs):
            times["bare"].append(ui.time_bare(str(folder / "home-bare"))[0])
            for name, path in (("dated", dated), ("undated", undated)):
                seconds, headers[name], placeholder = time_start(path, homes[name], row)
                times[name].append(seconds)
                waited[name] += placeholder
        bare = min(times["bare"])
        print(f"start → first painted list, warm cache, best of {args.runs} ({sample.name}):")
        print(f"  bare Textual app  {bare * 1000:6.0f} ms")
        for name in ("dated", "undated"):
            best = min(times[name])
            runs = ", ".join(f"{t * 1000:.0f}" for t in times[name])
            print(f"  {name:<8} digest  {best * 1000:6.0f} ms = {best / bare:.2f}× bare   (runs: {runs} ms)")
            print(f"           placeholder painted first in {waited[name]} of {args.runs} starts;"
                  f" header: {' '.join(headers[name].split()[1:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
