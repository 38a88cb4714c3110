"""What the commands write: one-line warnings, exit codes, and output files written atomically."""
from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

EXIT_FAILURE = 1
EXIT_USAGE = 2


class OutputExists(Exception):
    """The output file exists and --force was not given."""


class OutputRefused(Exception):
    """Something at the output path that is not replaced (a folder, a socket, a dangling
    link, a FIFO nobody reads); the message is one line."""


class OutputError(Exception):
    """Standard output cannot be written (closed, or its disk full); the message is why."""


class _GuardedOutput:
    """Standard output whose failures (other than a broken pipe) become OutputError."""

    def __init__(self, stream) -> None:
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

    def __getattr__(self, name: str):
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


def warn(message: str) -> None:
    """One line on standard error."""
    print(f"tui-reader: {message}", file=sys.stderr)


def write_atomically(target: Path, text: str, *, force: bool, private: bool = False) -> None:
    """Write text to a temporary file beside target, then move it into place in one step.
    Without force an existing target is never replaced (OutputExists); OSError otherwise.
    Only a regular file is replaced (through a symlink, the file it leads to); a FIFO or a
    character device is written as it is; anything else raises OutputRefused.
    A private file is readable by its owner only (0600), like the state it comes from."""
    if not force and (target.exists() or target.is_symlink()):
        raise OutputExists(str(target))
    found = _rename_target(target)
    if isinstance(found, int):  # a FIFO or a character device: written as it is
        _write_in_place(target, text, found)
        return
    target = found
    folder = target.parent if str(target.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
        if force:
            os.replace(temp_name, target)
        else:
            try:
                os.link(temp_name, target)  # fails if target appeared meanwhile: never clobbers
            except FileExistsError:
                raise OutputExists(str(target)) from None
            except OSError:
                if target.exists():
                    raise OutputExists(str(target)) from None
                os.replace(temp_name, target)  # a filesystem without hard links
    finally:
        if os.path.lexists(temp_name):
            os.unlink(temp_name)


def _rename_target(target: Path) -> Path | int:
    """Where the renamed file goes: target itself, or the regular file a symlink leads to.
    Never anything else: for a FIFO or character device its st_mode is returned (it is
    written as it is); any other kind raises OutputRefused."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return target
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(target)
        except OSError:
            raise OutputRefused(f"{target} is a symlink to nothing; not followed, nothing written") from None
        if stat.S_ISREG(st.st_mode):
            return Path(os.path.realpath(target))
    if stat.S_ISREG(st.st_mode):
        return target
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return st.st_mode
    raise OutputRefused(f"{target} is not a regular file (a folder, socket or block device); not replaced")


def _write_in_place(target: Path, text: str, mode: int) -> None:
    """Write into a FIFO (only when a program is reading it: never block) or a device."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISFIFO(mode):
        try:
            fd = os.open(target, flags | os.O_NONBLOCK)
        except OSError as err:
            if err.errno == errno.ENXIO:
                raise OutputRefused(f"{target} is a FIFO no program is reading; nothing written") from None
            raise
        os.set_blocking(fd, True)
    else:
        fd = os.open(target, flags)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def emit(text: str, output: str | None, force: bool, *, private: bool = False) -> int:
    """Text to standard output, or atomically to a file; a one-line message on failure."""
    if not output or output == "-":
        sys.stdout.write(text)
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
