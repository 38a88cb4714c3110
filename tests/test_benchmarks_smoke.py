"""The one-command benchmark runs end to end on a tiny library (it prints times; none is asserted)."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a benchmark in a subprocess: tens of seconds

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def test_quick_benchmark_run_exits_cleanly_and_prints_the_table(tmp_path):
    out = subprocess.run(
        [sys.executable, str(RUN), "--quick"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TUI_READER_HOME": str(tmp_path / "home")},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "| figure | 1 day | 3 days | target |" in out.stdout
    assert "core load, warm cache (in-process)" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_real_shape_benchmark_run_exits_cleanly_and_prints_issue_15s_rows(tmp_path):
    out = subprocess.run(
        [sys.executable, str(RUN), "--shape", "real", "--days", "3", "--runs", "1", "--keys", "2"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TUI_READER_HOME": str(tmp_path / "home")},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "| figure | real shape, 3 days | target |" in out.stdout
    for row in ("warm start → whole library loaded", "cold start (no parse cache) → whole library loaded",
                "reader peak RSS", "`tui-reader dump`: peak RSS", "reader (pty): search key → first screen"):
        line = next(line for line in out.stdout.splitlines() if line.startswith(f"| {row}"))
        assert "n/a" not in line, line
    assert "Traceback" not in out.stdout + out.stderr


def test_library_generator_is_deterministic_and_repeats_friday_at_weekends(tmp_path):
    sys.path.insert(0, str(RUN.parent))
    try:
        from make_library import make_library
    finally:
        sys.path.remove(str(RUN.parent))
    first = make_library(tmp_path / "a", 7, seed=3)
    second = make_library(tmp_path / "b", 7, seed=3)
    names = [p.name for p in first.files]
    assert names == [p.name for p in second.files]
    assert names[0] == "2025-01-01.md" and names[-1] == "2025-01-07.md"
    for a, b in zip(first.files, second.files):
        assert a.read_bytes() == b.read_bytes()
    by_name = {p.name: p.read_bytes() for p in first.files}
    assert by_name["2025-01-04.md"] == by_name["2025-01-03.md"] == by_name["2025-01-05.md"]  # Sat, Sun = Fri
    assert by_name["2025-01-06.md"] != by_name["2025-01-03.md"]
    assert make_library(tmp_path / "c", 7, seed=4).files[0].read_bytes() != by_name["2025-01-01.md"]


def test_generated_library_parses_like_a_real_one(tmp_path):
    sys.path.insert(0, str(RUN.parent))
    try:
        from make_library import CATEGORY_WEIGHTS, make_library
    finally:
        sys.path.remove(str(RUN.parent))
    from tui_reader.core.library.load import load_library

    summary = make_library(tmp_path / "lib", 10, seed=1)
    library = load_library([tmp_path / "lib"])
    assert not library.warnings
    assert len(library.digests) == 10
    assert sum(len(d.papers) for d in library.digests) == summary.paper_entries
    assert len(library.papers) == summary.distinct_papers < summary.paper_entries
    assert {p.category for p in library.papers.values()} == set(CATEGORY_WEIGHTS)
    assert any(len(set(p.categories)) > 1 for p in library.papers.values())  # cross-listed repeats
    assert all(150 <= len(d.papers) <= 215 for d in library.digests)
    raw = "".join(path.read_text(encoding="utf-8") for path in summary.files)
    for quirk in ("$8\\times$", "50\\%", "\\textbf{", "Ã¶", "Î¼", "2-9Ã speedup", "\n  "):
        assert quirk in raw, quirk
    assert any(total > len([p for p in d.papers if p.appearances[0].category == cat])
               for d in library.digests for cat, total in d.declared_totals.items())


def test_real_shape_writes_raw_and_ai_jsonl_and_markdown_that_load_cleanly_with_repeats_merged(tmp_path):
    sys.path.insert(0, str(RUN.parent))
    try:
        from make_library import make_real_library
    finally:
        sys.path.remove(str(RUN.parent))
    from tui_reader.core.library.load import load_library

    summary = make_real_library(tmp_path / "lib", 8, seed=2)  # Wed 1 Jan to Wed 8 Jan 2025: 6 weekdays
    names = sorted(p.name for p in summary.files)
    assert names == sorted(p.name for p in (tmp_path / "lib").iterdir())
    weekdays = ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-06", "2025-01-07", "2025-01-08"]
    assert [n for n in names if n.endswith(".jsonl") and "_AI_" not in n] == [f"{d}.jsonl" for d in weekdays]
    ai_files = [n for n in names if "_AI_enhanced_" in n]
    assert [n[:10] for n in ai_files] == weekdays  # nothing at the weekend
    assert {n[10:] for n in ai_files} == {"_AI_enhanced_English.jsonl", "_AI_enhanced_Chinese.jsonl"}
    assert any(n.endswith(".md") for n in names)
    first = json.loads((tmp_path / "lib" / ai_files[0]).read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == ["id", "categories", "pdf", "abs", "authors", "title", "comment", "summary", "AI"]
    assert list(first["AI"]) == ["tldr", "motivation", "method", "result", "conclusion"]

    library = load_library([tmp_path / "lib"])
    assert not library.warnings
    assert sum(len(d.papers) for d in library.digests) == summary.paper_entries
    assert len(library.papers) == summary.distinct_papers < summary.day_entries  # repeats merged by id
    jsonl = [d for d in library.digests if d.format == "jsonl"]
    assert Counter(d.date for d in jsonl) == {day: 2 for day in weekdays}  # raw and AI-enhanced
    assert all(150 <= len(d.papers) <= 500 for d in jsonl)
    assert 0.15 < summary.repeat_entries / summary.day_entries < 0.22
    assert any(len({a.date for a in p.appearances}) > 1 for p in library.papers.values())
    cjk = [p for p in library.papers.values() if any("\u4e00" <= ch <= "\u9fff" for ch in p.tldr + p.method)]
    assert cjk and all(p.title.isascii() for p in cjk)  # Chinese summaries, English titles, as upstream
    assert all(p.tldr and p.conclusion and p.abstract for p in library.papers.values())
    again = make_real_library(tmp_path / "again", 8, seed=2)
    assert [p.read_bytes() for p in again.files] == [p.read_bytes() for p in summary.files]
