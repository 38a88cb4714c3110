"""The library streamed: papers merged by id and handed out one at a time, in the order
Library.sorted_papers gives, while holding only the papers that still await a later file.

Two passes over the digests, through library.read_digests (one Digest at a time):

1. plan_library: in file order, only each paper's id, its earliest date, its first
   category and the files it is listed in (plus the warnings, exactly as load_library
   words and orders them). From this the output order is known: newest date first, ties
   in order of first appearance (what the stable sort of sorted_papers gives). What each
   file gave is kept beside the parse cache (library_stream_index), so on a warm run
   this pass decodes no digest.
2. LibraryPlan.papers: the files again, but newest output first (each file is read when
   the first paper it lists is next to be written). A paper's records are kept until its
   last file is read, then merged in file order (Paper.merge, exactly as Library.add
   does) and handed out as soon as every paper before it has been.

So what is held is the papers listed again on a day far from their first (their records
wait for that day's file) and, briefly, one day's papers: not the library. A library
whose files do not follow their dates (one file holding every day) holds more, never less
than it needs to give the same output.
"""
from __future__ import annotations

import gc
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.collector import gc_resumed
from tui_reader.core.formats import DigestError
from tui_reader.core.library.load import find_digest_files, read_digest_file, read_digests
from tui_reader.core.library.stream_index import facts_of_files
from tui_reader.core.formats.text import one_line

if TYPE_CHECKING:
    from tui_reader.core.library.cache import ParseCache
    from tui_reader.core.model import Paper

FILTER_BATCH = 512
"""Papers searched at once by a filter (a query, the hide rules): few enough to hold."""


@dataclass(slots=True, frozen=True)
class PaperFacts:
    """What counting needs of a merged paper, known after the first pass alone."""

    id: str
    date: str | None
    category: str


@dataclass(slots=True)
class LibraryPlan:
    """What the first pass learned: the files, the warnings, and per paper (numbered in
    order of first appearance) its earliest date, its first category and its files."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    digests_read: int = 0
    number: dict[str, int] = field(default_factory=dict)
    """Paper id -> its number, in order of first appearance (Library.papers' order)."""
    dates: list[str | None] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    file_count: array = field(default_factory=lambda: array("i"))
    """Per paper number: how many files list it."""
    members: list[array | None] = field(default_factory=list)
    """Per file: the numbers of the papers it lists (each once), or None if unreadable."""

    @property
    def paper_count(self) -> int:
        """How many distinct papers the digests hold."""
        return len(self.number)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.number

    def output_order(self) -> list[int]:
        """Paper numbers in Library.sorted_papers' order: newest first date first, ties
        (and papers without a date, last) in order of first appearance."""
        dates = self.dates
        return sorted(range(len(dates)), key=lambda n: dates[n] or "", reverse=True)

    def facts(self) -> Iterator[PaperFacts]:
        """Each paper's id, date and category, in output order (for counting)."""
        ids = list(self.number)
        for n in self.output_order():
            yield PaperFacts(ids[n], self.dates[n], self.categories[n])

    def papers(self, cache: ParseCache | None = None) -> Iterator[Paper]:
        """The merged papers in output order, equal field by field to what load_library
        and Library.sorted_papers give (see the module docstring for what is held): the
        reader's library snapshot when one stands for exactly these files (no digest is
        decoded or merged), else merged here."""
        if cache is not None and len(self.files) == len(self.members):
            from tui_reader.core.library.snapshot import snapshot_papers

            stored = snapshot_papers(cache, self.files)
            if stored is not None:
                return stored
        return _merged_in_order(self, cache)


def plan_library(paths: Sequence[str | Path], cache: ParseCache | None = None,
                 progress: Callable[[int, int], None] | None = None, language: str | None = None) -> LibraryPlan:
    """The first pass: what ordering and counting need of every digest under the paths,
    from the first pass's index beside the parse cache where it stands for a file, else by
    reading the file through the cache (so the second pass finds it there)."""
    plan = LibraryPlan()
    plan.files = find_digest_files(paths, plan.warnings, language)
    number, dates, categories, file_count = plan.number, plan.dates, plan.categories, plan.file_count
    # The facts first: zip then runs facts_of_files to its end, where it saves what it learned.
    for facts, path in zip(facts_of_files(plan.files, cache, progress), plan.files):
        if isinstance(facts, DigestError):
            plan.warnings.append(f"{path}: {facts}")
            plan.members.append(None)
            continue
        plan.digests_read += 1
        warnings, ids, days, sections = facts
        plan.warnings.extend(warnings)
        listed: dict[int, None] = {}
        for paper_id, day, category in zip(ids, days, sections):
            n = number.get(paper_id)
            if n is None:
                n = number[paper_id] = len(dates)
                dates.append(day)
                categories.append(category)
                file_count.append(0)
            else:
                if day and (dates[n] is None or day < dates[n]):  # type: ignore[operator]
                    dates[n] = day
                if not categories[n]:  # Paper.merge fills an empty field from a later record
                    categories[n] = category
            if n not in listed:
                listed[n] = None
                file_count[n] += 1
        plan.members.append(array("i", listed))
    # File names and digest text are data: no control sequence may reach a terminal.
    plan.warnings = [one_line(message) for message in plan.warnings]
    return plan


def _merged(records: list[tuple[int, Paper]]) -> Paper:
    """One paper from its (file index, record) pairs, folded in file order (and within a
    file in its order: the sort is stable) as Library.add folds them."""
    if len(records) > 1:
        records.sort(key=_file_index)
    first = records[0][1]
    for _, other in records[1:]:
        first.merge(other)
    return first


def _file_index(record: tuple[int, Paper]) -> int:
    return record[0]


def _merged_in_order(plan: LibraryPlan, cache: ParseCache | None) -> Iterator[Paper]:
    order = plan.output_order()
    place = [0] * len(order)  # paper number -> output position (a list: the fastest to index)
    for position, n in enumerate(order):
        place[n] = position
    # A file is read when the first paper it lists (in output order) is next: for dated
    # files that is newest day first, and each day's papers leave as soon as it is read.
    first_place = {index: min(place[n] for n in listed)
                   for index, listed in enumerate(plan.members) if listed}
    reading = sorted(first_place, key=lambda index: (first_place[index], index))
    files_left = list(plan.file_count)
    records: dict[int, list[tuple[int, Paper]]] = {}
    done: dict[int, Paper | None] = {}  # output position -> merged paper (None: it vanished)
    next_place = 0
    number = plan.number
    collecting = gc.isenabled()
    outcomes = read_digests([plan.files[index] for index in reading], read_digest_file, cache)
    for (_, outcome), index in zip(outcomes, reading):  # outcomes first: read_digests runs to its end
        if not isinstance(outcome, DigestError):
            for record in outcome.papers:
                known = number.get(record.id)
                if known is None:  # a paper added to the file since the first pass is left out
                    continue
                kept = records.get(known)
                if kept is None:
                    records[known] = [(index, record)]
                else:
                    kept.append((index, record))
        for n in plan.members[index]:  # type: ignore[union-attr]
            left = files_left[n] - 1
            files_left[n] = left
            if not left:
                finished = records.pop(n, None)
                done[place[n]] = _merged(finished) if finished else None
        while next_place in done:
            merged = done.pop(next_place)
            next_place += 1
            if merged is not None:
                # read_digests pauses the cyclic collector while it decodes; whoever takes
                # the paper runs with it as it was (a json.dumps with indent leaves a cycle
                # per call, which would otherwise pile up for the whole library).
                with gc_resumed(collecting):
                    yield merged


def batches(papers: Iterable[Paper], size: int = FILTER_BATCH) -> Iterator[list[Paper]]:
    """The papers `size` at a time, in their order: a filter that judges each paper on its
    own (a search query, the hide rules) keeps from each batch what it would keep of them
    all, without the whole list being held."""
    batch: list[Paper] = []
    for paper in papers:
        batch.append(paper)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
