"""The reader's one way to load its library, with its variants named (LoadWay), and storing what it read.

`load(paths, cache, way)` gives a Snapshot (core.library.snapshot) for each variant:

- NEWEST_DAY: the newest dated day's files through the parse cache, for the first frame
  (the whole library when it is only a few small files); None when the first frame should
  not wait for it (a day larger than EARLY_BYTES, many undated files).
- WHOLE: every file: the snapshot standing for exactly these files when there is one (light
  papers), else read through the parse cache and folded (reusing the newest snapshot's
  search text for papers no changed file touched).
- NEW_DAYS: WHOLE for a running reader, given the library it shows: files appended for newer
  days are merged into it in memory (core.library.new_days); any other change is WHOLE.

A library read the long way or merged is given before it is stored (`Snapshot.stored` is
False): the caller shows it, then calls `store_loaded`, which writes it as the snapshot of
its files and makes its papers light. Commands that write every paper (dump, export) stream
the library instead, holding little of it: core.library.stream.
"""
from __future__ import annotations

import enum
import os
from itertools import groupby
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.collector import gc_paused
from tui_reader.core.model import LONG_FIELDS, Paper
from tui_reader.core.search.haystack import PreparedText
from tui_reader.core.library.snapshot import (
    Snapshot, SnapshotTexts, latest_files, read_snapshot, reread_paper, snapshot_key, stored_search_text, quietly,
    search_text_file, drop_snapshot,
    write_snapshot,
)

if TYPE_CHECKING:
    from tui_reader.core.library.cache import ParseCache

EARLY_BYTES = 8 * 1024 * 1024
"""NEWEST_DAY reads digests up to this size in all before the first frame (a day is ~0.5 MB)."""
EARLY_UNDATED_FILES = 8
"""A library of at most this many files, none named with a date, is read whole by NEWEST_DAY
(a day is one to three files)."""


class LoadWay(enum.Enum):
    """The variants of the reader's one loading path (see the module's docstring)."""

    NEWEST_DAY = "newest day"
    WHOLE = "whole"
    NEW_DAYS = "new days"


@dataclass(slots=True, frozen=True)
class LoadStep:
    """How far a load has gone: files read of all, papers found so far, and whether the
    papers' search text is being made (after the last file)."""

    files_done: int
    files: int
    papers: int
    folding: bool = False


def _nothing() -> None:
    pass


def load(paths: Sequence[str | Path], cache: ParseCache, way: LoadWay, *, current: Snapshot | None = None,
         progress: Callable[[LoadStep], None] | None = None, between_batches: Callable[[], None] = _nothing,
         language: str | None = None) -> Snapshot | None:
    """The library under `paths` as `way` reads it (None only for NEWEST_DAY); `progress`
    is told each file and the start of folding, `between_batches` is called while folding
    (a reader gives way to keys there); `current`: the library shown, for NEW_DAYS."""
    warnings: list[str] = []
    found, files = library_files(paths, warnings, language)  # the files are the snapshot's key
    # A load makes millions of objects, none cyclic: the collections they would set off
    # (walking every paper made so far) cost a cold start about a second of folding alone.
    with gc_paused():
        if way is LoadWay.NEWEST_DAY:
            return _newest_day(found, files, warnings, cache)
        snapshot = None
        if way is LoadWay.NEW_DAYS and current is not None and cache.enabled:
            from tui_reader.core.library.new_days import with_new_days

            snapshot = with_new_days(current, found, files, warnings, cache, between_batches)
        if snapshot is None:
            snapshot = _whole(found, files, list(warnings), cache, progress, between_batches)
    snapshot.files = dict(files)
    snapshot.listing_warnings = warnings
    return snapshot


def store_loaded(cache: ParseCache, snapshot: Snapshot, between_parts: Callable[[], None] = _nothing) -> None:
    """Store a library `load` gave unstored as the snapshot of its files (unless one stands
    for them already), calling between_parts after each part written; then its whole papers
    become light (their texts are on disk now), so memory after a first start is what a warm
    start holds. Quietly does nothing when the cache cannot be written."""
    from tui_reader.core.library.cache import cache_version

    db = cache.connection
    key = snapshot_key(cache_version(), list(snapshot.files.items()), snapshot.listing_warnings)
    prepared = snapshot.prepared
    if snapshot.stored or db is None or key is None or prepared is None:
        return
    known = {}
    for paper in snapshot.papers:
        source = paper.text_source
        if isinstance(source, SnapshotTexts) and paper.id in source.hashes:
            known[paper.id] = source.hashes[paper.id]
    stored_files = [(path, key_now) for path, key_now in snapshot.files.items() if key_now is not None]
    with gc_paused():
        if quietly(lambda: db.execute("SELECT 1 FROM snapshots WHERE key = ?", (key,)).fetchone()) is not None:
            return
        hashes = quietly(lambda: write_snapshot(db, cache.file, key, stored_files, snapshot.papers, snapshot.warnings,
                                                prepared, known, between_parts))
    if hashes is not None:
        snapshot.stored = True
        _lighten(snapshot.papers, SnapshotTexts(cache.file, hashes, reread_paper))
        # The same search text, now stored: searched from its file, no longer held in memory.
        quietly(lambda: prepared.use_file(search_text_file(cache.file, key)))


def _lighten(papers: Sequence[Paper], source: SnapshotTexts) -> None:
    """Whole papers made light: their long texts read again from `source` when asked. The
    source comes first, so a paper read meanwhile (another thread) finds each text either
    still held or on disk."""
    for paper in papers:
        if paper.text_source is None and paper.id in source.hashes:
            paper.text_source = source
            for name in LONG_FIELDS:
                delattr(paper, name)


def library_files(paths: Sequence[str | Path], warnings: list[str], language: str | None = None
                  ) -> tuple[list[Path], list[tuple[str, tuple | None]]]:
    """The digest files under `paths` (as find_digest_files gives them) and each one's
    (absolute path, file key), the key None when the file could not be looked at: what a
    load reads, and what tells whether the folder changed since."""
    from tui_reader.core.library.cache import file_key
    from tui_reader.core.library.load import find_digest_files

    found = find_digest_files(paths, warnings, language)
    files: list[tuple[str, tuple | None]] = []
    for path in found:
        try:
            files.append((os.path.abspath(path), file_key(os.stat(path))))
        except OSError:
            files.append((os.path.abspath(path), None))
    return found, files


def newest_day_files(files: list[Path]) -> list[Path]:
    """The files of the newest dated day: what the first screen shows while the rest of the
    library loads. When no file name holds a date (`seed.md`, whatever its text says), no
    day can be picked without reading: a few files are all read before the first frame
    (within EARLY_BYTES), more wait for the loading thread."""
    from tui_reader.core.library.load import date_from_name

    dates = [date_from_name(path) for path in files]
    newest = max((d for d in dates if d), default=None)
    if newest is None:
        # Left to the thread, a lone undated digest painted after its 0.15 s typing pause.
        return list(files) if len(files) <= EARLY_UNDATED_FILES else []
    return [path for path, date in zip(files, dates) if date == newest]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _newest_day(found: list[Path], files: list[tuple[str, tuple | None]], warnings: list[str],
                cache: ParseCache) -> Snapshot | None:
    first = newest_day_files(found)
    if not first or sum(_size(path) for path in first) > EARLY_BYTES:
        return None  # a huge file is read in the thread, behind a progress line
    whole = len(first) == len(found)
    papers, read_warnings, _ = _read_long_way(first, files if whole else [], cache, list(warnings) if whole else [],
                                              {}, None)
    if not papers:
        return None if not whole else Snapshot([], read_warnings, None, dict(files), list(warnings))
    if whole:  # nothing else to read: this is the library (its search index is made when shown)
        return Snapshot(papers, read_warnings, None, dict(files), list(warnings))
    return Snapshot(papers, [], None, partial=True)


def _whole(found: list[Path], files: list[tuple[str, tuple | None]], warnings: list[str],
           cache: ParseCache, progress: Callable[[LoadStep], None] | None,
           between_batches: Callable[[], None]) -> Snapshot:
    from tui_reader.core.library.cache import cache_version

    db = cache.connection
    key = snapshot_key(cache_version(), files, warnings) if db is not None else None
    if db is None or key is None:
        papers, read_warnings, _ = _read_long_way(found, files, cache, warnings, {}, progress)
        return Snapshot(papers, read_warnings, prepare_search_text(papers, {}, between_batches))
    snapshot = quietly(lambda: read_snapshot(db, cache.file, key, reread_paper, between_batches))
    if snapshot is not None:
        if progress is not None:
            progress(LoadStep(len(found), len(found), len(snapshot.papers)))
        return snapshot
    quietly(lambda: drop_snapshot(db, key))  # if one could not be read (its search text file lost): stored anew
    previous = quietly(lambda: latest_files(db))
    before = previous[1] if previous is not None else {}
    papers, read_warnings, touched = _read_long_way(found, files, cache, warnings, before, progress)
    reuse: dict[str, tuple] = {}
    if previous is not None and not set(before) - {path for path, _ in files}:
        wanted = {paper.id for paper in papers} - touched
        reuse = quietly(lambda: stored_search_text(db, cache.file, previous[0], wanted)) or {}
    prepared = prepare_search_text(papers, reuse, between_batches)
    return Snapshot(papers, read_warnings, prepared, stored=False)


def _read_long_way(found: list[Path], files: list[tuple[str, tuple | None]], cache: ParseCache,
                   warnings: list[str], before: dict[str, tuple],
                   progress: Callable[[LoadStep], None] | None) -> tuple[list[Paper], list[str], set[str]]:
    """(papers sorted as listed, warnings, ids of papers in files not in `before` as they
    are now) read through the parse cache, as load_library reads them."""
    from tui_reader.core.formats import DigestError
    from tui_reader.core.formats.text import one_line
    from tui_reader.core.library.load import Library, read_digest_file, read_digests

    library = Library(warnings=warnings)
    touched: set[str] = set()
    keys = dict(files)
    for done, (path, outcome) in enumerate(read_digests(found, read_digest_file, cache), start=1):
        if isinstance(outcome, DigestError):
            library.warnings.append(f"{path}: {outcome}")
        else:
            if before.get(os.path.abspath(path), False) != keys.get(os.path.abspath(path), True):
                touched.update(paper.id for paper in outcome.papers)
            library.merge(outcome)  # no Digest kept: a repeated paper's record goes once merged
        if progress is not None:
            progress(LoadStep(done, len(found), len(library.papers)))
    papers = library.sorted_papers()
    if progress is not None:
        progress(LoadStep(len(found), len(found), len(papers), folding=True))
    return papers, [one_line(message) for message in library.warnings], touched


def prepare_search_text(papers: Sequence[Paper], reuse: dict[str, tuple],
                        between_batches: Callable[[], None]) -> PreparedText:
    """The PreparedText of `papers`, taking each reused paper's (search text piece, texts
    hash) as stored and folding only the others (on every core: the parse workers have
    ended)."""
    from tui_reader.core.library.fold_workers import prepare_in_workers

    fresh = [paper for paper in papers if paper.id not in reuse]
    made = prepare_in_workers(fresh, between_batches)
    if not reuse:
        made.papers = papers  # the same papers (a first start): nothing to put together
        return made
    prepared = PreparedText(papers)
    next_fresh = 0
    for is_reused, run in groupby(papers, key=lambda paper: paper.id in reuse):
        if is_reused:
            prepared.extend([reuse[paper.id][0] for paper in run])
        else:
            count = sum(1 for _ in run)
            prepared.extend_from(made, next_fresh, next_fresh + count)  # the run of fresh papers in one copy
            next_fresh += count
    return prepared
