"""Pilot tests: digests added to the library while the reader runs appear where the person is."""
from __future__ import annotations

import shutil
from pathlib import Path

from reader_helpers import current_id, listed_ids, wait_loaded, wait_until

from tui_reader.core.config import Config
from tui_reader.core.paths import AppPaths
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.services.library_updates import arrival_message

UI_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ui"


def new_day(source: Path, date: str, first_id: int) -> str:
    """A copy of a fixture day under another date, its papers given new ids."""
    text = source.read_text(encoding="utf-8")
    for n in range(1, 4):
        text = text.replace(f"2501.2000{n}", f"2501.{first_id + n}")
    return text


async def test_a_new_day_in_the_folder_appears_unread_with_the_cursor_kept(tmp_path, home, notifications):
    library = tmp_path / "library"
    shutil.copytree(UI_FIXTURES, library)
    app = ReaderApp([str(library)], AppPaths.resolve(home), Config(auto_read_delay=None))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "j")
        before = current_id(app)
        (library / "2025-01-08.md").write_text(new_day(library / "2025-01-07.md", "2025-01-08", 30000),
                                               encoding="utf-8")
        app.main.updates.reload()  # what the watcher calls when the folder changes
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current_id(app) == before  # the cursor stays on the paper it was on
        assert {"2501.30001", "2501.30002", "2501.30003"} <= set(listed_ids(app))
        assert "day:2025-01-08" in app.main.view.nodes
        assert not any(app.main.view.done[app.main.view.index[f"2501.3000{n}"]] for n in (1, 2, 3))
        messages = list(notifications)
        assert any(m.startswith("2025-01-08: 3 papers new to the library") for m in messages), messages


def test_the_arrival_message_names_days_newest_first_and_sums_the_rest():
    from tui_reader.core.model import Appearance, Paper

    def papers(date: str, count: int) -> list:
        return [Paper(id=f"{date}-{i}", title="t", appearances=[Appearance("d.md", date, "cs.CV")])
                for i in range(count)]

    assert arrival_message(papers("2025-01-08", 1)) == "2025-01-08: 1 paper new to the library"
    many = papers("2025-01-01", 2) + papers("2025-01-03", 5) + papers("2025-01-02", 1) + papers("2025-01-04", 3)
    assert arrival_message(many) == ("2025-01-04: 3 papers new to the library; 2025-01-03: 5 papers new to the "
                                     "library; 2025-01-02: 1 paper new to the library; and 2 more on 1 other days")


async def test_P_pulls_a_new_day_from_a_source_and_the_reader_shows_it(tmp_path, home, notifications):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from generator_repo import GeneratorRepo, day_papers

    from tui_reader.core.sources.source import Source

    repo = GeneratorRepo(tmp_path / "fork")
    repo.add_day("2025-03-03", day_papers("2025-03-03", 4))
    paths = AppPaths.resolve(home)
    paths.library_dir.mkdir(parents=True, exist_ok=True)
    config = Config(auto_read_delay=None, sources=[Source("fork", repo.url)])
    app = ReaderApp([str(paths.library_dir)], paths, config)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        assert app.main.view.papers == []
        await pilot.press("P")
        # The pull runs in a thread and the reload follows it. Not workers.wait_for_complete:
        # it raises when a reload is cancelled by a newer one (the watcher's, seeing the
        # pull's files), which a busy machine made happen.
        await wait_until(pilot, lambda: app.main.view.papers, timeout=20)
        assert sorted(p.id for p in app.main.view.papers) == [p["id"] for p in day_papers("2025-03-03", 4)]
        messages = list(notifications)
        assert any("fork: 1 new day" in m for m in messages), messages


async def test_P_without_sources_says_how_to_add_one(reader, notifications):
    async with reader(notifications=True) as pilot:
        await pilot.press("P")
        await pilot.pause()
        assert any("tui-reader source add URL" in message for message in notifications)



async def test_a_day_written_after_the_load_listed_the_files_but_before_the_watch_began_appears(
        tmp_path, home, monkeypatch, notifications):
    from tui_reader.ui.services.library_updates import LibraryUpdates

    library = tmp_path / "library"
    shutil.copytree(UI_FIXTURES, library)
    real_start = LibraryUpdates.start_watching

    def day_written_then_watch(updates: LibraryUpdates) -> None:
        # A pull by another process ending in the gap between the load and the watch.
        (library / "2025-01-08.md").write_text(new_day(library / "2025-01-07.md", "2025-01-08", 40000),
                                               encoding="utf-8")
        real_start(updates)

    monkeypatch.setattr(LibraryUpdates, "start_watching", day_written_then_watch)
    app = ReaderApp([str(library)], AppPaths.resolve(home), Config(auto_read_delay=None))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        # (wait_until, not workers.wait_for_complete: a reload cancelled by a newer one raises there)
        await wait_until(pilot, lambda: "2501.40001" in listed_ids(app), timeout=20)
        await pilot.pause()
        assert {"2501.40001", "2501.40002", "2501.40003"} <= set(listed_ids(app))
        assert any(m.startswith("2025-01-08: 3 papers new to the library") for m in notifications), notifications


async def test_P_with_a_huge_branch_in_the_settings_says_one_bounded_line(tmp_path, home, notifications):
    """Issue 24 (Low): a 900 KB branch name in config.toml made the pull's failure a 900 KB toast."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from generator_repo import GeneratorRepo, day_papers

    from tui_reader.core.formats.text import MESSAGE_LIMIT
    from tui_reader.core.sources.source import Source

    repo = GeneratorRepo(tmp_path / "fork")
    repo.add_day("2025-03-03", day_papers("2025-03-03", 2))
    paths = AppPaths.resolve(home)
    paths.library_dir.mkdir(parents=True, exist_ok=True)
    config = Config(auto_read_delay=None, sources=[Source("fork", repo.url, branch="b" * 900_000)])
    app = ReaderApp([str(paths.library_dir)], paths, config)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        await pilot.press("P")
        for _ in range(100):
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            if any("has no branch" in m for m in notifications):
                break
        failure = next(m for m in notifications if "has no branch" in m)
        assert len(failure) <= MESSAGE_LIMIT and "…" in failure and "\n" not in failure
