"""Peak memory and time of reading a flat synthetic HTML digest of a given size.

Usage: python benchmarks/bench_html_memory.py [MEGABYTES]   (default 36)
Each run happens in a fresh child process so its peak RSS is its own."""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import sys, time
from pathlib import Path
from tui_reader.core.formats import DigestError
from tui_reader.core.library.load import read_digest_file
start = time.perf_counter()
try:
    digest = read_digest_file(Path(sys.argv[1]))
    outcome = f"{len(digest.papers)} papers"
except DigestError as err:
    outcome = f"refused: {err}"
print(f"{time.perf_counter() - start:.1f}|{outcome}")
"""


def flat_html(megabytes: float) -> str:
    """A digest-shaped page whose every element is a direct child of <body>."""
    block = ('<h3><a href="https://arxiv.org/abs/2512.{n:05d}">Paper {n}</a></h3>'
             '<p><em>A. Author</em></p><p><strong>TL;DR:</strong> x</p>\n')
    parts, size, n = ["<!DOCTYPE html><html><body>\n"], 0, 0
    while size < megabytes * 1024 * 1024:
        piece = block.format(n=n % 100_000)
        parts.append(piece)
        size += len(piece)
        n += 1
    parts.append("</body></html>\n")
    return "".join(parts)


def measure(megabytes: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "2025-12-25.html"
        page.write_text(flat_html(megabytes), encoding="utf-8")
        size = page.stat().st_size
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = subprocess.run([sys.executable, "-c", _CHILD, str(page)], capture_output=True, text=True)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        seconds, _, outcome = result.stdout.strip().partition("|")
        peak = f"{peak_kib / 1024:.0f} MB" if peak_kib > before else "(below an earlier child's peak)"
        print(f"flat HTML {size / 1e6:.1f} MB: {seconds} s, peak RSS {peak}, {outcome or result.stderr[-200:]}")


if __name__ == "__main__":
    measure(float(sys.argv[1]) if len(sys.argv) > 1 else 36)
