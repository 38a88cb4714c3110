"""What the commands write: one-line warnings, exit codes, and output files written atomically."""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from ..core.atomic_write import OutputExists, OutputRefused, write_atomically
from ..core.formats.text import message_line

__all__ = [
    "EXIT_FAILURE", "EXIT_USAGE", "OutputError", "OutputExists", "OutputRefused", "emit", "guard_stdout",
    "silence_stdout", "warn", "write_atomically",
]

EXIT_FAILURE = 1
EXIT_USAGE = 2


class OutputError(Exception):
    """Standard output cannot be written (closed, or its disk full); the message is why."""


class _GuardedOutput:
    """Standard output whose failures (other than a broken pipe) become OutputError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OutputError(err.strerror or str(err)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OutputError(err.strerror or str(err)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _ClosedOutput:
    """Standard output that was closed before the program started."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        if text:
            raise OutputError("standard output is closed")
        return 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def guard_stdout() -> None:
    """Make a closed or failing standard output an OutputError (reported in one line).

    A closed descriptor 1 is taken by /dev/null first: otherwise the next file opened (the
    state file) would get descriptor 1, and a child process would write into it."""
    if sys.stdout is None or _closed(1):
        devnull = os.open(os.devnull, os.O_WRONLY)
        if devnull != 1:
            os.dup2(devnull, 1)
            os.close(devnull)
        sys.stdout = _ClosedOutput()
    elif not isinstance(sys.stdout, (_GuardedOutput, _ClosedOutput)):
        # Digest text has its lone surrogates replaced already; a file name that is not
        # UTF-8 still holds some (os.fsdecode): written as \udcff, never a crash.
        reconfigure = getattr(sys.stdout, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
        sys.stdout = _GuardedOutput(sys.stdout)


def silence_stdout() -> None:
    """Point descriptor 1 at /dev/null, so what is still buffered for it is dropped at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def _closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def one_line_arg(text: str) -> str:
    """A command-line argument quoted for a message, with no control character."""
    from ..core.formats.text import one_line

    return repr(one_line(text))


def warn(message: str) -> None:
    """One line on standard error (see message_line)."""
    print(f"tui-reader: {message_line(message)}", file=sys.stderr)


def emit(text: str | Iterable[str], output: str | None, force: bool, *, private: bool = False) -> int:
    """Text (or its pieces, as they come) to standard output, or atomically to a file; a
    one-line message on failure."""
    if not output or output == "-":
        for piece in [text] if isinstance(text, str) else text:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return 0
    try:
        write_atomically(Path(output), text, force=force, private=private)
    except OutputExists:
        warn(f"{output} exists; use --force to overwrite it")
        return EXIT_FAILURE
    except OutputRefused as err:
        warn(str(err))
        return EXIT_FAILURE
    except OSError as err:
        warn(f"cannot write {output} ({err.strerror or err})")
        return EXIT_FAILURE
    return 0
