"""benchmarks/bench_similar.py runs end to end on a tiny written library (times printed, none asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a benchmark in a subprocess: tens of seconds

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_similar.py"


def test_bench_similar_prints_both_methods_on_a_small_library(tmp_path):
    out = subprocess.run([sys.executable, str(BENCH), str(tmp_path / "absent"), "--synthetic-days", "3",
                          "--seeds", "5"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "absent: skipping the real library" in out.stdout
    rows = [line for line in out.stdout.splitlines() if line.startswith("| TF-IDF") or line.startswith("| Truncated")]
    assert len(rows) == 2, out.stdout
    assert "Traceback" not in out.stdout + out.stderr
