"""The reading state: read, starred, dismissed, notes and tags per arXiv id, kept in SQLite."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tui_reader.core.state.queue import QueueMove, reordered
from tui_reader.core.state.sqlite_errors import classify, describe, error_line
from tui_reader.core.surrogates import replace_lone_surrogates
from tui_reader.core.state.schema import (
    MIGRATIONS, RECORD_FIELDS, SCHEMA_VERSION, StoreBusy, StoreError, StoreNewerSchema, in_memory_connection,
    open_connection, open_for_reading,
)

__all__ = [
    "IMPORT_BATCH", "ImportInterrupted", "MIGRATIONS", "RECORD_FIELDS", "SCHEMA_VERSION", "Mark", "Store", "StoreBusy", "StoreError",
    "StoreNewerSchema",
    "normalise_tags", "normalise_timestamp", "utc_now",
]

IMPORT_BATCH = 2_000
"""Records merged per transaction by merge_records (measured: ~50 ms of write lock each)."""


class ImportInterrupted(StoreError):
    """merge_records failed part way: `done` of `total` records were committed before."""

    def __init__(self, reason: str, done: int, total: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.done = done
        self.total = total


@dataclass(slots=True, frozen=True)
class Mark:
    """What the person made of one paper. Empty fields mean 'nothing set'."""

    id: str
    read_at: str | None = None
    starred_at: str | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    dismissed_at: str | None = None

    @property
    def dismissed(self) -> bool:
        """True while the person has said "not interested" (and not taken it back)."""
        return self.dismissed_at is not None

    @property
    def unread(self) -> bool:
        """True for a paper still waiting to be read: neither read nor dismissed (what the
        unread counts count)."""
        return self.read_at is None and self.dismissed_at is None

    @property
    def read(self) -> bool:
        """True once the paper was marked read (and not unmarked since)."""
        return self.read_at is not None

    @property
    def starred(self) -> bool:
        """True while the paper is in the starred queue."""
        return self.starred_at is not None


CLOCK_MARGIN = timedelta(days=1)
"""How far ahead of the real time a change time (from another machine, a backup or this
home's clock) may be; anything later is refused or repaired, never followed."""


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
    """Tags trimmed, empty ones dropped, duplicates removed, first spelling kept; a lone
    surrogate becomes U+FFFD (it could be neither stored nor written out)."""
    seen: dict[str, None] = {}
    for tag in tags:
        tag = " ".join(replace_lone_surrogates(str(tag)).split())
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


def _mark_from_row(row: tuple) -> Mark:
    """A Mark from (id, read_at, starred_at, note, tags column, dismissed_at, ...)."""
    return Mark(row[0], row[1], row[2], row[3] or "", _tags_from_column(row[4]), row[5])


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
        self._clock = ""  # the home's clock (largest time seen) as the write in progress began
        self._data_version = self._read_data_version()
        self._seq = 0  # the change number of the write in progress
        self._cache: dict[str, Mark] = {}
        self._cache_seq = -1  # the largest change number already in _cache
        with self._reading():
            columns = {row[1] for row in connection.execute("PRAGMA table_info(marks)")}
        self._incremental = "seq" in columns  # false for an old file opened read-only
        self._identity = _file_identity(path)
        self._columns = columns
        # An old file opened read-only has no dismissals: the column reads as unset.
        dismissed = "dismissed_at" if "dismissed_at" in columns else "NULL"
        self._mark_columns = f"id, read_at, starred_at, note, tags, {dismissed}"

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path, *, repair: bool = True) -> Store:
        """Open (creating if needed) the state file at `path`.

        A damaged or foreign file is moved aside (never deleted) and a fresh store made,
        with `notice` saying so; with repair=False a StoreError is raised instead. A
        location that cannot be written gives a read-only store and a notice."""
        path = Path(path)
        opened = open_connection(path, repair=repair)
        return cls(path, opened.db, read_only=opened.read_only, notice=opened.notice,
                   newer_schema=opened.newer_schema)

    @classmethod
    def open_for_reading(cls, path: Path) -> Store:
        """The state file at `path` as it is, read-only, for a command that only reads: never
        created, migrated or moved aside (a damaged file raises StoreError). No file: no marks."""
        path = Path(path)
        opened = open_for_reading(path)
        return cls(path, opened.db, read_only=True, notice=None, newer_schema=opened.newer_schema)

    @classmethod
    def in_memory(cls, notice: str | None = None) -> Store:
        """A real Store on an in-memory database: marks for this session only (used when the
        state file cannot be opened at all, and in tests)."""
        return cls(Path(":memory:"), in_memory_connection(), read_only=False, notice=notice)

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
        """Every mark in the file, by paper id (a new dict each call).

        The first call reads every row; later calls read only rows changed since, by
        this or any other process, so polling after `changed_elsewhere` stays cheap."""
        with self._lock, self._reading():
            if not self._incremental:
                rows = self._db.execute(f"SELECT {self._mark_columns} FROM marks").fetchall()
                return {row[0]: _mark_from_row(row) for row in rows}
            rows = self._db.execute(
                f"SELECT {self._mark_columns}, seq FROM marks WHERE seq > ?",
                (self._cache_seq,)).fetchall()
            cache = self._cache
            for row in rows:
                cache[row[0]] = _mark_from_row(row)
                if row[6] > self._cache_seq:
                    self._cache_seq = row[6]
            return dict(cache)

    def get(self, paper_id: str) -> Mark:
        """The mark of one paper (an empty Mark when it has none)."""
        with self._lock, self._reading():
            row = self._db.execute(
                f"SELECT {self._mark_columns} FROM marks WHERE id = ?", (paper_id,)).fetchone()
        if row is None:
            return Mark(paper_id)
        return _mark_from_row(row)

    def queue(self) -> list[str]:
        """The reading queue: starred paper ids in the order the person means to read them,
        the longest-starred first until papers are moved (see move_in_queue)."""
        with self._lock, self._reading():
            return self._queue(self._db)

    def _queue(self, db: sqlite3.Connection) -> list[str]:
        placed = "queue_pos IS NULL, queue_pos, " if "queue_pos" in self._columns else ""
        rows = db.execute(f"SELECT id FROM marks WHERE starred_at IS NOT NULL "
                          f"ORDER BY {placed}starred_at, id").fetchall()
        return [row[0] for row in rows]

    def records(self) -> list[dict]:
        """Every full record (values and per-field change times), for a backup."""
        # An old file opened read-only lacks the newer columns: they read as unset.
        columns = ", ".join(f if f in self._columns else f"NULL AS {f}" for f in RECORD_FIELDS)
        with self._lock, self._reading():
            rows = self._db.execute(f"SELECT {columns} FROM marks ORDER BY id").fetchall()
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

    def file_replaced(self) -> bool:
        """True when the file at `path` is no longer the one this Store has open: deleted
        (`rm state.sqlite3*`) or replaced (another file renamed there). Writes would then go
        into a file nobody reads again; call `reopen`. Cheap (one stat): for a poll."""
        if self._identity is None:
            return False  # in memory, or a file that could not be looked at when opened
        return _file_identity(self.path) != self._identity

    def reopen(self, merge: Callable[[dict | None, dict], tuple[dict, list[str]]]) -> Store:
        """A Store on the file now at `path` (created afresh if it vanished), holding this
        Store's marks too, merged by `merge` as in merge_records (pass
        `state_backup.merge_record`: per field, the later change wins, as `state import`
        does); this Store is closed. An in-memory Store is returned as it is."""
        if self._identity is None:
            return self
        try:
            records = self.records()  # the old file can still be read: it is open
        except StoreError:
            records = []
        fresh = Store.open(self.path)
        if records and not fresh.read_only:
            try:
                fresh.merge_records(records, merge)
            except StoreError as err:
                fresh.notice = f"marks made since the state file was replaced were not kept ({err})"
        self.close()
        return fresh

    # ----------------------------------------------------------------- writing

    def set_read(self, ids: Iterable[str], read: bool) -> None:
        """Mark papers read (keeping an earlier read time) or unread."""
        self._set_timed(ids, read, "read_at", "read_changed_at")

    def _set_timed(self, ids: Iterable[str], on: bool, column: str, changed: str) -> None:
        """Set a mark held as a time (`column`; setting it again keeps the first time) or
        clear it, stamping `changed` only where the mark changed. `column` and `changed`
        are this module's own column names, never input."""
        ids = list(dict.fromkeys(ids))
        with self._writing() as db:
            now = self._stamp()
            if on:
                db.executemany(
                    f"INSERT INTO marks (id, {column}, {changed}, seq) VALUES (?, ?, ?, ?) "
                    f"ON CONFLICT (id) DO UPDATE SET {column} = excluded.{column}, "
                    f"{changed} = excluded.{changed}, seq = excluded.seq "
                    f"WHERE marks.{column} IS NULL",
                    [(i, now, now, self._seq) for i in ids])
            else:
                db.executemany(
                    f"UPDATE marks SET {column} = NULL, {changed} = ?, seq = ? "
                    f"WHERE id = ? AND {column} IS NOT NULL", [(now, self._seq, i) for i in ids])

    def set_starred(self, ids: Iterable[str], starred: bool) -> None:
        """Star papers (re-starring keeps the first star time) or unstar them."""
        ids = list(dict.fromkeys(ids))
        with self._writing() as db:
            if starred:
                rows = []
                for paper_id in ids:
                    now = self._stamp()  # distinct times keep the queue in the given order
                    rows.append((paper_id, now, now, self._seq))
                db.executemany(
                    "INSERT INTO marks (id, starred_at, star_changed_at, seq) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET starred_at = excluded.starred_at, "
                    "star_changed_at = excluded.star_changed_at, seq = excluded.seq "
                    "WHERE marks.starred_at IS NULL",
                    rows)
            else:
                now = self._stamp()
                # An unstarred paper leaves its place: starred again, it joins the end.
                db.executemany(
                    "UPDATE marks SET starred_at = NULL, star_changed_at = ?, seq = ?, "
                    "queue_pos = NULL, queue_changed_at = CASE WHEN queue_pos IS NULL "
                    "  THEN queue_changed_at ELSE ? END "
                    "WHERE id = ? AND starred_at IS NOT NULL", [(now, self._seq, now, i) for i in ids])

    def set_dismissed(self, ids: Iterable[str], dismissed: bool) -> None:
        """Dismiss papers ("not interested"; dismissing again keeps the first time) or take
        the dismissal back. A dismissed paper leaves the unread counts and teaches the
        ranking what the person does not want."""
        self._set_timed(ids, dismissed, "dismissed_at", "dismiss_changed_at")

    def move_in_queue(self, paper_id: str, where: QueueMove) -> None:
        """Move a starred paper one place up, one down, or to the top of the reading queue,
        in one transaction. A paper not in the queue, or already at that end, stays put."""
        with self._writing() as db:
            self._place(db, reordered(self._queue(db), paper_id, where))

    def set_queue_order(self, ids: Sequence[str]) -> None:
        """Put the queue in this order (for undo): the given starred papers first, in the
        given order, then any other starred paper in its present order."""
        with self._writing() as db:
            given = list(dict.fromkeys(ids))
            present = self._queue(db)
            starred = set(present)
            order = [i for i in given if i in starred]
            placed = set(order)
            self._place(db, order + [i for i in present if i not in placed])

    def _place(self, db: sqlite3.Connection, order: list[str]) -> None:
        """Number the queue 1..n; only rows whose place changes are written."""
        now = self._stamp()
        db.executemany(
            "UPDATE marks SET queue_pos = ?, queue_changed_at = ?, seq = ? "
            "WHERE id = ? AND queue_pos IS NOT ?",
            [(place, now, self._seq, paper_id, place) for place, paper_id in enumerate(order, 1)])

    def set_note(self, paper_id: str, note: str) -> None:
        """Replace the note of one paper ("" removes it); a lone surrogate becomes U+FFFD."""
        note = replace_lone_surrogates(note)
        with self._writing() as db:
            now = self._stamp()
            db.execute(
                "INSERT INTO marks (id, note, note_changed_at, seq) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET note = excluded.note, "
                "note_changed_at = excluded.note_changed_at, seq = excluded.seq "
                "WHERE marks.note IS NOT excluded.note",
                (paper_id, note, now, self._seq))

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        """Replace the tags of one paper (trimmed, without duplicates)."""
        text = json.dumps(list(normalise_tags(tags)), ensure_ascii=False)
        with self._writing() as db:
            now = self._stamp()
            db.execute(
                "INSERT INTO marks (id, tags, tags_changed_at, seq) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET tags = excluded.tags, "
                "tags_changed_at = excluded.tags_changed_at, seq = excluded.seq "
                "WHERE marks.tags IS NOT excluded.tags",
                (paper_id, text, now, self._seq))

    def restore(self, marks: Iterable[Mark]) -> None:
        """Put marks back exactly as given (for undo), in one transaction."""
        marks = list(marks)
        with self._writing() as db:
            now = self._stamp()
            db.executemany(
                "INSERT INTO marks (id, read_at, read_changed_at, starred_at, star_changed_at, "
                "note, note_changed_at, tags, tags_changed_at, dismissed_at, dismiss_changed_at, seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, "
                "read_changed_at = CASE WHEN marks.read_at IS excluded.read_at "
                "  THEN marks.read_changed_at ELSE excluded.read_changed_at END, "
                "read_at = excluded.read_at, "
                "star_changed_at = CASE WHEN marks.starred_at IS excluded.starred_at "
                "  THEN marks.star_changed_at ELSE excluded.star_changed_at END, "
                "starred_at = excluded.starred_at, "
                "queue_pos = CASE WHEN excluded.starred_at IS NULL THEN NULL ELSE marks.queue_pos END, "
                "note_changed_at = CASE WHEN marks.note IS excluded.note "
                "  THEN marks.note_changed_at ELSE excluded.note_changed_at END, "
                "note = excluded.note, "
                "tags_changed_at = CASE WHEN marks.tags IS excluded.tags "
                "  THEN marks.tags_changed_at ELSE excluded.tags_changed_at END, "
                "tags = excluded.tags, "
                "dismiss_changed_at = CASE WHEN marks.dismissed_at IS excluded.dismissed_at "
                "  THEN marks.dismiss_changed_at ELSE excluded.dismiss_changed_at END, "
                "dismissed_at = excluded.dismissed_at",
                [(m.id, m.read_at, now, m.starred_at, now, replace_lone_surrogates(m.note), now,
                  json.dumps(list(normalise_tags(m.tags)), ensure_ascii=False), now,
                  m.dismissed_at, now, self._seq)
                 for m in marks])

    def merge_records(self, incoming: Iterable[dict],
                      merge: Callable[[dict | None, dict], tuple[dict, list[str]]],
                      *, on_batch: Callable[[int, int], None] | None = None,
                      ) -> list[tuple[str, bool, list[str]]]:
        """Merge full records into the file, IMPORT_BATCH records per transaction: each record
        is merged with the local one inside the transaction that writes it, so no concurrent
        write is lost, and other writers (the reader, `mark`) wait for one batch at most.
        `merge(local or None, incoming)` gives the merged record and the fields it took;
        on_batch(done, total) is called after each commit. Returns (id, was new, fields
        taken) for every incoming record. A failure raises ImportInterrupted, which says how
        many were committed (merging is idempotent: importing again is safe)."""
        incoming = list(incoming)
        outcome: list[tuple[str, bool, list[str]]] = []
        held = 0.0
        for start in range(0, len(incoming), IMPORT_BATCH):
            if start:
                # A waiting writer only polls (SQLite sleeps up to 100 ms between tries): with
                # the next batch begun at once it would almost never find the lock free.
                # Leaving it free as long as a batch held it gives it an even chance per try.
                time.sleep(min(max(held, 0.005), 0.2))
            batch = incoming[start:start + IMPORT_BATCH]
            began = time.monotonic()
            try:
                outcome += self._merge_batch(batch, merge)
            except StoreError as err:
                raise ImportInterrupted(str(err), len(outcome), len(incoming)) from None
            held = time.monotonic() - began
            if on_batch is not None:
                on_batch(len(outcome), len(incoming))
        return outcome

    def _merge_batch(self, batch: list[dict], merge: Callable[[dict | None, dict], tuple[dict, list[str]]]
                     ) -> list[tuple[str, bool, list[str]]]:
        outcome = []
        with self._writing() as db:
            local_rows: dict[str, dict] = {}
            ids = [record["id"] for record in batch]
            for found in db.execute(f"SELECT {', '.join(RECORD_FIELDS)} FROM marks "
                                    f"WHERE id IN ({', '.join('?' * len(ids))})", ids):
                row = dict(zip(RECORD_FIELDS, found))
                row["tags"] = list(_tags_from_column(row["tags"]))
                local_rows[row["id"]] = row
            rows = []
            for record in batch:
                local: dict | None = local_rows.get(record["id"])
                merged, taken = merge(local, record)
                local_rows[record["id"]] = merged
                outcome.append((record["id"], local is None, taken))
                if merged != local:
                    rows.append((*(json.dumps(merged[f], ensure_ascii=False) if f == "tags"
                                   else merged[f] for f in RECORD_FIELDS), self._seq))
            db.executemany(
                f"INSERT OR REPLACE INTO marks ({', '.join(RECORD_FIELDS)}, seq) "
                f"VALUES ({', '.join('?' * (len(RECORD_FIELDS) + 1))})", rows)
        return outcome

    # ----------------------------------------------------------------- internals

    def _stamp(self) -> str:
        """Now, strictly later than any stamp this Store gave before and than the home's
        clock: a hybrid logical clock, so a change made after another was seen (from any
        machine, however fast its clock) is later than it, and the later change wins."""
        now = datetime.now(timezone.utc)
        stamp = now.isoformat(timespec="microseconds")
        latest = max(self._last_stamp, self._clock)
        if stamp <= latest:
            try:
                later: datetime | None = datetime.fromisoformat(latest) + timedelta(microseconds=1)
            except (ValueError, OverflowError):
                later = None
            # A clock beyond the margin was poisoned (a forged or broken time, kept by an
            # older release): it is not followed, so marking goes on; sync repairs it.
            if later is not None and later - now <= CLOCK_MARGIN:
                stamp = later.astimezone(timezone.utc).isoformat(timespec="microseconds")
        self._last_stamp = stamp
        return stamp

    def _read_clock(self, db: sqlite3.Connection) -> str:
        try:
            row = db.execute("SELECT value FROM sync_meta WHERE key = 'clock'").fetchone()
        except sqlite3.OperationalError:
            return ""  # a file from before sync
        return row[0] if row else ""

    @contextmanager
    def write_transaction(self) -> Iterator[tuple[sqlite3.Connection, int]]:
        """One write transaction for a core module that keeps its own tables in the state
        file (sync): the connection and the change number rows written in it must carry."""
        with self._writing() as db:
            yield db, self._seq

    @contextmanager
    def read_transaction(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot of the file for several queries, StoreError on failure."""
        with self._lock, self._reading():
            db = self._db
            db.execute("BEGIN")
            try:
                yield db
            finally:
                if db.in_transaction:
                    db.execute("COMMIT")

    def _read_data_version(self) -> int:
        with self._reading():
            return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as err:
            raise StoreError(f"cannot read the reading state {self.path}: {error_line(err)}") from None

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
                    self._seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM marks").fetchone()[0]
                    self._clock = clock = self._read_clock(db)
                    yield db
                    if self._last_stamp > clock:
                        # Every process of this home stamps after the clock, so two of them
                        # never give one field the same time.
                        db.execute("UPDATE sync_meta SET value = ? WHERE key = 'clock' AND value < ?",
                                   (self._last_stamp, self._last_stamp))
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as err:
                error = StoreBusy if classify(err) == "busy" else StoreError
                raise error(f"mark not saved: {_write_problem(err, self.path)} ({self.path})") from None

    def wait_at_most(self, milliseconds: int) -> None:
        """How long a write waits for another program's lock before StoreBusy (the reader
        waits briefly: its keys must never freeze behind a long import)."""
        with self._lock:
            self._db.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at path; None in memory or when it is missing. A stat
    only: opening the file again and closing it would drop SQLite's POSIX locks on it."""
    if str(path) == ":memory:":
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _write_problem(err: sqlite3.Error, path: Path) -> str:
    kind = classify(err)
    if kind == "busy":
        return "the state file is busy in another program; try again"
    if kind == "readonly":
        return describe(err, path).replace("the file is", "the state file is")
    return describe(err, path)
