"""The first screen's files: the newest dated day, or a few undated digests read whole
before the first frame instead of waiting for the loading thread."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui_reader.core.library import loading
from tui_reader.core.library.loading import EARLY_UNDATED_FILES, LoadWay, newest_day_files
from tui_reader.ui.loader import load


def load_newest_day(paths: list[str], cache_dir: Path):
    return load(paths, cache_dir, LoadWay.NEWEST_DAY)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ui"
DAY = FIXTURES / "2025-01-06.md"
OTHER_DAY = FIXTURES / "2025-01-07.md"


def test_the_newest_dated_day_is_chosen_and_undated_files_beside_it_wait():
    files = [Path("a/2025-01-06.md"), Path("a/seed.md"), Path("a/2025-01-07.md"), Path("a/2025-01-07.jsonl")]
    assert newest_day_files(files) == [Path("a/2025-01-07.md"), Path("a/2025-01-07.jsonl")]


def test_a_library_of_a_few_undated_files_is_chosen_whole():
    files = [Path(f"a/seed-{n}.md") for n in range(EARLY_UNDATED_FILES)]
    assert newest_day_files(files) == files


def test_a_library_of_many_undated_files_is_left_to_the_loading_thread():
    files = [Path(f"a/seed-{n}.md") for n in range(EARLY_UNDATED_FILES + 1)]
    assert newest_day_files(files) == []


def test_one_undated_digest_is_loaded_whole_before_the_first_frame(tmp_path: Path):
    seed = tmp_path / "seed.md"
    shutil.copyfile(DAY, seed)
    loaded = load_newest_day([str(seed)], tmp_path / "cache")
    assert loaded is not None and not loaded.partial
    assert len(loaded.papers) == 5
    assert all(a.date is None for p in loaded.papers for a in p.appearances)


def test_undated_digests_larger_than_the_early_budget_wait_for_the_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    seed = tmp_path / "seed.md"
    shutil.copyfile(DAY, seed)
    monkeypatch.setattr(loading, "EARLY_BYTES", seed.stat().st_size - 1)
    assert load_newest_day([str(seed)], tmp_path / "cache") is None


def test_a_dated_day_beside_an_undated_digest_is_shown_first_and_the_rest_follows(tmp_path: Path):
    library = tmp_path / "library"
    library.mkdir()
    shutil.copyfile(OTHER_DAY, library / "2025-01-07.md")
    shutil.copyfile(DAY, library / "seed.md")
    loaded = load_newest_day([str(library)], tmp_path / "cache")
    assert loaded is not None and loaded.partial
    assert {a.date for p in loaded.papers for a in p.appearances} == {"2025-01-07"}


async def test_a_first_start_shows_the_whole_library_then_stores_it_and_lets_its_texts_go(make_app, home):
    import sqlite3

    from reader_helpers import wait_loaded

    from tui_reader.core.library.load import load_library
    from tui_reader.core.paths import AppPaths

    expected = {p.id: p for p in load_library([FIXTURES]).sorted_papers()}
    cache_file = AppPaths.resolve(home).cache_dir / "parsed-library.sqlite3"
    for start in ("first", "warm"):
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_loaded(pilot)
            papers = app.main.view.papers
            assert [p.id for p in papers] == list(expected)
            # Stored once shown; then its whole papers became light, their texts read back on demand.
            assert all(p.text_source is not None for p in papers), start
            assert all(p == expected[p.id] for p in papers)  # every field, texts read back included
        with sqlite3.connect(cache_file) as db:
            assert db.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1
