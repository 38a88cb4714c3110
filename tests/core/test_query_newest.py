"""date:newest is the library's newest day, whatever the clock says: in the reader's index
and in dump, which searches a batch of papers at a time."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from tui_reader import cli
from tui_reader.core.library.load import load_library
from tui_reader.core.search.query import QueryError, SearchIndex, parse_query

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator_repo import day_papers, markdown  # noqa: E402

DAYS = {"2025-03-03": 3, "2025-03-04": 2, "2025-03-06": 4}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for day, count in DAYS.items():
        (folder / f"{day}.md").write_text(markdown(day_papers(day, count)), encoding="utf-8")
    return folder


def test_date_newest_finds_the_newest_day_long_after_it(library):
    papers = load_library([library]).sorted_papers()
    index = SearchIndex(papers)
    found = index.search(parse_query("date:newest", today=date(2026, 12, 5)), {})
    assert sorted(papers[i].id for i in found) == sorted(p["id"] for p in day_papers("2025-03-06", 4))
    assert index.search(parse_query("date:today", today=date(2026, 12, 5)), {}) == []
    assert index.newest_day() == "2025-03-06"
    assert len(index.search(parse_query("-date:newest"), {})) == 5


def test_date_newest_takes_no_comparison():
    with pytest.raises(QueryError, match="newest"):
        parse_query("date:>=newest")


def test_dump_query_date_newest_gives_the_newest_day_of_the_library(library, tmp_path, capsys, monkeypatch):
    from tui_reader.core.library import stream as library_stream

    monkeypatch.setattr(library_stream.batches, "__defaults__", (2,))  # many batches, one newest day
    assert cli.main(["dump", "--home", str(tmp_path / "home"), "--query", "date:newest", str(library)]) == 0
    dumped = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert sorted(dumped) == sorted(p["id"] for p in day_papers("2025-03-06", 4))
