"""Time the search per keystroke on a synthetic library: median and worst, against a baseline.

Usage: python benchmarks/bench_search.py [--papers 50000] [--seed 0]

Every paper is invented here, in memory (word pools below). Each query is typed one
character at a time into one SearchIndex (as the reader does), and every prefix that parses
is timed: parse_query + SearchIndex.search. The baseline, measured in the same run, is the
simplest thing that could work: `prefix in title` over titles lowered in advance.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_reader.core.model import Appearance, Paper  # noqa: E402
from tui_reader.core.query import QueryError, SearchIndex, parse_query  # noqa: E402

QUERIES = (
    "diffusion model",
    "au:muller is:unread",
    '"language model" -survey',
    "ti:transformer OR ti:attention",
    "cat:cs.CV date:>=2025-06 robust",
    "quilvexor",
    "(graph OR kernel) learning -cat:cs.CL",
)

_FUNCTION_WORDS = (
    "the of and to in a for we is on with that by this as are from our an be which can at "
    "it or than its these both not also such has have into more using based show while"
).split()
_TECHNICAL_WORDS = (
    "model models learning data method network performance results training approach task "
    "framework propose language image tasks large existing neural evaluation inference "
    "benchmark dataset features representation optimization generation reasoning retrieval "
    "video graph kernel robust efficient sparse attention transformer policy agent agents "
    "diffusion segmentation detection reinforcement adaptive scalable latent prior sampling "
    "survey state art novel significantly outperforms achieves demonstrate accuracy loss "
    "multimodal vision text generalization alignment reward supervised unsupervised prompt "
    "fine-tuning pretraining encoder decoder token tokens embedding embeddings layer layers "
    "gradient stochastic convex bound theoretical empirical experiments baseline baselines "
    "robot robotics control planning navigation manipulation simulation physical depth "
    "point cloud 3d scene reconstruction rendering synthesis medical clinical patient "
    "speech audio translation summarization question answering dialogue knowledge "
    "causal fairness privacy federated adversarial attack defense uncertainty calibration "
    "time series forecasting anomaly clustering classification regression kernel-based"
).split()
_SYLLABLES = "ka lo mi ra zen tor vex quil dar syn neo pra lux vor tri gem hal ost fen brio".split()
_GIVEN = "Dana Bo Ana José Jürgen Eun-ji Kim Eve Lena Omar Priya Wei Zoë Søren Łukasz Nuño".split()
_FAMILY = ("Müller Muller Li Park Smith Núñez Möller García Nguyen Chen Kowalski Øster Dubois "
           "Ivanova Yılmaz Tanaka Rossi Schäfer Brown Wang Zhang Liu Kumar Singh Ali Sato").split()
_CATS = ("cs.CV", "cs.CL", "cs.LG", "cs.AI", "cs.RO", "stat.ML", "cs.CR", "eess.IV")


class _Vocabulary:
    """About 20,000 words with Zipf-like frequencies: function words most often, then
    technical words, then invented rare words (so a topical word such as "diffusion" is in
    a minority of papers, as in a real library)."""

    def __init__(self, rng: random.Random) -> None:
        invented = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(25_000)}
        self.words = _FUNCTION_WORDS + _TECHNICAL_WORDS + sorted(invented)
        total, cumulative = 0.0, []
        for rank in range(len(self.words)):
            total += 1.0 / (rank + 3)
            cumulative.append(total)
        self.cumulative = cumulative
        self.rng = rng

    def text(self, words: int) -> str:
        chosen = self.rng.choices(self.words, cum_weights=self.cumulative, k=words)
        sentences = [" ".join(chosen[i:i + 18]).capitalize() + "." for i in range(0, words, 18)]
        return " ".join(sentences)


def synthetic_papers(count: int, seed: int) -> list[Paper]:
    """`count` invented papers of realistic size (title, 2-8 authors, five summary fields,
    a 150-250 word abstract, 1-3 categories, a date in 2025)."""
    rng = random.Random(seed)
    vocabulary = _Vocabulary(rng)
    papers = []
    for n in range(count):
        cats = rng.sample(_CATS, rng.randint(1, 3))
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        papers.append(Paper(
            id=f"25{n // 30000 + 1:02d}.{n % 30000:05d}",
            title=vocabulary.text(rng.randint(6, 14)).rstrip(".").title(),
            authors=[f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}" for _ in range(rng.randint(2, 8))],
            category=cats[0], categories=cats,
            tldr=vocabulary.text(rng.randint(20, 40)), motivation=vocabulary.text(rng.randint(20, 40)),
            method=vocabulary.text(rng.randint(20, 40)), result=vocabulary.text(rng.randint(20, 40)),
            conclusion=vocabulary.text(rng.randint(15, 30)), abstract=vocabulary.text(rng.randint(150, 250)),
            appearances=[Appearance(f"{day}.md", day, cats[0])],
        ))
    return papers


@dataclass(slots=True)
class FakeMark:
    id: str
    read: bool
    starred: bool
    note: str = ""
    tags: tuple[str, ...] = ()


def synthetic_marks(papers: list[Paper], seed: int) -> dict[str, FakeMark]:
    """A third of the papers read, a few starred, a few with notes and tags."""
    rng = random.Random(seed + 1)
    notes = _Vocabulary(random.Random(seed + 2))
    marks = {}
    for paper in papers:
        if rng.random() < 0.35:
            note = notes.text(8) if rng.random() < 0.05 else ""
            tags = ("to-read",) if rng.random() < 0.03 else ()
            marks[paper.id] = FakeMark(paper.id, rng.random() < 0.9, rng.random() < 0.1, note, tags)
    return marks


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--each", action="store_true", help="also print every keystroke's time")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    papers = synthetic_papers(args.papers, args.seed)
    marks = synthetic_marks(papers, args.seed)
    print(f"{len(papers)} invented papers, {len(marks)} marks, made in {ms(time.perf_counter() - started)}")

    started = time.perf_counter()
    index = SearchIndex(papers)
    print(f"SearchIndex built in {ms(time.perf_counter() - started)}")

    started = time.perf_counter()
    titles = [p.title.lower() for p in papers]
    print(f"baseline titles lowered in {ms(time.perf_counter() - started)}")

    all_times: list[float] = []
    all_baseline: list[float] = []
    print(f"\n{'query (typed one key at a time)':42} {'keys':>4} {'median':>10} {'worst':>10} "
          f"{'baseline median':>16} {'matches':>8}")
    for text in QUERIES:
        times, baseline, found = [], [], 0
        for end in range(1, len(text) + 1):
            prefix = text[:end]
            t0 = time.perf_counter()
            try:
                result = index.search(parse_query(prefix), marks)
            except QueryError:
                result = None  # the reader keeps the list as it was; still a keystroke's work
            times.append(time.perf_counter() - t0)
            if result is not None:
                found = len(result)
            needle = prefix.lower()
            t0 = time.perf_counter()
            [i for i, title in enumerate(titles) if needle in title]
            baseline.append(time.perf_counter() - t0)
        all_times += times
        all_baseline += baseline
        print(f"{text:42} {len(times):4} {ms(statistics.median(times))} {ms(max(times))} "
              f"{ms(statistics.median(baseline)):>16} {found:8}")
        if args.each:
            print("    " + " ".join(f"{text[:end]!r}:{t * 1000:.0f}" for end, t in enumerate(times, 1)))

    cold = []
    for text in QUERIES:  # pasted whole: no earlier keystroke to build on
        index.clear_cache()
        t0 = time.perf_counter()
        index.search(parse_query(text), marks)
        cold.append(time.perf_counter() - t0)

    stalls = ui_thread_stalls(index, marks)

    print(f"\nevery keystroke: median {ms(statistics.median(all_times))}, "
          f"worst {ms(max(all_times))} over {len(all_times)} keystrokes")
    print(f"baseline (`in` over lowered titles only): median {ms(statistics.median(all_baseline))}, "
          f"worst {ms(max(all_baseline))}")
    print(f"ratio search / baseline (median): {statistics.median(all_times) / statistics.median(all_baseline):.2f}")
    print(f"whole query pasted, nothing cached: median {ms(statistics.median(cold))}, worst {ms(max(cold))}")
    print(f"UI thread while a worker thread searches (1 ms sleeps): median gap {ms(statistics.median(stalls))}, "
          f"longest {ms(max(stalls))}")
    return 0


def ui_thread_stalls(index: SearchIndex, marks: dict) -> list[float]:
    """Run every query, pasted, in a thread (as the reader's worker does) while this
    thread sleeps 1 ms at a time: the gaps say how long the UI thread could be kept
    waiting for the GIL."""
    import threading

    done = threading.Event()

    def worker() -> None:
        for text in QUERIES:
            index.clear_cache()
            index.search(parse_query(text), marks)
        done.set()

    gaps: list[float] = []
    thread = threading.Thread(target=worker)
    thread.start()
    last = time.perf_counter()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    thread.join()
    return gaps


if __name__ == "__main__":
    raise SystemExit(main())
