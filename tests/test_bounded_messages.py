"""Issue 24 (Low): `source add` printed a 900 KB line. Every message the source and pull
commands print is one line of bounded length, whatever was huge: a name, a branch, a
language, a `since`, a URL git echoes back, or a value in config.toml. Real git
repositories via file://; the command line through main()."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator_repo import GeneratorRepo, day_papers, needs_git, run_cli
from tui_reader.core.formats.text import MESSAGE_LIMIT

pytestmark = needs_git()
HUGE = "h" * 900_000
LONGEST_ARGUMENT = "h" * 120_000
"""Near the most one argument of a real command line may hold (Linux: 128 KiB)."""


@pytest.fixture
def fork(tmp_path: Path) -> GeneratorRepo:
    repo = GeneratorRepo(tmp_path / "repos" / "fork")
    repo.add_day("2025-01-01", day_papers("2025-01-01", 2))
    return repo


def _one_short_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) <= MESSAGE_LIMIT + len("tui-reader: "), (len(lines), len(text))
    return lines[0]


@pytest.mark.parametrize("option", ["--name", "--branch", "--language", "--since", "url", "missing url"])
def test_a_huge_argument_to_source_add_gives_one_short_line(home: Path, fork, capsys, option) -> None:
    if option == "url":
        argv = [fork.url + "/" + LONGEST_ARGUMENT]
    elif option == "missing url":
        argv = ["file:///nonexistent/" + LONGEST_ARGUMENT + "/repo"]
    else:
        argv = [fork.url, option, LONGEST_ARGUMENT]
    code, out, err = run_cli(capsys, "source", "add", *argv)
    assert code != 0
    line = _one_short_line(err)
    assert "…" in line and not out
    if option == "missing url":
        assert "cannot reach file:///nonexistent/hhh" in line  # what failed is still said


@pytest.mark.parametrize("config", [f"{HUGE} = 1\n", f'[[source]]\nname = "x"\nurl = "file:///nowhere/{HUGE}"\n',
                                    f'[[source]]\nname = "{HUGE}"\nurl = "file:///nowhere"\n'])
def test_a_huge_value_in_the_settings_gives_short_lines_from_source_list_and_pull(home: Path, capsys, config) -> None:
    (home / "config.toml").write_text(config, encoding="utf-8")
    for command in (["source", "list"], ["pull"], ["pull", HUGE]):
        _code, out, err = run_cli(capsys, *command)
        for line in (out + err).strip().splitlines():
            assert len(line) <= MESSAGE_LIMIT + len("tui-reader: "), (command, len(line))
