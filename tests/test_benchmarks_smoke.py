"""The one-command benchmark runs end to end on a tiny library (it prints times; none is asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    from tui_reader.core.library import load_library

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
