"""What in the real-data baseline (arxiv-sanity's method) wins its p@10: each part taken away in turn.

Usage: python benchmarks/bench_baseline_parts.py [--data ../shared/real/2025-q4] [--reader N] [--seeds 11,12,13]

The same library, training period, measured days, simulated readers and marks as
bench_rank_real.py (whose functions it uses); for one reader (by its place in that script's
list, 1: a topic across title and abstract) and each seed, the baseline's p@10 as it is
and with one of its parts changed: no word pairs, presence instead of sublinear counts, no
common-word cut, no cap on the vocabulary, hyphenated words kept whole. What For you lacks
against the baseline is then measured, not guessed. Says so and exits 0 without the data.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_rank_real as real  # noqa: E402

CHANGES: dict[str, dict[str, Any]] = {
    "as it is": {},
    "no word pairs": {"ngram_range": (1, 1)},
    "presence, not counts": {"binary": True, "sublinear_tf": False},
    "no common-word cut": {"max_df": 1.0},
    "no vocabulary cap": {"max_features": None},
    "hyphenated words whole": {"token_pattern": r"(?u)\b[a-zA-Z_][a-zA-Z0-9_-]*[a-zA-Z0-9]\b"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=real.DEFAULT_DATA)
    parser.add_argument("--reader", type=int, default=1, help="the reader's place in bench_rank_real's list")
    parser.add_argument("--seeds", default="11,12,13")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"{args.data}: absent; this benchmark needs the generator's real history there")
        return 0
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    papers, training, days = real.split_library(args.data)
    texts = [f"{p.title}. {p.abstract}" for p in papers]
    matrices = {name: TfidfVectorizer(**{**real.BASELINE_SETTINGS, **change}).fit_transform(texts)
                for name, change in CHANGES.items()}
    seeds = [int(s) for s in args.seeds.split(",")]
    print(f"baseline p@10 with one part changed; reader: {real.make_readers(training)[args.reader].kind}")
    print()
    print("| baseline | " + " | ".join(f"seed {s}" for s in seeds) + " |")
    print("| --- |" + " --- |" * len(seeds))
    figures: dict[str, list[float]] = {name: [] for name in CHANGES}
    for seed in seeds:
        reader = real.make_readers(training, seed)[args.reader]
        marks = real.simulate_marks(reader, training, seed)
        labels = [1 if (m := marks.get(p.id)) is not None and m.starred else 0 for p in papers]
        # What For you lists (and the baseline ranks, as in bench_rank_real): unread, undismissed.
        candidates = [i for i, p in enumerate(papers) if (m := marks.get(p.id)) is None or m.unread]
        for name, matrix in matrices.items():
            classifier = LinearSVC(class_weight="balanced", C=0.1, max_iter=10_000, tol=1e-6).fit(matrix, labels)
            scores = classifier.decision_function(matrix)
            by_day = real.day_orders(sorted(candidates, key=lambda i: (-scores[i], i)), papers, days)
            hits = [real.precision_at([reader.wants(papers[i]) for i in by_day[day]]) for day in days]
            figures[name].append(sum(hits) / len(hits))
    for name, values in figures.items():
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
