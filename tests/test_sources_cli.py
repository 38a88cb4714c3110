"""`tui-reader source add|list|remove` and `tui-reader pull`, end to end with real git."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers, needs_git, run_cli
from tui_reader.core.config import parse_config

pytestmark = needs_git()
run = run_cli


@pytest.fixture
def fork(tmp_path: Path) -> GeneratorRepo:
    repo = GeneratorRepo(tmp_path / "repos" / "daily-arXiv-ai-enhanced")
    for day in ("2025-12-29", "2025-12-30"):
        repo.add_day(day, day_papers(day, 4))
    return repo


def config_text(home: Path) -> str:
    return (home / "config.toml").read_text()


def test_add_then_pull_then_list_then_remove(home: Path, fork: GeneratorRepo, capsys) -> None:
    (home / "config.toml").write_text("# mine\ntheme = \"nord\"\n")
    code, out, err = run(capsys, "source", "add", fork.url, "--since", "2025-12-30")
    assert code == 0 and err == ""
    assert "added source daily-arXiv-ai-enhanced (branch 'data': 2 days" in out
    assert config_text(home).startswith("# mine\ntheme = \"nord\"\n")
    code, out, err = run(capsys, "pull")
    assert (code, out, err) == (0, "daily-arXiv-ai-enhanced: 1 new day, 4 papers\n", "")
    assert (home / "library" / "daily-arXiv-ai-enhanced" / "2025-12-30.jsonl").is_file()
    code, out, _ = run(capsys, "source", "list")
    assert code == 0 and "since 2025-12-30" in out and "1 days pulled, newest 2025-12-30" in out
    code, out, _ = run(capsys, "source", "remove", "daily-arXiv-ai-enhanced", "--delete-files")
    assert code == 0 and parse_config(config_text(home)).sources == []
    assert not (home / "library" / "daily-arXiv-ai-enhanced").exists()
    assert config_text(home).startswith("# mine\ntheme = \"nord\"\n")


def test_pull_exits_1_when_one_source_fails_and_still_pulls_the_others(home, fork, tmp_path, capsys) -> None:
    run(capsys, "source", "add", fork.url, "--name", "mine")
    run(capsys, "source", "add", (tmp_path / "gone").as_uri(), "--name", "gone", "--no-check")
    code, out, err = run(capsys, "pull")
    assert code == 1
    assert out == "mine: 2 new days, 8 papers\n"
    assert err.startswith("tui-reader: gone: cannot reach") and err.count("\n") == 1
    code, out, _ = run(capsys, "pull", "mine")
    assert (code, out) == (0, "mine: up to date\n")


def test_adding_a_repository_that_is_not_a_generators_is_refused_and_nothing_is_written(home, tmp_path, capsys) -> None:
    code_only = GeneratorRepo(tmp_path / "a-python-project", layout="default-branch")
    code, out, err = run(capsys, "source", "add", code_only.url)
    assert code == 1 and out == ""
    assert "not a daily-arXiv-ai-enhanced repository (looked for a 'data' branch" in err and err.count("\n") == 1
    assert not (home / "config.toml").exists() and not (home / "library" / "a-python-project").exists()


def test_bad_input_gets_exit_2_and_one_line(home, fork, capsys) -> None:
    assert run(capsys, "pull")[0] == 2  # no sources yet
    code, _, err = run(capsys, "source", "add", fork.url, "--since", "last week")
    assert code == 2 and "since 'last week' must be a date" in err
    code, _, err = run(capsys, "source", "add", fork.url, "--name", ".hidden")
    assert code == 2 and "source name '.hidden'" in err
    run(capsys, "source", "add", fork.url)
    code, _, err = run(capsys, "source", "add", fork.url, "--name", "daily-arXiv-ai-enhanced")
    assert code == 2 and "exists already" in err
    code, _, err = run(capsys, "pull", "nope")
    assert code == 2 and "no source named 'nope'" in err
    code, _, err = run(capsys, "source", "remove", "nope")
    assert code == 2 and "no source named 'nope'" in err
    (home / "config.toml").write_text("[[source]]\nname = 3\n")
    code, _, err = run(capsys, "pull")
    assert code == 2 and err.count("\n") == 1 and "config.toml" in err


def test_a_second_fork_of_the_same_name_is_named_after_its_owner(home, fork, tmp_path, capsys) -> None:
    other = GeneratorRepo(tmp_path / "colleague" / "daily-arXiv-ai-enhanced")
    other.add_day("2025-12-30", day_papers("2025-12-30", 2), language="Korean")
    run(capsys, "source", "add", fork.url)
    code, out, _ = run(capsys, "source", "add", other.url)
    assert code == 0 and "added source colleague-daily-arXiv-ai-enhanced" in out and "languages: Korean" in out


def test_pull_without_git_says_so_in_one_line(home, fork, tmp_path, capsys, monkeypatch) -> None:
    run(capsys, "source", "add", fork.url)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out, err = run(capsys, "pull")
    assert code == 1 and out == "" and err.startswith("tui-reader: git is not installed") and err.count("\n") == 1


def test_pull_as_a_program_never_waits_on_a_prompt_and_prints_no_traceback(home, fork, tmp_path) -> None:
    config = home / "config.toml"
    config.write_text(f'[[source]]\nname = "mine"\nurl = "{fork.url}"\n\n'
                      '[[source]]\nname = "locked"\nurl = "https://127.0.0.1:9/private/repo.git"\n')
    done = subprocess.run([sys.executable, "-m", "tui_reader", "pull"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120, env={**os.environ, "TUI_READER_HOME": str(home)})
    assert done.returncode == 1
    assert done.stdout == "mine: 2 new days, 8 papers\n"
    assert done.stderr.startswith("tui-reader: locked: cannot reach") and "Traceback" not in done.stderr
