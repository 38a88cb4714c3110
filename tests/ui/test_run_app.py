"""Starting the reader where it cannot work gives one clear line, not a broken screen."""
from __future__ import annotations

import argparse
import io
from pathlib import Path

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


async def test_a_message_posted_after_the_reader_ended_is_dropped_not_waited_for(tmp_path):
    """A worker finishing as the reader quits posts its result (post_message never waits,
    unlike Textual's call_from_thread): the thread ends at once and nothing is raised."""
    import threading

    from tui_reader.core.config import Config
    from tui_reader.core.paths import AppPaths
    from tui_reader.ui.app import ReaderApp
    from tui_reader.ui.messages import StatusChanged

    from reader_helpers import wait_loaded

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "ui"
    app = ReaderApp([str(fixtures)], AppPaths.resolve(tmp_path / "home"), Config(auto_read_delay=None))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_loaded(pilot)
        main = app.main
    problems: list[BaseException] = []
    posted: list[bool] = []

    def post() -> None:
        try:
            posted.append(main.post_message(StatusChanged("late")))
        except BaseException as err:  # noqa: BLE001 - the test reports it
            problems.append(err)

    late = threading.Thread(target=post)
    late.start()
    late.join(5)
    assert not late.is_alive() and not problems
    assert posted == [False]  # dropped: the screen is closed
