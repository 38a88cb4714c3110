"""More like this: build time, memory, query time and neighbour quality, sparse TF-IDF
cosine (the default) beside the TruncatedSVD projection, in the same run.

Usage: python benchmarks/bench_similar.py [LIBRARY] [--synthetic-days 450] [--seeds 300]

LIBRARY defaults to ../shared/real/2025-q4 (the generator's real history, 10k papers).
--synthetic-days N also measures a library written by make_library.make_real_library
(450 days: about 75k papers) in a temporary folder; its text is invented, so only its
times and memory mean something there, not its quality.

Each method runs in a child process that loads the papers, then builds the index as on a
first start (every paper's features hashed, the features file written), then again as on a
warm start (the file read): the memory figure is the child's peak RSS minus its RSS before
the first build (imports of numpy, and of scipy and scikit-learn for svd, included); kept
is the RSS after the queries. Quality is a proxy, stated as such: over `--seeds`
papers drawn at random, the share of their 10 nearest neighbours that share the seed's
primary category, and the share of seeds with at least one neighbour sharing an author.
Figures are taken on a shared, busy machine: compare the columns of one run.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_LIBRARY = Path(__file__).resolve().parents[2] / "shared" / "real" / "2025-q4"
METHODS = ("tfidf", "svd")


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(library: str, method: str, seeds: int) -> dict[str, float]:
    """In this process: load the library, build one index, query it; the figures."""
    from tui_reader.core.library.stream import plan_library
    from tui_reader.core.rank.similar import SimilarityIndex

    papers = list(plan_library([library]).papers())
    folder = tempfile.TemporaryDirectory()
    features = Path(folder.name) / "rank-features.npz"
    before = _rss_mb()
    started = time.perf_counter()
    index = SimilarityIndex(papers, method=method, features_file=features)  # every paper hashed, file written
    build = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del index
    started = time.perf_counter()
    index = SimilarityIndex(papers, method=method, features_file=features)  # a warm start: the file read
    warm = time.perf_counter() - started
    rng = random.Random(0)
    chosen = rng.sample(range(len(papers)), min(seeds, len(papers)))
    same_category = considered = with_author = 0
    started = time.perf_counter()
    for seed in chosen:
        found = index.neighbours(papers[seed].id, 10)
        considered += len(found)
        same_category += sum(papers[n.index].category == papers[seed].category for n in found)
        with_author += any(n.shared_authors for n in found)
    query = (time.perf_counter() - started) / max(1, len(chosen))
    return {"papers": len(papers), "build_s": build, "warm_s": warm, "query_ms": query * 1000,
            "memory_mb": peak - before, "resident_mb": _rss_mb() - before,
            "same_category": same_category / max(1, considered), "shared_author": with_author / max(1, len(chosen))}


def run_child(library: str, method: str, seeds: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", method, library, "--seeds", str(seeds)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, library: str, seeds: int, quality: bool) -> None:
    print(f"\n{name}")
    print("| method | papers | build (first start) | warm start | memory (peak / kept) | query | same category@10 "
          "| shared author@10 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for method in METHODS:
        r = run_child(library, method, seeds)
        label = "TF-IDF cosine (default)" if method == "tfidf" else "TruncatedSVD 200"
        q = (f"{r['same_category']:.2f} | {r['shared_author']:.2f}" if quality else "– | –")
        print(f"| {label} | {int(r['papers'])} | {r['build_s']:.1f} s | {r['warm_s']:.2f} s "
              f"| {r['memory_mb']:.0f} / {r['resident_mb']:.0f} MB "
              f"| {r['query_ms']:.1f} ms | {q} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", nargs="?", default=str(DEFAULT_LIBRARY))
    parser.add_argument("--seeds", type=int, default=300)
    parser.add_argument("--synthetic-days", type=int, default=0)
    parser.add_argument("--child", choices=METHODS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.library, args.child, args.seeds)))
        return 0
    if Path(args.library).is_dir():
        report(f"library {args.library}", args.library, args.seeds, quality=True)
    else:
        print(f"{args.library} is absent: skipping the real library")
    if args.synthetic_days:
        from benchmarks.make_library import make_real_library

        with tempfile.TemporaryDirectory() as folder:
            summary = make_real_library(folder, args.synthetic_days)
            report(f"make_real_library, {args.synthetic_days} days ({summary.distinct_papers} papers; invented text: "
                   "times and memory only)", folder, args.seeds, quality=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
