"""Write a realistic synthetic digest library: N days of invented papers in the current template.

Usage: python benchmarks/make_library.py DIR --days N [--seed S] [--shape markdown|real]

`--shape real` (make_real_library, in real_library.py) writes the generator's published
shape instead: per weekday a raw JSONL, an AI-enhanced JSONL (English, or Chinese on about a
third of the days) and Markdown on about one day in four, 150–500 papers a day, about 22%
of them repeats of earlier days. The default `markdown` shape is described below.

Every text is invented here (word pools below); nothing is copied from a real digest. The
shape follows the generator's current Markdown template: a table of contents with
`[Total: N]` (sometimes larger than the papers present, as in real files), one section per
category, and per paper a numbered linked title, authors, main category, TL;DR and a
<details> block with motivation, method, result, conclusion and abstract. Some fields hold
LaTeX ($8\\times$, \\textbf{..}, 50\\%) and mojibake (Ã¼, Î¼, the lost-byte `2-9Ã speedup`);
some abstracts continue on lines indented by two spaces. Saturday and Sunday repeat
Friday's digest byte for byte, and a few papers are listed again, cross-listed, on later days.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

START_DATE = dt.date(2025, 1, 1)
"""The first day written; a Wednesday, so a one-day library is a weekday."""

CATEGORY_WEIGHTS = {"cs.CV": 63, "cs.CL": 30, "cs.MA": 3, "cs.AI": 31, "cs.LG": 58}
"""Categories in table-of-contents order, weighted like a real day (185 papers)."""

_ADJECTIVES = (
    "robust scalable efficient sparse adaptive hierarchical contrastive multimodal causal "
    "federated lightweight generative self-supervised decentralized probabilistic modular "
    "compositional interpretable calibrated streaming low-rank equivariant differentiable "
    "uncertainty-aware curriculum-driven physics-informed retrieval-augmented zero-shot "
    "few-shot long-horizon memory-efficient privacy-preserving training-free unified"
).split()
_TOPICS = {
    "cs.CV": "image segmentation|video understanding|object detection|point cloud registration|"
             "depth estimation|image diffusion|scene reconstruction|pose estimation|visual tracking|"
             "medical imaging|remote sensing|novel view synthesis|image restoration|visual grounding",
    "cs.CL": "language modelling|machine translation|tokenization|dialogue systems|question answering|"
             "summarization|instruction tuning|speech transcription|code generation|fact checking|"
             "morphological analysis|document retrieval|sentiment analysis|reading comprehension",
    "cs.MA": "multi-agent coordination|negotiation protocols|swarm control|consensus formation|"
             "agent communication|team formation|mechanism design|traffic simulation",
    "cs.AI": "automated planning|knowledge graphs|theorem proving|constraint solving|value alignment|"
             "tool use|agent evaluation|commonsense reasoning|program synthesis|causal discovery",
    "cs.LG": "stochastic optimization|graph learning|kernel methods|policy gradients|representation learning|"
             "continual learning|model compression|time series forecasting|active learning|"
             "offline reinforcement learning|mixture of experts|anomaly detection|domain adaptation",
}
_NOUNS = (
    "framework encoder decoder benchmark pipeline estimator objective regularizer scheduler "
    "architecture dataset protocol module policy representation prior sampler verifier"
).split()
_VERBS = (
    "improves outperforms reduces stabilises accelerates generalises simplifies extends "
    "unifies regularises decouples compresses aligns calibrates"
).split()
_SYLLABLES = "ka lo mi ra zen tor vex quil dar syn neo pra lux vor tri gem hal ost fen brio".split()
_FIRST = (
    "Aiko Bruno Chiara Dmitri Elif Farid Greta Hyun Ines Jonas Kavya Lars Mei Nadia Oren Priya "
    "Quentin Rosa Sven Tamar Umar Vera Wen Ximena Yusuf Zoe Anouk Bilal Carmen Deniz"
).split()
_LAST = (
    "Abernathy Brandt Castellano Delacroix Eriksen Fonseca Galloway Haddad Ivanova Jansen Kowalczyk "
    "Lindqvist Moreau Nakagawa Oyelaran Petrovic Quintero Rasmussen Sandoval Takahashi Underhill "
    "Vasquez Whitlock Xiong Yamamoto Zielinski Okonkwo Brennan Halloran Mbeki"
).split()
# Names whose UTF-8 was decoded as Latin-1 upstream, as in real files (ü → Ã¼, é → Ã©, ë → Ã«).
_MOJIBAKE_NAMES = ("JÃ¼rgen Vollmar", "RenÃ©e Fabre", "NoÃ«l Verhaegen", "SÃ¸ren Kvist", "BjÃ¶rn Ekholm",
                   "Ã\x89lodie Marchal", "Ä°pek YÄ±lmaz")
_LATEX_RESULTS = (
    "achieves a $8\\times$ speedup over the strongest baseline",
    "reduces memory by 50\\% without loss of accuracy",
    "sets a new \\textbf{state of the art} on four benchmarks",
    "keeps error below $\\epsilon = 10^{-3}$ with $O(n \\log n)$ cost",
    "improves accuracy by $+4.2\\%$ while using $3\\times$ fewer parameters",
    "converges with step size $Î¼$ and decay $Î»$ tuned once",
    "yields a 2-9Ã speedup on commodity hardware",
    "matches \\emph{oracle} performance on $\\approx 94\\%$ of the tasks",
)
_SENTENCE_TEMPLATES = (
    "We study {topic} in the {adj} setting, where existing {noun}s fail to scale.",
    "Current approaches to {topic} rely on {adj} {noun}s that are costly to train.",
    "We introduce a {adj} {noun} that {verb} {topic} by sharing structure across tasks.",
    "Our {noun} is trained end to end and {verb} prior work on {topic}.",
    "Experiments on {count} public datasets show that the {adj} {noun} {verb} strong baselines.",
    "A {adj} analysis explains why the {noun} {verb} under distribution shift.",
    "We release code and a {adj} {noun} to support further research on {topic}.",
    "The method combines a {adj} {noun} with a {adj2} {noun2} and needs no extra labels.",
    "Ablations confirm that each part of the {noun} matters for {topic}.",
    "Unlike earlier {noun}s, ours stays {adj} when the input is noisy or incomplete.",
    "We further show that the {noun} transfers to {topic} with little tuning.",
    "These results suggest that {adj} {noun}s are a practical default for {topic}.",
)


@dataclass(slots=True)
class LibrarySummary:
    """What make_library wrote."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    paper_entries: int = 0
    distinct_papers: int = 0
    bytes_written: int = 0
    # The real shape's own counts (zero for the Markdown shape):
    day_entries: int = 0
    """Papers listed, each day's listing counted once (its raw, AI and Markdown files list the same papers)."""
    repeat_entries: int = 0
    """Of day_entries, papers an earlier day listed already."""
    listing_days: int = 0
    chinese_days: int = 0
    markdown_days: int = 0


@dataclass(slots=True)
class _Paper:
    paper_id: str
    version: int | None
    title: str
    authors: str
    category: str
    tldr: str
    motivation: str
    method: str
    result: str
    conclusion: str
    abstract_lines: list[str]


class _Generator:
    """Sentence pools built once per seed, then papers assembled from them cheaply."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sentences = {cat: [self._sentence(cat) for _ in range(1500)] for cat in CATEGORY_WEIGHTS}
        self.next_number: dict[str, int] = {}
        self.distinct = 0

    def _sentence(self, cat: str) -> str:
        rng = self.rng
        return rng.choice(_SENTENCE_TEMPLATES).format(
            topic=rng.choice(_TOPICS[cat].split("|")), adj=rng.choice(_ADJECTIVES),
            adj2=rng.choice(_ADJECTIVES), noun=rng.choice(_NOUNS), noun2=rng.choice(_NOUNS),
            verb=rng.choice(_VERBS), count=rng.randint(2, 12),
        )

    def _acronym(self, rng: random.Random) -> str:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        return word.upper() if rng.random() < 0.3 else word.capitalize()

    def paper(self, day: dt.date, cat: str, rng: random.Random) -> _Paper:
        month = f"{day.year % 100:02d}{day.month:02d}"
        number = self.next_number.get(month, 0) + 1
        self.next_number[month] = number
        self.distinct += 1
        pool = self.sentences[cat]
        name = self._acronym(rng)
        topic = rng.choice(_TOPICS[cat].split("|"))
        title = f"{name}: {rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_NOUNS).capitalize()}s for {topic.title()}"
        if rng.random() < 0.05:
            title += " with $\\mathcal{O}(n)$ Cost"
        names = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(1, 9))]
        if rng.random() < 0.06:
            names[rng.randrange(len(names))] = rng.choice(_MOJIBAKE_NAMES)
        result = f"{name} {rng.choice(_LATEX_RESULTS)}." if rng.random() < 0.15 else " ".join(rng.choices(pool, k=2))
        body = rng.choices(pool, k=rng.randint(10, 14))
        body.insert(1, f"We propose {name}, which targets {topic} directly.")
        if rng.random() < 0.1:  # a multi-line abstract: continuation lines indented by two spaces
            cut = rng.randint(2, 4)
            lines = [" ".join(body[:cut])] + ["  " + " ".join(body[i:i + 3]) for i in range(cut, len(body), 3)]
        else:
            lines = [" ".join(body)]
        return _Paper(
            paper_id=f"{month}.{number:05d}", version=rng.choice((None, None, None, 1, 2)), title=title,
            authors=",".join(names), category=cat, tldr=f"{name}: {rng.choice(pool)}",
            motivation=" ".join(rng.choices(pool, k=2)), method=" ".join(rng.choices(pool, k=2)),
            result=result, conclusion=rng.choice(pool), abstract_lines=lines,
        )


def _render_day(sections: dict[str, list[tuple[_Paper, bool]]], rng: random.Random) -> str:
    out = ["<div id=toc></div>\n\n# Table of Contents\n\n"]
    for cat, papers in sections.items():
        total = len(papers) + (rng.randint(1, 6) if rng.random() < 0.2 else 0)
        out.append(f"- [{cat}](#{cat}) [Total: {total}]\n")
    out.append("\n")
    number = 0
    for cat, papers in sections.items():
        out.append(f"\n<div id='{cat}'></div>\n\n# {cat} [[Back]](#toc)\n\n")
        for paper, _cross in papers:
            number += 1
            url = f"https://arxiv.org/abs/{paper.paper_id}" + (f"v{paper.version}" if paper.version else "")
            abstract = "\n".join(paper.abstract_lines)
            out.append(
                f"### [{number}] [{paper.title}]({url})\n*{paper.authors}*\n\nMain category: {paper.category}\n\n"
                f"TL;DR: {paper.tldr}\n\n\n<details>\n  <summary>Details</summary>\n"
                f"Motivation: {paper.motivation}\n\nMethod: {paper.method}\n\nResult: {paper.result}\n\n"
                f"Conclusion: {paper.conclusion}\n\nAbstract: {abstract}\n\n</details>\n\n\n"
            )
    return "".join(out)


def make_library(directory: str | Path, days: int, seed: int = 0) -> LibrarySummary:
    """Write `days` daily digests (YYYY-MM-DD.md from START_DATE) into directory; deterministic per seed."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    gen = _Generator(seed)
    summary = LibrarySummary(directory=root)
    recent: list[list[_Paper]] = []  # the last few weekdays' papers, for cross-listed repeats
    friday: bytes | None = None
    cats, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    for index in range(days):
        day = START_DATE + dt.timedelta(days=index)
        rng = random.Random(f"{seed}-{day.isoformat()}")
        if day.weekday() >= 5 and friday is not None:
            data = friday  # no arXiv mailing at the weekend: the digest repeats Friday's
            count = friday_count
        else:
            sections: dict[str, list[tuple[_Paper, bool]]] = {cat: [] for cat in cats}
            fresh = [gen.paper(day, cat, rng) for cat in rng.choices(cats, weights, k=rng.randint(165, 205))]
            for paper in sorted(fresh, key=lambda p: p.paper_id):
                sections[paper.category].append((paper, False))
            for earlier in rng.sample(recent, min(len(recent), 3)):
                repeat = rng.choice(earlier)
                other = rng.choice([c for c in cats if c != repeat.category])
                sections[other].append((repeat, True))  # cross-listed: main category stays
            sections = {cat: papers for cat, papers in sections.items() if papers}
            data = _render_day(sections, rng).encode("utf-8")
            count = sum(len(p) for p in sections.values())
            recent = (recent + [fresh])[-4:]
            if day.weekday() == 4:
                friday, friday_count = data, count
        path = root / f"{day.isoformat()}.md"
        path.write_bytes(data)
        summary.files.append(path)
        summary.paper_entries += count
        summary.bytes_written += len(data)
    summary.distinct_papers = gen.distinct
    return summary


def make_real_library(directory: str | Path, days: int = 450, seed: int = 0) -> LibrarySummary:
    """The generator's published shape (raw + AI-enhanced JSONL, some Markdown); see real_library.py."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:  # imported from elsewhere (a test): real_library sits beside this file
        sys.path.append(here)
    from real_library import make_real_library as write_real

    return write_real(directory, days, seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic digest library for benchmarks.")
    parser.add_argument("directory", metavar="DIR")
    parser.add_argument("--days", type=int, default=None, metavar="N",
                        help="calendar days (required for the markdown shape; 450 for the real one)")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument("--shape", choices=("markdown", "real"), default="markdown",
                        help="markdown: one digest a day (default); real: the generator's data files")
    args = parser.parse_args(argv)
    if args.days is None:
        if args.shape == "markdown":
            parser.error("--days is required for the markdown shape")
        args.days = 450
    if args.days < 1:
        parser.error("--days must be at least 1")
    started = time.perf_counter()
    if args.shape == "real":
        summary = make_real_library(args.directory, args.days, args.seed)
        print(f"wrote {len(summary.files)} files ({summary.listing_days} days of raw + AI-enhanced JSONL, "
              f"{summary.chinese_days} of them Chinese; {summary.markdown_days} Markdown), "
              f"{summary.paper_entries} paper entries in all files, {summary.day_entries} listed by day "
              f"({summary.repeat_entries} repeats of earlier days), {summary.distinct_papers} distinct papers, "
              f"{summary.bytes_written / 1e6:.1f} MB in {time.perf_counter() - started:.2f} s to {summary.directory}")
        return 0
    summary = make_library(args.directory, args.days, args.seed)
    print(f"wrote {len(summary.files)} digests, {summary.paper_entries} paper entries "
          f"({summary.distinct_papers} distinct), {summary.bytes_written / 1e6:.1f} MB "
          f"in {time.perf_counter() - started:.2f} s to {summary.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
