"""What the streamed library's first pass learns of each digest (its papers' ids, dates and
categories, its warnings), kept in a small file beside the parse cache: a warm `dump`
then decodes every digest once, not twice.

Like the parse cache it is only an accelerator, keyed the same way (the file's absolute
path and its size, mtime, ctime and inode, under the parse cache's version): a changed,
new or unknown file is read through library.read_digests as before, and a missing,
damaged or foreign index file is simply not used. Unreadable files are never kept (their
reason is looked for again each time, as read_digests does).
"""
from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.formats import DigestError
from tui_reader.core.library.load import read_digest_file, read_digests

if TYPE_CHECKING:
    from tui_reader.core.library.cache import ParseCache

INDEX_FILE_NAME = "stream-plan.marshal"
_INDEX_FORMAT = 1

FileFacts = tuple[list[str], list[str], list["str | None"], list[str]]
"""One readable digest: its warnings, then per paper entry (in file order) id, date, category."""


def facts_of_files(files: Sequence[Path], cache: ParseCache | None,
                   progress: Callable[[int, int], None] | None = None) -> Iterator[FileFacts | DigestError]:
    """Each file's FileFacts, or the DigestError met reading it, in order: from the index
    where it stands for the file, else read through the parse cache (and then kept)."""
    if cache is None or not cache.enabled:
        for done, (_, outcome) in enumerate(read_digests(files, read_digest_file, cache), start=1):
            yield outcome if isinstance(outcome, DigestError) else _facts(outcome)
            if progress is not None:
                progress(done, len(files))
        return
    from tui_reader.core.library.cache import cache_version, file_key, restamp_warnings

    version = cache_version()
    index_file = Path(cache.folder) / INDEX_FILE_NAME
    stored = _load(index_file, version)
    found: list[tuple[str, tuple | None, tuple | None]] = []  # absolute path, file key, usable entry
    for path in files:
        absolute = os.path.abspath(path)
        try:
            key: tuple | None = file_key(os.stat(path))
        except OSError:
            key = None
        entry = stored.get(absolute)
        usable = entry if entry is not None and key is not None and _valid(entry, key) else None
        found.append((absolute, key, usable))
    misses = read_digests([path for path, (_, _, usable) in zip(files, found) if usable is None],
                          read_digest_file, cache)
    changed = False
    for done, (path, (absolute, key, usable)) in enumerate(zip(files, found), start=1):
        source = str(path)
        if usable is not None:
            _, stored_source, warnings, ids, dates, categories = usable
            yield restamp_warnings(warnings, stored_source, source), ids, dates, categories
        else:
            _, outcome = next(misses)
            if isinstance(outcome, DigestError):
                yield outcome
            else:
                facts = _facts(outcome)
                if key is not None:
                    stored[absolute] = (tuple(key), source, *facts)
                    changed = True
                yield facts
        if progress is not None:
            progress(done, len(files))
    for _ in misses:  # none left: this lets read_digests store what it parsed and end
        pass
    if changed:
        _save(index_file, version, stored)


def _facts(digest: object) -> FileFacts:
    papers = digest.papers  # type: ignore[attr-defined]
    return (list(digest.warnings), [p.id for p in papers],  # type: ignore[attr-defined]
            [p.date for p in papers], [p.category for p in papers])


def _valid(entry: object, key: tuple) -> bool:
    """An entry that stands for a file with this key and has the expected shape."""
    if not isinstance(entry, tuple) or len(entry) != 6 or entry[0] != key:
        return False
    _, source, warnings, ids, dates, categories = entry
    if not (isinstance(source, str) and isinstance(warnings, list) and isinstance(ids, list)
            and isinstance(dates, list) and isinstance(categories, list)
            and len(ids) == len(dates) == len(categories)):
        return False
    return (all(isinstance(text, str) for text in (*warnings, *ids, *categories))
            and all(day is None or isinstance(day, str) for day in dates))


def _load(index_file: Path, version: str) -> dict[str, tuple]:
    """The stored entries by absolute path; none when the file is absent, damaged or of
    another version."""
    try:
        with open(index_file, "rb") as fh:
            data = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if (not isinstance(data, tuple) or len(data) != 3 or data[0] != _INDEX_FORMAT or data[1] != version
            or not isinstance(data[2], dict)):
        return {}
    return data[2]


def _save(index_file: Path, version: str, entries: dict[str, tuple]) -> None:
    """Write the index whole (a temporary file beside it, fsync, rename), leaving out the
    files that are gone; a failure only means the next run reads the digests again."""
    import tempfile

    kept = {path: entry for path, entry in entries.items() if os.path.exists(path)}
    try:
        fd, temp_name = tempfile.mkstemp(dir=index_file.parent, prefix=f".{index_file.name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump((_INDEX_FORMAT, version, kept), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp_name, index_file)
    except (OSError, ValueError):  # ValueError: a value marshal cannot write (never expected)
        pass
    finally:
        if os.path.lexists(temp_name):
            os.unlink(temp_name)
