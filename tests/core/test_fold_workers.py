"""A first start's search text folded in worker processes equals the text folded in one."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui_reader.core.library import fold_workers
from tui_reader.core.library.fold_workers import prepare_in_workers
from tui_reader.core.library.load import load_library
from tui_reader.core.model import Paper
from tui_reader.core.search.haystack import PreparedText

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> list[Paper]:
    """The generator's shape (Chinese summaries, LaTeX, repeats), and the hostile fixtures
    (lone surrogates, odd spaces, control characters)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from make_library import make_real_library
    finally:
        sys.path.remove(str(BENCHMARKS))
    folder = tmp_path_factory.mktemp("real")
    make_real_library(folder, days=9, seed=11)
    found = load_library([folder, FIXTURES]).sorted_papers()
    assert len(found) > 1000
    return found


def _in_one_process(papers: list[Paper]) -> PreparedText:
    text = PreparedText(papers)
    text.ensure(lambda: None)
    return text


def _same(got: PreparedText, want: PreparedText) -> None:
    assert got.size == want.size
    assert bytes(got.data) == bytes(want.data)
    assert got.bounds == want.bounds


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fold_workers, "PARALLEL_MIN_PAPERS", 10)
    monkeypatch.setattr(fold_workers, "PART_PAPERS", 97)  # many parts, the last one short
    monkeypatch.setattr(fold_workers, "usable_cpus", lambda: 2)


def test_the_text_folded_in_workers_is_the_text_folded_here(papers, small_parts) -> None:
    parts: list[int] = []
    made = prepare_in_workers(papers, lambda: parts.append(1))
    _same(made, _in_one_process(papers))
    assert len(parts) >= len(papers) // 97  # told after each part: a reader gives way to keys there


@pytest.mark.parametrize("worker", ["import sys; sys.exit(3)",
                                    "import sys; sys.stdout.buffer.write(b'not an answer'); sys.exit(0)"])
def test_a_worker_that_dies_or_talks_nonsense_leaves_the_fold_to_this_process(papers, small_parts, monkeypatch,
                                                                              worker) -> None:
    monkeypatch.setattr(fold_workers, "_WORKER_CODE", worker)
    _same(prepare_in_workers(papers), _in_one_process(papers))
