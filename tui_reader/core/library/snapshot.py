"""The library snapshot: the whole merged library as the reader shows it, kept in the parse cache.

A warm start reads one snapshot (the papers' short fields in list order, and the folded
search text) in a few sequential parts instead of decoding every digest, merging and
folding again; the long texts (abstract, summaries) stay on disk in `paper_texts`, keyed
by their content, until a paper is opened. A snapshot stands for an exact set of files:
its key is made of every file's path and (size, mtime, ctime, inode) and the cache
version, so any added, changed or removed digest makes another key, and the library is
then read from the per-digest entries, re-folding only the papers the change touched.
Like the rest of the parse cache it is only an accelerator: a missing or damaged part
means the library is read the long way.
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import marshal
import os
import sqlite3
import threading
import time
import logging
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tui_reader.core.collector import gc_paused
from tui_reader.core.model import EMPTY_LONG, LONG_FIELDS, SHORT_FIELDS, Appearance, Paper, light_paper
from tui_reader.core.search.haystack import FIELD_COUNT, PreparedText

if TYPE_CHECKING:
    from tui_reader.core.library.cache import ParseCache

T = TypeVar("T")
log = logging.getLogger(__name__)

PART_PAPERS = 2048
"""Papers per stored part: a part decoded at a time keeps the peak near the final size."""
KEEP_SNAPSHOTS = 2
"""The newest snapshots kept (another reader may still be showing the one before)."""
_MARSHAL_VERSION = 4
_LIST_INDICES = tuple(SHORT_FIELDS.index(name) for name in ("authors", "categories", "keywords"))
_CATEGORY = SHORT_FIELDS.index("category")


_SEARCH_TEXT_CODE = ("fold.py", "search/haystack.py", "library/snapshot.py", "library/loading.py", "model.py",
                     "formats/text.py", "formats/latex.py")
"""The code a snapshot's folded search text and layout come from (the parse cache's version
leaves folding out): editing any of it makes other snapshot keys."""


def _search_text_code() -> str:
    core = Path(__file__).resolve().parents[1]
    parts = []
    for name in _SEARCH_TEXT_CODE:
        try:
            st = (core / name).stat()
        except OSError:
            continue
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def snapshot_key(version: str, files: Sequence[tuple[str, tuple | None]], warnings: Sequence[str]) -> bytes | None:
    """The key of the snapshot standing for these files (absolute path, file key) found with
    these warnings; None when a file could not be looked at (nothing then stands for it)."""
    digest = hashlib.blake2b(f"{version}/{_search_text_code()}".encode(), digest_size=16)
    for path, key in files:
        if key is None:
            return None
        digest.update(os.fsencode(path) + b"\0" + repr(tuple(key)).encode() + b"\n")
    digest.update(b"\0".join(w.encode("utf-8", "surrogatepass") for w in warnings))
    return digest.digest()


class SnapshotTexts:
    """The long texts of a snapshot's light papers, read from the cache file on demand
    (through a connection of its own, from any thread). A paper whose row is gone (the
    cache was rebuilt meanwhile) is read again from its digest files."""

    def __init__(self, file: Path, hashes: dict[str, bytes],
                 reread: Callable[[Paper], tuple | None] | None = None) -> None:
        self.file = file
        self.hashes = hashes
        self._reread = reread
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def texts(self, paper: Paper) -> tuple | None:
        found = self._stored(paper.id)
        if found is None and self._reread is not None:
            found = self._reread(paper)
        return found

    def _stored(self, paper_id: str) -> tuple | None:
        texts_hash = self.hashes.get(paper_id)
        if texts_hash is None:
            return None
        with self._lock:
            try:
                if self._db is None:
                    self._db = sqlite3.connect(f"{self.file.resolve().as_uri()}?mode=ro", uri=True,
                                               timeout=2.0, check_same_thread=False)
                row = self._db.execute("SELECT data FROM paper_texts WHERE hash = ?", (texts_hash,)).fetchone()
                texts = marshal.loads(row[0]) if row else None
            except (sqlite3.Error, ValueError, EOFError, TypeError, OSError):
                return None
        if not isinstance(texts, tuple) or len(texts) != len(LONG_FIELDS):
            return None
        return texts

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


@dataclass(slots=True)
class Snapshot:
    """A library read from its snapshot: light papers in list order, the warnings met
    reading it, the search text, and the files it stands for (absolute path -> file key,
    None for a file that could not be looked at)."""

    papers: list[Paper]
    warnings: list[str]
    prepared: PreparedText | None
    files: dict[str, tuple | None] = field(default_factory=dict)
    listing_warnings: list[str] = field(default_factory=list)
    """What finding the files said (a folder without digests...), first among `warnings`."""
    stored: bool = True
    """False for a library read the long way or merged (see core.library.loading.store_loaded)."""
    partial: bool = False
    """Only the newest day's papers (LoadWay.NEWEST_DAY): the rest of the library follows."""


def read_snapshot(db: sqlite3.Connection, file: Path, key: bytes,
                  reread: Callable[[Paper], tuple | None] | None = None,
                  between_parts: Callable[[], None] = lambda: None) -> Snapshot | None:
    """The snapshot stored under `key`, its papers light; None when there is none; calls
    between_parts after each part of papers (a reader gives way to keys there). Raises
    sqlite3.Error, or ValueError/TypeError/EOFError on a damaged one."""
    with gc_paused():  # a hundred thousand new objects, none cyclic: collections only cost time
        return _read_snapshot(db, file, key, reread, between_parts)


def _read_snapshot(db: sqlite3.Connection, file: Path, key: bytes, reread: Callable[[Paper], tuple | None] | None,
                   between_parts: Callable[[], None]) -> Snapshot | None:
    row = db.execute("SELECT head FROM snapshots WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    files, warnings, appearance_rows, count, _, text_size = marshal.loads(row[0])
    appearances = [Appearance(*fields) for fields in appearance_rows]
    hashes: dict[str, bytes] = {}
    source = SnapshotTexts(file, hashes, reread)
    papers: list[Paper] = []
    bounds = array("q")
    for kind, data in db.execute(
            "SELECT kind, data FROM snapshot_parts WHERE key = ? ORDER BY kind, part", (key,)):
        part = marshal.loads(data)
        if kind == "rows":
            for short, places, texts_hash in part:
                paper = light_paper(short, [appearances[i] for i in places], source)
                papers.append(paper)
                hashes[paper.id] = texts_hash
            between_parts()
        elif kind == "text":
            bounds.frombytes(part)
    bounds.append(text_size)
    if len(papers) != count or len(bounds) != FIELD_COUNT * count + 1:
        raise ValueError("a snapshot part is missing")
    prepared = PreparedText.mapped(papers, search_text_file(file, key), bounds)
    return Snapshot(papers, list(warnings), prepared, dict(files))


def drop_snapshot(db: sqlite3.Connection, key: bytes) -> None:
    """Forget the snapshot `key` (one that could not be read), so that it is stored again."""
    db.execute("DELETE FROM snapshots WHERE key = ?", (key,))
    db.execute("DELETE FROM snapshot_parts WHERE key = ?", (key,))


def latest_files(db: sqlite3.Connection) -> tuple[bytes, dict[str, tuple]] | None:
    """(key, files) of the newest snapshot, to tell what a changed library has in common with it."""
    row = db.execute("SELECT key, head FROM snapshots ORDER BY made DESC LIMIT 1").fetchone()
    if row is None:
        return None
    head = marshal.loads(row[1])
    if head[4] != _search_text_code():
        return None  # folded by other code: nothing of it can be reused
    return row[0], dict(head[0])


def stored_search_text(db: sqlite3.Connection, file: Path, key: bytes, wanted: set[str]) -> dict[str, tuple]:
    """Paper id -> (search text piece, texts hash) of a stored snapshot, for the wanted ids."""
    ids: list[str] = []
    hashes: list[bytes] = []
    bounds = array("q")
    for kind, data in db.execute("SELECT kind, data FROM snapshot_parts WHERE key = ? ORDER BY kind, part", (key,)):
        part = marshal.loads(data)
        if kind == "rows":
            ids.extend(short[0] for short, _, _ in part)
            hashes.extend(texts_hash for _, _, texts_hash in part)
        else:
            bounds.frombytes(part)
    row = db.execute("SELECT head FROM snapshots WHERE key = ?", (key,)).fetchone()
    bounds.append(marshal.loads(row[0])[5])
    if len(bounds) != FIELD_COUNT * len(ids) + 1:
        raise ValueError("a snapshot part is missing")
    text = PreparedText.mapped([], search_text_file(file, key), bounds)
    return {paper_id: (text.piece(n), hashes[n]) for n, paper_id in enumerate(ids) if paper_id in wanted}


def search_text_file(cache_file: Path, key: bytes) -> Path:
    """Where the snapshot `key` of the parse cache `cache_file` keeps its search text."""
    return cache_file.with_name(f"{cache_file.name}.search-{key.hex()}")


def _remove_search_texts(cache_file: Path, kept: Iterable[bytes]) -> None:
    """Remove the search text files of every snapshot but the `kept` ones."""
    keep = {search_text_file(cache_file, key).name for key in kept}
    for found in cache_file.parent.glob(f"{glob.escape(cache_file.name)}.search-*"):
        if found.name not in keep:
            with contextlib.suppress(OSError):
                found.unlink()


def write_snapshot(db: sqlite3.Connection, file: Path, key: bytes, files: Iterable[tuple[str, tuple]],
                   papers: Sequence[Paper], warnings: Sequence[str], prepared: PreparedText,
                   known: dict[str, bytes] | None = None,
                   between_parts: Callable[[], None] = lambda: None) -> dict[str, bytes]:
    """Store `papers` (in list order) and their prepared search text as the snapshot `key`
    of the parse cache `file`, in one transaction, a part at a time (between_parts called
    after each; the search text itself in a file of its own beside it: search_text_file);
    keep only the newest KEEP_SNAPSHOTS. `known`: the texts hash of papers whose texts are
    stored already (unchanged since the snapshot before), which are then not encoded again.
    Gives each paper's texts hash (by id)."""
    known = known or {}
    hashes: dict[str, bytes] = {}
    appearance_index: dict[Appearance, int] = {}
    # One object per distinct name, category or keyword: marshal then writes a reference
    # for each repeat in a part, and reading gives shared strings (authors recur a lot).
    shared: dict[str, str] = {}
    referenced: set[bytes] = set()
    db.execute("BEGIN IMMEDIATE")
    try:
        # Under the write lock, as the removal of other snapshots' files below: a reader
        # storing another snapshot meanwhile cannot take this one's file for a stale one.
        prepared.write_to(search_text_file(file, key))
        db.execute("DELETE FROM snapshot_parts WHERE key = ?", (key,))
        added = 0
        for number, start in enumerate(range(0, len(papers), PART_PAPERS)):
            end = start + PART_PAPERS
            rows, texts_rows = [], []
            for paper in papers[start:end]:
                places = [appearance_index.setdefault(app, len(appearance_index)) for app in paper.appearances]
                texts_hash = known.get(paper.id)
                if texts_hash is None:
                    blob = marshal.dumps(_long_values(paper), _MARSHAL_VERSION)
                    texts_hash = hashlib.blake2b(blob, digest_size=16).digest()
                    texts_rows.append((texts_hash, blob))
                referenced.add(texts_hash)
                hashes[paper.id] = texts_hash
                short = list(_short_values(paper))
                for index in _LIST_INDICES:
                    short[index] = list(map(shared.setdefault, short[index], short[index]))
                short[_CATEGORY] = shared.setdefault(short[_CATEGORY], short[_CATEGORY])
                rows.append((tuple(short), places, texts_hash))
            text = prepared.bounds[FIELD_COUNT * start:FIELD_COUNT * min(end, len(papers))].tobytes()
            db.execute("INSERT INTO snapshot_parts VALUES (?, 'rows', ?, ?)",
                       (key, number, marshal.dumps(rows, _MARSHAL_VERSION)))
            db.execute("INSERT INTO snapshot_parts VALUES (?, 'text', ?, ?)",
                       (key, number, marshal.dumps(text, _MARSHAL_VERSION)))
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO paper_texts VALUES (?, ?)", texts_rows)
            added += db.total_changes - before
            between_parts()
        head = marshal.dumps((sorted(files), list(warnings),
                              [(a.source, a.date, a.category) for a in appearance_index], len(papers),
                              _search_text_code(), prepared.bounds[-1]), _MARSHAL_VERSION)
        db.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)", (key, time.time(), head))
        kept_keys = [k for (k,) in db.execute("SELECT key FROM snapshots ORDER BY made DESC")]
        old = kept_keys[KEEP_SNAPSHOTS:]
        for gone in old:
            db.execute("DELETE FROM snapshots WHERE key = ?", (gone,))
            db.execute("DELETE FROM snapshot_parts WHERE key = ?", (gone,))
        _count_added_texts(db, added, len(papers), len(referenced))
        _remove_search_texts(file, kept_keys[:KEEP_SNAPSHOTS])
        db.execute("COMMIT")
        return hashes
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


_long_values = attrgetter(*LONG_FIELDS)
_short_values = attrgetter(*SHORT_FIELDS)
"""A paper's LONG_FIELDS / SHORT_FIELDS values as a tuple, in one C call."""
_ADDED_KEY = "texts added since pruned"


def _count_added_texts(db: sqlite3.Connection, added: int, papers: int, referenced: int) -> None:
    """Keep count of the texts written since the last pruning; prune once they pass a
    quarter of the library (each pruning reads every kept snapshot's rows), unless every
    stored text is one of the `referenced` texts of the snapshot just written (a first
    snapshot: nothing could go)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_ADDED_KEY,)).fetchone()
    total = (int(row[0]) if row and str(row[0]).isdigit() else 0) + added
    if total > max(papers // 4, 1000):
        if db.execute("SELECT count(*) FROM paper_texts").fetchone()[0] > referenced:
            _prune_texts(db)
        total = 0
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_ADDED_KEY, str(total)))


def _prune_texts(db: sqlite3.Connection) -> None:
    """Drop the texts no kept snapshot refers to (papers of removed or rewritten digests)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS kept_texts (hash BLOB PRIMARY KEY) WITHOUT ROWID")
    db.execute("DELETE FROM kept_texts")
    for (data,) in db.execute("SELECT data FROM snapshot_parts WHERE kind = 'rows'").fetchall():
        db.executemany("INSERT OR IGNORE INTO kept_texts VALUES (?)",
                       [(texts_hash,) for _, _, texts_hash in marshal.loads(data)])
    db.execute("DELETE FROM paper_texts WHERE hash NOT IN (SELECT hash FROM kept_texts)")


def reread_paper(paper: Paper) -> tuple | None:
    """A paper's LONG_FIELDS read again from the digests it appeared in, merged as a load
    merges them: for a light paper whose stored texts are gone."""
    from tui_reader.core.formats import DigestError
    from tui_reader.core.library.load import read_digest_file

    merged: Paper | None = None
    for source in paper.sources:
        try:
            digest = read_digest_file(Path(source))
        except DigestError:
            continue
        for other in digest.papers:
            if other.id != paper.id:
                continue
            if merged is None:
                merged = other
            else:
                merged.merge(other)
    return None if merged is None else tuple(getattr(merged, name) for name in LONG_FIELDS)


def quietly(step: Callable[[], T]) -> T | None:
    """A step of using the snapshot; any trouble with the cache file means: do without it."""
    try:
        return step()
    except (sqlite3.Error, ValueError, TypeError, EOFError, IndexError, KeyError, OSError) as err:
        log.info("library snapshot not used: %s", err)
        return None


def snapshot_papers(cache: ParseCache, found: Sequence[Path]) -> Iterator[Paper] | None:
    """The whole papers of the snapshot that stands for exactly these files, streamed a
    part at a time in list order (texts read a part at a time too), for a command that
    writes every paper (dump, export); None when no snapshot stands for them."""
    from tui_reader.core.library.cache import file_key

    db = cache.connection
    if db is None:
        return None
    try:
        files = sorted((os.path.abspath(path), file_key(os.stat(path))) for path in found)
    except OSError:
        return None
    heads = quietly(lambda: db.execute("SELECT key, head FROM snapshots ORDER BY made DESC").fetchall()) or []
    for key, head in heads:
        try:
            stored_files, _, appearance_rows, count, code, *_ = marshal.loads(head)
        except (ValueError, EOFError, TypeError):
            continue
        if code == _search_text_code() and [(path, tuple(k)) for path, k in stored_files] == files:
            return _whole_papers(db, key, [Appearance(*row) for row in appearance_rows], count)
    return None


def _whole_papers(db: sqlite3.Connection, key: bytes, appearances: list[Appearance], count: int) -> Iterator[Paper]:
    db.execute("BEGIN")  # one consistent view, whatever another reader writes meanwhile
    try:
        parts = [n for (n,) in db.execute(
            "SELECT part FROM snapshot_parts WHERE key = ? AND kind = 'rows' ORDER BY part", (key,))]
        for number in parts:
            row = db.execute("SELECT data FROM snapshot_parts WHERE key = ? AND kind = 'rows' AND part = ?",
                             (key, number)).fetchone()
            part = marshal.loads(row[0])
            texts: dict[bytes, bytes] = {}
            hashes = [texts_hash for _, _, texts_hash in part]
            for start in range(0, len(hashes), 500):
                chunk = hashes[start:start + 500]
                texts.update(db.execute(f"SELECT hash, data FROM paper_texts WHERE hash IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall())
            for short, places, texts_hash in part:
                paper = light_paper(short, [appearances[i] for i in places], None)  # type: ignore[arg-type]
                blob = texts.get(texts_hash)
                values = marshal.loads(blob) if blob is not None else reread_paper(paper)
                for name, value in zip(LONG_FIELDS, values or EMPTY_LONG):
                    setattr(paper, name, value() if callable(value) else value)
                yield paper
    finally:
        # A command whose reader went away (dump | head) may close the cache before this
        # generator is finalized: closing the connection has ended the read already.
        with contextlib.suppress(sqlite3.ProgrammingError):
            if db.in_transaction:
                db.execute("COMMIT")

