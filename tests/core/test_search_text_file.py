"""The search text a snapshot stores in a file and a warm start maps: searched exactly as the
text made in memory, and as Query.matches answers paper by paper."""
from __future__ import annotations

import itertools
import mmap
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.library.cache import ParseCache
from tui_reader.core.library.loading import LoadWay, load, store_loaded
from tui_reader.core.library.snapshot import search_text_file
from tui_reader.core.model import Paper
from tui_reader.core.search.haystack import HAYSTACK_FIELDS, PreparedText
from tui_reader.core.search.query import QueryError, SearchCancelled, SearchIndex, parse_query, search_in_stages

_FOLDER = Path(tempfile.mkdtemp(prefix="search-text-"))
_NAMES = itertools.count()


def mapped_text(papers: list[Paper]) -> PreparedText:
    """The papers' text made in memory, written to a file and mapped back from it."""
    made = PreparedText(papers)
    made.ensure(lambda: None)
    file = _FOLDER / f"text-{next(_NAMES)}"
    made.write_to(file)
    return PreparedText.mapped(papers, file, made.bounds)


ALPHABET = "ab 模型é\U0001f600\t"
texts = st.text(alphabet=ALPHABET, max_size=12)


@st.composite
def libraries(draw) -> list[Paper]:
    count = draw(st.integers(1, 8))
    return [Paper(id=f"2501.{n:05d}", title=draw(texts), authors=draw(st.lists(texts, max_size=3)),
                  abstract=draw(texts), tldr=draw(texts), method=draw(texts), categories=draw(st.lists(texts, max_size=2)),
                  comment=draw(texts), keywords=draw(st.lists(texts, max_size=2)))
            for n in range(count)]


@settings(max_examples=200, deadline=None)
@given(libraries(), st.lists(st.tuples(st.sampled_from(["", "ti:", "au:", "abs:", "tldr:", "cat:", "comment:", "kw:", "-"]),
                                       st.text(alphabet="ab 模é", min_size=1, max_size=5)), min_size=1, max_size=5))
def test_a_mapped_text_typed_key_by_key_finds_what_matches_finds_in_every_field(papers, searches):
    mapped = SearchIndex(papers, prepared=mapped_text(papers))
    in_memory = SearchIndex(papers)
    for prefix, term in searches:
        for end in range(1, len(term) + 1):
            try:
                query = parse_query(prefix + term[:end])
            except QueryError:
                continue
            expected = [i for i, p in enumerate(papers) if query.matches(p, None)]
            assert mapped.search(query, {}) == expected, prefix + term[:end]
            assert in_memory.search(query, {}) == expected, prefix + term[:end]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "ti:", "au:", "abs:", "tldr:", '"']),
                          st.text(alphabet="ab ", min_size=1, max_size=4), st.integers(0, 4)), min_size=1, max_size=6),
       st.integers(0, 2**16))
@pytest.mark.slow
def test_mapped_searches_stopped_half_way_and_staged_leave_later_searches_right(searches, seed):
    """More papers than a slice: stopped scans keep what they passed, in file offsets; the
    staged search (the search line's) ends with what Query.matches gives."""
    rng = random.Random(seed)

    def text() -> str:
        return "".join(rng.choice("ab  模") for _ in range(rng.randint(0, 12)))

    papers = [Paper(id=f"2501.{n:05d}", title=text(), authors=[text(), text()], abstract=text(), tldr=text())
              for n in range(2300)]
    index = SearchIndex(papers, prepared=mapped_text(papers))
    for prefix, term, asks in searches:
        try:
            query = parse_query(f'"{term}"' if prefix == '"' else prefix + term)
        except QueryError:
            continue
        calls = itertools.count()
        try:
            index.search(query, {}, stop=lambda: next(calls) >= asks)
        except SearchCancelled:
            pass
        expected = [i for i, p in enumerate(papers) if query.matches(p, None)]
        stages = list(search_in_stages(index, query, {}, enough=50))
        assert stages[-1] == (expected, True), term
        assert all(found == expected[:len(found)] for found, _ in stages)


def test_the_mapped_text_is_the_file_and_a_scan_lets_its_pages_go(tmp_path: Path) -> None:
    papers = [Paper(id=f"2501.{n:05d}", title=f"paper {n}", abstract="word " * 2000) for n in range(40)]
    text = mapped_text(papers)
    assert isinstance(text.data, mmap.mmap)
    index = SearchIndex(papers, prepared=text)
    assert index.search(parse_query("abs:nowhere"), {}) == []
    assert index.search(parse_query('"paper 7"'), {}) == [7]
    assert [bytes(text.data[:6])] == [b"paper "]  # still readable after its pages were let go


def test_a_mapped_text_shorter_than_its_bounds_is_refused(tmp_path: Path) -> None:
    papers = [Paper(id="2501.00001", title="title", abstract="abstract")]
    made = PreparedText(papers)
    made.ensure(lambda: None)
    file = tmp_path / "text"
    made.write_to(file)
    file.write_bytes(file.read_bytes()[:-1])
    with pytest.raises(ValueError):
        PreparedText.mapped(papers, file, made.bounds)


def load_with_snapshot(paths: list[Path], cache: ParseCache):
    """As the reader loads the whole library: then stores what it read the long way, once shown."""
    snapshot = load(paths, cache, LoadWay.WHOLE)
    store_loaded(cache, snapshot)
    return snapshot


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "digests"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"2025-12-0{day}.md").write_text(
            f"# Daily arXiv 2025-12-0{day}\n\n## cs.CL\n\n"
            f"### [Words of day {day}](https://arxiv.org/abs/2512.0000{day})\n"
            f"**Authors:** Ann Lee\n\n**Abstract:** Translation on day {day}, 模型.\n")
    return folder


def test_a_warm_start_maps_the_text_its_snapshot_stored(library: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    with ParseCache.open(cache_dir) as cache:
        cold = load_with_snapshot([library], cache)
    with ParseCache.open(cache_dir) as cache:
        warm = load_with_snapshot([library], cache)
    assert isinstance(warm.prepared.data, mmap.mmap)
    assert bytes(warm.prepared.data) == bytes(cold.prepared.data) and warm.prepared.bounds == cold.prepared.bounds
    stored = list(cache_dir.glob("*.search-*"))
    assert len(stored) == 1
    query = parse_query("abs:模型 day 2")
    assert SearchIndex(warm.papers, prepared=warm.prepared).search(query, {}) == [
        i for i, p in enumerate(warm.papers) if query.matches(p, None)] != []


@pytest.mark.parametrize("damage", ["removed", "cut short"])
def test_a_lost_or_damaged_text_file_means_the_long_way_and_is_written_again(library: Path, tmp_path: Path,
                                                                            damage: str) -> None:
    cache_dir = tmp_path / "cache"
    with ParseCache.open(cache_dir) as cache:
        first = load_with_snapshot([library], cache)
    first_text = bytes(first.prepared.data)  # mapped from the file damaged below
    (stored,) = cache_dir.glob("*.search-*")
    if damage == "removed":
        stored.unlink()
    else:
        stored.write_bytes(stored.read_bytes()[:10])
    with ParseCache.open(cache_dir) as cache:
        again = load_with_snapshot([library], cache)
    assert [p.id for p in again.papers] == [p.id for p in first.papers]
    assert bytes(again.prepared.data) == first_text
    assert stored.stat().st_size == again.prepared.bounds[-1]


def test_only_the_kept_snapshots_keep_a_text_file(library: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    written = []
    for day in (4, 5, 6, 7):
        (library / f"2025-12-0{day}.md").write_text(
            f"# Daily arXiv 2025-12-0{day}\n\n## cs.CL\n\n### [Day {day}](https://arxiv.org/abs/2512.0000{day})\n"
            "**Authors:** Ann Lee\n\n**Abstract:** More.\n")
        with ParseCache.open(cache_dir) as cache:
            load_with_snapshot([library], cache)
            written.append(cache.file)
    kept = sorted(path.name for path in cache_dir.glob("*.search-*"))
    assert len(kept) == 2
    with ParseCache.open(cache_dir) as cache:
        keys = [key for (key,) in cache.connection.execute("SELECT key FROM snapshots")]
        assert kept == sorted(search_text_file(cache.file, key).name for key in keys)


def test_field_bounds_cover_each_field_of_each_paper() -> None:
    papers = [Paper(id="2501.00001", title="Tï", authors=["A", "B"], abstract="ab", tldr="模"),
              Paper(id="2501.00002", title="", abstract="x")]
    text = PreparedText(papers)
    text.ensure(lambda: None)
    for field in HAYSTACK_FIELDS:
        starts, ends = text.field_bounds(field)
        assert len(starts) == len(ends) == 2
    starts, ends = text.field_bounds("au")
    assert bytes(text.data[starts[0]:ends[0]]) == b"a\x00b\x00"  # the break after it is never searched for
    starts, ends = text.field_bounds("tldr")
    assert bytes(text.data[starts[0]:ends[0]]).decode() == "模" + "\x00" * 6  # five empty summary fields
