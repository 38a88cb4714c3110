"""The real program in a pseudo-terminal: no digest payload reaches the terminal's raw
output, dumb and small terminals get a message or a reduced layout, resizing never
crashes, and signals (Ctrl+C, Ctrl+Z, a lost connection, kill) leave the state whole."""
from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from terminal import Terminal
from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store

pytest.importorskip("pty")
pytest.importorskip("pyte")

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
FIRST_PAPER = "2501.10001"
"""The hostile fixture's first paper (the list's first row)."""
# Bytes that would act on the terminal if a digest's text reached it unfiltered.
PAYLOADS = (
    b"]52;c;ZXZpbA",                # OSC 52 clipboard write
    b"]0;pwned",                    # OSC 0 window title
    b"pwned",
    b"]8;;https://evil",            # OSC 8 hyperlink
    b"\x1b[2JClear",                # clear screen, from an author name
    b"\x1b[31mRed",                 # colour, from the title
    b"\xe2\x80\xae",                # U+202E right-to-left override
    b"\xe2\x81\xa6",                # U+2066 left-to-right isolate
    b"\xc2\x9b", b"\xc2\x9d",       # 8-bit CSI and OSC
)
START_TIMEOUT = 60.0
"""Seconds to wait for the first screen: the machine running the tests may be busy."""
PAUSE = 0.4
"""Seconds between keys, as a person types them."""


@pytest.fixture
def run_reader(tmp_path: Path, terminals):
    """Start the reader (`python -m tui_reader ARGS`) in a terminal (100×30 unless told)
    with a private home; killed after the test."""
    home = tmp_path / "home"
    home.mkdir()

    def start(*args: str, size: tuple[int, int] = (100, 30), term: str = "xterm-256color") -> Terminal:
        return terminals([sys.executable, "-m", "tui_reader", *args], size=size, home=home, term=term)

    start.home = home  # type: ignore[attr-defined]
    return start


def stored_marks(home: Path) -> dict:
    with Store.open(AppPaths.resolve(home).state_file, repair=False) as store:
        assert store.notice is None or "moved" not in store.notice.lower(), store.notice
        return store.marks()


def wait_for_mark(reader: Terminal, home: Path, paper: str, field: str, timeout: float = 30.0) -> None:
    """Poll the store (reading the reader's output meanwhile, so it never blocks writing)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if AppPaths.resolve(home).state_file.exists():
            mark = stored_marks(home).get(paper)
            if mark is not None and getattr(mark, field):
                return
        reader.read(0.1)
    raise AssertionError(reader.describe(f"{paper} never became {field} in the store"))


def assert_no_payload(output: bytes) -> None:
    for payload in PAYLOADS:
        assert payload not in output, payload
    assert b"Traceback" not in output


def test_no_digest_payload_reaches_the_terminal_on_any_paper(run_reader):
    reader = run_reader(str(HOSTILE))
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    for _ in range(4):  # open each paper, scroll to its end, back to the list, next paper
        reader.press("enter", "end", "h", "j", pause=PAUSE)
    reader.press("w", pause=0.8)
    reader.press("escape", pause=0.8)  # a lone ESC is told from a key sequence by a pause
    reader.press("?", pause=0.8)
    reader.press("escape", pause=0.8)
    reader.press("q", pause=PAUSE)
    assert reader.wait_exit() == 0
    output = bytes(reader.output)
    assert b"Injection" in output and b"Terminal" in output and b"Clear" in output
    assert_no_payload(output)
    assert output.rstrip().endswith(b"\x1b[?1049l") or b"\x1b[?1049l" in output[-400:]  # screen restored


def test_term_dumb_gets_one_clear_line_and_exit_code_2(run_reader):
    reader = run_reader(str(HOSTILE), term="dumb")
    assert reader.wait_exit() == 2
    output = bytes(reader.output).decode("utf-8", "replace")
    assert "TERM=dumb" in output and "dump" in output
    assert len(output.strip().splitlines()) == 1
    assert "Traceback" not in output and "\x1b[" not in output


def test_a_40x10_terminal_shows_the_list_and_opens_papers_full_screen(run_reader):
    reader = run_reader(str(HOSTILE), size=(40, 10))
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    assert "Carol" not in reader.screen  # the list only: no authors
    reader.press("j", "enter", pause=0.8)
    reader.wait_for("Carol")  # the second paper's authors, full screen
    reader.press("escape", pause=0.8)
    reader.press("q", pause=PAUSE)
    assert reader.wait_exit() == 0
    assert_no_payload(bytes(reader.output))


def test_a_tiny_terminal_says_it_is_too_small(run_reader):
    reader = run_reader(str(HOSTILE), size=(30, 8))
    reader.wait_for("small", timeout=START_TIMEOUT)
    reader.press("q", pause=PAUSE)
    assert reader.wait_exit() == 0


def test_resizing_at_random_moments_never_crashes(run_reader):
    rng = random.Random(7)
    reader = run_reader(str(HOSTILE))
    reader.resize(rng.randint(1, 200), rng.randint(1, 60))  # while starting
    reader.wait_for_output(b"Markup", timeout=START_TIMEOUT)
    for _ in range(25):
        reader.resize(rng.randint(1, 220), rng.randint(1, 70))
        if rng.random() < 0.5:
            reader.press(rng.choice(["j", "k", "enter", "tab"]), pause=0.05)
        reader.read(rng.choice([0.0, 0.02, 0.1]))
        assert not reader.exited(), bytes(reader.output[-600:])
    reader.resize(100, 30)
    reader.press("escape", pause=0.8)
    # The random keys may have left the tree on a node with no papers (Starred, or For you
    # before its first ranking), and a paper opened by Enter may have counted as read (a
    # busy machine stretches the pauses past the read delay) and left Unread: go to All
    # (the fourth node), which lists every paper, read or not. `h` twice: a random Tab may
    # have left the paper focused, and `h` from the paper goes to the list, not the tree
    # (this test's one failure in nine runs last round was that, not a lost key).
    reader.press("h", "h", "g", "j", "j", "j", pause=0.8)
    reader.press("s", pause=0.8)
    reader.wait_for("Markup")  # whole again at 100×30
    reader.press("q", pause=PAUSE)
    assert reader.wait_exit() == 0
    assert b"Traceback" not in reader.output


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM])
def test_a_signal_after_marking_leaves_a_store_that_opens_and_holds_the_mark(run_reader, signum):
    reader = run_reader(str(HOSTILE))
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    reader.press("r", "j", "s", pause=PAUSE)
    wait_for_mark(reader, run_reader.home, FIRST_PAPER, "read")
    reader.signal(signum)
    code = reader.wait_exit()
    assert code in (0, 130, 128 + signum, -signum), code
    assert b"Traceback" not in reader.output
    if signum != signal.SIGHUP:  # Ctrl+C and kill end it like q: the terminal is restored
        assert b"\x1b[?1049l" in reader.output[-400:], bytes(reader.output[-400:])
    marks = stored_marks(run_reader.home)
    assert marks[FIRST_PAPER].read
    assert sum(1 for m in marks.values() if m.starred) == 1
    # The state file is whole: a new reader opens it and marks more.
    again = run_reader(str(HOSTILE))
    again.wait_for("Markup", timeout=START_TIMEOUT)
    again.press("j", "j", "r", pause=PAUSE)
    again.press("q", pause=PAUSE)
    assert again.wait_exit() == 0
    assert len([m for m in stored_marks(run_reader.home).values() if m.read]) == 2


def test_a_lost_connection_ends_the_reader_and_keeps_its_marks(run_reader):
    reader = run_reader(str(HOSTILE))
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    reader.press("r", "j", "s", pause=PAUSE)
    wait_for_mark(reader, run_reader.home, FIRST_PAPER, "read")
    reader.hang_up()  # the SSH connection drops: the terminal goes away (the kernel sends SIGHUP)
    end = time.monotonic() + 30
    while not reader.exited():
        assert time.monotonic() < end, "the reader outlived its terminal"
        time.sleep(0.1)
    marks = stored_marks(run_reader.home)
    assert marks[FIRST_PAPER].read and sum(1 for m in marks.values() if m.starred) == 1


def test_a_terminal_gone_without_a_hangup_signal_still_ends_the_reader(tmp_path, terminals):
    """A reader whose terminal is not its controlling one (started by a program that opened
    the pty itself) gets no SIGHUP when the terminal goes: it must notice, not spin a core."""
    reader = terminals([sys.executable, "-m", "tui_reader", str(HOSTILE)], size=(100, 30), home=tmp_path,
                       controlling=False)
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    reader.hang_up()
    reader.wait_exit(timeout=30)  # TerminalTimeout if it outlives its terminal


def test_ctrl_c_as_a_key_does_not_lose_marks(run_reader):
    reader = run_reader(str(HOSTILE))
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    reader.press("r", pause=PAUSE)
    wait_for_mark(reader, run_reader.home, FIRST_PAPER, "read")
    reader.press("ctrl+c", pause=1.0)  # Ctrl+C typed: the terminal is raw, so it is a key
    if not reader.exited():
        reader.press("q", pause=PAUSE)
    assert reader.wait_exit() in (0, 130)
    assert b"Traceback" not in reader.output
    assert stored_marks(run_reader.home)[FIRST_PAPER].read


def test_suspend_and_continue_then_the_reader_still_answers_keys(run_reader):
    reader = run_reader(str(HOSTILE))
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    for _ in range(3):
        # Stopped while it paints: Textual's own handler ran inside the driver's write and
        # waited for ever on the write's lock (about one stop in twenty, under load);
        # ui/job_control.py has the loop run it between callbacks.
        reader.press(*"jjjjkkkk", pause=0.0)
        reader.signal(signal.SIGTSTP)  # what Ctrl+Z sends from a shell's job control
        assert reader.stopped(), "the reader did not stop on SIGTSTP"
        reader.signal(signal.SIGCONT)
        reader.read(0.3)
    reader.read(1.0)
    reader.press("s", pause=PAUSE)
    wait_for_mark(reader, run_reader.home, FIRST_PAPER, "starred")
    reader.press("q", pause=PAUSE)
    assert reader.wait_exit() == 0
    assert b"Traceback" not in reader.output


def test_notes_and_tags_from_an_imported_backup_do_not_reach_the_terminal(run_reader):
    import json
    import subprocess

    home = run_reader.home
    backup = home / "backup.json"
    backup.write_text(json.dumps({"format": "tui-reader-state", "version": 1, "marks": [{
        "id": FIRST_PAPER, "note": "note \x1b]52;c;ZXZpbA==\x07 \x1b]0;pwned\x07 end",
        "note_changed_at": "2025-01-01T00:00:00Z",
        "tags": ["\x1b[2JClear", "\u202etag"], "tags_changed_at": "2025-01-01T00:00:00Z"}]}))
    env = dict(os.environ, TUI_READER_HOME=str(home))
    imported = subprocess.run([sys.executable, "-m", "tui_reader", "state", "import", str(backup)],
                              env=env, capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr
    reader = run_reader(str(HOSTILE))
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    reader.wait_for("Clear")  # the tag is shown, without its escape
    reader.read(1.0)
    reader.press("q", pause=PAUSE)
    assert reader.wait_exit() == 0
    assert_no_payload(bytes(reader.output))


@pytest.mark.parametrize("term", ["linux", "vt100", "screen", "xterm"])
def test_other_terminals_open_the_reader_and_quit_cleanly(run_reader, term):
    reader = run_reader(str(HOSTILE), term=term)
    reader.wait_for("Markup", timeout=START_TIMEOUT)
    reader.press("j", "r", pause=PAUSE)
    reader.press("q", pause=PAUSE)
    assert reader.wait_exit() == 0
    assert_no_payload(bytes(reader.output))
