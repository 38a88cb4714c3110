"""The state file's schema and opening: migrations, creating it privately, checking, repairing."""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui_reader.core.state.sqlite_errors import classify, describe, error_line, move_database

BUSY_TIMEOUT_MS = 5000

# One entry per schema version: MIGRATIONS[n] turns version n into version n + 1.
# Never edit a released entry; append a new one (newsboat's way).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE marks (
        id TEXT PRIMARY KEY,
        read_at TEXT,
        read_changed_at TEXT,
        starred_at TEXT,
        star_changed_at TEXT,
        note TEXT NOT NULL DEFAULT '',
        note_changed_at TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        tags_changed_at TEXT
    ) WITHOUT ROWID;
    CREATE INDEX marks_starred_at ON marks (starred_at) WHERE starred_at IS NOT NULL;
    """,
    # 2: a change number per row, the same for all rows of one transaction and larger for
    # every later one (writers are serialised), so a reader reloads only what changed.
    """
    ALTER TABLE marks ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX marks_seq ON marks (seq);
    """,
    # 3: the reading queue's order: a starred paper's place (1 = read next) once the person
    # has moved papers in it; NULL until then, and for papers starred since, which follow
    # the placed ones oldest star first.
    """
    ALTER TABLE marks ADD COLUMN queue_pos INTEGER;
    ALTER TABLE marks ADD COLUMN queue_changed_at TEXT;
    """,
    # 4: sync: this home's machine id and clock (the largest change time seen), which
    # version of each field the sync folder has and which machine made it, and how far
    # each other machine's log was read.
    """
    CREATE TABLE IF NOT EXISTS sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    INSERT OR IGNORE INTO sync_meta (key, value) VALUES ('machine', lower(hex(randomblob(8))));
    INSERT OR IGNORE INTO sync_meta (key, value) VALUES ('clock', '');
    CREATE TABLE IF NOT EXISTS sync_fields (
        id TEXT NOT NULL,
        field TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        machine TEXT NOT NULL,
        PRIMARY KEY (id, field)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS sync_fields_machine ON sync_fields (machine);
    CREATE TABLE IF NOT EXISTS sync_logs (
        name TEXT PRIMARY KEY,
        machine TEXT NOT NULL,
        generation TEXT NOT NULL DEFAULT '',
        read_to INTEGER NOT NULL DEFAULT 0,
        changes INTEGER NOT NULL DEFAULT 0,
        last_read_at TEXT,
        last_change_at TEXT
    ) WITHOUT ROWID;
    """,
    # 5: "not interested": when the person dismissed a paper (NULL: not dismissed), and when
    # that last changed, so an import keeps the later of two dismissals or undismissals.
    """
    ALTER TABLE marks ADD COLUMN dismissed_at TEXT;
    ALTER TABLE marks ADD COLUMN dismiss_changed_at TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
"""The newest schema this program knows; PRAGMA user_version holds the file's."""

BASE_FIELDS = (
    "id", "read_at", "read_changed_at", "starred_at", "star_changed_at",
    "note", "note_changed_at", "tags", "tags_changed_at",
)
"""The columns every state file has had since the first schema."""

RECORD_FIELDS = (*BASE_FIELDS, "queue_pos", "queue_changed_at", "dismissed_at", "dismiss_changed_at")
"""Columns of one full mark record, as kept in the file and in a state backup."""


class StoreError(Exception):
    """A problem with the state file, as a one-line message for the user."""


class StoreBusy(StoreError):
    """Another program holds the state file's write lock longer than this Store waits."""


class StoreNewerSchema(StoreError):
    """The state file was written by a newer release; this one will not write to it."""


@dataclass(slots=True)
class OpenedState:
    """A connection to the state file ready for a Store, and how it may be used."""

    db: sqlite3.Connection
    read_only: bool
    notice: str | None
    newer_schema: bool = False


class _Damaged(Exception):
    """The file at the state path is not a usable tui-reader state file."""


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
        if classify(err) == "corrupt":
            raise _Damaged(error_line(err)) from None
        raise
    if result != "ok":
        raise _Damaged(f"integrity check failed: {str(result)[:80]}")
    return version


def _has_marks_table(db: sqlite3.Connection) -> bool:
    columns = {row[1] for row in db.execute("PRAGMA table_info(marks)")}
    return set(BASE_FIELDS) <= columns


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
    move_database(path, target)
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


def open_connection(path: Path, *, repair: bool) -> OpenedState:
    """Open (creating if needed) the state file at `path`; see Store.open."""
    notice = None
    try:
        _ensure_file(path)
    except OSError as err:
        return _open_read_only(path, repair, f"cannot write {path} ({describe(err, path)})")
    repaired = False
    busy_until = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        db = None
        try:
            db = _connect(str(path))
            newer = _prepare(db)
        except _Damaged as err:
            if db is not None:
                db.close()
            if not repair or repaired:
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
            repaired = True
            continue
        except sqlite3.Error as err:
            if db is not None:
                db.close()
            kind = classify(err)
            if kind == "busy":
                # SQLite gives up at once, without its busy handler, when two processes
                # create and migrate a fresh file together (switching to WAL, or a read
                # upgrading to a write): wait and start again, within the same bound.
                if time.monotonic() < busy_until:
                    time.sleep(0.02)
                    continue
                raise StoreError(f"the state file {path} is busy in another program; try again") from None
            return _open_read_only(path, repair, f"cannot write {path} ({describe(err, path)})")
        if newer:
            newer_notice = (f"{path.name} was written by a newer tui-reader; "
                            "marks are shown but cannot be changed until you upgrade")
            return OpenedState(db, read_only=True, notice=newer_notice, newer_schema=True)
        return OpenedState(db, read_only=False, notice=notice)


def _open_read_only(path: Path, repair: bool, reason: str) -> OpenedState:
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
                    return OpenedState(db, read_only=True, notice=notice,
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
    return OpenedState(in_memory_connection(), read_only=True, notice=notice)


def open_for_reading(path: Path) -> OpenedState:
    """The state file as it is, for a command that only reads it: never created, migrated
    or moved aside. A missing or empty file gives no marks; a damaged one a StoreError."""
    if not path.exists():
        return OpenedState(in_memory_connection(), read_only=True, notice=None)
    if not path.is_file():
        raise StoreError(f"the state file {path} is not a regular file")
    base = path.resolve().as_uri()
    problem = "unknown error"
    for query in ("?mode=ro", "?immutable=1"):  # immutable: when even the -shm file cannot be made
        db = None
        try:
            db = _connect(base + query, uri=True)
            version = _check(db)
            if _has_marks_table(db):
                return OpenedState(db, read_only=True, notice=None, newer_schema=version > SCHEMA_VERSION)
            if version == 0 and not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                db.close()
                return OpenedState(in_memory_connection(), read_only=True, notice=None)  # empty file
            raise _Damaged("it has no marks table")
        except _Damaged as err:
            if db is not None:
                db.close()
            raise StoreError(f"the state file {path} is damaged ({err}); left as it is (the reader "
                             "or `tui-reader mark` moves it aside and starts afresh)") from None
        except sqlite3.Error as err:
            if db is not None:
                db.close()
            problem = error_line(err)
    raise StoreError(f"cannot read the state file {path} ({problem})")


def in_memory_connection() -> sqlite3.Connection:
    """A fresh state database in memory, at the newest schema."""
    db = _connect(":memory:")
    _migrate(db)
    return db
