"""The parse cache: parsed digests kept in one SQLite file, so a start reads it, not the Markdown.

An entry is keyed by the file's absolute path and validated by its size, mtime_ns, ctime_ns
and inode, so a changed, added or deleted digest is re-read and nothing stale is shown. The
parsed papers are stored as a marshal blob (plain tuples, lists and strings: marshal only
builds data, never runs code, and is several times faster to read than JSON) shared by every
file with the same parsed content (Saturday and Sunday repeat Friday's digest). The blob holds
no path and no date, which live in the entry, so one blob serves all copies. The cache is
only an accelerator: any damage (garbage, truncation, a wrong version) is logged at INFO and
the cache is rebuilt; nothing here raises to the caller except the reader's DigestError results.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import marshal
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tui_reader import __version__
from tui_reader.core.formats import DigestError
from tui_reader.core.model import Appearance, Digest, Paper
from tui_reader.core.private_files import NotOurFile, make_private, refuse_links
from tui_reader.core.state.sqlite_errors import SIDE_SUFFIXES, is_busy, remove_database

CACHE_FORMAT = 5
"""Bump when the blob layout changes; the model's field names are part of the key anyway.
3: the library snapshot (core/library/snapshot.py). 4: forks' fields (text importance,
reading time, labels of their own) read from files cached before. 5: paper_texts keeps its
rows in a rowid table (a first snapshot's 80,000 texts written in a third of the time)."""

CACHE_FILE_NAME = "parsed-library.sqlite3"
COMMIT_EVERY = 32
# No mmap_size: mapped pages would count in the reader's peak RSS (+100 MB at 365 days)
# to save about 0.1 s.
_MARSHAL_VERSION = 4

log = logging.getLogger(__name__)

Reader = Callable[[Path], Digest]
Outcome = Digest | DigestError

_PAPER_FIELDS = tuple(f.name for f in dataclasses.fields(Paper) if f.name not in ("appearances", "text_source"))
_LIST_FIELDS = tuple(i for i, name in enumerate(_PAPER_FIELDS) if name in ("authors", "categories", "keywords"))
_MAPPING_FIELDS = tuple(i for i, name in enumerate(_PAPER_FIELDS) if name == "extra")
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE blobs (hash BLOB PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE entries (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, source TEXT NOT NULL,
    date TEXT, warnings BLOB NOT NULL, hash BLOB NOT NULL
);
CREATE TABLE snapshots (key BLOB PRIMARY KEY, made REAL NOT NULL, head BLOB NOT NULL);
CREATE TABLE snapshot_parts (
    key BLOB NOT NULL, kind TEXT NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (key, kind, part)
) WITHOUT ROWID;
CREATE TABLE paper_texts (hash BLOB PRIMARY KEY, data BLOB NOT NULL);
"""
# paper_texts is not WITHOUT ROWID: texts of several KB inserted in hash order would split
# and move the key tree's pages, where a rowid table appends them and indexes 16-byte hashes.
_TABLES = frozenset({"meta", "blobs", "entries", "snapshots", "snapshot_parts", "paper_texts"})


_PARSING_CODE = ("*.py", "formats/*.py", "library/load.py")
"""Where, under core/, the code a parse runs lives (patterns); of core's top-level modules,
those named in _NOT_PARSING are left out. A new parsing module is covered by default."""
_NOT_PARSING = ("atomic_write", "collector", "config", "config_edit", "fold", "paths", "private_files")
"""Core's top-level modules whose code cannot change what a parse gives."""


def _code_fingerprint() -> str:
    """Size and mtime of the parsing code, so editing a parser invalidates what it produced."""
    core = Path(__file__).resolve().parents[1]
    parts = []
    for file in sorted({file for pattern in _PARSING_CODE for file in core.glob(pattern)}):
        if file.parent == core and file.stem in _NOT_PARSING:
            continue
        try:
            st = file.stat()
        except OSError:
            continue
        parts.append(f"{file.relative_to(core)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()


def cache_version() -> str:
    """Everything that must match for stored entries to be used."""
    model = ",".join(
        f"{cls.__name__}({','.join(f.name for f in dataclasses.fields(cls))})"
        for cls in (Paper, Appearance, Digest)
    )
    model_hash = hashlib.blake2b(model.encode(), digest_size=8).hexdigest()
    return f"{CACHE_FORMAT}/{__version__}/{model_hash}/{_code_fingerprint()}"


def file_key(st: os.stat_result) -> tuple[int, int, int, int]:
    """What must match for a stored entry to stand for a file: size, mtime, ctime, inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def encode_digest(digest: Digest) -> tuple[bytes, bytes] | None:
    """(blob, hash) of a digest's path-free, date-free content; None if it cannot be cached
    (a paper listed under another source or date than the digest's own)."""
    papers = []
    for paper in digest.papers:
        sections = []
        for app in paper.appearances:
            if app.source != digest.source or app.date != digest.date:
                return None
            sections.append(app.category)
        papers.append((*(getattr(paper, name) for name in _PAPER_FIELDS), sections))
    try:
        blob = marshal.dumps((digest.format, digest.declared_totals, papers), _MARSHAL_VERSION)
    except ValueError:  # a field of a type marshal cannot hold: such a file is simply not cached
        return None
    return blob, hashlib.blake2b(blob, digest_size=16).digest()


def decode_digest(content: tuple, source: str, date: str | None, warnings: list[str],
                  *, shared: bool = False) -> Digest:
    """A Digest from a decoded blob; raises (TypeError, ValueError, ...) on a malformed one.
    `shared` says the blob already gave another file's papers: lists are then copied, so
    that merging one Paper never changes another."""
    fmt, totals, rows = content
    if not isinstance(fmt, str) or not isinstance(totals, dict) or not isinstance(rows, list):
        raise ValueError("malformed cache record")
    if shared:
        rows = [_with_own_lists(row) for row in rows]
    # Appearances are frozen, so the papers of one file can share one per section.
    shared_appearances: dict[str, Appearance] = {}

    def appearance(section: str) -> Appearance:
        app = shared_appearances.get(section)
        if app is None:
            app = shared_appearances[section] = Appearance(source, date, section)
        return app

    # Positional, in _PAPER_FIELDS order (a changed model changes cache_version): the fastest way.
    papers = [Paper(*row[:-1], [appearance(section) for section in row[-1]])  # type: ignore[call-arg]
              for row in rows]
    return Digest(source=source, date=date, format=fmt, papers=papers,
                  warnings=list(warnings), declared_totals=dict(totals))


def _with_own_lists(row: tuple) -> list:
    values = list(row)
    for index in _LIST_FIELDS:
        values[index] = list(values[index])
    for index in _MAPPING_FIELDS:  # an extra field's list value is copied too
        values[index] = {k: list(v) if isinstance(v, list) else v for k, v in values[index].items()}
    return values


def restamp_warnings(warnings: list[str], stored_source: str, source: str) -> list[str]:
    """Warnings name the path the file was read by; show the path it is read by now."""
    if stored_source == source:
        return warnings
    return [source + w[len(stored_source):] if w.startswith(stored_source) else w for w in warnings]


def parse_for_cache(path: Path, reader: Reader, keep_digest: bool = False) -> tuple:
    """Parse one file (in a worker process or here) into what the cache stores:
    ('ok', blob, hash, date, warnings, Digest if keep_digest else None), ('digest', Digest)
    when it cannot be encoded, or ('error', message)."""
    try:
        digest = reader(path)
    except DigestError as err:
        return ("error", str(err))
    encoded = encode_digest(digest)
    if encoded is None:
        return ("digest", digest)
    return ("ok", encoded[0], encoded[1], digest.date, digest.warnings, digest if keep_digest else None)


class ParseCache:
    """The parsed-library cache in one folder; open it with ParseCache.open(cache_dir)."""

    def __init__(self, folder: Path, db: sqlite3.Connection | None) -> None:
        self.folder = folder
        self._db = db

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> ParseCache:
        """Open or create the cache under folder (created 0700); never raises. A cache that
        cannot be opened is replaced; one that cannot be created leaves caching off."""
        folder = Path(folder)
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            make_private(folder, 0o700, directory=True)
        except OSError as err:
            log.info("parse cache off: cannot create %s (%s)", folder, err)
            return cls(folder, None)
        file = folder / CACHE_FILE_NAME
        for attempt in (1, 2):
            try:
                refuse_links(file, ("", *SIDE_SUFFIXES))
                return cls(folder, cls._connect(file))
            except NotOurFile as err:
                log.info("parse cache off: %s", err)  # never removed: it may be someone's file
                return cls(folder, None)
            except (sqlite3.Error, ValueError, OSError) as err:
                if attempt == 2 or is_busy(err):  # busy: another reader is writing it; not damage
                    log.info("parse cache off this time: %s cannot be used (%s)", file, err)
                    return cls(folder, None)
                log.info("parse cache %s damaged (%s); rebuilding it", file, err)
                _remove_database(file)
        return cls(folder, None)  # pragma: no cover - the loop always returns

    @staticmethod
    def _connect(file: Path) -> sqlite3.Connection:
        # Created (or opened) here without following a link, and its mode set on what was
        # opened; SQLite then opens the same path, checked to be the same file.
        opened = make_private(file, 0o600, directory=False)
        db = sqlite3.connect(file, timeout=2.0, isolation_level=None, check_same_thread=False)
        try:
            now = os.lstat(file)
            if (now.st_dev, now.st_ino) != opened:
                raise NotOurFile(f"{file} was replaced while it was opened")
            # WAL: a start reading the cache never waits for another process writing it.
            # synchronous=NORMAL is safe from corruption in WAL; a lost last write is re-parsed.
            # 16 KiB pages (set before WAL, on a new file only): blobs of ~400 KB span a
            # quarter of the pages; measured, a warm read of a year 0.18 -> 0.04 s.
            db.execute("PRAGMA page_size=16384")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = cache_version()
            if not _has_version(db, version):
                db.execute("BEGIN IMMEDIATE")
                try:
                    if not _has_version(db, version):  # another process may have just built it
                        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
                        if tables:
                            log.info("parse cache %s is from another version; rebuilding it", file)
                        for table in tables:
                            db.execute(f'DROP TABLE IF EXISTS "{table}"')
                        for statement in _SCHEMA.split(";"):
                            if statement.strip():
                                db.execute(statement)
                        db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            return db
        except BaseException:
            db.close()
            raise

    @property
    def connection(self) -> sqlite3.Connection | None:
        """The open cache database (None when caching is off), for the library snapshot."""
        return self._db

    @property
    def file(self) -> Path:
        return self.folder / CACHE_FILE_NAME

    @property
    def enabled(self) -> bool:
        """False when the cache could not be opened (everything is then parsed)."""
        return self._db is not None

    def close(self) -> None:
        """Close the database; the cache object then parses everything."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stored_entries(self) -> dict[str, tuple]:
        """path -> (size, mtime_ns, ctime_ns, inode, source, date, warnings, hash) of every entry."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute(
                "SELECT path, size, mtime_ns, ctime_ns, inode, source, date, warnings, hash FROM entries"
            ).fetchall()
        except sqlite3.Error as err:
            if is_busy(err):
                log.info("parse cache busy (%s); parsing everything this time", err)
            else:
                self._damaged(err)
            return {}
        return {row[0]: row[1:] for row in rows}

    def blob(self, digest_hash: bytes) -> tuple | None:
        """The decoded blob stored under a hash; None when absent or damaged."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT data FROM blobs WHERE hash = ?", (digest_hash,)).fetchone()
            return marshal.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError, EOFError, TypeError) as err:
            log.info("parse cache: damaged entry skipped (%s)", err)
            return None

    def _damaged(self, err: Exception) -> None:
        """Throw the whole cache away; the next open starts afresh."""
        log.info("parse cache %s damaged (%s); rebuilding it", self.folder / CACHE_FILE_NAME, err)
        self.close()
        _remove_database(self.folder / CACHE_FILE_NAME)
        try:
            self._db = self._connect(self.folder / CACHE_FILE_NAME)
        except (sqlite3.Error, ValueError, OSError) as err2:
            log.info("parse cache off: %s", err2)
            self._db = None

    def store(self, rows: list[tuple], *, prune: bool = True) -> None:
        """Write entries (path, key, source, date, warnings, hash, blob) in one transaction;
        with prune, drop entries of files that no longer exist and blobs nobody refers to."""
        if self._db is None:
            return
        # A file name that is not UTF-8 (held with surrogates by os.fsdecode) cannot be a
        # SQLite text key: such a file is simply parsed each time.
        rows = [row for row in rows if _encodable(row[0]) and _encodable(row[2])]
        try:
            db = self._db
            gone = [(p,) for (p,) in db.execute("SELECT path FROM entries") if not os.path.exists(p)] if prune else []
            if not rows and not gone:
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                for path, key, source, date, warnings, digest_hash, blob in rows:
                    db.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?)", (digest_hash, blob))
                    db.execute(
                        "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (path, *key, source, date, marshal.dumps(list(warnings), _MARSHAL_VERSION), digest_hash),
                    )
                if gone:
                    db.executemany("DELETE FROM entries WHERE path = ?", gone)
                    db.execute("DELETE FROM blobs WHERE hash NOT IN (SELECT hash FROM entries)")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            if is_busy(err):  # another reader is writing: its entries will do
                log.info("parse cache not updated: %s", err)
            else:
                self._damaged(err)


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _has_version(db: sqlite3.Connection, version: str) -> bool:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables != _TABLES:
        return False
    return db.execute("SELECT value FROM meta WHERE key='version'").fetchone() == (version,)


def _remove_database(file: Path) -> None:
    for target, err in remove_database(file):
        log.info("parse cache: cannot remove %s (%s)", target, err)
