"""Writing a file so that readers see the old contents or the new, never a part."""
from __future__ import annotations

import os
from pathlib import Path

PARTIAL_SUFFIX = ".partial"
"""Temporary files are named `.NAME.partial`: a dot file the library walk skips."""


def partial_name(target: Path) -> Path:
    """The temporary name a new version of `target` is written under, in the same folder
    (a rename is atomic only within one file system)."""
    return target.with_name(f".{target.name}{PARTIAL_SUFFIX}")


def write_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `target`: a temporary file, fsync, rename over, fsync the folder.

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
