"""A small digest library shaped like the generator's history (repeats across days,
cross-listings, an undated file, damaged files), for the streaming tests."""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

FIRST_DAY = dt.date(2025, 3, 1)
CATEGORIES = ("cs.CL", "cs.LG", "cs.CV", "stat.ML")


def entry(number: int, rng: random.Random, *, enhanced: bool) -> dict:
    """A generator-shaped JSONL entry for paper `number`; fields vary so merging matters."""
    paper_id = f"2502.{10000 + number:05d}"
    version = rng.choice(["", "v1", "v2", "v3"])
    cats = rng.sample(CATEGORIES, rng.randint(1, 3))
    record: dict[str, object] = {
        "id": paper_id + version, "categories": cats,
        "abs": f"https://arxiv.org/abs/{paper_id}{version}",
        "authors": rng.choice([[], ["Ada Example"], ["Ada Example", "Bo Sample"]]),
        "title": rng.choice([f"Paper {number}", f"Paper {number}: $O(n)$ -- revisited", ""]) or f"P{number}",
        "comment": rng.choice([None, "", "12 pages", "Accepted at \\textbf{ICLR}"]),
        "summary": rng.choice(["", f"We study paper {number}.", f"Abstract {number} with 50\\% gain."]),
    }
    if enhanced:
        record["AI"] = {"tldr": rng.choice(["", f"TLDR {number}"]), "motivation": rng.choice(["", "Why."]),
                       "method": "How.", "result": rng.choice(["", "What."]), "conclusion": "So."}
    return record


def _markdown(entries: list[dict], rng: random.Random) -> str:
    """The generator's Markdown template, papers spread over sections (a paper may be
    listed in two sections: a cross-listing within one file)."""
    sections: dict[str, list[dict]] = {}
    for item in entries:
        for cat in rng.sample(CATEGORIES, rng.choice([1, 1, 2])):
            sections.setdefault(cat, []).append(item)
    toc = "".join(f"- [{cat}](#{cat}) [Total: {len(items)}]\n" for cat, items in sections.items())
    out = [f"<div id=toc></div>\n\n# Table of Contents\n\n{toc}\n\n"]
    for cat, items in sections.items():
        out.append(f"<div id='{cat}'></div>\n\n# {cat} [[Back]](#toc)\n\n")
        for n, e in enumerate(items, 1):
            out.append(f"### [{n}] [{e['title']}]({e['abs']})\n*{', '.join(e['authors']) or 'Anon'}*\n\n"
                       f"Main category: {e['categories'][0]}\n\nTL;DR: TLDR of {e['title']}.\n\n\n<details>\n"
                       f"  <summary>Details</summary>\nMotivation: Why.\n\nMethod: How.\n\nResult: What.\n\n"
                       f"Conclusion: So.\n\nAbstract: {e['summary'] or 'None given.'}\n\n</details>\n\n\n")
    return "".join(out)


def write_library(root: Path, seed: int, days: int) -> list[Path]:
    """A small library shaped like the generator's history: per day a raw JSONL, often an
    AI-enhanced one and sometimes Markdown; about a fifth of entries re-list an earlier
    paper (mostly a few days back, sometimes from the first day); an undated file; an
    empty, a binary and a half-broken file. Returns the files in a shuffled order."""
    rng = random.Random(seed)
    files: list[Path] = []
    next_number = 0
    earlier: list[int] = []
    for day in range(days):
        date = (FIRST_DAY + dt.timedelta(days=day)).isoformat()
        fresh = list(range(next_number, next_number + rng.randint(1, 6)))
        next_number += len(fresh)
        recent = earlier[-15:]  # mostly papers of the last few days, as in the real history
        repeats = rng.sample(recent, min(len(recent), rng.randint(0, 2)))
        if earlier and rng.random() < 0.3:
            repeats.append(earlier[0])  # months later, in spirit: the very first paper again
        numbers = fresh + repeats
        rng.shuffle(numbers)
        earlier += fresh
        folder = root / ("2025" if day % 2 else "")  # some in a subfolder
        folder.mkdir(parents=True, exist_ok=True)
        raw = folder / f"{date}.jsonl"
        raw.write_text("".join(json.dumps(entry(n, rng, enhanced=False)) + "\n" for n in numbers), encoding="utf-8")
        files.append(raw)
        if rng.random() < 0.7:
            ai = folder / f"{date}_AI_enhanced_English.jsonl"
            lines = [json.dumps(entry(n, rng, enhanced=True)) for n in numbers]
            if rng.random() < 0.3:
                lines.insert(1, "{not json at all")  # a damaged line: a warning naming the file
            ai.write_text("\n".join(lines) + "\n", encoding="utf-8")
            files.append(ai)
        if rng.random() < 0.4:
            md = folder / f"{date}.md"
            md.write_text(_markdown([entry(n, rng, enhanced=True) for n in numbers], rng), encoding="utf-8")
            files.append(md)
    undated = root / "seed.jsonl"  # no date in its name or text
    pool = list(range(next_number)) + [next_number, next_number + 1]
    undated.write_text("".join(json.dumps(entry(n, rng, enhanced=rng.random() < 0.5)) + "\n"
                               for n in rng.sample(pool, min(len(pool), 4))), encoding="utf-8")
    (root / "2024-12-30.md").write_text("", encoding="utf-8")  # empty: a warning
    (root / "2024-12-31.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))  # binary
    files += [undated, root / "2024-12-30.md", root / "2024-12-31.jsonl"]
    rng.shuffle(files)
    return files
