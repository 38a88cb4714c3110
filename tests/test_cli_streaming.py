"""dump, export and stats, run as real processes on a library with repeats across days,
cross-listings, undated and damaged files, print what the whole loaded library gives
(load_library, sorted_papers, then the same record or format): byte for byte, stdout and
stderr, cold and warm, with --query, marks and hide rules."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.core.export.papers import export_papers, select_papers, terminal_safe_json
from tui_reader.core.search.hide import hidden_papers
from tui_reader.core.config import HideRule
from tui_reader.core.library.load import load_library
from tui_reader.core.model import paper_record
from tui_reader.core.search.query import filter_papers
from tui_reader.core.state.store import Mark, Store
from tui_reader.core.formats.text import render_latex

from library_shapes import write_library

RULE = HideRule(query="ti:revisited", reason="no revisits")


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUI_READER_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "tui_reader", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    write_library(root, seed=21, days=12)
    return root


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    root.mkdir()
    return root


def _marks(home: Path) -> dict[str, Mark]:
    with Store.open_for_reading(home / "state.sqlite3") as store:
        return store.marks()


def expected_dump(library: Path, marks: dict[str, Mark], query: str | None = None,
                  rules: list[HideRule] | None = None, include_hidden: bool = False) -> tuple[str, str]:
    """What dump printed before it streamed: the whole library loaded, sorted, filtered."""
    loaded = load_library([library])
    papers = loaded.sorted_papers()
    if query:
        papers = filter_papers(papers, query, marks=marks)
    hidden = hidden_papers(papers, rules or [], marks)
    lines = []
    for paper in papers:
        if paper.id in hidden and not include_hidden:
            continue
        record = paper_record(paper, render_latex)
        record["dismissed"] = paper.id in marks and marks[paper.id].dismissed
        if include_hidden:
            record["hidden"] = hidden.get(paper.id)
        lines.append(terminal_safe_json(json.dumps(record, ensure_ascii=False)) + "\n")
    return "".join(lines), "".join(f"tui-reader: {w}\n" for w in loaded.warnings)


def _mark_some(home: Path, library: Path) -> list[str]:
    ids = [p.id for p in load_library([library]).sorted_papers()]
    assert run(home, "mark", "--read", *ids[::3]).returncode == 0
    assert run(home, "mark", "--star", *ids[1::4]).returncode == 0
    assert run(home, "mark", "--dismiss", ids[2]).returncode == 0
    return ids


def test_dump_streams_the_same_lines_and_warnings_as_the_loaded_library_cold_and_warm(home, library):
    out, err = expected_dump(library, {})
    assert err.count("\n") >= 2 and out.count("\n") > 20  # damaged files warned about; many papers
    for _ in ("cold", "warm"):
        result = run(home, "dump", str(library))
        assert result.returncode == 0
        assert result.stdout == out
        assert result.stderr == err


@pytest.mark.parametrize("query", ["paper", "cs.LG -ti:revisited", "is:read", "is:starred OR tldr:TLDR"])
def test_dump_with_a_query_and_marks_prints_what_filtering_the_whole_list_printed(home, library, query):
    _mark_some(home, library)
    marks = _marks(home)
    out, err = expected_dump(library, marks, query)
    result = run(home, "dump", str(library), "--query", query)
    assert (result.returncode, result.stdout, result.stderr) == (0, out, err)
    assert '"dismissed": true' in run(home, "dump", str(library)).stdout


def test_dump_leaves_out_hidden_papers_or_names_their_rule_as_before(home, library):
    (home / "config.toml").write_text('[[hide]]\nquery = "ti:revisited"\nreason = "no revisits"\n', encoding="utf-8")
    hidden_out, _ = expected_dump(library, {}, rules=[RULE])
    shown_out, _ = expected_dump(library, {}, rules=[RULE], include_hidden=True)
    assert hidden_out != shown_out and '"hidden": "no revisits"' in shown_out
    assert run(home, "dump", str(library)).stdout == hidden_out
    assert run(home, "dump", str(library), "--include-hidden").stdout == shown_out


def test_dump_with_a_bad_query_prints_no_paper_and_says_why(home, library):
    result = run(home, "dump", str(library), "--query", "ti:(")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("tui-reader: bad query:")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["bibtex", "markdown", "json", "csv"])
def test_export_streams_each_format_byte_for_byte_to_a_file_and_to_stdout(home, library, tmp_path, fmt):
    _mark_some(home, library)
    marks = _marks(home)
    papers = load_library([library]).sorted_papers()
    written = tmp_path / f"out.{fmt}"
    result = run(home, "export", str(library), "--format", fmt, "--output", str(written))
    assert result.returncode == 0, result.stderr
    assert written.read_text(encoding="utf-8") == export_papers(papers, marks, fmt)
    unread = run(home, "export", str(library), "--format", fmt, "--unread", "--query", "paper")
    assert unread.stdout == export_papers(select_papers(filter_papers(papers, "paper", marks=marks), marks, "unread"),
                                          marks, fmt)
    assert not list(tmp_path.glob(".out.*"))  # no temporary file left beside the output


def test_export_of_the_starred_and_of_nothing_matching_keep_their_messages(home, library):
    _mark_some(home, library)
    with Store.open_for_reading(home / "state.sqlite3") as store:
        marks, queue = store.marks(), store.queue()
    papers = load_library([library]).sorted_papers()
    starred = run(home, "export", str(library), "--starred", "--format", "json")
    assert starred.stdout == export_papers(select_papers(papers, marks, "starred", queue), marks, "json")
    nothing = run(home, "export", str(library), "--query", "ti:nosuchword")
    assert nothing.returncode == 1 and nothing.stdout == ""
    assert nothing.stderr.splitlines()[-1] == (
        "tui-reader: nothing to export: no paper of the digests read matches --query 'ti:nosuchword'")


def test_stats_counts_every_distinct_paper_once_by_its_first_day(home, library):
    ids = _mark_some(home, library)
    papers = load_library([library]).sorted_papers()
    result = run(home, "stats", str(library))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"papers     {len(ids)}"
    read = len(ids[::3])  # the dismissed one (index 2) is not among them
    assert lines[1].startswith(f"read       {read} ")
    days = {p.date or "(no date)" for p in papers}
    title = next(n for n, line in enumerate(lines) if line.startswith("per day"))
    per_day = lines[title + 1:lines.index("per category:") - 1]
    assert len(per_day) == len(days)
    for line in per_day:
        day, count = line.split()[:2]
        assert int(count) == sum(1 for p in papers if (p.date or "(no date)") == day)
