"""Print the cost of clean_field and render_latex over every field of the sample digest,
against str.lower over the same strings (a baseline measured in the same run).

Usage: python benchmarks/bench_text.py [--repeat 5] [PATH]

The strings are exactly those the Markdown parser hands to clean_field (titles, authors,
categories, joined summary and abstract fields), collected by parsing PATH (default: the
shared sample ../shared/digests/2025-12-25.md) with clean_field swapped for a recorder.
render_latex is timed over the cleaned strings with its cache cleared before each run
(the cost when a paper is first shown), and again warm (the cost of showing it again).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui_reader.core.formats import latex; from tui_reader.core.formats import text  # noqa: E402
from tui_reader.core.formats import markdown  # noqa: E402
from timing import best_of  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "digests" / "2025-12-25.md"


def raw_fields(path: Path) -> list[str]:
    """Every string the Markdown parser would clean, before cleaning."""
    seen: list[str] = []

    def record(value: str) -> str:
        seen.append(value)
        return value

    original = markdown.clean_field
    markdown.clean_field = record
    try:
        markdown.parse_markdown_digest(path.read_text(encoding="utf-8"), str(path), None)
    finally:
        markdown.clean_field = original
    return seen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(SAMPLE))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.is_file():
        print(f"bench_text: no such file: {path}", file=sys.stderr)
        return 2

    fields = raw_fields(path)
    text.clean_field("GÃ¼l x\u201dy")  # warm up (ftfy itself loads only if a run needs it)
    cleaned = [text.clean_field(f) for f in fields]
    size = sum(len(f) for f in fields)
    suspects = sum(1 for f in fields if text._looks_garbled(f))
    with_latex = sum(1 for f in cleaned if "\\" in f or "$" in f)
    print(f"{path.name}: {len(fields)} strings, {size / 1e3:.0f} k characters, "
          f"{suspects} look like mojibake, {with_latex} hold LaTeX or dollars")

    def lower_all() -> None:
        for f in fields:
            f.lower()

    def clean_all() -> None:
        for f in fields:
            text.clean_field(f)

    def render_cold() -> None:
        latex._render_cached.cache_clear()
        for f in cleaned:
            text.render_latex(f)

    def render_warm() -> None:
        for f in cleaned:
            text.render_latex(f)

    baseline = best_of(args.repeat, lower_all)
    rows = [
        ("str.lower (baseline)", baseline),
        ("clean_field", best_of(args.repeat, clean_all)),
        ("render_latex, cold", best_of(args.repeat, render_cold)),
        ("render_latex, cached", best_of(args.repeat, render_warm)),
    ]
    for name, seconds in rows:
        per = seconds / len(fields) * 1e6
        print(f"  {name:<22} {seconds * 1e3:8.2f} ms  {per:7.2f} µs/string  "
              f"{seconds / baseline:7.1f}× baseline")
    clean_seconds = rows[1][1]
    print(f"  a year of such days (365 files): clean_field ≈ {clean_seconds * 365:.2f} s")

    from ftfy import fix_text

    whole = path.read_text(encoding="utf-8")
    seconds = best_of(min(args.repeat, 3), lambda: fix_text(whole))
    print(f"  for scale: ftfy.fix_text over the whole file {seconds * 1e3:8.2f} ms")

    latex_fields = [f for f in cleaned if "\\" in f or "$" in f]
    if latex_fields:
        def render_latex_only() -> None:
            latex._render_cached.cache_clear()
            for f in latex_fields:
                text.render_latex(f)

        seconds = best_of(args.repeat, render_latex_only)
        print(f"  render_latex on the {len(latex_fields)} strings with LaTeX: "
              f"{seconds / len(latex_fields) * 1e6:.1f} µs each")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
