"""Starting the reader where it cannot work gives one clear line, not a broken screen."""
from __future__ import annotations

import argparse
import io

from tui_reader.cli.reader import run_app


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def reader_args(home) -> argparse.Namespace:
    return argparse.Namespace(paths=[], home=str(home), no_repair=False)


def test_without_a_terminal_the_reader_points_to_dump(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    assert run_app(reader_args(home)) == 2
    assert "needs a terminal" in capsys.readouterr().err


def test_term_dumb_gets_a_clear_message(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", FakeTerminal())
    monkeypatch.setattr("sys.stdout", FakeTerminal())
    monkeypatch.setenv("TERM", "dumb")
    assert run_app(reader_args(home)) == 2
    assert "TERM=dumb" in capsys.readouterr().err
