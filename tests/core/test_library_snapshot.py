"""The library snapshot gives exactly what reading every digest gives, and stays light."""
from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from tui_reader.core.library.cache import ParseCache
from tui_reader.core.library.load import load_library
from tui_reader.core.library.loading import LoadWay, load, store_loaded
from tui_reader.core.model import LONG_FIELDS, SHORT_FIELDS, Paper, long_texts
from tui_reader.core.search.haystack import PreparedText
from tui_reader.core.rank.features import FeatureCache

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from make_library import make_library
    finally:
        sys.path.remove(str(BENCHMARKS))
    make_library(tmp_path / "digests", days=12, seed=3)
    return tmp_path / "digests"


def _expected(folder: Path) -> tuple[list[Paper], list[str], PreparedText]:
    library = load_library([folder])  # no cache: every file parsed here
    papers = library.sorted_papers()
    text = PreparedText(papers)
    text.ensure(lambda: None)
    return papers, library.warnings, text


def _load(folder: Path, cache_dir: Path):
    """As the reader loads the whole library: then stores what it read the long way, once shown."""
    with ParseCache.open(cache_dir) as cache:
        snapshot = load([folder], cache, LoadWay.WHOLE)
        store_loaded(cache, snapshot)
        return snapshot


def _is_light(paper: Paper) -> bool:
    try:
        object.__getattribute__(paper, "abstract")
    except AttributeError:
        return True
    return False


def _values(paper: Paper) -> list:
    return [getattr(paper, f.name) for f in dataclasses.fields(Paper) if f.name != "text_source"]


def _same_library(snapshot, expected) -> None:
    papers, warnings, text = expected
    assert [p.id for p in snapshot.papers] == [p.id for p in papers]
    assert snapshot.warnings == warnings
    assert bytes(snapshot.prepared.data) == bytes(text.data)
    assert snapshot.prepared.bounds == text.bounds
    for got, want in zip(snapshot.papers, papers):
        assert _values(got) == _values(want)


def test_model_fields_are_short_long_appearances_and_the_source() -> None:
    names = [f.name for f in dataclasses.fields(Paper)]
    assert sorted(names) == sorted([*SHORT_FIELDS, *LONG_FIELDS, "appearances", "text_source"])


def test_a_warm_start_reads_light_papers_equal_to_parsing_every_digest(library: Path, tmp_path: Path) -> None:
    expected = _expected(library)
    first = _load(library, tmp_path / "cache")  # builds the snapshot
    warm = _load(library, tmp_path / "cache")
    assert all(_is_light(p) for p in warm.papers)
    _same_library(first, expected)
    _same_library(warm, expected)


def test_reading_every_paper_for_the_ranker_keeps_light_papers_light(library: Path, tmp_path: Path) -> None:
    _load(library, tmp_path / "cache")
    warm = _load(library, tmp_path / "cache")
    FeatureCache().rows(warm.papers)
    assert all(_is_light(p) for p in warm.papers)
    opened = warm.papers[3]
    assert opened.abstract  # asked for: read and kept
    assert not _is_light(opened)
    assert long_texts(opened) == tuple(getattr(opened, name) for name in LONG_FIELDS)


def test_a_new_day_refolds_only_what_it_touched_and_equals_a_fresh_read(library: Path, tmp_path: Path) -> None:
    _load(library, tmp_path / "cache")
    days = sorted(library.glob("*.md"))
    shutil.copy(days[-1], library / "2030-01-01.md")  # the same papers again, on a new day
    days[0].write_text(days[0].read_text().replace("Abstract:", "Abstract: Changed."))  # rewritten
    _same_library(_load(library, tmp_path / "cache"), _expected(library))
    _same_library(_load(library, tmp_path / "cache"), _expected(library))


def test_a_removed_digest_gives_the_library_without_it(library: Path, tmp_path: Path) -> None:
    _load(library, tmp_path / "cache")
    sorted(library.glob("*.md"))[4].unlink()
    _same_library(_load(library, tmp_path / "cache"), _expected(library))


@pytest.mark.slow
def test_texts_lost_from_the_cache_are_read_again_from_the_digests(library: Path, tmp_path: Path) -> None:
    _load(library, tmp_path / "cache")
    warm = _load(library, tmp_path / "cache")
    with sqlite3.connect(tmp_path / "cache" / "parsed-library.sqlite3") as db:
        db.execute("DELETE FROM paper_texts")
    expected = {p.id: p for p in _expected(library)[0]}
    paper = warm.papers[10]
    assert paper.abstract == expected[paper.id].abstract
    assert paper.tldr == expected[paper.id].tldr


def test_a_damaged_snapshot_part_means_the_long_way_with_the_same_result(library: Path, tmp_path: Path) -> None:
    _load(library, tmp_path / "cache")
    with sqlite3.connect(tmp_path / "cache" / "parsed-library.sqlite3") as db:
        db.execute("UPDATE snapshot_parts SET data = x'00ff00' WHERE kind = 'text' AND part = 0")
    _same_library(_load(library, tmp_path / "cache"), _expected(library))


def test_without_a_usable_cache_the_library_is_read_in_full(library: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    snapshot = _load(library, blocker / "cache")
    assert not any(_is_light(p) for p in snapshot.papers)
    _same_library(snapshot, _expected(library))


def test_dump_streams_the_snapshot_when_it_stands_for_the_files(library: Path, tmp_path: Path, monkeypatch) -> None:
    from tui_reader.core.library import stream as library_stream
    from tui_reader.core.library.stream import plan_library

    _load(library, tmp_path / "cache")  # the reader's snapshot
    expected = _expected(library)[0]
    monkeypatch.setattr(library_stream, "_merged_in_order", lambda *a: pytest.fail("digests merged again"))
    with ParseCache.open(tmp_path / "cache") as cache:
        got = list(plan_library([library], cache).papers(cache))
    assert [_values(p) for p in got] == [_values(p) for p in expected]
    assert not any(_is_light(p) for p in got)


def test_dump_after_a_digest_changed_merges_the_digests_again(library: Path, tmp_path: Path) -> None:
    from tui_reader.core.library.stream import plan_library

    _load(library, tmp_path / "cache")
    days = sorted(library.glob("*.md"))
    days[1].write_text(days[1].read_text().replace("Abstract:", "Abstract: Rewritten."))
    with ParseCache.open(tmp_path / "cache") as cache:
        got = list(plan_library([library], cache).papers(cache))
    assert [_values(p) for p in got] == [_values(p) for p in _expected(library)[0]]


def _stored_and_referenced_texts(cache_dir: Path) -> tuple[set[bytes], set[bytes]]:
    import marshal

    with sqlite3.connect(cache_dir / "parsed-library.sqlite3") as db:
        stored = {h for (h,) in db.execute("SELECT hash FROM paper_texts")}
        referenced = {texts_hash for (data,) in db.execute("SELECT data FROM snapshot_parts WHERE kind = 'rows'")
                      for _, _, texts_hash in marshal.loads(data)}
    return stored, referenced


def test_texts_no_kept_snapshot_refers_to_are_pruned_and_a_first_snapshot_scans_nothing(
        tmp_path: Path, monkeypatch) -> None:
    import tui_reader.core.library.snapshot as snapshot_module

    sys.path.insert(0, str(BENCHMARKS))
    try:
        from make_library import make_library
    finally:
        sys.path.remove(str(BENCHMARKS))
    folder = tmp_path / "digests"
    make_library(folder, days=40, seed=5)
    prunings: list[int] = []
    real_prune = snapshot_module._prune_texts

    def counted_prune(db):
        prunings.append(1)
        return real_prune(db)

    monkeypatch.setattr(snapshot_module, "_prune_texts", counted_prune)
    first = _load(folder, tmp_path / "cache")
    assert len(first.papers) > 1000  # past the pruning threshold's floor
    assert prunings == []  # every stored text is the new snapshot's: nothing to look for
    for round_number in (1, 2):  # every abstract rewritten twice: the first snapshot's texts fall out
        for day in folder.glob("*.md"):
            day.write_text(day.read_text().replace("Abstract:", f"Abstract: Round {round_number}."))
        _load(folder, tmp_path / "cache")
    stored, referenced = _stored_and_referenced_texts(tmp_path / "cache")
    assert prunings
    assert stored == referenced


def test_the_code_fingerprints_name_every_module_they_stand_for() -> None:
    from tui_reader.core.library import cache as cache_module
    from tui_reader.core.library import snapshot as snapshot_module

    core = Path(cache_module.__file__).resolve().parents[1]
    search_code = snapshot_module._search_text_code()
    for name in snapshot_module._SEARCH_TEXT_CODE:  # each one found (a moved module would drop out quietly)
        assert (core / name).is_file(), name
        assert f"{name}:" in search_code
    parsing = {str(path.relative_to(core)) for pattern in cache_module._PARSING_CODE for path in core.glob(pattern)}
    assert {"formats/markdown.py", "formats/jsonl.py", "formats/text.py", "model.py", "library/load.py"} <= parsing


def _snapshots_stored(cache_dir: Path) -> int:
    with sqlite3.connect(cache_dir / "parsed-library.sqlite3") as db:
        return db.execute("SELECT count(*) FROM snapshots").fetchone()[0]


def test_a_library_read_the_long_way_is_given_before_it_is_stored_then_stored_light(
        library: Path, tmp_path: Path) -> None:
    expected = _expected(library)
    cache_dir = tmp_path / "cache"
    with ParseCache.open(cache_dir) as cache:
        first = load([library], cache, LoadWay.WHOLE)
        assert first is not None and not first.stored
        assert _snapshots_stored(cache_dir) == 0  # nothing written before it is shown
        assert not any(_is_light(p) for p in first.papers)
        _same_library(first, expected)
        store_loaded(cache, first)
    assert first.stored and _snapshots_stored(cache_dir) == 1
    assert all(_is_light(p) for p in first.papers)  # the texts are on disk now: memory as a warm start's
    _same_library(first, expected)  # each text read back when asked
    with ParseCache.open(cache_dir) as cache:
        warm = load([library], cache, LoadWay.WHOLE)
        assert warm is not None and warm.stored  # the stored snapshot
    _same_library(warm, expected)
