"""New days added to a library already in memory: only their files read, only their papers folded.

A running reader whose folder gains the next day's files (a pull, the watcher) would
otherwise read the whole library again, fold what changed and write and read back a whole
snapshot before showing anything (25 s at 450 days on a busy machine). When the change is
only files appended after the ones read, each of a day newer than every paper's first day,
the result of a full load is known without doing it: the papers of the library merge the
new records in file order (exactly what a full load would do after the same files), the new
papers come first in the list (their first day is the newest) and everything else keeps its
place (a paper's first day cannot change by appearing later). Anything else (a file changed
or removed, an older or undated day, a warning from finding the files) gives None, and the
caller reads the library the long way (LoadWay.WHOLE).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.model import Paper
from tui_reader.core.search.haystack import PreparedText

if TYPE_CHECKING:
    from tui_reader.core.library.cache import ParseCache
    from tui_reader.core.library.snapshot import Snapshot


def with_new_days(current: Snapshot, found: Sequence[Path], files: Sequence[tuple[str, tuple | None]],
                  listing_warnings: Sequence[str], cache: ParseCache | None,
                  between_batches: Callable[[], None] = lambda: None) -> Snapshot | None:
    """`current` (a whole library as core.library.loading.load gives it, its files and search text
    included) with the files of `found` after those it was read from; None when the change
    is not only such new days (see the module's docstring)."""
    from tui_reader.core.formats import DigestError
    from tui_reader.core.library.load import read_digest_file, read_digests
    from tui_reader.core.library.snapshot import Snapshot
    from tui_reader.core.formats.text import one_line

    known = list(current.files.items())
    if (listing_warnings or current.listing_warnings or current.prepared is None
            or current.prepared.size != len(current.papers) or len(files) <= len(known) or list(files[:len(known)]) != known
            or any(key is None for _, key in files)):
        return None
    # Listed newest first day first, undated last: the first paper's day is the newest
    # (asking each of 80,000 papers for its first day took a quarter of a second).
    newest = (current.papers[0].date or "") if current.papers else ""
    at = {paper.id: index for index, paper in enumerate(current.papers)}
    added: dict[str, Paper] = {}
    changed: dict[int, Paper] = {}
    warnings: list[str] = []
    for path, outcome in read_digests(found[len(known):], read_digest_file, cache):
        if isinstance(outcome, DigestError):
            warnings.append(f"{path}: {outcome}")
            continue
        if any(not app.date or app.date <= newest for paper in outcome.papers for app in paper.appearances):
            return None  # an older or undated day: papers could change places
        warnings.extend(outcome.warnings)
        for paper in outcome.papers:
            index = at.get(paper.id)
            if paper.id in added:
                added[paper.id].merge(paper)
            elif index is None:
                added[paper.id] = paper
            else:
                if index not in changed:  # merged into a copy: the shown paper stays as it is
                    changed[index] = whole_copy(current.papers[index])
                changed[index].merge(paper)
    fresh = sorted(added.values(), key=lambda p: p.date or "", reverse=True)
    papers = fresh + [changed.get(index, paper) for index, paper in enumerate(current.papers)]
    prepared = _prepared_with(current.prepared, papers, fresh, changed, between_batches)
    return Snapshot(papers, current.warnings + [one_line(w) for w in warnings], prepared, dict(files), stored=False)


def whole_copy(paper: Paper) -> Paper:
    """A Paper holding all of `paper`'s values (a light paper's texts read), sharing no
    list or mapping with it."""
    values = {f.name: getattr(paper, f.name) for f in dataclasses.fields(Paper) if f.name != "text_source"}
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = list(value)
        elif isinstance(value, dict):
            values[name] = {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
    return Paper(**values)


def _prepared_with(old: PreparedText, papers: list[Paper], fresh: list[Paper], changed: dict[int, Paper],
                   between_batches: Callable[[], None]) -> PreparedText:
    """The search text of `papers`: `old`'s, with the `fresh` papers' (first in `papers`)
    put before it and the `changed` ones' (by index in `old`) made again. Held in memory
    until store_loaded stores it (and maps it from there)."""
    made = PreparedText(fresh + list(changed.values()))
    made.ensure(between_batches)
    prepared = PreparedText(papers)
    count = len(fresh)
    prepared.extend_from(made, 0, count)
    made_at = {index: at for at, index in enumerate(changed, start=count)}
    done = 0
    for index in sorted(changed):
        prepared.extend_from(old, done, index)  # the unchanged run before it, in one copy
        prepared.extend_from(made, made_at[index], made_at[index] + 1)
        done = index + 1
    prepared.extend_from(old, done, old.size)
    return prepared
