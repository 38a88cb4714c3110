"""SQLite helpers shared by the state file and the parse cache: what an error means, and side files."""
from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Literal

SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
"""The files SQLite keeps beside a database (rollback journal, write-ahead log, shared memory)."""

_BUSY, _LOCKED, _CORRUPT, _FULL, _NOTADB, _READONLY = 5, 6, 11, 13, 26, 8
_IOERR, _CANTOPEN = 10, 14
_NEARLY_FULL_BYTES = 64 * 1024

ErrorKind = Literal["busy", "full", "readonly", "corrupt", "other"]


def primary_code(err: BaseException) -> int:
    """SQLite's primary result code of an error (0 when it carries none)."""
    return (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF


def error_line(err: BaseException) -> str:
    """The first line of an exception's message (its type name if it has none)."""
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]


def classify(err: BaseException) -> ErrorKind:
    """What an SQLite error means for the person: another program holds the file (busy),
    the disk is full, the file cannot be written, the file is damaged, or something else.
    The result code decides; the message is the fallback for errors that carry none."""
    code = primary_code(err)
    if code in (_BUSY, _LOCKED):
        return "busy"
    if code == _FULL:
        return "full"
    if code == _READONLY:
        return "readonly"
    if code in (_CORRUPT, _NOTADB):
        return "corrupt"
    lowered = str(err).lower()
    if "locked" in lowered or "busy" in lowered:
        return "busy"
    if "full" in lowered:
        return "full"
    if "readonly" in lowered or "read-only" in lowered:
        return "readonly"
    return "other"


def filesystem_problem(path: Path) -> str | None:
    """"the disk is full" or "read-only file system" when the file system holding path is
    (all but) full or mounted read-only; None otherwise or when it cannot be told.

    SQLite reports a full disk met while mapping its shared-memory file as a plain "disk
    I/O error", and a read-only mount fails the access check as "permission denied": the
    file system itself says which it was."""
    folder = path if path.is_dir() else path.parent
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    if st.f_flag & getattr(os, "ST_RDONLY", 1):
        return "read-only file system"
    free = st.f_bfree if os.geteuid() == 0 else st.f_bavail  # root may use the reserved blocks
    if free * st.f_frsize < _NEARLY_FULL_BYTES:
        return "the disk is full"
    return None


def describe(err: BaseException, path: Path) -> str:
    """An SQLite or OS error met on the file at path, in the person's words: "the disk is
    full", "read-only file system", or the error's own first line."""
    if isinstance(err, OSError):
        if err.errno == errno.EROFS:
            return "read-only file system"
        if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return "the disk is full"
        if err.errno in (errno.EACCES, errno.EPERM, errno.EIO):
            return filesystem_problem(path) or (err.strerror or error_line(err)).lower()
        return err.strerror or error_line(err)
    kind = classify(err)
    if kind == "full":
        return "the disk is full"
    if kind == "readonly" or primary_code(err) in (_IOERR, _CANTOPEN):
        return filesystem_problem(path) or ("the file is read-only" if kind == "readonly" else error_line(err))
    return error_line(err)


def is_busy(err: BaseException) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: someone else holds the database, which is not damage."""
    return classify(err) == "busy"


def remove_database(file: Path) -> list[tuple[Path, OSError]]:
    """Delete a database and its side files; returns those that could not be removed."""
    failed = []
    for suffix in ("", *SIDE_SUFFIXES):
        target = Path(f"{file}{suffix}")
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        except OSError as err:
            failed.append((target, err))
    return failed


def move_database(file: Path, target: Path) -> None:
    """Rename a database and its side files to `target` (side files keep their suffix)."""
    os.rename(file, target)
    for suffix in SIDE_SUFFIXES:
        extra = file.with_name(file.name + suffix)
        if extra.exists():
            os.rename(extra, target.with_name(target.name + suffix))
