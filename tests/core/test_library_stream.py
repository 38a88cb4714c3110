"""The streamed library (core.library.stream) gives exactly what load_library and
Library.sorted_papers give: the same merged papers in the same order, the same warnings,
the same counts, for libraries with repeats across days, cross-listings, undated and
damaged files, files named in any order, through the parse cache or without it."""
from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tui_reader.core.library.cache import ParseCache
from tui_reader.core.library.counting import count_reading
from tui_reader.core.export.papers import FORMATS, export_chunks, export_papers
from tui_reader.core.library.load import load_library
from tui_reader.core.library.stream import LibraryPlan, batches, plan_library
from tui_reader.core.search.query import SearchIndex, filter_papers, parse_query
from tui_reader.core.state.store import Mark

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from library_shapes import entry as _entry, write_library  # noqa: E402

_AT = "2025-03-02T10:00:00Z"

def _assert_same(plan: LibraryPlan, cache: ParseCache | None, expected_library) -> None:
    expected = expected_library.sorted_papers()
    assert plan.warnings == expected_library.warnings
    assert plan.digests_read == len(expected_library.digests)
    assert plan.paper_count == len(expected)
    streamed = list(plan.papers(cache))
    assert [p.id for p in streamed] == [p.id for p in expected]
    assert streamed == expected  # every field, appearances included
    assert [(f.id, f.date, f.category) for f in plan.facts()] == [(p.id, p.date, p.category) for p in expected]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), days=st.integers(1, 9), named=st.booleans(), with_cache=st.booleans())
def test_streamed_papers_equal_the_loaded_librarys_sorted_papers(seed, days, named, with_cache):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        files = write_library(root, seed, days)
        paths = files if named else [root]  # named files come in shuffled order, not by date
        if not with_cache:
            _assert_same(plan_library(paths), None, load_library(paths))
            return
        with ParseCache.open(Path(tmp) / "cache") as cache:
            plan = plan_library(paths, cache)  # cold: the first pass fills the cache
            _assert_same(plan, cache, load_library(paths))
        with ParseCache.open(Path(tmp) / "cache") as cache:  # warm: both passes from the cache
            _assert_same(plan_library(paths, cache), cache, load_library(paths, cache))


def test_a_paper_relisted_long_after_its_day_keeps_its_first_date_and_place(tmp_path):
    first, later = tmp_path / "2025-01-02.jsonl", tmp_path / "2025-06-30.jsonl"
    rng = random.Random(1)
    first.write_text(json.dumps(_entry(1, rng, enhanced=False)) + "\n" + json.dumps(_entry(2, rng, enhanced=False)) + "\n")
    later.write_text(json.dumps(_entry(3, rng, enhanced=False)) + "\n" + json.dumps(_entry(1, rng, enhanced=True)) + "\n")
    streamed = list(plan_library([tmp_path]).papers())
    assert [(p.id, p.date) for p in streamed] == [
        ("2502.10003", "2025-06-30"), ("2502.10001", "2025-01-02"), ("2502.10002", "2025-01-02")]
    assert streamed[1].sources == [str(first), str(later)]
    assert streamed == load_library([tmp_path]).sorted_papers()


def test_a_file_changed_between_the_passes_leaves_out_new_papers_and_never_stalls(tmp_path):
    rng = random.Random(2)
    day = tmp_path / "2025-01-02.jsonl"
    day.write_text("".join(json.dumps(_entry(n, rng, enhanced=False)) + "\n" for n in (1, 2)))
    plan = plan_library([tmp_path])
    day.write_text(json.dumps(_entry(2, rng, enhanced=False)) + "\n" + json.dumps(_entry(9, rng, enhanced=False)) + "\n")
    assert [p.id for p in plan.papers()] == ["2502.10002"]  # 1 vanished, 9 was not planned


@pytest.mark.parametrize("query", ["paper", "ti:revisited", "cs.LG", "-paper OR tldr:TLDR", "is:read", "is:starred"])
def test_a_query_searched_a_batch_at_a_time_keeps_what_it_keeps_of_the_whole_list(tmp_path, query):
    write_library(tmp_path, seed=5, days=9)
    papers = load_library([tmp_path]).sorted_papers()
    marks = {p.id: Mark(p.id, read_at=_AT if n % 3 == 0 else None, starred_at=_AT if n % 4 == 0 else None) for n, p in enumerate(papers)}
    parsed = parse_query(query)
    kept = [batch[i] for batch in batches(iter(papers), size=4)
            for i in SearchIndex(batch, lazy=True).search(parsed, marks)]
    assert [p.id for p in kept] == [p.id for p in filter_papers(papers, query, marks=marks)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_written_a_paper_at_a_time_equals_the_export_of_the_list(tmp_path, fmt):
    write_library(tmp_path, seed=7, days=6)
    papers = load_library([tmp_path]).sorted_papers()
    marks = {p.id: Mark(p.id, read_at=_AT, note="a note", tags=("t1",)) for p in papers[::2]}
    assert "".join(export_chunks(iter(papers), marks, fmt, spool_dir=tmp_path)) == export_papers(papers, marks, fmt)
    assert "".join(export_chunks(iter([]), {}, fmt)) == export_papers([], {}, fmt)


def test_counts_from_the_first_pass_equal_counts_of_the_merged_papers(tmp_path):
    write_library(tmp_path, seed=11, days=9)
    papers = load_library([tmp_path]).sorted_papers()
    marks = {p.id: Mark(p.id, read_at=_AT if n % 2 == 0 else None, dismissed_at=_AT if n % 5 == 0 else None) for n, p in enumerate(papers)}
    assert count_reading(plan_library([tmp_path]).facts(), marks) == count_reading(papers, marks)


def test_the_second_pass_holds_a_few_days_of_papers_not_the_library(tmp_path):
    import gc

    from tui_reader.core.model import Paper

    write_library(tmp_path, seed=3, days=60)
    plan = plan_library([tmp_path])
    alive_most = handed_out = 0
    for handed_out, _paper in enumerate(plan.papers(), 1):  # nothing kept here
        if handed_out % 10 == 0:
            alive_most = max(alive_most, sum(isinstance(o, Paper) for o in gc.get_objects()))
    records = sum(len(listed) for listed in plan.members if listed)  # what load_library holds
    assert handed_out == plan.paper_count > 150
    assert alive_most < records / 5  # the first paper's many re-listings wait for its day


# ------------------------------------------------------------- the first pass's index

def _warm_plan(paths, cache_dir: Path) -> LibraryPlan:
    with ParseCache.open(cache_dir) as cache:
        return plan_library(paths, cache)


def test_a_warm_first_pass_reads_the_index_and_names_files_as_this_run_spells_them(tmp_path, monkeypatch):
    from tui_reader.core.library import stream_index as library_stream_index

    write_library(tmp_path / "lib", seed=13, days=5)
    cache_dir = tmp_path / "cache"
    monkeypatch.chdir(tmp_path)
    _warm_plan(["lib"], cache_dir)  # relative: the index's warnings name "lib/..."
    assert (cache_dir / library_stream_index.INDEX_FILE_NAME).is_file()

    asked: list[str] = []
    original = library_stream_index.read_digests

    def recording(files, *args):
        asked.extend(Path(f).name for f in files)
        return original(files, *args)

    with monkeypatch.context() as patch:
        patch.setattr(library_stream_index, "read_digests", recording)
        plan = _warm_plan([str(tmp_path / "lib")], cache_dir)
    assert sorted(asked) == ["2024-12-30.md", "2024-12-31.jsonl"]  # only the unreadable ones, never kept
    expected = load_library([str(tmp_path / "lib")])
    assert plan.warnings == expected.warnings and any(str(tmp_path) in w for w in plan.warnings)
    with ParseCache.open(cache_dir) as cache:
        assert list(plan.papers(cache)) == expected.sorted_papers()


def test_a_changed_digest_is_read_again_and_a_damaged_index_is_not_used(tmp_path):
    from tui_reader.core.library.stream_index import INDEX_FILE_NAME

    write_library(tmp_path / "lib", seed=17, days=4)
    cache_dir = tmp_path / "cache"
    _warm_plan([tmp_path / "lib"], cache_dir)
    rng = random.Random(0)
    changed = tmp_path / "lib" / "2025-03-01.jsonl"
    changed.write_text(json.dumps(_entry(999, rng, enhanced=False)) + "\n", encoding="utf-8")
    plan = _warm_plan([tmp_path / "lib"], cache_dir)
    assert "2502.10999" in plan
    assert plan.warnings == load_library([tmp_path / "lib"]).warnings
    (cache_dir / INDEX_FILE_NAME).write_bytes(b"\x00garbage" * 100)
    again = _warm_plan([tmp_path / "lib"], cache_dir)
    assert again.number == plan.number and again.warnings == plan.warnings
    assert (cache_dir / INDEX_FILE_NAME).read_bytes()[:8] != b"\x00garbage"  # written anew


def test_the_index_forgets_files_that_are_gone(tmp_path):
    import marshal

    from tui_reader.core.library.stream_index import INDEX_FILE_NAME

    write_library(tmp_path / "lib", seed=19, days=3)
    cache_dir = tmp_path / "cache"
    _warm_plan([tmp_path / "lib"], cache_dir)
    gone = tmp_path / "lib" / "2025-03-01.jsonl"
    gone.unlink()
    (tmp_path / "lib" / "2025-03-09.jsonl").write_text(
        json.dumps(_entry(500, random.Random(1), enhanced=False)) + "\n", encoding="utf-8")
    _warm_plan([tmp_path / "lib"], cache_dir)
    entries = marshal.loads((cache_dir / INDEX_FILE_NAME).read_bytes())[2]
    assert str(gone) not in entries and str(tmp_path / "lib" / "2025-03-09.jsonl") in entries


def test_whoever_takes_a_streamed_paper_runs_with_the_cyclic_collector_on(tmp_path):
    import gc

    write_library(tmp_path, seed=23, days=4)
    assert gc.isenabled()
    states = [gc.isenabled() for _ in plan_library([tmp_path]).papers()]
    assert states and all(states)  # cycles a consumer makes (json's indent encoder) are collected
    assert gc.isenabled()
