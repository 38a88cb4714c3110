"""The reader's search text in memory and per key, in-process: a warm load of a library
through its snapshot, the resident memory it holds (anonymous and file-backed), then the
keys of the benchmark's search queries as the search line runs them (search_in_stages with
its budget: the first screen, then every match), with the CPU each took.

    python benchmarks/bench_search_memory.py LIBRARY CACHE_DIR [--rounds N]

Compare two builds by running each in its own venv on the same library (a cache dir each).
"""
from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from pathlib import Path

SEARCH_QUERIES = ("segmentation robust", "au:haddad sparse", "cat:cs.CL translation -survey")
ROWS = 50


def memory() -> dict[str, float]:
    """VmRSS, RssAnon, RssFile and VmHWM of this process, in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library")
    parser.add_argument("cache")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    from tui_reader.core.library.cache import ParseCache
    from tui_reader.core.library.loading import LoadWay, load, store_loaded
    from tui_reader.core.search.query import (
        WHOLE_SEARCH_BUDGET, QueryError, SearchIndex, parse_query, search_in_stages,
    )

    # A first load in a process of its own (a cold start if there is no snapshot yet).
    subprocess.run([sys.executable, "-c", "import sys; from tui_reader.core.library.cache import ParseCache; "
                    "from tui_reader.core.library.loading import LoadWay, load, store_loaded; "
                    "c = ParseCache.open(sys.argv[1]); store_loaded(c, load([sys.argv[2]], c, LoadWay.WHOLE)); c.close()",
                    args.cache, args.library], check=True)
    print("at the start:", {k: round(v) for k, v in memory().items()}, flush=True)
    with ParseCache.open(args.cache) as cache:
        wall, cpu = time.perf_counter(), time.process_time()
        snapshot = load([args.library], cache, LoadWay.WHOLE)
        store_loaded(cache, snapshot)
        index = SearchIndex(snapshot.papers, prepared=snapshot.prepared)
        print(f"warm load + index: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU; "
              f"{len(snapshot.papers)} papers", flush=True)
        print("loaded and indexed:", {k: round(v) for k, v in memory().items()}, flush=True)
        firsts, wholes = [], []
        for round_number in range(args.rounds):
            index.clear_cache()
            for text in SEARCH_QUERIES:
                for end in range(1, len(text) + 1):
                    try:
                        query = parse_query(text[:end])
                    except QueryError:
                        continue
                    cpu = time.process_time()
                    stages = search_in_stages(index, query, {}, budget=WHOLE_SEARCH_BUDGET, enough=ROWS)
                    found, complete = next(stages)
                    first = time.process_time() - cpu
                    for found, complete in stages:
                        pass
                    whole = time.process_time() - cpu
                    if round_number == args.rounds - 1:
                        firsts.append((first, text[:end]))
                        wholes.append((whole, text[:end]))
        for name, times in (("first screen", firsts), ("every match", wholes)):
            worst = max(times)
            print(f"key → {name} (CPU): median {statistics.median(t for t, _ in times) * 1000:.1f} ms, "
                  f"worst {worst[0] * 1000:.1f} ms ({worst[1]!r}), sum {sum(t for t, _ in times) * 1000:.0f} ms")
        print("after the searches:", {k: round(v) for k, v in memory().items()}, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
