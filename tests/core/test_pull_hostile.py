"""Pulling from hostile repositories: a nested line, a huge file, a failing source among others.

Real git repositories built in tmp and fetched through file:// (see generator_repo)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers, jsonl
from tui_reader.core.sources import pull as source_pull
from tui_reader.core.sources.pull import MANIFEST_FILE, PullFailure, PullResult, pull_sources
from tui_reader.core.sources.source import Source

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")


def _good_repo(path: Path, day: str = "2025-01-07") -> GeneratorRepo:
    repo = GeneratorRepo(path)
    repo.add_day(day, day_papers(day, 4))
    return repo


def test_a_deeply_nested_line_neither_crashes_the_pull_nor_stops_the_next_source(tmp_path: Path) -> None:
    hostile = GeneratorRepo(tmp_path / "hostile")
    day = "2025-01-06"
    hostile.write(f"{day}.jsonl", jsonl(day_papers(day, 2)) + "[" * 100_000 + "]" * 100_000 + "\n")
    hostile.commit(f"update: {day}")
    good = _good_repo(tmp_path / "good")
    library = tmp_path / "library"
    outcomes = pull_sources([Source("hostile", hostile.url), Source("good", good.url)], library)
    assert [type(o) for o in outcomes] == [PullResult, PullResult], outcomes
    assert (library / "hostile" / MANIFEST_FILE).is_file()
    assert (library / "good" / "2025-01-07.jsonl").is_file()
    again = pull_sources([Source("hostile", hostile.url)], library)
    assert isinstance(again[0], PullResult) and not again[0].written  # the manifest was kept


def test_any_unexpected_error_of_one_source_is_its_one_line_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _good_repo(tmp_path / "first", "2025-01-06")
    second = _good_repo(tmp_path / "second")
    real = source_pull._count_papers

    def broken(name: str, data: bytes, ids: set[str]) -> None:
        if name.startswith("2025-01-06"):
            raise MemoryError("what no test could predict")
        real(name, data, ids)

    monkeypatch.setattr(source_pull, "_count_papers", broken)
    outcomes = pull_sources([Source("first", first.url), Source("second", second.url)], tmp_path / "lib")
    assert isinstance(outcomes[0], PullFailure)
    assert "\n" not in outcomes[0].summary() and outcomes[0].summary().startswith("first: ")
    assert isinstance(outcomes[1], PullResult)
    assert (tmp_path / "lib" / "second" / "2025-01-07.jsonl").is_file()


def test_a_file_over_the_size_limit_is_refused_with_one_line_and_the_rest_pulled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_pull, "MAX_FILE_BYTES", 64 * 1024)
    repo = GeneratorRepo(tmp_path / "big")
    repo.add_day("2025-01-06", day_papers("2025-01-06", 3))
    repo.write("2025-01-07.jsonl", jsonl(day_papers("2025-01-07", 2)) + " " * (200 * 1024) + "\n")
    repo.commit("update: 2025-01-07")
    outcome = pull_sources([Source("big", repo.url)], tmp_path / "lib")[0]
    assert isinstance(outcome, PullResult)
    folder = tmp_path / "lib" / "big"
    assert (folder / "2025-01-06.jsonl").is_file()
    assert not (folder / "2025-01-07.jsonl").exists()
    assert any("2025-01-07.jsonl" in note and "limit" in note for note in outcome.notes), outcome.notes
    assert all("\n" not in note for note in outcome.notes)


def test_a_day_over_the_daily_limit_is_refused_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_pull, "MAX_DAY_BYTES", 40 * 1024)
    repo = GeneratorRepo(tmp_path / "wide")
    repo.add_day("2025-01-06", day_papers("2025-01-06", 3))
    padding = " " * (30 * 1024) + "\n"
    repo.write("2025-01-07.jsonl", jsonl(day_papers("2025-01-07", 2)) + padding)
    repo.write("2025-01-07_AI_enhanced_English.jsonl", jsonl(day_papers("2025-01-07", 2)) + padding)
    repo.commit("update: 2025-01-07")
    outcome = pull_sources([Source("wide", repo.url)], tmp_path / "lib")[0]
    assert isinstance(outcome, PullResult)
    folder = tmp_path / "lib" / "wide"
    assert (folder / "2025-01-06.jsonl").is_file()
    assert not list(folder.glob("2025-01-07*"))
    assert any("2025-01-07" in note and "limit" in note for note in outcome.notes), outcome.notes


def test_odd_file_names_upstream_are_left_out_and_the_pull_still_succeeds(tmp_path: Path) -> None:
    repo = GeneratorRepo(tmp_path / "odd")
    repo.add_day("2025-01-06", day_papers("2025-01-06", 2))
    for odd in ("2025-01-07.jsonl\n", "2025-01-08\x1b[2J.md", "2025-01-09.md\r",
                f"2025-01-06_AI_enhanced_{'L' * 220}.jsonl", "2025-01-07_AI_enhanced_\x1b]0;x\x07.jsonl"):
        repo.write(odd, jsonl(day_papers("2025-01-07", 1)))
    repo.commit("odd names")
    outcome = pull_sources([Source("odd", repo.url)], tmp_path / "lib")[0]
    assert isinstance(outcome, PullResult), outcome
    names = sorted(p.name for p in (tmp_path / "lib" / "odd").iterdir() if not p.name.startswith("."))
    assert names == ["2025-01-06.jsonl", "2025-01-06_AI_enhanced_English.jsonl"]


def test_a_new_data_branch_does_not_delete_days_still_on_the_old_branch(tmp_path: Path) -> None:
    repo = GeneratorRepo(tmp_path / "fork", layout="default-branch")
    for day in ("2025-01-06", "2025-01-07"):
        repo.add_day(day, day_papers(day, 2))
    library = tmp_path / "lib"
    assert isinstance(pull_sources([Source("fork", repo.url)], library)[0], PullResult)
    repo.git("checkout", "-q", "--orphan", "data")  # the generator's move to a data branch
    repo.git("rm", "-rq", "--cached", ".")
    for leftover in ("README.md", "main.py"):
        (repo.path / leftover).unlink(missing_ok=True)
    import shutil
    shutil.rmtree(repo.path / "data")
    repo.add_day("2025-01-08", day_papers("2025-01-08", 2))
    outcome = pull_sources([Source("fork", repo.url)], library)[0]
    assert isinstance(outcome, PullResult) and outcome.branch == "data", outcome
    days = sorted({p.name[:10] for p in (library / "fork").iterdir() if not p.name.startswith(".")})
    assert days == ["2025-01-06", "2025-01-07", "2025-01-08"]
    assert not outcome.removed
