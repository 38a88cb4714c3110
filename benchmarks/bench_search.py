"""Time the search per keystroke on a synthetic library: median and worst, against baselines.

Usage: python benchmarks/bench_search.py [--papers 50000] [--seed 0] [--before REV] [--each]

Every paper is invented here, in memory (word pools below). Each query is typed one
character at a time into one SearchIndex (as the reader does), and every prefix that parses
is timed: parse_query + SearchIndex.search. Also timed: building the index (and the memory
it holds), a whole query pasted with nothing kept, how long a thread that sleeps 1 ms at a time
(the UI thread) waits while another builds or searches, and typing at 8 keys a second with
each keystroke stopping the previous search, as the reader does (last key -> last result).
Baselines measured in the same run: the SearchIndex of git revision REV (default: the one
before the per-field rewrite; skipped outside a git checkout), and the simplest thing that
could work, `prefix in title` over titles lowered in advance.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_reader.core.model import Appearance, Paper  # noqa: E402
from tui_reader.core.search.query import QueryError, SearchCancelled, SearchIndex, parse_query  # noqa: E402

BEFORE = "b5c3415"
"""The last revision with the SearchIndex that folded every paper's text up front."""
KEY_INTERVAL = 0.125
"""Seconds between two keystrokes when typing (8 keys a second)."""
DEBOUNCE = 0.0
"""As the reader's search line: a search starts this long after the last key (at once)."""

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


def peak_rss_mb() -> float:
    """This process's largest resident memory so far, in MB (Linux counts in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index_mb(make, papers) -> float:
    """MB of Python memory an index holds once made (traced: slow, so timed apart)."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    index = make(papers)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del index
    return size / 1e6


def index_class_at(rev: str) -> type | None:
    """SearchIndex as it was at a git revision, loaded beside the current one."""
    source_path = "tui_reader/core/search/index.py"
    try:
        source = subprocess.run(["git", "show", f"{rev}:{source_path}"], capture_output=True, text=True,
                                check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    name = "tui_reader.core._query_index_before"
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "tui_reader.core"
    sys.modules[name] = module
    exec(compile(source, f"{rev}:{source_path}", "exec"), module.__dict__)
    return module.SearchIndex


def build(make, papers) -> tuple[object, float, float, list[float]]:
    """An index made by make(papers) in a thread, as the reader does: the index, seconds,
    the MB it holds, and the gaps a thread sleeping 1 ms at a time saw meanwhile."""
    made: list = []
    started = time.perf_counter()
    gaps = while_working(lambda: made.append(make(papers)))
    elapsed = time.perf_counter() - started
    return made[0], elapsed, index_mb(make, papers), gaps


def while_working(work) -> list[float]:
    """Run work() in a thread while this one sleeps 1 ms at a time: the gaps say how long
    the UI thread could be kept waiting for the GIL."""
    done = threading.Event()

    def worker() -> None:
        try:
            work()
        finally:
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
    return gaps or [0.0]


def keystrokes(index, marks: dict, each: bool) -> list[float]:
    """Every query typed one key at a time, each prefix searched to the end; the times."""
    all_times: list[float] = []
    for text in QUERIES:
        times, found = [], 0
        for end in range(1, len(text) + 1):
            t0 = time.perf_counter()
            try:
                found = len(index.search(parse_query(text[:end]), marks))
            except QueryError:
                pass  # the reader keeps the list as it was; still a keystroke's work
            times.append(time.perf_counter() - t0)
        all_times += times
        print(f"  {text:42} {len(times):4} {ms(statistics.median(times))} {ms(max(times))} {found:8}")
        if each:
            print("    " + " ".join(f"{text[:end]!r}:{t * 1000:.0f}" for end, t in enumerate(times, 1)))
    return all_times


def typed_live(make, papers, marks: dict) -> list[float]:
    """Each query typed at KEY_INTERVAL into a fresh index, each search in a thread that a
    newer keystroke stops (as the reader's search line): last key -> its results, per query."""
    latencies = []
    for text in QUERIES:
        index = make(papers)
        generation = [0]
        finished: dict[int, float] = {}

        def search(prefix: str, mine: int) -> None:
            try:
                index.search(parse_query(prefix), marks, stop=lambda: generation[0] != mine)
            except QueryError:
                return
            except Exception as err:  # SearchCancelled, of whichever revision's module
                if type(err).__name__ != SearchCancelled.__name__:
                    raise
                return
            finished[mine] = time.perf_counter()

        threads = []
        for end in range(1, len(text) + 1):
            generation[0] += 1
            last_key = time.perf_counter()
            time.sleep(DEBOUNCE)
            thread = threading.Thread(target=search, args=(text[:end], generation[0]))
            thread.start()
            threads.append(thread)
            time.sleep(max(0.0, KEY_INTERVAL - DEBOUNCE))
        for thread in threads:
            thread.join()
        latencies.append(finished.get(generation[0], last_key) - last_key)
    return latencies


def measure(label: str, make, papers, marks: dict, each: bool) -> dict[str, float]:
    print(f"\n== {label}")
    index, built, added, build_gaps = build(make, papers)
    print(f"built in {ms(built)} (in a thread), holding {added:.0f} MB; a 1 ms sleeper meanwhile waited "
          f"median {ms(statistics.median(build_gaps))}, longest {ms(max(build_gaps))}")
    print(f"  {'query (typed one key at a time)':42} {'keys':>4} {'median':>10} {'worst':>10} {'matches':>8}")
    times = keystrokes(index, marks, each)
    cold = []
    for text in QUERIES:  # pasted whole into a new index: no earlier keystroke to build on
        fresh = make(papers)
        t0 = time.perf_counter()
        fresh.search(parse_query(text), marks)
        cold.append(time.perf_counter() - t0)
    search_gaps = while_working(lambda: [make(papers).search(parse_query(t), marks) for t in QUERIES[:3]])
    live = typed_live(make, papers, marks)
    print(f"every keystroke: median {ms(statistics.median(times))}, worst {ms(max(times))} over {len(times)}")
    print(f"whole query pasted, fresh index: median {ms(statistics.median(cold))}, worst {ms(max(cold))}")
    print(f"typed at {1 / KEY_INTERVAL:.0f} keys/s, stopping stale searches, last key -> result: "
          f"median {ms(statistics.median(live))}, worst {ms(max(live))}")
    print(f"a 1 ms sleeper while searches build and run: longest wait {ms(max(search_gaps))}")
    return {"build": built, "rss": added, "median": statistics.median(times), "worst": max(times),
            "cold": statistics.median(cold), "live": max(live)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--before", default=BEFORE, help="git revision whose SearchIndex is the baseline")
    parser.add_argument("--each", action="store_true", help="also print every keystroke's time")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    papers = synthetic_papers(args.papers, args.seed)
    marks = synthetic_marks(papers, args.seed)
    print(f"{len(papers)} invented papers, {len(marks)} marks, made in {ms(time.perf_counter() - started)}")
    print(f"{sum(len(p.abstract) + len(p.tldr) + len(p.method) for p in papers) / 1e6:.0f} MB of abstracts, "
          "tldrs and methods alone")

    titles = [p.title.lower() for p in papers]
    baseline = []
    for text in QUERIES:
        for end in range(1, len(text) + 1):
            needle = text[:end].lower()
            t0 = time.perf_counter()
            [i for i, title in enumerate(titles) if needle in title]
            baseline.append(time.perf_counter() - t0)

    results = {"now": measure("SearchIndex now (prepared in the constructor)", SearchIndex, papers, marks, args.each)}
    lazy = measure("SearchIndex now, lazy=True (each field prepared by its first search)",
                   lambda p: SearchIndex(p, lazy=True), papers, marks, False)
    before = index_class_at(args.before)
    if before is not None:
        results["before"] = measure(f"SearchIndex at {args.before} (baseline)", before, papers, marks, args.each)

    print(f"\nbaseline `in` over lowered titles only: median {ms(statistics.median(baseline))}, "
          f"worst {ms(max(baseline))}")
    now = results["now"]
    print(f"now / title baseline (median keystroke): {now['median'] / statistics.median(baseline):.2f}")
    print(f"lazy: index made in {ms(lazy['build'])}, first searches pay the rest")
    if "before" in results:
        old = results["before"]
        for key, what in (("build", "build"), ("median", "median keystroke"), ("worst", "worst keystroke"),
                          ("cold", "pasted query"), ("live", "typing, worst last key -> result")):
            print(f"now / before, {what}: {ms(now[key])} / {ms(old[key])} = {now[key] / old[key]:.2f}")
        print(f"memory the index holds: now {now['rss']:.0f} MB, before {old['rss']:.0f} MB")
    print(f"peak RSS of this process (papers, indices and all): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
