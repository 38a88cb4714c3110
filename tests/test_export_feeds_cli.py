"""`tui-reader export --format atom|ris` as cron or a person runs it: a real process, read back by feedparser and rispy."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import feedparser
import rispy

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ui"


def _export(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "tui_reader", "export", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_the_top_papers_as_an_atom_feed_file_a_feed_reader_can_read(tmp_path):
    out = tmp_path / "best.atom"
    done = _export(tmp_path / "home", "--format", "atom", "--top", "3", "-o", str(out), str(FIXTURES))
    assert done.returncode == 0, done.stderr
    feed = feedparser.parse(out.read_text(encoding="utf-8"))
    assert not feed.bozo and feed.version == "atom10"
    assert len(feed.entries) == 3
    assert all(e.id.startswith("https://arxiv.org/abs/25") and e.title and e.summary for e in feed.entries)
    assert feed.feed.updated == "2025-01-07T00:00:00Z"  # the fixtures' newest day


def test_a_query_as_ris_records_for_a_reference_manager(tmp_path):
    done = _export(tmp_path / "home", "--format", "ris", "--query", "cat:cs.CV", str(FIXTURES))
    assert done.returncode == 0, done.stderr
    records = rispy.loads(done.stdout)
    assert records and all("cs.CV" in r["keywords"] for r in records)
    assert all(r["urls"][0].startswith("https://arxiv.org/abs/") and r["title"] for r in records)
