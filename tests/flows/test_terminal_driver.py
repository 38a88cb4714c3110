"""The terminal driver itself, on tiny programs written here: the screen as a terminal shows
it (text, wide characters, bold, reverse, colours), the bytes named keys send, the size and
resizing, the environment, failure messages that show the screen, no process left behind,
and the `smoke` command CI runs."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from terminal import KEYS, Terminal, TerminalTimeout, key_bytes

pytest.importorskip("pyte")
pytest.importorskip("pty")

DRIVER = Path(__file__).resolve().parent / "terminal.py"


RAW = "import tty; tty.setraw(0)"
"""First of every program here: keys typed before it would wait in a cooked line buffer
(a raw terminal also leaves "\\n" alone: the programs write "\\r\\n")."""
WAIT_FOR_Q = """
import sys
while sys.stdin.read(1) != "q":
    pass
"""


def python(*parts: str) -> list[str]:
    """A command running the Python code `parts` (each dedented on its own) in a raw terminal."""
    return [sys.executable, "-c", "\n".join(textwrap.dedent(part) for part in (RAW, *parts))]


def test_the_screen_shows_text_wide_characters_and_cell_attributes(terminals):
    shown = terminals(python(r"""
        import sys
        sys.stdout.write("\x1b[2J\x1b[3;5H\x1b[1mBOLD\x1b[0m \x1b[7mREV\x1b[0m \x1b[31mRED\x1b[0m "
                         "\x1b[38;5;33mBLUE\x1b[0m \x1b[48;2;1;2;3mBG\x1b[0m 日本 end")
        sys.stdout.flush()
    """, WAIT_FOR_Q), size=(60, 8))
    screen = shown.wait_for("end")
    assert screen.size == (60, 8)
    assert screen.line(2) == "    BOLD REV RED BLUE BG 日本 end"
    assert screen.find("BOLD") == (2, 4)
    assert screen.find("end") == (2, 30)  # the two wide characters take four cells
    assert all(cell.bold and not cell.reverse for cell in screen.cells_of("BOLD"))
    assert all(cell.reverse and not cell.bold for cell in screen.cells_of("REV"))
    assert {cell.fg for cell in screen.cells_of("RED")} == {"red"}
    assert {cell.fg for cell in screen.cells_of("BLUE")} == {"0087ff"}  # colour 33 of 256
    assert {cell.bg for cell in screen.cells_of("BG")} == {"010203"}
    assert screen.cell(2, 3).fg == "default" and not screen.cell(2, 3).bold
    assert screen.rows_where(lambda cells: any(c.reverse for c in cells)) == [2]
    assert "BOLD REV" in screen and "absent" not in screen
    assert shown.quit() == 0


def test_named_keys_send_the_bytes_a_terminal_sends(terminals):
    echo = terminals(python(r"""
        import os, sys
        while True:
            data = os.read(0, 64)
            sys.stdout.write(data.hex() + "\r\n")
            sys.stdout.flush()
            if data == b"q":
                break
    """), size=(60, 20))
    echo.wait_stable(0.3)
    keys = ["up", "pagedown", "shift+tab", "ctrl+x", "enter", "escape", "tab", "space", "j"]
    echo.press(*keys, pause=0.1)
    screen = echo.wait_for(b"j".hex())
    assert [line.strip() for line in screen.lines if line.strip()] == [key_bytes(k).hex() for k in keys]
    assert key_bytes("ctrl+x") == b"\x18" and key_bytes("Enter") == b"\r" and key_bytes("/x") == b"/x"
    assert key_bytes("pagedown") == KEYS["pagedown"].encode() == b"\x1b[6~"
    assert echo.quit() == 0


def test_the_program_gets_the_size_and_a_resize(terminals):
    sized = terminals(python(r"""
        import os, signal
        def show(*_):
            columns, rows = os.get_terminal_size(0)
            os.write(1, f"\x1b[2J\x1b[Hsize {columns}x{rows}".encode())  # unbuffered: safe in a handler
        signal.signal(signal.SIGWINCH, show)
        show()
    """, WAIT_FOR_Q), size=(90, 20))
    sized.wait_for("size 90x20")
    sized.resize(50, 12)
    screen = sized.wait_for("size 50x12")
    assert screen.size == (50, 12)
    assert sized.quit() == 0


def test_the_environment_is_small_with_home_term_and_no_color(terminals, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET", "leaked")
    env = terminals(python(r"""
        import os, sys
        for name in ("TERM", "NO_COLOR", "HOME", "TUI_READER_HOME", "SECRET"):
            sys.stdout.write(f"{name}={os.environ.get(name)}\r\n")
        sys.stdout.flush()
    """, WAIT_FOR_Q), size=(100, 10), home=tmp_path, no_color=True)
    screen = env.wait_for("SECRET=")
    assert "TERM=xterm-256color" in screen and "NO_COLOR=1" in screen
    assert f"HOME={tmp_path}" in screen and f"TUI_READER_HOME={tmp_path}" in screen
    assert "SECRET=None" in screen
    assert env.quit() == 0


def test_a_wait_that_times_out_says_what_and_shows_the_screen(terminals):
    idle = terminals(python('print("something else", flush=True)', WAIT_FOR_Q), size=(40, 5))
    idle.wait_for("something else")
    with pytest.raises(TerminalTimeout) as raised:  # its own timeout, not the default 30 s: see the message
        idle.wait_for("never shown", timeout=0.5)
    message = str(raised.value)
    assert "'never shown' on the screen: not seen after 0.5 s (program running)" in message
    assert "|something else" in message and "(40×5)" in message


def test_a_program_that_ends_fails_a_wait_at_once_with_its_status(terminals):
    ended = terminals(python('print("bye"); raise SystemExit(3)'), size=(40, 5))
    with pytest.raises(TerminalTimeout, match="ended with status 3"):
        ended.wait_for("never", timeout=30)
    assert ended.wait_exit() == 3


def test_kill_ends_the_program_and_what_it_started(terminals):
    parent = terminals(python(r"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        print(f"child {child.pid}", flush=True)
        time.sleep(60)
    """), size=(40, 5))
    screen = parent.wait_for("child ")
    child = int(screen.lines[0].split()[1])
    parent.kill()
    assert parent.exited()
    deadline = time.monotonic() + 10
    while alive(child):
        assert time.monotonic() < deadline, f"process {child} outlived the kill"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for init to reap it has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_the_smoke_command_passes_a_program_that_shows_the_text_and_quits_on_q(tmp_path):
    program = tmp_path / "welcome.py"
    program.write_text(RAW + '\nprint("Welcome here", flush=True)\n' + WAIT_FOR_Q)
    done = subprocess.run([sys.executable, str(DRIVER), "smoke", sys.executable, str(program)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "showed 'Welcome' at 80×24 and quit on q, exit status 0" in done.stdout


def test_the_smoke_command_fails_a_program_that_never_shows_the_text(tmp_path):
    program = tmp_path / "silent.py"
    program.write_text(RAW + '\nprint("nothing to see", flush=True)\n' + WAIT_FOR_Q)
    done = subprocess.run([sys.executable, str(DRIVER), "smoke", "--timeout", "1", sys.executable, str(program)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "did not show 'Welcome'" in done.stderr and "nothing to see" in done.stderr
