"""The command line: help lists every subcommand, queries may start with '-', the parse
cache serves repeated commands."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tui_reader.cli import SUBCOMMANDS, main


def _dump(capsys, *args: str) -> list[dict]:
    assert main(["dump", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_help_lists_every_subcommand():
    out = subprocess.run([sys.executable, "-m", "tui_reader", "--help"],
                         capture_output=True, text=True, check=True).stdout
    for name in SUBCOMMANDS:
        assert f"tui-reader {name}" in out


def test_a_query_that_starts_with_an_exclusion_is_not_taken_for_an_option(home, capsys, fixtures: Path):
    digest = fixtures / "formats" / "current" / "2024-03-05.md"
    everything = _dump(capsys, str(digest))
    cats = {p["category"] for p in everything}
    excluded = sorted(cats)[0]
    rest = _dump(capsys, "--query", f"-cat:{excluded}", str(digest))
    assert rest and all(excluded not in p["categories"] for p in rest)
    assert len(rest) < len(everything)


def test_dump_fills_the_parse_cache_under_home_and_reads_it_back(home, capsys, fixtures: Path):
    digest = fixtures / "formats" / "current" / "2024-03-05.md"
    first = _dump(capsys, str(digest))
    assert any((home / "cache").iterdir())
    assert _dump(capsys, str(digest)) == first


def test_the_reader_on_paths_that_do_not_exist_says_so_and_exits_2(home, capsys, tmp_path: Path):
    assert main([str(tmp_path / "nope.md"), str(tmp_path / "gone")]) == 2
    err = capsys.readouterr().err
    assert "nope.md: no such file or folder" in err and "gone: no such file or folder" in err
