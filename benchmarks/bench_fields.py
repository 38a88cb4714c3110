"""Print what the generator's extra fields cost: JSONL parse rate with and without them, and
the time of `has:code`, `importance:>=7`, `kw:` and `comment:` searches over many papers.

Usage: python benchmarks/bench_fields.py [--records 20000] [--repeat 3]

Inputs are invented here: records shaped like the generator's AI-enhanced JSON Lines
(five summary fields, a comment), and the same records as a fork writes them (keywords,
importance_score, key_contributions, limitations, future_work, code_url, code_stars).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import best_of  # noqa: E402

from tui_reader.core.formats.jsonl import parse_jsonl_digest  # noqa: E402
from tui_reader.core.search.query import SearchIndex, parse_query  # noqa: E402

WORDS = "model diffusion attention graph robot policy benchmark vision language sparse".split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_records(count: int, fork: bool, seed: int = 0) -> str:
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        pid = f"2601.{i:05d}"
        ai = {name: _sentence(rng, 25) for name in ("tldr", "motivation", "method", "result", "conclusion")}
        record = {"id": pid, "categories": ["cs.LG"], "pdf": f"https://arxiv.org/pdf/{pid}",
                  "abs": f"https://arxiv.org/abs/{pid}", "authors": ["A. Author", "B. Author"],
                  "title": _sentence(rng, 8), "comment": "Accepted at ICLR 2026; 12 pages" if i % 5 == 0 else None,
                  "summary": _sentence(rng, 150), "AI": ai}
        if fork:
            ai.update(keywords=rng.sample(WORDS, 3), importance_score=rng.randint(0, 10),
                      key_contributions=[_sentence(rng, 10), _sentence(rng, 10)],
                      limitations=_sentence(rng, 15), future_work=_sentence(rng, 15))
            if i % 3 == 0:
                record.update(code_url=f"https://github.com/lab/repo{i}", code_stars=rng.randint(0, 5000))
        lines.append(json.dumps(record))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    plain, fork = make_records(args.records, False), make_records(args.records, True)
    for name, text in (("generator", plain), ("fork", fork)):
        seconds = best_of(args.repeat, lambda text=text: parse_jsonl_digest(text, "bench.jsonl", "2026-01-01"))
        print(f"parse {name:9} records: {args.records / seconds:9,.0f} records/s "
              f"({len(text) / seconds / 1e6:5.1f} MB/s)")
    papers = parse_jsonl_digest(fork, "bench.jsonl", "2026-01-01").papers
    for text in ("has:code", "importance:>=7", "kw:diffusion", "comment:iclr", "has:code kw:robot importance:>=7"):
        query = parse_query(text)
        first = again = float("inf")
        for _ in range(args.repeat):
            index = SearchIndex(papers)  # prepared: what the reader has once a library is shown
            first = min(first, best_of(1, lambda query=query: index.search(query, {})))
            again = min(again, best_of(1, lambda query=query: index.search(query, {})))
        found = len(index.search(query, {}))
        print(f"search {text!r:36} over {len(papers):,} papers: first {first * 1000:5.1f} ms, "
              f"again {again * 1000:5.1f} ms ({found:,} found)")

if __name__ == "__main__":
    main()
