"""`tui-reader dump`, `export` and `stats` on a synthetic library: wall time and the peak
RSS of the command's process, for this code and for a baseline revision (the code before
they streamed), with a check that both print the same bytes.

Usage: python benchmarks/bench_dump.py [--days 365] [--shape markdown|real] [--runs 3]
                                       [--baseline main|REV|none] [--library DIR]

Prints figures; asserts nothing. The library is written by make_library; each code version
gets its own home (its own parse cache). The first run of each fills the cache (cold: the
parse runs in worker processes, whose memory is not in the figure); the warm runs that
follow alternate between the versions and their median is printed. Peak RSS is the
command's own process (os.wait4's ru_maxrss: RUSAGE_CHILDREN for that one child).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COMMANDS = {
    "dump": ["dump"],
    "export json": ["export", "--format", "json"],
    "stats": ["stats"],
}


def run_once(code: Path, home: Path, library: Path, args: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MB, sha256 of stdout) of one command in its own process."""
    env = {**os.environ, "PYTHONPATH": str(code), "TUI_READER_HOME": str(home)}
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "tui_reader", *args, str(library)],
                                 stdout=out, stderr=subprocess.DEVNULL, env=env,
                                 cwd=home.parent)  # not the repository: `-m` puts the cwd first on sys.path
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed with {child.returncode} (code at {code})")
        out.seek(0)
        digest = hashlib.sha256()
        while chunk := out.read(1 << 20):  # never the whole output here: this process stays small
            digest.update(chunk)
    return wall, usage.ru_maxrss // 1024, digest.hexdigest()


def baseline_code(revision: str, into: Path) -> Path:
    """The package as it was at `revision`, unpacked into a folder of its own."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "tui_reader"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=3, help="warm runs per version and command")
    parser.add_argument("--baseline", default="main", help="git revision to compare with, or 'none'")
    parser.add_argument("--shape", default="markdown", help="make_library's --shape (when it has one)")
    parser.add_argument("--library", type=Path, help="an existing digest folder instead of a new one")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-dump-") as tmp:
        root = Path(tmp)
        library = args.library.resolve() if args.library else root / "library"
        if args.library:
            print(f"library: {library}")
        else:
            shape = ["--shape", args.shape] if args.shape != "markdown" else []
            made = subprocess.run([sys.executable, str(HERE / "make_library.py"), str(library),
                                   "--days", str(args.days), *shape], check=True, capture_output=True, text=True)
            print(f"library: {made.stdout.strip()}")
        print(f"(this script's own RSS, the floor of every figure: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")
        versions = {"this code": REPO}
        if args.baseline != "none":
            (root / "baseline").mkdir()
            versions[f"baseline {args.baseline}"] = baseline_code(args.baseline, root / "baseline")
        homes = {name: root / f"home-{n}" for n, name in enumerate(versions)}
        for name, command in COMMANDS.items():
            cold = {v: run_once(code, homes[v], library, command) for v, code in versions.items()}
            warm: dict[str, list[tuple[float, int, str]]] = {v: [] for v in versions}
            for _ in range(args.runs):  # alternating, so a busy moment of the machine hits both
                for v, code in versions.items():
                    warm[v].append(run_once(code, homes[v], library, command))
            print(f"\n{name}:")
            for v in versions:
                walls = [w for w, _, _ in warm[v]]
                print(f"  {v:<22} warm {statistics.median(walls):6.2f} s (best {min(walls):.2f})  "
                      f"peak RSS {max(r for _, r, _ in warm[v]):5d} MB   cold {cold[v][0]:6.2f} s {cold[v][1]:5d} MB")
            outputs = {d for runs in warm.values() for _, _, d in runs} | {d for _, _, d in cold.values()}
            print(f"  output identical across versions and runs: {'yes' if len(outputs) == 1 else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
