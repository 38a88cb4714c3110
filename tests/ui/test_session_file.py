"""A damaged session file means "no session": never a crash, never a hang at start."""
from __future__ import annotations

import os
import threading

import pytest

from tui_reader.ui.session import MAX_SESSION_BYTES, Session, load_session, save_session


def _load_within(path, seconds: float = 5.0) -> Session:
    result: list[Session] = []
    worker = threading.Thread(target=lambda: result.append(load_session(path)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, "load_session did not return (it blocked on the file)"
    return result[0]


def test_a_deeply_nested_session_file_is_no_session(tmp_path):
    path = tmp_path / "session.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    assert _load_within(path) == Session()


def test_a_fifo_at_the_session_path_is_no_session_and_does_not_block(tmp_path):
    path = tmp_path / "session.json"
    os.mkfifo(path)
    assert _load_within(path) == Session()


def test_a_session_file_over_the_size_bound_is_no_session(tmp_path):
    path = tmp_path / "session.json"
    path.write_text('{"node": "x", "paper": "' + "y" * MAX_SESSION_BYTES + '"}')
    assert _load_within(path) == Session()


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b'{"node": 1e99999, "paper": []}', b"\x00" * 10])
def test_any_unreadable_session_content_is_no_session(tmp_path, content):
    path = tmp_path / "session.json"
    path.write_bytes(content)
    assert _load_within(path) == Session()


def test_a_saved_session_is_read_back(tmp_path):
    path = tmp_path / "session.json"
    assert save_session(path, Session("cat:cs.CV", "2512.20735"))
    assert _load_within(path) == Session("cat:cs.CV", "2512.20735")
