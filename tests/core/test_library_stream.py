"""The streamed library (core.library_stream) gives exactly what load_library and
Library.sorted_papers give: the same merged papers in the same order, the same warnings,
the same counts, for libraries with repeats across days, cross-listings, undated and
damaged files, files named in any order, through the parse cache or without it."""
from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tui_reader.core.cache import ParseCache
from tui_reader.core.counting import count_reading
from tui_reader.core.export import FORMATS, export_chunks, export_papers
from tui_reader.core.library import load_library
from tui_reader.core.library_stream import LibraryPlan, batches, plan_library
from tui_reader.core.query import filter_papers, parse_query, SearchIndex
from tui_reader.core.store import Mark

CATEGORIES = ("cs.CL", "cs.LG", "cs.CV", "stat.ML")
_AT = "2025-03-02T10:00:00Z"


def _entry(number: int, rng: random.Random, *, enhanced: bool) -> dict:
    """A generator-shaped JSONL entry for paper `number`; fields vary so merging matters."""
    paper_id = f"2502.{10000 + number:05d}"
    version = rng.choice(["", "v1", "v2", "v3"])
    cats = rng.sample(CATEGORIES, rng.randint(1, 3))
    entry = {
        "id": paper_id + version, "categories": cats,
        "abs": f"https://arxiv.org/abs/{paper_id}{version}",
        "authors": rng.choice([[], ["Ada Example"], ["Ada Example", "Bo Sample"]]),
        "title": rng.choice([f"Paper {number}", f"Paper {number}: $O(n)$ -- revisited", ""]) or f"P{number}",
        "comment": rng.choice([None, "", "12 pages", "Accepted at \\textbf{ICLR}"]),
        "summary": rng.choice(["", f"We study paper {number}.", f"Abstract {number} with 50\\% gain."]),
    }
    if enhanced:
        entry["AI"] = {"tldr": rng.choice(["", f"TLDR {number}"]), "motivation": rng.choice(["", "Why."]),
                       "method": "How.", "result": rng.choice(["", "What."]), "conclusion": "So."}
    return entry


def _markdown(entries: list[dict], rng: random.Random) -> str:
    """The generator's Markdown template, papers spread over sections (a paper may be
    listed in two sections: a cross-listing within one file)."""
    sections: dict[str, list[dict]] = {}
    for entry in entries:
        for cat in rng.sample(CATEGORIES, rng.choice([1, 1, 2])):
            sections.setdefault(cat, []).append(entry)
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
        date = f"2025-03-{day + 1:02d}"
        fresh = list(range(next_number, next_number + rng.randint(1, 6)))
        next_number += len(fresh)
        repeats = rng.sample(earlier, min(len(earlier), rng.randint(0, 2)))
        if earlier and rng.random() < 0.3:
            repeats.append(earlier[0])  # months later, in spirit: the very first paper again
        numbers = fresh + repeats
        rng.shuffle(numbers)
        earlier += fresh
        folder = root / ("2025" if day % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        raw = folder / f"{date}.jsonl"
        raw.write_text("".join(json.dumps(_entry(n, rng, enhanced=False)) + "\n" for n in numbers), encoding="utf-8")
        files.append(raw)
        if rng.random() < 0.7:
            ai = folder / f"{date}_AI_enhanced_English.jsonl"
            lines = [json.dumps(_entry(n, rng, enhanced=True)) for n in numbers]
            if rng.random() < 0.3:
                lines.insert(1, "{not json at all")  # a damaged line: a warning naming the file
            ai.write_text("\n".join(lines) + "\n", encoding="utf-8")
            files.append(ai)
        if rng.random() < 0.4:
            md = folder / f"{date}.md"
            md.write_text(_markdown([_entry(n, rng, enhanced=True) for n in numbers], rng), encoding="utf-8")
            files.append(md)
    undated = root / "seed.jsonl"  # no date in its name or text
    pool = list(range(next_number)) + [next_number, next_number + 1]
    undated.write_text("".join(json.dumps(_entry(n, rng, enhanced=rng.random() < 0.5)) + "\n"
                               for n in rng.sample(pool, min(len(pool), 4))), encoding="utf-8")
    (root / "2025-03-30.md").write_text("", encoding="utf-8")  # empty: a warning
    (root / "2025-03-31.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))  # binary
    files += [undated, root / "2025-03-30.md", root / "2025-03-31.jsonl"]
    rng.shuffle(files)
    return files


def _assert_same(plan: LibraryPlan, cache: ParseCache | None, expected_library) -> None:
    expected = expected_library.sorted_papers()
    assert plan.warnings == expected_library.warnings
    assert plan.digests_read == len(expected_library.digests)
    assert plan.paper_count == len(expected)
    streamed = list(plan.papers(cache))
    assert [p.id for p in streamed] == [p.id for p in expected]
    assert streamed == expected  # every field, appearances included
    assert [(f.id, f.date, f.category) for f in plan.facts()] == [(p.id, p.date, p.category) for p in expected]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), days=st.integers(1, 9), named=st.booleans(), with_cache=st.booleans())
def test_streamed_papers_equal_the_loaded_librarys_sorted_papers(seed, days, named, with_cache):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        files = write_library(root, seed, days)
        paths = files if named else [root]  # named files come in shuffled order, not by date
        if not with_cache:
            _assert_same(plan_library(paths), None, load_library(paths))
            return
        with ParseCache.open(Path(tmp) / "cache") as cache:
            plan = plan_library(paths, cache)  # cold: the first pass fills the cache
            _assert_same(plan, cache, load_library(paths))
        with ParseCache.open(Path(tmp) / "cache") as cache:  # warm: both passes from the cache
            _assert_same(plan_library(paths, cache), cache, load_library(paths, cache))


def test_a_paper_relisted_long_after_its_day_keeps_its_first_date_and_place(tmp_path):
    first, later = tmp_path / "2025-01-02.jsonl", tmp_path / "2025-06-30.jsonl"
    rng = random.Random(1)
    first.write_text(json.dumps(_entry(1, rng, enhanced=False)) + "\n" + json.dumps(_entry(2, rng, enhanced=False)) + "\n")
    later.write_text(json.dumps(_entry(3, rng, enhanced=False)) + "\n" + json.dumps(_entry(1, rng, enhanced=True)) + "\n")
    streamed = list(plan_library([tmp_path]).papers())
    assert [(p.id, p.date) for p in streamed] == [
        ("2502.10003", "2025-06-30"), ("2502.10001", "2025-01-02"), ("2502.10002", "2025-01-02")]
    assert streamed[1].sources == [str(first), str(later)]
    assert streamed == load_library([tmp_path]).sorted_papers()


def test_a_file_changed_between_the_passes_leaves_out_new_papers_and_never_stalls(tmp_path):
    rng = random.Random(2)
    day = tmp_path / "2025-01-02.jsonl"
    day.write_text("".join(json.dumps(_entry(n, rng, enhanced=False)) + "\n" for n in (1, 2)))
    plan = plan_library([tmp_path])
    day.write_text(json.dumps(_entry(2, rng, enhanced=False)) + "\n" + json.dumps(_entry(9, rng, enhanced=False)) + "\n")
    assert [p.id for p in plan.papers()] == ["2502.10002"]  # 1 vanished, 9 was not planned


@pytest.mark.parametrize("query", ["paper", "ti:revisited", "cs.LG", "-paper OR tldr:TLDR", "is:read", "is:starred"])
def test_a_query_searched_a_batch_at_a_time_keeps_what_it_keeps_of_the_whole_list(tmp_path, query):
    write_library(tmp_path, seed=5, days=9)
    papers = load_library([tmp_path]).sorted_papers()
    marks = {p.id: Mark(p.id, read_at=_AT if n % 3 == 0 else None, starred_at=_AT if n % 4 == 0 else None) for n, p in enumerate(papers)}
    parsed = parse_query(query)
    kept = [batch[i] for batch in batches(iter(papers), size=4)
            for i in SearchIndex(batch, lazy=True).search(parsed, marks)]
    assert [p.id for p in kept] == [p.id for p in filter_papers(papers, query, marks=marks)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_written_a_paper_at_a_time_equals_the_export_of_the_list(tmp_path, fmt):
    write_library(tmp_path, seed=7, days=6)
    papers = load_library([tmp_path]).sorted_papers()
    marks = {p.id: Mark(p.id, read_at=_AT, note="a note", tags=("t1",)) for p in papers[::2]}
    assert "".join(export_chunks(iter(papers), marks, fmt, spool_dir=tmp_path)) == export_papers(papers, marks, fmt)
    assert "".join(export_chunks(iter([]), {}, fmt)) == export_papers([], {}, fmt)


def test_counts_from_the_first_pass_equal_counts_of_the_merged_papers(tmp_path):
    write_library(tmp_path, seed=11, days=9)
    papers = load_library([tmp_path]).sorted_papers()
    marks = {p.id: Mark(p.id, read_at=_AT if n % 2 == 0 else None, dismissed_at=_AT if n % 5 == 0 else None) for n, p in enumerate(papers)}
    assert count_reading(plan_library([tmp_path]).facts(), marks) == count_reading(papers, marks)
