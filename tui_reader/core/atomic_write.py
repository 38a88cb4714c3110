"""Writing a file so that it is either all there or not there: temp file beside it, fsync, rename."""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO


class OutputExists(Exception):
    """The output file exists and --force was not given."""


class OutputRefused(Exception):
    """Something at the output path that is not replaced (a folder, a socket, a dangling
    link, a FIFO nobody reads); the message is one line."""


def write_atomically(target: Path, text: str | Iterable[str], *, force: bool, private: bool = False) -> None:
    """Write text (or its pieces, as they come) to a temporary file beside target, then
    move it into place in one step.
    Without force an existing target is never replaced (OutputExists); OSError otherwise.
    Only a regular file is replaced (through a symlink the person owns, the file it leads
    to; another user's link is refused); a FIFO or a
    character device is written as it is; anything else raises OutputRefused.
    A private file is readable by its owner only (0600), like the state it comes from."""
    import tempfile  # ~2 ms to import: only when something is written

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
            _write_pieces(fh, text)
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


PARTIAL_SUFFIX = ".partial"
"""Temporary files are named `.NAME.partial`: a dot file the library walk skips."""


def partial_name(target: Path) -> Path:
    """The temporary name a new version of `target` is written under, in the same folder
    (a rename is atomic only within one file system)."""
    return target.with_name(f".{target.name}{PARTIAL_SUFFIX}")


def replace_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Put `data` at `target`, replacing what is there: a temporary file, fsync, rename
    over, fsync the folder (the pull's digests: a reader watching sees each file whole).

    A crash at any point leaves `target` as it was or as it is now; the temporary file a
    crash may leave is overwritten by the next write (and skipped by the library walk)."""
    temp = partial_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temp, flags, 0o644 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    """Make renames and removals in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_partials(folder: Path) -> int:
    """Delete the temporary files an interrupted write left in `folder`; how many."""
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(PARTIAL_SUFFIX):
            try:
                entry.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _rename_target(target: Path) -> Path | int:
    """Where the renamed file goes: target itself, or the regular file a symlink leads to.
    Never anything else: for a FIFO or character device its st_mode is returned (it is
    written as it is); any other kind raises OutputRefused."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return target
    if stat.S_ISLNK(st.st_mode):
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            # A link someone else made (in a shared, group-writable folder) would make
            # --force overwrite whatever file of ours it names: such a link is never followed.
            raise OutputRefused(f"{target} is a symbolic link made by another user; not followed, "
                                "nothing written")
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


def _write_pieces(fh: TextIO, text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        fh.write(text)
        return
    for piece in text:
        fh.write(piece)


def _write_in_place(target: Path, text: str | Iterable[str], mode: int) -> None:
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
        _write_pieces(fh, text)
