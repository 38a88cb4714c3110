"""The folded text SearchIndex searches: every paper's fields in one flat buffer, made in memory or mapped from a file."""
from __future__ import annotations

import contextlib
import mmap
import os
import re
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.fold import fold, fold_phrase
from tui_reader.core.formats.text import render_latex

if TYPE_CHECKING:
    from tui_reader.core.model import Paper

HAYSTACK_FIELDS = ("ti", "au", "abs", "tldr", "cat", "id", "comment", "kw")
"""The text fields a paper is searched in, in the order paper_haystacks gives them."""
SUMMARY_FIELDS = ("tldr", "task", "motivation", "method", "result", "conclusion")
"""Searched by `tldr:`, with a fork's other AI fields (extra_texts) after them."""

VALUE_BREAK = "\x00"
"""Between two values (authors, fields) in field_texts: no word or phrase crosses it."""
_LATEX_SIGNS = ("\\", "$", "--", "``")
"""render_latex leaves text holding none of these as it is."""


def _shown_and_raw(text: str) -> list[str]:
    """A field as displayed (LaTeX rendered) and, when different, as written."""
    shown = render_latex(text)
    return [shown] if shown == text else [shown, text]


def paper_haystacks(paper: Paper) -> tuple[str, ...]:
    """A paper's searchable text, one folded string per HAYSTACK_FIELDS entry; whitespace
    runs become one space and separate values (authors, categories, summary fields) are
    split by newlines, so neither a word nor a phrase can match across two of them.
    The reference for `field_haystacks`, which gives the same strings faster."""
    summaries = [v for name in SUMMARY_FIELDS for v in _shown_and_raw(getattr(paper, name))]
    summaries += [v for text in extra_texts(paper) for v in _shown_and_raw(text)]
    categories = dict.fromkeys([paper.category, *paper.categories])
    parts = (
        _shown_and_raw(paper.title),
        paper.authors,
        _shown_and_raw(paper.abstract),
        summaries,
        [c for c in categories if c],
        [paper.id],
        _shown_and_raw(paper.comment),
        list(paper.keywords),
    )
    return tuple("\n".join(fold_phrase(value) for value in values) for values in parts)


def extra_texts(paper: Paper) -> list[str]:
    """A paper's extra AI fields as texts, a list field's items one by one."""
    texts: list[str] = []
    for value in paper.extra.values():
        if isinstance(value, list):
            texts.extend(value)
        else:
            texts.append(value)
    return texts


def _shown_and_raw_many(texts: list[str]) -> list[list[str]]:
    """_shown_and_raw of each text; render_latex is skipped when no text needs it."""
    joined = VALUE_BREAK.join(texts)
    if not any(sign in joined for sign in _LATEX_SIGNS):
        return [[t] for t in texts]
    return [_shown_and_raw(t) for t in texts]


def _values(papers: Sequence[Paper], field: str) -> list[list[str]]:
    """Each paper's values for one field, as paper_haystacks takes them (before folding)."""
    if field == "ti":
        return _shown_and_raw_many([p.title for p in papers])
    if field == "abs":
        return _shown_and_raw_many([p.abstract for p in papers])
    if field == "au":
        return [list(p.authors) for p in papers]
    if field == "tldr":
        per_field = [_shown_and_raw_many([getattr(p, name) for p in papers]) for name in SUMMARY_FIELDS]
        summaries = [[v for values in parts for v in values] for parts in zip(*per_field)]
        for paper, values in zip(papers, summaries):
            if paper.extra:
                values.extend(v for text in extra_texts(paper) for v in _shown_and_raw(text))
        return summaries
    if field == "cat":
        return [[c for c in dict.fromkeys([p.category, *p.categories]) if c] for p in papers]
    if field == "comment":
        return _shown_and_raw_many([p.comment for p in papers])
    if field == "kw":
        return [list(p.keywords) for p in papers]
    return [[p.id] for p in papers]


def field_texts(papers: Sequence[Paper], field: str) -> list[str]:
    """Each paper's field folded, its values joined by VALUE_BREAK, whitespace runs made
    one space: found in a second, where paper_haystacks takes several. A word or phrase
    occurs in it exactly where it occurs in the paper_haystacks string (which differs
    only in VALUE_BREAK for newlines and spaces left at the ends of values)."""
    texts = []
    for values in _values(papers, field):
        joined = VALUE_BREAK.join(values)
        if joined.isascii():
            texts.append(joined.lower())
        else:  # names and categories recur from paper to paper: fold each once
            texts.append(VALUE_BREAK.join([_fold_short(v) if len(v) < 80 else fold(v) for v in values]))
    batch = "".join(texts)
    if batch.isascii() and not any(space in batch for space in _ODD_ASCII_SPACES) and "  " not in batch:
        return texts  # only single spaces: the common case, checked for the whole batch at once
    return [_single_spaces(t) for t in texts]


def _single_spaces(text: str) -> str:
    """Every whitespace run made one space (a value may keep one at either end)."""
    text = text.translate(_ODD_ASCII_TO_SPACE) if text.isascii() else _ODD_SPACE_RE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    return text


_ODD_SPACE_RE = re.compile(r"[^\S ]")
"""Whitespace other than the space (re's \\s is exactly str.isspace for str patterns)."""


_fold_short = lru_cache(maxsize=50_000)(fold)
"""fold, remembering short values (an author's name is folded once per library)."""


_ODD_ASCII_SPACES = tuple("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_ODD_ASCII_TO_SPACE = str.maketrans(dict.fromkeys(_ODD_ASCII_SPACES, " "))
BUILD_BATCH = 64
"""Papers whose text is prepared between two chances for other threads to run."""
FIELD_COUNT = len(HAYSTACK_FIELDS)
ANY = "any"
"""The field that stands for a whole paper (every one of HAYSTACK_FIELDS)."""
_PAGE = mmap.PAGESIZE

Piece = tuple[bytes, tuple[int, ...]]
"""One paper's prepared text: its HAYSTACK_FIELDS' field_texts as UTF-8, VALUE_BREAK between
them, and where each field starts in it (FIELD_COUNT offsets, the first 0)."""


def to_bytes(text: str) -> bytes:
    """A folded text as the prepared text holds it: UTF-8 (a lone surrogate kept as written)."""
    return text.encode("utf-8", "surrogatepass")


def batch_pieces(papers: Sequence[Paper]) -> list[Piece]:
    """Each paper's Piece, made a field at a time for the whole batch (see field_texts)."""
    pieces = []
    for values in zip(*[field_texts(papers, name) for name in HAYSTACK_FIELDS]):
        starts, at = [], 0
        for value in values:
            starts.append(at)
            at += _utf8_length(value) + 1
        pieces.append((to_bytes(VALUE_BREAK.join(values)), tuple(starts)))
    return pieces


class PreparedText:
    """A library's search text as SearchIndex searches it: one flat UTF-8 buffer (`data`)
    holding every paper's Piece one after the other (a summary in CJK would make a str two
    bytes a character throughout), and `bounds`, where each field of each paper starts
    (FIELD_COUNT per paper, then the end of the last one). A field of paper i is searched
    between bounds[FIELD_COUNT*i + slot] and the next field's start: the VALUE_BREAK
    between holds no search value (see SearchIndex), so nothing is found across it.

    Made in memory by `ensure`, a batch of papers at a time, or given from a file the
    library snapshot wrote (`mapped`): the file is then mapped, not read, so the text stays
    in the system's file cache rather than in the reader's memory, and `release` lets go
    of the pages a scan has passed (the next scan finds them in the file cache again)."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = papers
        self.size = len(papers)
        self.data: bytearray | bytes | mmap.mmap = bytearray()
        self.bounds = array("q", [0])
        self._mapped: mmap.mmap | None = None
        self._means: dict[str, int] = {}

    @classmethod
    def mapped(cls, papers: Sequence[Paper], file: Path, bounds: array) -> PreparedText:
        """The text stored in `file` (as `write_to` writes it), with its `bounds`. Raises
        OSError, or ValueError when the file is not as long as the bounds say."""
        text = cls(papers)
        text.bounds = bounds
        text.use_file(file)
        return text

    @property
    def made(self) -> int:
        """How many papers' text is made (the first ones)."""
        return (len(self.bounds) - 1) // FIELD_COUNT

    def ensure(self, between_batches: Callable[[], None]) -> None:
        """Make every paper's text, if not made yet, a batch at a time, calling
        between_batches after each (which may raise to give up; what was made stays)."""
        while self.made < self.size:
            start = self.made
            self.extend(batch_pieces(self.papers[start:start + BUILD_BATCH]))
            between_batches()

    def extend(self, pieces: Iterable[Piece]) -> None:
        """Add the next papers' text."""
        data, bounds = self.data, self.bounds
        assert isinstance(data, bytearray), "a mapped text is complete"
        for text, starts in pieces:
            base = bounds.pop()
            bounds.extend([base + start for start in starts])
            data += text
            bounds.append(base + len(text))

    def extend_from(self, other: PreparedText, start: int, stop: int) -> None:
        """Add papers start..stop of `other`'s text (copied as one run)."""
        import numpy  # only here (a new day), not on a start

        if start >= stop:
            return
        data = self.data
        assert isinstance(data, bytearray), "a mapped text is complete"
        low, high = other.bounds[FIELD_COUNT * start], other.bounds[FIELD_COUNT * stop]
        shifted = numpy.frombuffer(other.bounds, dtype=numpy.int64)[FIELD_COUNT * start:FIELD_COUNT * stop + 1]
        base = self.bounds.pop()
        self.bounds.frombytes((shifted + (base - low)).tobytes())
        with memoryview(other.data) as view:  # no copy of a mapped text in between
            data += view[low:high]

    def piece(self, index: int) -> Piece:
        """Paper `index`'s text and field starts, as batch_pieces made them."""
        at = FIELD_COUNT * index
        base = self.bounds[at]
        return bytes(self.data[base:self.bounds[at + FIELD_COUNT]]), tuple(b - base for b in self.bounds[at:at + FIELD_COUNT])

    def field_bounds(self, field: str) -> tuple[array, array]:
        """Where `field` (one of HAYSTACK_FIELDS, or "any") starts and where the next begins,
        paper by paper."""
        bounds, count = self.bounds, FIELD_COUNT * self.size
        if field == ANY:
            return bounds[0:count:FIELD_COUNT], bounds[FIELD_COUNT::FIELD_COUNT]
        slot = HAYSTACK_FIELDS.index(field)
        return bounds[slot:count:FIELD_COUNT], bounds[slot + 1::FIELD_COUNT][:self.size]

    def mean_bytes(self, field: str) -> int:
        """The mean length of `field` in bytes (2,048 while the text is not all made)."""
        if self.made < self.size or not self.size:
            return 2048
        if field not in self._means:
            starts, ends = self.field_bounds(field)
            self._means[field] = (sum(ends) - sum(starts)) // self.size
        return self._means[field]

    def release(self, low: int, high: int) -> None:
        """Let go of the mapped pages holding bytes low..high (nothing for a text in memory)."""
        mapped = self._mapped
        if mapped is None or high <= low:
            return
        start = low - low % _PAGE
        with contextlib.suppress(OSError, ValueError):
            mapped.madvise(mmap.MADV_DONTNEED, start, min(high, len(mapped)) - start)

    def write_to(self, file: Path) -> None:
        """Store the text in `file` (written aside, then put in place: a reader mapping
        the file before sees the old one whole)."""
        aside = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}")
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with open(descriptor, "wb") as out:
                out.write(memoryview(self.data))
            os.replace(aside, file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(aside)
            raise

    def use_file(self, file: Path) -> None:
        """Search the same text as stored in `file` (by write_to) from now on: mapped, not
        held. Raises OSError, or ValueError when the file is not as long as the bounds say."""
        size = self.bounds[-1]
        if size == 0:
            self.data, self._mapped = b"", None
            return
        descriptor = os.open(file, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            if os.fstat(descriptor).st_size != size:
                raise ValueError(f"{file.name} is not the search text it should be")
            mapped = mmap.mmap(descriptor, size, prot=mmap.PROT_READ)
        finally:
            os.close(descriptor)
        self.data = self._mapped = mapped


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(to_bytes(text))
