"""The command line as a newcomer meets it (issue 29): mistyped commands, errors in one
line, one rule for the paths of dump/export/stats, what export and stats say. Each runs
`python -m tui_reader` as a real process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator_repo import day_papers, markdown
from tui_reader.cli import mistyped_command
from tui_reader.core.paths import AppPaths, record_opened_paths


def tui_reader(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line as a person does (TUI_READER_HOME comes from the home fixture)."""
    return subprocess.run([sys.executable, "-m", "tui_reader", *argv], capture_output=True, text=True,
                          cwd=cwd, timeout=120, env={**os.environ, "COLUMNS": "100"})


def digest_folder(root: Path, day: str = "2025-12-29", count: int = 3) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{day}.md").write_text(markdown(day_papers(day, count)), encoding="utf-8")
    return root


def test_a_mistyped_command_is_named_with_the_one_meant(home: Path, tmp_path: Path) -> None:
    done = tui_reader("stat", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "tui-reader: unknown command 'stat'; did you mean stats? (see 'tui-reader --help')\n"
    done = tui_reader("dupm", "--query", "x", cwd=tmp_path)
    assert done.returncode == 2 and "did you mean dump?" in done.stderr


def test_a_path_that_exists_is_never_taken_for_a_mistyped_command(tmp_path: Path) -> None:
    (tmp_path / "stat").mkdir()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert mistyped_command(["stat"]) is None  # the folder ./stat: the reader opens it
        assert mistyped_command(["stats"]) is None
        assert mistyped_command(["--home", "x"]) is None
    finally:
        os.chdir(cwd)
    assert mistyped_command(["stat"]) == "stats"
    assert mistyped_command(["papers-folder"]) is None  # nothing close: a missing path, said as one


def test_a_real_path_first_still_reaches_its_command(home: Path, tmp_path: Path) -> None:
    folder = digest_folder(tmp_path / "stat")
    done = tui_reader("stats", "stat", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("papers     3\n")
    assert folder.is_dir()


def test_stats_of_a_missing_path_prints_only_the_error(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    done = tui_reader("stats", str(missing))
    assert done.returncode == 2
    assert done.stdout == ""  # no table of zeros
    assert done.stderr == f"tui-reader: {missing}: no such file or folder\n"


@pytest.mark.parametrize("argv", [("stats", "--bogus"), ("source", "add"), ("export", "--format", "docx"),
                                  ("mark", "2501.00001"), ("pull", "--since")])
def test_a_usage_error_is_one_line_without_the_usage_block(home: Path, argv: tuple[str, ...]) -> None:
    done = tui_reader(*argv)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "usage:" not in done.stderr and f"(see 'tui-reader {' '.join(argv[:1])}" in done.stderr


def test_the_usage_block_stays_under_help(home: Path) -> None:
    done = tui_reader("stats", "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: tui-reader stats")


def test_export_to_a_file_says_what_it_wrote(home: Path, tmp_path: Path) -> None:
    folder = digest_folder(tmp_path / "digests", count=4)
    target = tmp_path / "refs.bib"
    done = tui_reader("export", str(folder), "--format", "bibtex", "-o", str(target))
    assert done.returncode == 0 and done.stdout == ""
    assert done.stderr == f"tui-reader: wrote 4 papers as bibtex to {target}\n"
    assert target.read_text().count("@article") + target.read_text().count("@misc") == 4
    done = tui_reader("export", str(folder), "--format", "bibtex")  # standard output: no line added
    assert done.returncode == 0 and done.stderr == ""


def test_dump_stats_and_export_without_a_path_read_the_same_papers(home: Path, tmp_path: Path) -> None:
    """One rule: the library folder, else the paths the reader last opened, else the demo."""
    folder = digest_folder(tmp_path / "opened", count=2)
    record_opened_paths(AppPaths.resolve(str(home)).cache_dir, [str(folder)])
    dump = tui_reader("dump")
    assert dump.returncode == 0
    assert [json.loads(line)["id"] for line in dump.stdout.splitlines()] == [p["id"] for p in day_papers("2025-12-29", 2)]
    stats = tui_reader("stats")
    assert stats.returncode == 0 and stats.stdout.startswith("papers     2\n")
    export = tui_reader("export", "--format", "json")
    assert export.returncode == 0 and len(json.loads(export.stdout)) == 2
    for done in (dump, stats, export):
        assert f"reading the paths the reader last opened: {folder}" in done.stderr
    for command in ("dump", "stats", "export"):
        assert "the paths the reader last opened" in " ".join(tui_reader(command, "--help").stdout.split())


def test_stats_says_what_a_day_counts(home: Path, tmp_path: Path) -> None:
    folder = digest_folder(tmp_path / "digests", "2025-12-29", 3)
    # The next day lists the same three papers again and one new one.
    (folder / "2025-12-30.md").write_text(markdown(day_papers("2025-12-29", 3) + day_papers("2025-12-30", 1, 4)))
    done = tui_reader("stats", str(folder))
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    title = next(line for line in lines if line.startswith("per day"))
    assert "a paper counts once, on the first day it was listed" in title
    assert any(line.split()[:2] == ["2025-12-30", "1"] for line in lines)
    assert any(line.split()[:2] == ["2025-12-29", "3"] for line in lines)
