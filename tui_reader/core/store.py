"""The reading state: read, starred, notes and tags per arXiv id, kept in SQLite."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

SCHEMA_VERSION = 1
"""The newest schema this program knows; PRAGMA user_version holds the file's."""

BUSY_TIMEOUT_MS = 5000
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

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
)

RECORD_FIELDS = (
    "id", "read_at", "read_changed_at", "starred_at", "star_changed_at",
    "note", "note_changed_at", "tags", "tags_changed_at",
)
"""Columns of one full mark record, as kept in the file and in a state backup."""


class StoreError(Exception):
    """A problem with the state file, as a one-line message for the user."""


class StoreNewerSchema(StoreError):
    """The state file was written by a newer release; this one will not write to it."""


@dataclass(slots=True, frozen=True)
class Mark:
    """What the person made of one paper. Empty fields mean 'nothing set'."""

    id: str
    read_at: str | None = None
    starred_at: str | None = None
    note: str = ""
    tags: tuple[str, ...] = ()

    @property
    def read(self) -> bool:
        """True once the paper was marked read (and not unmarked since)."""
        return self.read_at is not None

    @property
    def starred(self) -> bool:
        """True while the paper is in the starred queue."""
        return self.starred_at is not None


def utc_now() -> str:
    """The current time as ISO-8601 UTC with microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def normalise_timestamp(text: str) -> str:
    """Any ISO-8601 time as this module writes it (UTC, microseconds); ValueError if not one.
    A time without a zone is taken as UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags trimmed, empty ones dropped, duplicates removed, first spelling kept."""
    seen: dict[str, None] = {}
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag not in seen:
            seen[tag] = None
    return tuple(seen)


def _tags_from_column(text: str) -> tuple[str, ...]:
    if text == "[]" or not text:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(t) for t in value) if isinstance(value, list) else ()


def _describe(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]


class Store:
    """The reading state in one SQLite file; safe for several processes at once.

    Each write is one short transaction, committed before the call returns. Use
    `Store.open`; a Store may be shared between threads (calls are serialised)."""

    def __init__(self, path: Path, connection: sqlite3.Connection, *, read_only: bool,
                 notice: str | None, newer_schema: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.notice = notice
        self._db = connection
        self._newer_schema = newer_schema
        self._lock = threading.RLock()
        self._last_stamp = ""
        self._data_version = self._read_data_version()

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path, *, repair: bool = True) -> Store:
        """Open (creating if needed) the state file at `path`.

        A damaged or foreign file is moved aside (never deleted) and a fresh store made,
        with `notice` saying so; with repair=False a StoreError is raised instead. A
        location that cannot be written gives a read-only store and a notice."""
        return _open_store(cls, Path(path), repair=repair)

    def close(self) -> None:
        """Close the file; the Store must not be used afterwards."""
        with self._lock:
            try:
                self._db.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- reading

    def marks(self) -> dict[str, Mark]:
        """Every mark in the file, by paper id."""
        with self._lock, self._reading():
            rows = self._db.execute(
                "SELECT id, read_at, starred_at, note, tags FROM marks").fetchall()
        return {
            row[0]: Mark(row[0], row[1], row[2], row[3] or "", _tags_from_column(row[4]))
            for row in rows
        }

    def get(self, paper_id: str) -> Mark:
        """The mark of one paper (an empty Mark when it has none)."""
        with self._lock, self._reading():
            row = self._db.execute(
                "SELECT id, read_at, starred_at, note, tags FROM marks WHERE id = ?",
                (paper_id,)).fetchone()
        if row is None:
            return Mark(paper_id)
        return Mark(row[0], row[1], row[2], row[3] or "", _tags_from_column(row[4]))

    def starred_queue(self) -> list[Mark]:
        """Starred papers, the longest-starred first."""
        marks = [m for m in self.marks().values() if m.starred]
        return sorted(marks, key=lambda m: (m.starred_at, m.id))

    def records(self) -> list[dict]:
        """Every full record (values and per-field change times), for a backup."""
        with self._lock, self._reading():
            rows = self._db.execute(
                f"SELECT {', '.join(RECORD_FIELDS)} FROM marks ORDER BY id").fetchall()
        records = []
        for row in rows:
            record = dict(zip(RECORD_FIELDS, row))
            record["tags"] = list(_tags_from_column(record["tags"]))
            records.append(record)
        return records

    def changed_elsewhere(self) -> bool:
        """True when another connection committed since the last call (or since open)."""
        with self._lock:
            try:
                version = self._read_data_version()
            except StoreError:
                return False
            changed = version != self._data_version
            self._data_version = version
            return changed

    # ----------------------------------------------------------------- writing

    def set_read(self, ids: Iterable[str], read: bool) -> None:
        """Mark papers read (keeping an earlier read time) or unread."""
        ids = list(dict.fromkeys(ids))
        with self._writing() as db:
            now = self._stamp()
            if read:
                db.executemany(
                    "INSERT INTO marks (id, read_at, read_changed_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET read_at = excluded.read_at, "
                    "read_changed_at = excluded.read_changed_at WHERE marks.read_at IS NULL",
                    [(i, now, now) for i in ids])
            else:
                db.executemany(
                    "UPDATE marks SET read_at = NULL, read_changed_at = ? "
                    "WHERE id = ? AND read_at IS NOT NULL", [(now, i) for i in ids])

    def set_starred(self, ids: Iterable[str], starred: bool) -> None:
        """Star papers (re-starring keeps the first star time) or unstar them."""
        ids = list(dict.fromkeys(ids))
        with self._writing() as db:
            if starred:
                rows = []
                for paper_id in ids:
                    now = self._stamp()  # distinct times keep the queue in the given order
                    rows.append((paper_id, now, now))
                db.executemany(
                    "INSERT INTO marks (id, starred_at, star_changed_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET starred_at = excluded.starred_at, "
                    "star_changed_at = excluded.star_changed_at WHERE marks.starred_at IS NULL",
                    rows)
            else:
                now = self._stamp()
                db.executemany(
                    "UPDATE marks SET starred_at = NULL, star_changed_at = ? "
                    "WHERE id = ? AND starred_at IS NOT NULL", [(now, i) for i in ids])

    def set_note(self, paper_id: str, note: str) -> None:
        """Replace the note of one paper ("" removes it)."""
        with self._writing() as db:
            now = self._stamp()
            db.execute(
                "INSERT INTO marks (id, note, note_changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET note = excluded.note, "
                "note_changed_at = excluded.note_changed_at WHERE marks.note IS NOT excluded.note",
                (paper_id, note, now))

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        """Replace the tags of one paper (trimmed, without duplicates)."""
        text = json.dumps(list(normalise_tags(tags)), ensure_ascii=False)
        with self._writing() as db:
            now = self._stamp()
            db.execute(
                "INSERT INTO marks (id, tags, tags_changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET tags = excluded.tags, "
                "tags_changed_at = excluded.tags_changed_at WHERE marks.tags IS NOT excluded.tags",
                (paper_id, text, now))

    def restore(self, marks: Iterable[Mark]) -> None:
        """Put marks back exactly as given (for undo), in one transaction."""
        marks = list(marks)
        with self._writing() as db:
            now = self._stamp()
            db.executemany(
                "INSERT INTO marks (id, read_at, read_changed_at, starred_at, star_changed_at, "
                "note, note_changed_at, tags, tags_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET "
                "read_changed_at = CASE WHEN marks.read_at IS excluded.read_at "
                "  THEN marks.read_changed_at ELSE excluded.read_changed_at END, "
                "read_at = excluded.read_at, "
                "star_changed_at = CASE WHEN marks.starred_at IS excluded.starred_at "
                "  THEN marks.star_changed_at ELSE excluded.star_changed_at END, "
                "starred_at = excluded.starred_at, "
                "note_changed_at = CASE WHEN marks.note IS excluded.note "
                "  THEN marks.note_changed_at ELSE excluded.note_changed_at END, "
                "note = excluded.note, "
                "tags_changed_at = CASE WHEN marks.tags IS excluded.tags "
                "  THEN marks.tags_changed_at ELSE excluded.tags_changed_at END, "
                "tags = excluded.tags",
                [(m.id, m.read_at, now, m.starred_at, now, m.note, now,
                  json.dumps(list(normalise_tags(m.tags)), ensure_ascii=False), now)
                 for m in marks])

    def merge_records(self, incoming: Iterable[dict],
                      merge: Callable[[dict | None, dict], tuple[dict, list[str]]]
                      ) -> list[tuple[str, bool, list[str]]]:
        """Merge full records into the file in one transaction, so no concurrent write is
        lost: `merge(local or None, incoming)` gives the merged record and the fields it
        took. Returns (id, was new, fields taken) for every incoming record."""
        incoming = list(incoming)
        outcome = []
        with self._writing() as db:
            rows = []
            for record in incoming:
                found = db.execute(f"SELECT {', '.join(RECORD_FIELDS)} FROM marks WHERE id = ?",
                                   (record["id"],)).fetchone()
                local = None
                if found is not None:
                    local = dict(zip(RECORD_FIELDS, found))
                    local["tags"] = list(_tags_from_column(local["tags"]))
                merged, taken = merge(local, record)
                outcome.append((record["id"], local is None, taken))
                if merged != local:
                    rows.append(tuple(json.dumps(merged[f], ensure_ascii=False) if f == "tags"
                                      else merged[f] for f in RECORD_FIELDS))
            db.executemany(
                f"INSERT OR REPLACE INTO marks ({', '.join(RECORD_FIELDS)}) "
                f"VALUES ({', '.join('?' * len(RECORD_FIELDS))})", rows)
        return outcome

    # ----------------------------------------------------------------- internals

    def _stamp(self) -> str:
        """Now, strictly later than any stamp this Store gave before."""
        stamp = utc_now()
        if stamp <= self._last_stamp:
            later = datetime.fromisoformat(self._last_stamp) + timedelta(microseconds=1)
            stamp = later.isoformat(timespec="microseconds")
        self._last_stamp = stamp
        return stamp

    def _read_data_version(self) -> int:
        with self._reading():
            return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as err:
            raise StoreError(f"cannot read the reading state {self.path}: {_describe(err)}") from None

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        if self._newer_schema:
            raise StoreNewerSchema(
                f"{self.path} was written by a newer tui-reader; upgrade to change marks")
        if self.read_only:
            reason = (self.notice or "the state file is read-only").removesuffix("; marks will not be saved")
            raise StoreError(f"mark not saved: {reason}")
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as err:
                raise StoreError(f"mark not saved: {_write_problem(err)} ({self.path})") from None


def _write_problem(err: sqlite3.Error) -> str:
    text = _describe(err)
    lowered = text.lower()
    if "full" in lowered:
        return "the disk is full"
    if "readonly" in lowered or "read-only" in lowered:
        return "the state file is read-only"
    if "locked" in lowered or "busy" in lowered:
        return "the state file is busy in another program; try again"
    return text


# --------------------------------------------------------------------- opening a file

_CODE_FULL, _CODE_READONLY, _CODE_CANTOPEN, _CODE_IOERR, _CODE_PERM = 13, 8, 14, 10, 3
_CODE_BUSY, _CODE_LOCKED = 5, 6


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
            raise _Damaged(_describe(err)) from None
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


def _open_store(cls: type[Store], path: Path, *, repair: bool) -> Store:
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
            reason = "the disk is full" if code == _CODE_FULL else _describe(err)
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
