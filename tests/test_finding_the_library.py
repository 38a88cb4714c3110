"""Finding your library (issue 18): the folder exists after the first run, --help and the
demo name it, commands say when they read the demo or the paths the reader last opened, and
an export that selects nothing that was asked for fails loudly."""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.core.paths import (
    OPENED_PATHS_FILE, AppPaths, choose_paths, demo_digest_path, demo_notice, last_opened_paths,
    reading_demo, record_opened_paths,
)
from tui_reader.core.state.store import Store

DIGEST = "".join(
    f"### [{n}] [Invented Paper {n}](https://arxiv.org/abs/2502.1000{n})\n*Ana Ortiz*\n\n"
    f"Main category: cs.AI\n\nTL;DR: Invented summary {n}.\n\n\n" for n in (1, 2, 3))


@pytest.fixture
def digest(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "2025-02-14.md"
    path.parent.mkdir()
    path.write_text("# cs.AI [[Back]](#toc)\n\n" + DIGEST, encoding="utf-8")
    return path


def test_help_names_the_library_folder(home: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "tui_reader", "--help"], capture_output=True, text=True,
                         check=True, env={**os.environ, "TUI_READER_HOME": str(home)}).stdout
    assert f"your library folder: {home / 'library'}" in out


def test_the_demo_notice_names_the_library_folder(home: Path) -> None:
    library = AppPaths.resolve(str(home)).library_dir
    assert str(library) in demo_notice(library)
    assert reading_demo([demo_digest_path()]) and not reading_demo([str(library)])


@pytest.mark.parametrize("command", ["dump", "stats"])
def test_a_command_on_an_empty_library_says_it_reads_the_demo_and_creates_the_folder(
        home: Path, capsys, command: str) -> None:
    assert main([command]) == 0
    captured = capsys.readouterr()
    assert "reading the bundled demo digest" in captured.err
    assert str(home / "library") in captured.err
    assert captured.out.strip()  # the demo's papers or counts
    assert (home / "library").is_dir()


def test_a_command_on_a_library_with_digests_says_nothing_about_the_demo(home: Path, digest: Path, capsys) -> None:
    (home / "library").mkdir()
    (home / "library" / digest.name).write_text(digest.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["dump"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and len(captured.out.splitlines()) == 3


def test_opened_paths_are_recorded_atomically_and_read_back_while_they_exist(tmp_path: Path, digest: Path) -> None:
    cache = tmp_path / "cache"
    assert record_opened_paths(cache, [str(digest), str(tmp_path / "gone.md")])
    assert json.loads((cache / OPENED_PATHS_FILE).read_text()) == {"paths": [str(digest)]}
    assert [p.name for p in cache.iterdir()] == [OPENED_PATHS_FILE]  # no temporary file left
    assert last_opened_paths(cache) == [str(digest)]
    digest.unlink()
    assert last_opened_paths(cache) == []


def test_a_damaged_opened_paths_file_means_none(tmp_path: Path) -> None:
    (tmp_path / OPENED_PATHS_FILE).write_text('{"paths": [1, null')
    assert last_opened_paths(tmp_path) == []
    app_paths = AppPaths(tmp_path / "library", tmp_path / "state.sqlite3", tmp_path, tmp_path / "config.toml")
    assert choose_paths([], app_paths, last_opened=True).origin == "demo"


def test_export_starred_on_an_empty_library_uses_the_paths_the_reader_opened(home: Path, digest: Path, capsys) -> None:
    with Store.open(home / "state.sqlite3") as store:
        store.set_starred(["2502.10002"], True)
    record_opened_paths(home / "cache", [str(digest.parent)])
    assert main(["export", "--starred", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "reading the paths the reader last opened" in captured.err and str(digest.parent) in captured.err
    assert [p["id"] for p in json.loads(captured.out)] == ["2502.10002"]


def test_stats_on_an_empty_library_counts_the_paths_the_reader_opened(home: Path, digest: Path, capsys) -> None:
    record_opened_paths(home / "cache", [str(digest)])
    assert main(["stats"]) == 0
    captured = capsys.readouterr()
    assert "last opened" in captured.err
    assert captured.out.splitlines()[0].split() == ["papers", "3"]


def test_export_of_a_selection_that_is_empty_says_so_and_exits_1(home: Path, digest: Path, capsys) -> None:
    assert main(["export", "--starred", str(digest)]) == 1
    captured = capsys.readouterr()
    assert "nothing to export" in captured.err and "--starred" in captured.err
    assert captured.out == ""


def test_export_of_everything_still_exports_without_a_selection(home: Path, digest: Path, capsys) -> None:
    assert main(["export", "--format", "json", str(digest)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return 0


def test_the_reader_start_creates_the_library_and_records_the_paths_it_opened(
        home: Path, digest: Path, monkeypatch) -> None:
    from tui_reader.cli import reader
    from tui_reader.ui import app, hangup

    opened: list[list[str]] = []

    def run(self: app.ReaderApp) -> int:
        opened.append(self.source.paths)
        return 0

    monkeypatch.setattr(app.ReaderApp, "run", run)
    monkeypatch.setattr(hangup, "watch_terminal", lambda fd: None)
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("sys.stdout", _Terminal())
    monkeypatch.setenv("TERM", "xterm-256color")
    assert reader.run_app(argparse.Namespace(paths=[str(digest)], home=str(home), no_repair=False)) == 0
    assert opened == [[str(digest)]]
    assert (home / "library").is_dir()
    assert last_opened_paths(home / "cache") == [str(digest)]
