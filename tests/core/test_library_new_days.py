"""New days merged into a library in memory give exactly what reading every digest gives."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tui_reader.core.library.cache import ParseCache
from tui_reader.core.library.load import load_library
from tui_reader.core.library.loading import LoadWay, load, store_loaded
from tui_reader.core.library.snapshot import Snapshot
from tui_reader.core.search.haystack import PreparedText

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def days(tmp_path: Path) -> list[Path]:
    """Sixteen calendar days (twelve weekdays) in the generator's shape (raw and AI JSONL,
    some Markdown; papers listed again on later days), written apart: the test moves them
    into the library."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from make_library import make_real_library
    finally:
        sys.path.remove(str(BENCHMARKS))
    make_real_library(tmp_path / "all", days=16, seed=7)
    return sorted((tmp_path / "all").iterdir())


def _move(files: list[Path], library: Path) -> None:
    library.mkdir(exist_ok=True)
    for path in files:
        shutil.copy(path, library / path.name)


def _load(library: Path, cache_dir: Path, current: Snapshot | None = None) -> Snapshot:
    """As the reader loads: the whole library at start (stored once shown), then new days."""
    with ParseCache.open(cache_dir) as cache:
        if current is None:
            snapshot = load([library], cache, LoadWay.WHOLE)
            assert snapshot is not None
            store_loaded(cache, snapshot)
            return snapshot
        merged = load([library], cache, LoadWay.NEW_DAYS, current=current)
        assert merged is not None
        return merged


def _merged_in_memory(merged: Snapshot, shown: Snapshot) -> bool:
    """The papers no new day touched are the shown ones themselves, not read again."""
    return bool({id(p) for p in merged.papers} & {id(p) for p in shown.papers})


def _same_as_reading_every_digest(snapshot: Snapshot, library: Path) -> None:
    fresh = load_library([library])
    papers = fresh.sorted_papers()
    text = PreparedText(papers)
    text.ensure(lambda: None)
    assert [p.id for p in snapshot.papers] == [p.id for p in papers]
    assert snapshot.warnings == fresh.warnings
    for got, want in zip(snapshot.papers, papers):
        assert got == want  # every field but the text source
    assert snapshot.prepared is not None
    assert bytes(snapshot.prepared.data) == bytes(text.data)
    assert snapshot.prepared.bounds == text.bounds


def _day_groups(files: list[Path]) -> list[list[Path]]:
    groups: dict[str, list[Path]] = {}
    for path in files:
        groups.setdefault(path.name[:10], []).append(path)
    return list(groups.values())


def test_new_days_merged_in_memory_equal_a_full_read_and_are_stored_for_the_next_start(
        days: list[Path], tmp_path: Path) -> None:
    library, cache_dir = tmp_path / "library", tmp_path / "cache"
    groups = _day_groups(days)
    _move([p for group in groups[:-2] for p in group], library)
    shown = _load(library, cache_dir)
    shown.papers[3].abstract  # noqa: B018 (a paper opened: its texts read from the snapshot)
    shown_ids = [p.id for p in shown.papers]
    for group in groups[-2:]:  # one day, then the next, as a running reader sees them
        _move(group, library)
        merged = _load(library, cache_dir, current=shown)
        assert not merged.stored and _merged_in_memory(merged, shown)  # not read the long way
        relisted = {p.id for p in merged.papers} & set(shown_ids) & {
            paper_id for path in group for paper_id in load_library([path]).papers}
        assert relisted  # the generator's shape lists earlier papers again
        _same_as_reading_every_digest(merged, library)
        with ParseCache.open(cache_dir) as cache:
            store_loaded(cache, merged)
        shown, shown_ids = merged, [p.id for p in merged.papers]
    assert [p.id for p in shown.papers[:len(shown_ids)]] == shown_ids
    next_start = _load(library, cache_dir)
    assert next_start.stored and all(p.text_source is not None for p in next_start.papers)  # its snapshot
    _same_as_reading_every_digest(next_start, library)


@pytest.mark.parametrize("change", ["rewritten", "removed", "older day"])
def test_anything_but_new_days_is_read_the_long_way_with_the_same_result(
        days: list[Path], tmp_path: Path, change: str) -> None:
    library, cache_dir = tmp_path / "library", tmp_path / "cache"
    groups = _day_groups(days)
    held_back = groups[0] if change == "older day" else groups[-1]
    _move([p for group in groups if group is not held_back for p in group], library)
    shown = _load(library, cache_dir)
    first = sorted(library.iterdir())[0]
    if change == "rewritten":
        first.write_text(first.read_text(encoding="utf-8").replace("a", "b", 1), encoding="utf-8")
    elif change == "removed":
        first.unlink()
    _move(held_back, library)
    merged = _load(library, cache_dir, current=shown)
    assert not _merged_in_memory(merged, shown)  # read the long way
    _same_as_reading_every_digest(merged, library)
