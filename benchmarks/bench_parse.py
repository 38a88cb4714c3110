"""Print digest parse throughput (MB/s) per format against reading+decoding the same bytes.

Usage: python benchmarks/bench_parse.py [--days 20] [--seed 0] [--repeat 3]

Inputs: the shared sample digest (../shared/digests/2025-12-25.md, when present), the real
history (../shared/real/2025-q4/*.jsonl, when present) and a
synthetic library written to a temporary folder by make_library.py (invented text), in
Markdown, and the same days as AI-enhanced JSON Lines and as HTML (markdown-it-py's
CommonMark rendering, the way a static site would publish them). For each input the
baseline, measured in the same run, is reading the files and decoding them as UTF-8;
`parse` is read_digest_file (read, decode, sniff, parse, clean fields) per file.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_library import make_library  # noqa: E402
from timing import best_of  # noqa: E402

from tui_reader.core.library.load import read_digest_file  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "digests" / "2025-12-25.md"
REAL_HISTORY = ROOT.parent / "shared" / "real" / "2025-q4"
"""The generator's real history (three months of JSON Lines), when present."""


def read_and_decode(files: list[Path]) -> int:
    return sum(len(path.read_bytes().decode("utf-8", errors="replace")) for path in files)


def parse_all(files: list[Path]) -> int:
    return sum(len(read_digest_file(path).papers) for path in files)


def to_jsonl(markdown: Path, out_dir: Path) -> Path:
    """The AI-enhanced JSON Lines file of one Markdown day (records as the generator writes)."""
    digest = read_digest_file(markdown)
    path = out_dir / f"{markdown.stem}_AI_enhanced_English.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for paper in digest.papers:
            record = {
                "id": paper.id, "categories": paper.categories, "pdf": paper.url.replace("/abs/", "/pdf/"),
                "abs": paper.url, "authors": paper.authors, "title": paper.title, "comment": None,
                "summary": paper.abstract,
                "AI": {name: getattr(paper, name) for name in ("tldr", "motivation", "method", "result", "conclusion")},
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def to_html(markdown: Path, out_dir: Path) -> Path | None:
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return None
    path = out_dir / f"{markdown.stem}.html"
    body = MarkdownIt("commonmark").render(markdown.read_text(encoding="utf-8"))
    path.write_text(f"<!DOCTYPE html><html><head><title>{markdown.stem}</title></head>"
                    f"<body><article>{body}</article></body></html>", encoding="utf-8")
    return path


def report(label: str, files: list[Path], repeat: int) -> None:
    size = sum(path.stat().st_size for path in files) / 1e6
    papers = parse_all(files)  # warm up imports and caches once
    baseline = best_of(repeat, lambda: read_and_decode(files))
    parse = best_of(repeat, lambda: parse_all(files))
    print(f"{label:<34} {len(files):>5} {size:>8.2f} {papers:>8} {size / baseline:>11.1f} "
          f"{size / parse:>9.2f} {parse / baseline:>8.0f}x {papers / parse:>11.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20, help="days in the synthetic library")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    args = parser.parse_args(argv)
    print(f"{'input':<34} {'files':>5} {'MB':>8} {'papers':>8} {'base MB/s':>11} "
          f"{'parse MB/s':>9} {'vs base':>9} {'papers/s':>11}")
    if SAMPLE.is_file():
        report("sample 2025-12-25.md", [SAMPLE], args.repeat)
    else:
        print("sample: ../shared/digests/2025-12-25.md not present, skipped")
    real_files = sorted(REAL_HISTORY.glob("*.jsonl")) if REAL_HISTORY.is_dir() else []
    if real_files:
        report("real history 2025-q4", real_files, args.repeat)
    else:
        print("real history: ../shared/real/2025-q4 not present, skipped")
    with tempfile.TemporaryDirectory(prefix="tui-reader-bench-") as tmp:
        root = Path(tmp)
        markdown_files = make_library(root / "md", args.days, args.seed).files
        report(f"synthetic Markdown, {args.days} days", markdown_files, args.repeat)
        (root / "jsonl").mkdir()
        jsonl_files = [to_jsonl(path, root / "jsonl") for path in markdown_files]
        report(f"synthetic AI JSONL, {args.days} days", jsonl_files, args.repeat)
        (root / "html").mkdir()
        html_days = markdown_files[: max(1, args.days // 4)]
        html_files = [p for p in (to_html(path, root / "html") for path in html_days) if p]
        if html_files:
            report(f"synthetic HTML, {len(html_files)} days", html_files, args.repeat)
        else:
            print("HTML: markdown-it-py not installed, skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
