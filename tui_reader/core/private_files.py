"""Private files and folders: created without following links, modes set on what was opened."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

class NotOurFile(OSError):
    """Something other than our own regular file is where the cache belongs."""


def refuse_links(file: Path, suffixes: tuple[str, ...] = ("",)) -> None:
    """Raise NotOurFile for a symlink or special file at file+suffix for any suffix
    (SQLite would follow it and write, or chmod, whatever it points to)."""
    for suffix in suffixes:
        try:
            st = os.lstat(f"{file}{suffix}")
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(st.st_mode):
            kind = "a symlink" if stat.S_ISLNK(st.st_mode) else "not a regular file"
            raise NotOurFile(f"{file}{suffix} is {kind}; leaving it alone")


def make_private(path: Path, mode: int, *, directory: bool) -> tuple[int, int]:
    """Open path (a file is created, never through a link) and fchmod what was opened to
    mode when it is ours and looser; returns its (device, inode)."""
    if directory:
        flags = os.O_RDONLY | os.O_DIRECTORY
    else:
        flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, mode)
    except OSError as err:
        if not directory and err.errno == errno.ELOOP:
            raise NotOurFile(f"{path} is a symlink; leaving it alone") from None
        raise
    try:
        st = os.fstat(fd)
        if not directory and not stat.S_ISREG(st.st_mode):
            raise NotOurFile(f"{path} is not a regular file; leaving it alone")
        if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & ~mode:
            os.fchmod(fd, mode)
        return st.st_dev, st.st_ino
    finally:
        os.close(fd)
