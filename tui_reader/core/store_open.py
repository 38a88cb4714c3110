"""Opening the state file: creating it privately, checking it, migrating, repairing."""
from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from .store import (
    BUSY_TIMEOUT_MS, MIGRATIONS, RECORD_FIELDS, SCHEMA_VERSION, Store, StoreError, error_line,
)

_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_CODE_BUSY, _CODE_LOCKED, _CODE_FULL = 5, 6, 13


class _Damaged(Exception):
    """The file at the state path is not a usable tui-reader state file."""


def _primary_code(err: sqlite3.Error) -> int:
    return (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000,
                         isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def _check(db: sqlite3.Connection) -> int:
    """The file's schema version, after checking it is an intact SQLite file."""
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as err:
        if _primary_code(err) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            raise _Damaged(error_line(err)) from None
        raise
    if result != "ok":
        raise _Damaged(f"integrity check failed: {str(result)[:80]}")
    return version


def _has_marks_table(db: sqlite3.Connection) -> bool:
    columns = {row[1] for row in db.execute("PRAGMA table_info(marks)")}
    return set(RECORD_FIELDS) <= columns


def _migrate(db: sqlite3.Connection) -> None:
    """Bring the file up to SCHEMA_VERSION, one step per migration, in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])  # another process may have won
        if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise _Damaged("it is an SQLite file of some other program")
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _prepare(db: sqlite3.Connection) -> bool:
    """Check, set WAL and migrate a writable file; True if its schema is newer than ours."""
    version = _check(db)
    if version > SCHEMA_VERSION:
        if not _has_marks_table(db):
            raise _Damaged("it has no marks table")
        return True
    db.execute("PRAGMA journal_mode = WAL")
    # FULL, not NORMAL: a mark reported done must survive a power cut too; it costs one fsync.
    db.execute("PRAGMA synchronous = FULL")
    if version < SCHEMA_VERSION:
        _migrate(db)
    if not _has_marks_table(db):
        raise _Damaged("it has no marks table")
    return False


def _damaged_name(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    return candidate


def _move_aside(path: Path) -> Path:
    """Rename the damaged file (and its WAL and shared-memory files) out of the way."""
    target = _damaged_name(path)
    os.rename(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.rename(extra, target.with_name(target.name + suffix))
    return target


def _ensure_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) if they are missing."""
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(20, f"{folder} is not a folder", str(folder))
    if not folder.is_dir():
        try:
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)
        except FileExistsError:
            pass
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            pass  # another process created it a moment ago
        else:
            os.close(fd)
            os.chmod(path, 0o600)
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(13, "permission denied", str(path))


def open_store(cls: type[Store], path: Path, *, repair: bool) -> Store:
    notice = None
    try:
        _ensure_file(path)
    except OSError as err:
        return _open_read_only(cls, path, repair, f"cannot write {path} ({err.strerror or err})")
    for attempt in range(2):
        db = None
        try:
            db = _connect(str(path))
            newer = _prepare(db)
        except _Damaged as err:
            if db is not None:
                db.close()
            if not repair or attempt:
                raise StoreError(f"the state file {path} is damaged ({err}); "
                                 "run without --no-repair to move it aside and start afresh") from None
            try:
                moved = _move_aside(path)
                _ensure_file(path)
            except OSError as os_err:
                raise StoreError(f"the state file {path} is damaged ({err}) and cannot be moved "
                                 f"aside ({os_err.strerror or os_err})") from None
            notice = (f"the state file was damaged ({err}); kept as {moved.name}, "
                      "a fresh one was started")
            continue
        except sqlite3.Error as err:
            if db is not None:
                db.close()
            code = _primary_code(err)
            if code in (_CODE_BUSY, _CODE_LOCKED):
                raise StoreError(f"the state file {path} is busy in another program; try again") from None
            reason = "the disk is full" if code == _CODE_FULL else error_line(err)
            return _open_read_only(cls, path, repair, f"cannot write {path} ({reason})")
        if newer:
            newer_notice = (f"{path.name} was written by a newer tui-reader; "
                            "marks are shown but cannot be changed until you upgrade")
            return cls(path, db, read_only=True, notice=newer_notice, newer_schema=True)
        return cls(path, db, read_only=False, notice=notice)
    raise AssertionError("unreachable")


def _open_read_only(cls: type[Store], path: Path, repair: bool, reason: str) -> Store:
    """The file as it is, for reading only; an empty in-memory state if even that fails."""
    notice = f"{reason}; marks will not be saved"
    if path.is_file():
        base = path.resolve().as_uri()
        for query in ("?mode=ro", "?immutable=1"):
            db = None
            try:
                db = _connect(base + query, uri=True)
                version = _check(db)
                if _has_marks_table(db):
                    return cls(path, db, read_only=True, notice=notice,
                               newer_schema=version > SCHEMA_VERSION)
                if version == 0:
                    break  # an empty or foreign file: nothing to read
            except _Damaged as err:
                if db is not None:
                    db.close()
                if not repair:
                    raise StoreError(f"the state file {path} is damaged ({err})") from None
                notice = f"{reason}, and the state file is damaged ({err}); marks will not be saved"
                break
            except sqlite3.Error:
                if db is not None:
                    db.close()
                continue
            db.close()
    db = _connect(":memory:")
    _migrate(db)
    return cls(path, db, read_only=True, notice=notice)
