"""A newcomer teaching For you on the generator's real history: p@10 after each teaching triage of 20 papers.

Usage: python benchmarks/bench_newcomer_real.py [--data ../shared/real/2025-q4] [--rounds 5] [--seed 11]

The same library, December days and readers as bench_rank_real.py, but a person who
starts with no marks at all (the end of November, their library the October-November
papers). Each round is the reader's teaching triage (`F` on For you: teach.teaching_papers
over that library, with the scores and the likely/maybe boundary the reader would have):
the person stars each of the 20 papers that matches their interest and dismisses the rest.
After each round: how many stars they have, For you's p@10 on the December days (the whole
library ranked, as `dump --sort relevance` does), and beside it, on the same marks, the
baseline (bench_rank_real's TF-IDF + linear SVM; needs one star) and the best possible.
Says so and exits 0 without the data.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_rank_real as real  # noqa: E402

from tui_reader.core.model import Paper  # noqa: E402
from tui_reader.core.state.store import Mark  # noqa: E402


def p10(order: list[int], reader: real.Reader, papers: list[Paper], days: list[str]) -> float:
    by_day = real.day_orders(order, papers, days)
    return sum(real.precision_at([reader.wants(papers[i]) for i in by_day[d]]) for d in days) / len(days)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=real.DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=real.SEED, help="the readers' draw (the followed authors)")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"{args.data}: absent; this benchmark needs the generator's real history there")
        return 0
    from tui_reader.core.rank.ranker import rank_papers
    from tui_reader.core.rank.teach import TEACH_COUNT, teaching_papers
    from tui_reader.ui.services.for_you import calibrated

    papers, training, days = real.split_library(args.data)
    stamp = real.STAMP
    print(f"library: {len(papers):,} papers; the newcomer's library: {len(training):,} (to {real.TRAIN_UNTIL}); "
          f"measured on {len(days)} December days; {TEACH_COUNT} papers a round")
    print()
    print("| reader kind | after | stars | For you p@10 | baseline p@10 | best possible |")
    print("| --- | --- | --- | --- | --- | --- |")
    for reader in real.make_readers(training, args.seed):
        marks: dict[str, Mark] = {}
        for round_ in range(1, args.rounds + 1):
            # What the reader shows on F: its model of the library it has, and that model's boundary.
            model, _, _ = rank_papers(training, marks)
            scores = dict(enumerate(model.score(range(len(training))))) if model.learned else None
            confidence = calibrated(model, training, marks) if model.learned else None
            boundary = None if confidence is None else (confidence.likely + confidence.unlikely) / 2
            for i in teaching_papers(training, marks, scores=scores, boundary=boundary):
                paper = training[i]
                marks[paper.id] = (Mark(paper.id, starred_at=stamp, read_at=stamp) if reader.wants(paper)
                                   else Mark(paper.id, dismissed_at=stamp))
            stars = sum(1 for m in marks.values() if m.starred)
            _, order, _ = rank_papers(papers, marks)
            ours = p10(order, reader, papers, days)
            theirs = float("nan")
            if stars:
                scores_all = real.baseline_scores(papers, marks)
                theirs = p10(sorted(set(order), key=lambda i: (-scores_all[i], i)), reader, papers, days)
            by_day = real.day_orders(order, papers, days)
            best = sum(min(10, sum(reader.wants(papers[i]) for i in by_day[d])) / 10 for d in days) / len(days)
            shown = "–" if theirs != theirs else f"{theirs:.3f}"
            print(f"| {reader.kind.split(' (')[0]} | {round_ * TEACH_COUNT} decisions | {stars} | {ours:.3f} | "
                  f"{shown} | {best:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
