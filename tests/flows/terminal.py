"""The project's one terminal driver: a program in a real pseudo-terminal, read through a
terminal emulator (pyte) as a person sees it, driven by real keys with real pauses.

Used by the pty tests (`from terminal import Terminal`; pytest puts this folder on the
path), by the benchmarks (which insert this folder into sys.path) and by CI:

    python tests/flows/terminal.py smoke PROGRAM [--wait TEXT] [--size 80x24]

starts PROGRAM in an 80×24 terminal, waits for TEXT on the screen, presses `q` and checks
that it ended cleanly without a traceback (exit 0), or says why not (exit 1).

Raw output is always kept (`Terminal.output`, for checks on the bytes a program wrote and
for timing); the emulator is fed lazily, only when the screen is asked for, so reading the
pty costs a benchmark no parsing.
"""
from __future__ import annotations

import argparse
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEYS: dict[str, str] = {
    "enter": "\r", "escape": "\x1b", "esc": "\x1b", "tab": "\t", "shift+tab": "\x1b[Z",
    "space": " ", "backspace": "\x7f", "delete": "\x1b[3~", "insert": "\x1b[2~",
    "up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
    "home": "\x1b[H", "end": "\x1b[F", "pageup": "\x1b[5~", "pagedown": "\x1b[6~",
    "f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS",
    "f5": "\x1b[15~", "f6": "\x1b[17~", "f7": "\x1b[18~", "f8": "\x1b[19~",
    "f9": "\x1b[20~", "f10": "\x1b[21~", "f11": "\x1b[23~", "f12": "\x1b[24~",
}
"""Named keys as an xterm sends them (normal cursor mode, which is what Textual asks for)."""

ESCAPE_PAUSE = 0.3
"""Seconds after a lone Escape before the next key: Textual tells a lone Esc from the start
of a key sequence by the time until the next byte, as a terminal user's fingers do."""


def key_bytes(key: str) -> bytes:
    """The bytes a terminal sends for `key`: a name from KEYS, `ctrl+x`, or literal text."""
    lowered = key.lower()
    if lowered in KEYS:
        return KEYS[lowered].encode()
    if re.fullmatch(r"ctrl\+[a-z]", lowered):
        return bytes([ord(lowered[-1]) - ord("a") + 1])
    if lowered in ("ctrl+[", "ctrl+space", "ctrl+@"):
        return b"\x1b" if lowered == "ctrl+[" else b"\x00"
    return key.encode()


@dataclass(slots=True, frozen=True)
class Cell:
    """One character cell as the emulator shows it. Colours are "default", a name of the
    16 ANSI colours ("red", "brightblue") or six hex digits ("5f87ff")."""

    char: str
    fg: str
    bg: str
    bold: bool
    italic: bool
    underline: bool
    reverse: bool


@dataclass(slots=True, repr=False)
class Screen:
    """What the terminal shows at one moment: lines of text and the cells behind them."""

    lines: list[str]
    columns_of: list[list[int]]
    """For each line, the cell column of each character of `lines[row]` (wide characters
    take two cells), and the number of columns at the end."""
    cursor: tuple[int, int]
    """(row, column) of the terminal's cursor."""
    chars: list[list[Any]]
    """The emulator's characters, row by row (pyte's immutable Char tuples)."""
    _cells: list[list[Cell]] | None = None

    @property
    def size(self) -> tuple[int, int]:
        """(columns, rows)."""
        return (len(self.chars[0]) if self.chars else 0, len(self.chars))

    @property
    def cells(self) -> list[list[Cell]]:
        """Every cell, row by row (built on first use: most waits read only the text)."""
        if self._cells is None:
            self._cells = [[Cell(c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse) for c in row]
                           for row in self.chars]
        return self._cells

    def text(self) -> str:
        """The whole screen, one line per row, trailing blanks removed."""
        return "\n".join(line.rstrip() for line in self.lines)

    def __contains__(self, needle: object) -> bool:
        return isinstance(needle, str) and self.find(needle) is not None

    def __repr__(self) -> str:  # a failed assert shows the screen itself
        return str(self)

    def __str__(self) -> str:
        rule = "+" + "-" * self.size[0] + "+"
        return "\n".join([rule, *(f"|{line}|" for line in self.lines), rule])

    def _locate(self, needle: str | re.Pattern[str]) -> tuple[int, int, int] | None:
        """(row, start, end) of the first match of `needle`, as indices into the line."""
        for row, line in enumerate(self.lines):
            if isinstance(needle, str):
                at = line.find(needle)
                if at >= 0:
                    return row, at, at + len(needle)
            elif match := needle.search(line):
                return row, match.start(), match.end()
        return None

    def find(self, needle: str | re.Pattern[str]) -> tuple[int, int] | None:
        """(row, column) of the first place `needle` (text or a regex) starts, or None."""
        found = self._locate(needle)
        return None if found is None else (found[0], self.columns_of[found[0]][found[1]])

    def row_of(self, needle: str | re.Pattern[str]) -> int | None:
        """The row on which `needle` first shows, or None."""
        found = self._locate(needle)
        return None if found is None else found[0]

    def line(self, row: int) -> str:
        """One row's text, trailing blanks removed."""
        return self.lines[row].rstrip()

    def cell(self, row: int, column: int) -> Cell:
        return self.cells[row][column]

    def cells_of(self, needle: str | re.Pattern[str]) -> list[Cell]:
        """The cells under the first place `needle` shows (AssertionError if it does not)."""
        found = self._locate(needle)
        assert found is not None, f"{needle!r} is not on the screen:\n{self}"
        row, start, end = found
        columns = self.columns_of[row]
        return self.cells[row][columns[start]:columns[end]]

    def rows_where(self, test: Callable[[list[Cell]], bool]) -> list[int]:
        """Rows whose cells pass `test` (e.g. the rows shown in reverse video)."""
        return [row for row, cells in enumerate(self.cells) if test(cells)]


class TerminalTimeout(TimeoutError):
    """What was waited for did not come; the message carries the screen as it was."""


class Terminal:
    """A program in a pseudo-terminal of `size` = (columns, rows).

    The environment is `env` when given, else a small clean one (PATH, LANG); then TERM,
    HOME and TUI_READER_HOME (when `home` is given) are set on it, and NO_COLOR=1 when
    `no_color` is True (removed when False; left as it is when None). With `controlling=True` (the default) the terminal is the program's controlling
    terminal, as in a shell: resizing sends SIGWINCH and closing it sends SIGHUP. With
    False the program gets the terminal only as its standard streams, in a session of its
    own (as a program that opened the pty itself would start it)."""

    def __init__(self, argv: Sequence[str], *, size: tuple[int, int] = (120, 40),
                 home: Path | str | None = None, env: Mapping[str, str] | None = None,
                 term: str = "xterm-256color", no_color: bool | None = None, controlling: bool = True,
                 cwd: Path | str | None = None) -> None:
        self.argv = [str(arg) for arg in argv]
        self.columns, self.rows = size
        self.output = bytearray()
        """Every byte the program wrote, in order."""
        self.status: int | None = None
        """The raw wait status once the program has ended."""
        self._closed = False
        self._emulator: Any = None
        self._fed = 0
        self._screen: Screen | None = None
        self._screen_at: tuple[int, int, int] = (-1, 0, 0)
        environment = dict(env) if env is not None else {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        environment["TERM"] = term
        if home is not None:
            environment["HOME"] = environment["TUI_READER_HOME"] = str(home)
        if no_color:
            environment["NO_COLOR"] = "1"
        elif no_color is not None:
            environment.pop("NO_COLOR", None)
        self.started = time.perf_counter()
        """perf_counter() just before the program was started."""
        if controlling:
            self._fork(environment, cwd)
        else:
            self._popen(environment, cwd)

    def _fork(self, environment: dict[str, str], cwd: Path | str | None) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size its terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
                if cwd is not None:
                    os.chdir(cwd)
                os.execvpe(self.argv[0], self.argv, environment)
            except BaseException as err:  # noqa: BLE001 - the child must never return into the caller
                os.write(2, f"terminal: cannot start {self.argv[0]}: {err}\r\n".encode())
            finally:
                os._exit(127)

    def _popen(self, environment: dict[str, str], cwd: Path | str | None) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        try:
            self._process = subprocess.Popen(self.argv, stdin=slave, stdout=slave, stderr=slave,
                                             env=environment, cwd=cwd, start_new_session=True)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.pid, self.fd = self._process.pid, master

    # -- reading -------------------------------------------------------------------------

    def read_ready(self, wait: float) -> bool:
        """Add what the program wrote to `output`, waiting up to `wait` seconds for it.
        False once its side of the terminal is closed (it ended): nothing more will come."""
        if self._closed:
            return False
        try:
            ready = select.select([self.fd], [], [], max(wait, 0.0))[0]
        except (OSError, ValueError):
            return False
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError as err:  # EIO: every process holding the terminal's other end has gone
            if err.errno in (errno.EIO, errno.EBADF):
                return False
            raise
        self.output += data
        return bool(data)

    def read(self, seconds: float) -> None:
        """Keep reading for `seconds` (a program whose output is not read blocks writing)."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if not self.read_ready(min(left, 0.05)):
                time.sleep(min(left, 0.05))

    drain = read

    @property
    def screen(self) -> Screen:
        """The screen now, after everything read so far."""
        emulator, _ = self._emulate()
        if self._screen is not None and self._screen_at == (len(self.output), self.columns, self.rows):
            return self._screen  # nothing new since: the same picture
        buffer = emulator.buffer
        lines, columns_of, chars = [], [], []
        for y in range(emulator.lines):
            row = buffer[y]
            cells = [row[x] for x in range(emulator.columns)]
            text, columns = [], []
            for x, char in enumerate(cells):
                if char.data == "":  # the stub cell behind a wide character
                    continue
                text.append(char.data)
                columns.extend([x] * len(char.data))
            lines.append("".join(text))
            columns_of.append(columns + [emulator.columns])
            chars.append(cells)
        self._screen = Screen(lines, columns_of, (emulator.cursor.y, emulator.cursor.x), chars)
        self._screen_at = (len(self.output), self.columns, self.rows)
        return self._screen

    def _emulate(self) -> tuple[Any, Any]:
        if self._emulator is None:
            import pyte  # only for screen readers: a benchmark that times raw bytes never loads it

            screen = pyte.Screen(self.columns, self.rows)
            self._emulator = (screen, pyte.ByteStream(screen))
        screen, stream = self._emulator
        if self._fed < len(self.output):
            stream.feed(bytes(self.output[self._fed:]))
            self._fed = len(self.output)
        return screen, stream

    # -- waiting -------------------------------------------------------------------------

    def wait_until(self, check: Callable[[Screen], bool], what: str, timeout: float = 30.0) -> Screen:
        """Read until `check(screen)` holds; the screen then. TerminalTimeout (with the
        screen in its message) when `timeout` seconds pass or the program ends first."""
        end = time.monotonic() + timeout
        while True:
            screen = self.screen
            if check(screen):
                return screen
            if not self.read_ready(0.05):
                if check(screen := self.screen):
                    return screen
                self._reap(timeout=2.0)
                raise TerminalTimeout(self.describe(f"{what}: not seen before the program closed the terminal"))
            if time.monotonic() > end:
                raise TerminalTimeout(self.describe(f"{what}: not seen after {timeout:g} s"))

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 30.0) -> Screen:
        """Read until `text` (or a regex match) is on the screen."""
        return self.wait_until(lambda screen: screen.find(text) is not None,
                               f"{_shown(text)} on the screen", timeout)

    def wait_gone(self, text: str | re.Pattern[str], timeout: float = 30.0) -> Screen:
        """Read until `text` is no longer on the screen."""
        return self.wait_until(lambda screen: screen.find(text) is None,
                               f"{_shown(text)} gone from the screen", timeout)

    def wait_stable(self, quiet: float = 0.5, timeout: float = 30.0) -> Screen:
        """Read until the program has written nothing for `quiet` seconds."""
        end = time.monotonic() + timeout
        last, since = len(self.output), time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() > end:
                raise TerminalTimeout(self.describe(f"the screen still changing after {timeout:g} s"))
            if not self.read_ready(0.05):
                break
            if len(self.output) != last:
                last, since = len(self.output), time.monotonic()
        return self.screen

    def wait_for_output(self, needle: bytes, start: int = 0, timeout: float = 30.0) -> float:
        """Read until `needle` shows in the raw output after offset `start`; the seconds it
        took (for timing: no emulator involved)."""
        t0 = time.perf_counter()
        while needle not in self.output[start:]:
            if not self.read_ready(0.02):
                if needle in self.output[start:]:
                    break
                self._reap(timeout=2.0)
                raise TerminalTimeout(self.describe(f"{needle!r} not written before the program closed the terminal"))
            if time.perf_counter() - t0 > timeout:
                raise TerminalTimeout(self.describe(f"{needle!r} not written after {timeout:g} s"))
        return time.perf_counter() - t0

    def describe(self, headline: str) -> str:
        """`headline`, whether the program is running, and the screen: for failure messages."""
        state = "running" if not self.exited() else f"ended with status {self.exit_code()}"
        try:
            shown = f"the screen ({self.columns}×{self.rows}):\n{self.screen}"
        except ImportError:  # no emulator installed (a benchmark run without the test extras)
            shown = f"the output ends {bytes(self.output[-600:])!r}"
        return f"{headline} (program {state}); {shown}"

    # -- keys and size -------------------------------------------------------------------

    def write(self, data: bytes) -> int:
        """Send raw bytes; the output offset before them (to wait for what follows)."""
        mark = len(self.output)
        os.write(self.fd, data)
        return mark

    send = write

    def press(self, *keys: str, pause: float = 0.3) -> int:
        """Press each key (a name from KEYS, `ctrl+x`, or literal text sent in one write),
        reading the output for `pause` seconds after each; at least ESCAPE_PAUSE after an
        Escape. The output offset before the first key."""
        mark = len(self.output)
        for key in keys:
            data = key_bytes(key)
            os.write(self.fd, data)
            self.read(max(pause, ESCAPE_PAUSE) if data == b"\x1b" else pause)
        return mark

    def type(self, text: str, pause: float = 0.15) -> int:
        """Type `text` one character at a time, `pause` seconds apart, as a person does."""
        return self.press(*text, pause=pause)

    def resize(self, columns: int, rows: int) -> None:
        """Resize the terminal (and the emulator: what was written before is read first)."""
        if self._emulator is not None:
            self._emulate()
            self._emulator[0].resize(rows, columns)
        self.columns, self.rows = columns, rows
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        if hasattr(self, "_process"):  # not its controlling terminal: no SIGWINCH from the kernel
            try:
                os.kill(self.pid, signal.SIGWINCH)
            except ProcessLookupError:
                pass

    # -- ending --------------------------------------------------------------------------

    def exited(self) -> bool:
        """True once the program has ended (it is reaped here)."""
        if self.status is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return True
            if pid:
                self.status = status
                if hasattr(self, "_process"):
                    self._process.returncode = os.waitstatus_to_exitcode(status)
        return self.status is not None

    def _reap(self, timeout: float) -> None:
        """Wait up to `timeout` seconds for a program that closed the terminal to end."""
        end = time.monotonic() + timeout
        while not self.exited() and time.monotonic() < end:
            time.sleep(0.02)

    def exit_code(self) -> int | None:
        """The exit code, -N for a signal N, None while running."""
        if not self.exited() or self.status is None:
            return None
        return os.waitstatus_to_exitcode(self.status)

    def wait_exit(self, timeout: float = 30.0) -> int:
        """Read until the program ends; its exit code (-N for signal N)."""
        end = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > end:
                raise TerminalTimeout(self.describe(f"still running after {timeout:g} s"))
            if not self.read_ready(0.05):
                time.sleep(0.02)
        self.read(0.1)
        code = self.exit_code()
        return 0 if code is None else code

    def quit(self, *keys: str, timeout: float = 30.0) -> int:
        """Press `keys` (default `q`) and wait for the program to end; its exit code."""
        self.press(*(keys or ("q",)), pause=0.05)
        return self.wait_exit(timeout)

    def stopped(self, timeout: float = 10.0) -> bool:
        """True once the program is stopped by job control (SIGTSTP), within `timeout`."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG | os.WUNTRACED)
            if pid and os.WIFSTOPPED(status):
                return True
            self.read_ready(0.05)  # keep draining: a full terminal buffer would block its writes
        return False

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def hang_up(self) -> None:
        """Close this side of the terminal, as a dropped connection does (the kernel then
        sends SIGHUP to a program whose controlling terminal it is)."""
        if not self._closed:
            self._closed = True
            os.close(self.fd)

    def kill(self) -> None:
        """End the program and everything in its session (SIGKILL), reap it, close the pty."""
        if not self.exited():
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                _, self.status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
        self.hang_up()

    def close(self, *keys: str, timeout: float = 5.0) -> None:
        """Quit politely with `keys` (default `q`) if it still runs; kill it if it does not
        end within `timeout` seconds."""
        if not self.exited() and not self._closed:
            try:
                self.quit(*keys, timeout=timeout)
            except (OSError, TerminalTimeout):
                pass
        self.kill()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


def _shown(text: str | re.Pattern[str]) -> str:
    return repr(text) if isinstance(text, str) else f"/{text.pattern}/"


def smoke(argv: list[str]) -> int:
    """Start a program, wait for some text, press q: 0 when it ended cleanly."""
    parser = argparse.ArgumentParser(prog="terminal.py smoke", description=smoke.__doc__)
    parser.add_argument("program", nargs=argparse.REMAINDER, help="the program and its arguments (after the options)")
    parser.add_argument("--wait", default="Welcome", help="text to wait for on the screen")
    parser.add_argument("--size", default="80x24", help="COLUMNSxROWS")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    with Terminal(args.program, size=(columns, rows), env=os.environ) as terminal:
        try:
            terminal.wait_for(args.wait, timeout=args.timeout)
        except TerminalTimeout as err:
            print(f"smoke: {args.program[0]} did not show {args.wait!r}: {err}", file=sys.stderr)
            return 1
        try:
            code = terminal.quit("q")
        except TerminalTimeout as err:
            print(f"smoke: {args.program[0]} did not quit on q: {err}", file=sys.stderr)
            return 1
        if b"Traceback" in terminal.output:
            print(f"smoke: {args.program[0]} printed a traceback:\n{terminal.screen}", file=sys.stderr)
            return 1
    print(f"smoke: {Path(args.program[0]).name} showed {args.wait!r} at {columns}×{rows} and quit on q, "
          f"exit status {code}")
    return 0 if code == 0 else 1


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "smoke":
        print("usage: terminal.py smoke PROGRAM [ARGS...] [--wait TEXT] [--size 80x24]", file=sys.stderr)
        return 2
    return smoke(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
