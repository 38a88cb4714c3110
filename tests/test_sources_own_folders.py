"""`source add` never takes over a folder of the person's own files, and `source remove
--delete-files` deletes only what pulls wrote (issue 24, item 7). Real repos via file://."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers, needs_git, run_cli

pytestmark = needs_git()
run = run_cli


@pytest.fixture
def fork(tmp_path: Path) -> GeneratorRepo:
    repo = GeneratorRepo(tmp_path / "repos" / "daily-arXiv-ai-enhanced")
    for day in ("2025-01-01", "2025-01-02"):
        repo.add_day(day, day_papers(day, 3))
    return repo


def test_source_add_refuses_a_folder_of_ones_own_files_and_suggests_a_name(
        home: Path, fork: GeneratorRepo, capsys) -> None:
    own = home / "library" / "mine"
    own.mkdir(parents=True)
    (own / "2025-01-01.jsonl").write_text("my own notes\n")
    code, _out, err = run(capsys, "source", "add", fork.url, "--name", "mine")
    assert code != 0 and len(err.strip().splitlines()) == 1, err
    assert "mine" in err and "--name" in err
    assert (own / "2025-01-01.jsonl").read_text() == "my own notes\n"
    assert "[[source]]" not in ((home / "config.toml").read_text() if (home / "config.toml").exists() else "")
    assert not (own / ".tui-reader-git").exists()


def test_pull_never_overwrites_a_folder_it_did_not_make(home: Path, fork: GeneratorRepo, capsys) -> None:
    own = home / "library" / "mine"
    own.mkdir(parents=True)
    (own / "2025-01-01.jsonl").write_text("my own notes\n")
    (home / "config.toml").write_text(f'[[source]]\nname = "mine"\nurl = "{fork.url}"\n')
    code, _out, err = run(capsys, "pull")
    assert code == 1 and "mine" in err
    assert (own / "2025-01-01.jsonl").read_text() == "my own notes\n"


def test_remove_delete_files_deletes_only_what_pulls_wrote(home: Path, fork: GeneratorRepo, capsys) -> None:
    assert run(capsys, "source", "add", fork.url, "--name", "daily")[0] == 0
    assert run(capsys, "pull")[0] == 0
    folder = home / "library" / "daily"
    assert (folder / "2025-01-02.jsonl").is_file()
    (folder / "2024-12-31.md").write_text("a day I put here myself\n")
    code, out, _err = run(capsys, "source", "remove", "daily", "--delete-files")
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["2024-12-31.md"]
    assert "2024-12-31.md" in out or "1 file" in out
