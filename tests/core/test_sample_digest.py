"""The real shared digest parses into the papers and categories it holds."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from tui_reader.core.model import TEXT_FIELDS


def test_dump_of_sample_gives_185_papers_in_five_categories(sample_digest):
    out = subprocess.run(
        [sys.executable, "-m", "tui_reader", "dump", str(sample_digest)],
        capture_output=True, text=True, check=True,
    )
    papers = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(papers) == 185
    assert Counter(p["category"] for p in papers) == {
        "cs.CV": 63, "cs.CL": 30, "cs.MA": 3, "cs.AI": 31, "cs.LG": 58,
    }
    for paper in papers:
        for name in TEXT_FIELDS:
            assert paper[name].strip(), (paper["id"], name)
        assert paper["date"] == "2025-12-25"
