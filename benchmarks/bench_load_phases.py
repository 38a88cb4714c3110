"""The reader's library loads in-process, phase by phase: cold (no parse cache), warm, and a new day.

Usage: python benchmarks/bench_load_phases.py [--days 450] [--work DIR] [--runs 1] [--profile]

Writes make_real_library's library (unless DIR/library holds one), then times what the
reader's loading thread does (ui.loader.load and the view it builds) with an
empty cache, again warm, and with the next weekday's files added to the library a running
reader holds; each phase in wall seconds and the main process's CPU (all its threads), the
parse workers' CPU beside it. Prints figures; asserts nothing. Figures on a shared machine
vary with its load: compare CPU seconds, and runs made within the same minutes.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import resource
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_library import make_real_library  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Phases:
    """Wall and CPU seconds of named steps, taken by wrapping module functions."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    @contextmanager
    def timing(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))

    def show(self, indent: str = "    ") -> None:
        totals: dict[str, list[float]] = {}
        for name, wall, cpu in self.rows:
            entry = totals.setdefault(name, [0.0, 0.0, 0])
            entry[0] += wall
            entry[1] += cpu
            entry[2] += 1
        for name, (wall, cpu, count) in totals.items():
            times = f" ×{count}" if count > 1 else ""
            print(f"{indent}{name:<34} {wall:6.2f} s wall, {cpu:6.2f} s CPU{times}")


def wrap(module: object, name: str, label: str) -> None:
    """Time each call of module.name into the phases of the load running then."""
    original = getattr(module, name, None)
    if original is None:
        return

    def timed(*args: object, **kwargs: object) -> object:
        with current[0].timing(label):
            return original(*args, **kwargs)

    setattr(module, name, timed)


def instrument() -> None:
    """Wrap the load's steps (whichever of them this version of the code has)."""
    from tui_reader.core.library import snapshot
    from tui_reader.ui import loader

    modules = [snapshot]
    try:
        from tui_reader.core.library import loading
        modules.append(loading)
    except ImportError:  # the code before issue 23's one loading path
        pass
    for module in modules:
        for name, label in (("prepare_search_text", "fold"),
                            ("write_snapshot", "snapshot write"),
                            ("read_snapshot", "snapshot read"),
                            ("_read_long_way", "read + merge (workers' wait incl.)"),
                            ("store_snapshot", "snapshot stored after shown")):
            wrap(module, name, label)
    wrap(loader, "LibraryView", "LibraryView built")
    for name, label in (("store_new_days", "snapshot stored after shown"), ("store_loaded", "snapshot stored after shown")):
        wrap(loader, name, label)


def one_load(title: str, action: Callable[[], object], profile: str | None) -> object:
    gc.collect()
    phases = Phases()
    current[0] = phases
    workers_before = children_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    result = action()
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    workers = children_cpu() - workers_before
    print(f"{title}: {wall:.2f} s wall, main process {cpu:.2f} s CPU, parse workers {workers:.2f} s CPU")
    phases.show()
    if profiler and profile:
        profiler.dump_stats(profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    return result


current: list[Phases] = [Phases()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=450)
    parser.add_argument("--work", default="/tmp/tui-reader-load-phases")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile each load (slower), top 25 by cumulative")
    parser.add_argument("--only", choices=("cold", "warm", "new-day"), action="append")
    args = parser.parse_args()
    work = Path(args.work)
    folder = work / "library"
    if not folder.is_dir():
        summary = make_real_library(folder, args.days, 0)
        print(f"library: {len(summary.files)} files, {summary.distinct_papers} papers")
    only = set(args.only or ("cold", "warm", "new-day"))

    from tui_reader.ui import loader

    instrument()
    paths = [str(folder)]
    if hasattr(loader, "load"):
        from tui_reader.core.library.loading import LoadWay

        def load_whole(current: object = None) -> object:
            way = LoadWay.WHOLE if current is None else LoadWay.NEW_DAYS
            return loader.load(paths, cache_dir, way, current=current)
        store = loader.store_loaded
    else:  # the code before issue 23's one loading path
        def load_whole(current: object = None) -> object:
            return loader.load_whole_library(paths, cache_dir, current=getattr(current, "snapshot", None))
        store = loader.store_new_days  # type: ignore[attr-defined]
    for run in range(args.runs):
        cache_dir = work / "cache"
        if "cold" in only or not cache_dir.exists():
            shutil.rmtree(cache_dir, ignore_errors=True)

            def cold() -> object:
                return load_whole()

            loaded = one_load(f"cold, run {run + 1}", cold, str(work / "cold.prof") if args.profile else None)
            t0, c0 = time.perf_counter(), time.process_time()
            store(loaded, cache_dir)
            print(f"    after shown: stored in {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU")
            del loaded
        if "warm" in only or "new-day" in only:
            warm = one_load(f"warm, run {run + 1}", load_whole,
                            str(work / "warm.prof") if args.profile else None)
        if "new-day" in only:
            spare = work / "next-days"
            if not spare.is_dir():
                make_real_library(spare, args.days + 7, 0)
            from tui_reader.core.library.load import date_from_name

            newest = max(date_from_name(path) or "" for path in folder.iterdir())
            later = sorted(path for path in spare.iterdir() if (date_from_name(path) or "") > newest)
            day = date_from_name(later[0])
            new_files = [path for path in later if date_from_name(path) == day]
            for path in new_files:
                shutil.copyfile(path, folder / path.name)
            try:
                one_load(f"new day ({len(new_files)} files), run {run + 1}", lambda: load_whole(warm),
                         str(work / "newday.prof") if args.profile else None)
            finally:
                for path in new_files:
                    (folder / path.name).unlink()
            del warm
    return 0


if __name__ == "__main__":
    sys.exit(main())
