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


async def test_a_result_handed_back_after_the_reader_ended_is_dropped_not_waited_for():
    """A worker finishing as the reader quits must not hang the process at exit (Textual's
    call_from_thread would wait for ever once the loop has stopped)."""
    import asyncio
    import threading

    from tui_reader.ui.ui_thread import UiCalls

    calls = UiCalls()
    seen: list[int] = []
    worker = threading.Thread(target=calls, args=(seen.append, 1))
    worker.start()
    worker.join(5)
    await asyncio.sleep(0.05)
    assert seen == [1]
    loop = asyncio.new_event_loop()
    loop.close()
    calls._loop = loop  # the reader's loop after it ended
    done = threading.Thread(target=calls, args=(seen.append, 2))
    done.start()
    done.join(5)
    assert not done.is_alive() and seen == [1]
