"""The library: finding digest files, reading them through the parse cache, and merging papers across days."""
from __future__ import annotations

import marshal
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.collector import gc_paused
from tui_reader.core.formats import DigestError, parse_digest
from tui_reader.core.model import Digest, Paper
from tui_reader.core.formats.text import one_line

if TYPE_CHECKING:  # the parse cache is imported when a load runs
    from tui_reader.core.library.cache import ParseCache

DIGEST_SUFFIXES = frozenset({".md", ".markdown", ".jsonl", ".json", ".html", ".htm", ".txt"})
"""File name endings looked at when a folder is walked (a named file is always tried)."""

_DATE_IN_NAME_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
MAX_FILE_BYTES = 512 * 1024 * 1024


def date_from_name(path: str | Path) -> str | None:
    """The YYYY-MM-DD in a file name, if it is a plausible date."""
    m = _DATE_IN_NAME_RE.search(Path(path).name)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return m.group(0)
    return None


@dataclass(slots=True)
class Library:
    """Every paper read from a set of paths, merged by arXiv id, with the problems met."""

    papers: dict[str, Paper] = field(default_factory=dict)
    digests: list[Digest] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, digest: Digest) -> None:
        """Merge one digest's papers into the library, keeping the digest."""
        self.digests.append(digest)
        self.merge(digest)

    def merge(self, digest: Digest) -> None:
        """Merge one digest's papers and warnings into the library (a repeated paper's
        record is then free to go)."""
        self.warnings.extend(digest.warnings)
        for paper in digest.papers:
            known = self.papers.get(paper.id)
            if known is None:
                self.papers[paper.id] = paper
            else:
                known.merge(paper)

    def sorted_papers(self) -> list[Paper]:
        """Papers newest day first, then in the order their digest listed them."""
        return sorted(self.papers.values(), key=lambda p: p.date or "", reverse=True)


_AI_FILE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})_AI_enhanced_([A-Za-z\-]{0,40})\.jsonl$")


def ai_file_language(path: Path) -> str | None:
    """The language of a generator AI file (`2025-12-25_AI_enhanced_Chinese.jsonl`), else None."""
    m = _AI_FILE_RE.match(path.name)
    return m.group(2) if m else None


def languages_of(files: Sequence[Path]) -> list[str]:
    """The AI files' languages among `files`, English first, then by name."""
    found = {lang for lang in map(ai_file_language, files) if lang}
    return sorted(found, key=lambda lang: (lang.casefold() != "english", lang.casefold()))


def one_language(files: list[Path], language: str | None) -> list[Path]:
    """Where a folder holds a day's AI file in several languages, only the one of `language`
    (any case) is kept, else English, else the first by name: one paper is never two
    summaries merged. Files of a day written in one language are all kept."""
    by_day: dict[tuple[Path, str], list[str]] = {}
    for path in files:
        lang = ai_file_language(path)
        if lang is not None:
            by_day.setdefault((path.parent, path.name[:10]), []).append(lang)
    wanted = (language or "").casefold()
    keep: dict[tuple[Path, str], str] = {}
    for key, langs in by_day.items():
        if len(langs) > 1:
            ordered = sorted(langs, key=lambda lang: (lang.casefold() != wanted, lang.casefold() != "english",
                                                      lang.casefold()))
            keep[key] = ordered[0]
    if not keep:
        return files
    return [path for path in files if (lang := ai_file_language(path)) is None
            or keep.get((path.parent, path.name[:10]), lang) == lang]


def day_languages(paths: Sequence[str | Path]) -> list[str]:
    """The languages of the AI files under `paths` where a day is written in several
    (English first): what the reader's language switch cycles through."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _walk(path, found, [])
        elif path.is_file():
            found.append(path)
    days: dict[tuple[Path, str], list[Path]] = {}
    for path in found:
        if ai_file_language(path) is not None:
            days.setdefault((path.parent, path.name[:10]), []).append(path)
    return languages_of([path for group in days.values() if len(group) > 1 for path in group])


def find_digest_files(paths: Sequence[str | Path], warnings: list[str], language: str | None = None) -> list[Path]:
    """Expand files and folders (recursively, following no symlink loop) into digest files;
    a day written in several languages gives the AI file of one (see one_language)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                before = len(found)
                _walk(path, found, warnings)
                if len(found) == before:
                    warnings.append(f"{path}: no digest files in this folder")
            elif path.is_file():
                found.append(path)
            elif path.exists():
                warnings.append(f"{path}: not a regular file, skipped")
            elif path.is_symlink():
                warnings.append(f"{path}: broken or looping symbolic link")
            else:
                warnings.append(f"{path}: no such file or folder")
        except (OSError, ValueError) as err:  # a name too long, a NUL in the name
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            warnings.append(f"{str(path)[:200]}: cannot open ({reason})")
    return one_language(list(dict.fromkeys(found)), language)


def _walk(root: Path, found: list[Path], warnings: list[str]) -> None:
    seen: set[tuple[int, int]] = set()

    def on_error(err: OSError) -> None:
        warnings.append(f"{err.filename}: cannot read folder ({err.strerror})")

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            warnings.append(f"{dirpath}: folder seen before (symlink loop?), skipped")
            dirnames[:] = []
            continue
        seen.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in DIGEST_SUFFIXES:
                found.append(Path(dirpath) / name)


_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"BZh")
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")


def looks_binary(data: bytes) -> bool:
    """True for bytes that are plainly not text: a known binary signature, or many NULs
    or control bytes near the start (a stray NUL or ESC in a digest is stripped, not fatal)."""
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.count(b"\x00") > 16:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > len(head) * 0.3


def decode_digest_bytes(data: bytes, source: str) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (a BOM is dropped), UTF-16 when it has a BOM; invalid UTF-8
    becomes U+FFFD with a warning naming the first bad line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        declared = _declared_charset(data)
        if declared is not None:  # a page saved by a browser in its own encoding
            return data.decode(declared, errors="replace"), []
        line = data.count(b"\n", 0, err.start) + 1
        return data.decode("utf-8", errors="replace"), [
            f"{source}:{line}: invalid UTF-8, shown as \ufffd (first bad byte on this line)"
        ]


_CHARSET_RE = re.compile(rb"<meta[^>]{0,200}?charset=[\"']?([A-Za-z0-9_\-]{1,40})", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The non-UTF-8 encoding an HTML page declares in a <meta> tag, if Python knows it."""
    import codecs

    m = _CHARSET_RE.search(data[:8192])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    return None if name in ("utf-8", "utf-16", "utf-32") else name


def read_digest_file(path: Path) -> Digest:
    """Read and parse one file; raise DigestError with a one-line reason on failure."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            raise DigestError("not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise DigestError(f"file too large ({st.st_size // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as err:
        raise DigestError(f"cannot read ({err.strerror or type(err).__name__})") from None
    if not data.strip():
        raise DigestError("empty file")
    if looks_binary(data):
        raise DigestError("binary file, not a digest")
    text, warnings = decode_digest_bytes(data, str(path))
    digest = parse_digest(text, str(path), date_from_name(path))
    digest.warnings[:0] = warnings
    if not digest.papers:
        reasons = "; ".join(w.split(": ", 1)[-1] for w in digest.warnings[:1])
        raise DigestError(f"no papers found (read as {digest.format}{': ' + reasons if reasons else ''})")
    return digest


def load_library(
    paths: Sequence[str | Path],
    cache: ParseCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    language: str | None = None,
) -> Library:
    """Read every digest under the paths; unreadable files become warnings. With a cache,
    unchanged files come from it; progress(done, total) is called after each file."""
    library = Library()
    files = find_digest_files(paths, library.warnings, language)
    for done, (path, outcome) in enumerate(read_digests(files, read_digest_file, cache), start=1):
        if isinstance(outcome, DigestError):
            library.warnings.append(f"{path}: {outcome}")
        else:
            library.add(outcome)
        if progress is not None:
            progress(done, len(files))
    # File names and digest text are data: no control sequence may reach a terminal.
    library.warnings = [one_line(message) for message in library.warnings]
    return library


# ---------------------------------------------------------------- reading through the parse cache

def read_digests(
    files: Iterable[Path], reader: Callable[[Path], Digest], cache: ParseCache | None = None
) -> Iterator[tuple[Path, Digest | DigestError]]:
    """Each file's Digest, or the DigestError met reading it, in order. With a cache,
    unchanged files come from it and the others are parsed (in worker processes when there
    are many) and stored; without one, each file is read here, one after another."""
    files = list(files)
    with gc_paused():  # tens of thousands of new objects, none cyclic: collections only cost time
        yield from _read_digests(files, reader, cache if cache is not None and cache.enabled else None)


def _digest_from_entry(cache: ParseCache, hit: tuple, source: str, contents: dict, uses_left: Counter) -> Digest | None:
    """The cached Digest of one file, or None if its entry turns out damaged."""
    from tui_reader.core.library.cache import decode_digest, log, restamp_warnings

    stored_source, date, warnings_blob, digest_hash = hit[4:]
    shared = digest_hash in contents
    content = contents[digest_hash] if shared else cache.blob(digest_hash)
    uses_left[digest_hash] -= 1
    if uses_left[digest_hash] > 0:
        contents[digest_hash] = content
    else:
        contents.pop(digest_hash, None)
    if content is None:
        log.info("parse cache: entry for %s missing its papers; re-read", source)
        return None
    try:
        warnings = restamp_warnings(marshal.loads(warnings_blob), stored_source, source)
        return decode_digest(content, source, date, warnings, shared=shared)
    except (TypeError, ValueError, EOFError, IndexError) as err:
        log.info("parse cache: damaged entry for %s re-read (%s)", source, err)
        return None


def _result_for_copy(path: Path, original: Path, result: tuple | None) -> tuple | None:
    """The parse of `original` as it would be for its byte-for-byte copy `path`, when that is
    certain: it parsed cleanly (no warnings, which name the file) and its date came from its
    name exactly as the copy's will (or from the content for both). None: parse the copy."""
    if result is None or result[0] != "ok" or result[4]:
        return None
    _, blob, digest_hash, original_date, _, _ = result
    named, original_named = date_from_name(path), date_from_name(original)
    if (named is None) != (original_named is None) or (original_named and original_date != original_named):
        return None
    return ("ok", blob, digest_hash, named or original_date, [], None)


def _read_digests(files: list[Path], reader: Callable[[Path], Digest],
                  cache: ParseCache | None) -> Iterator[tuple[Path, Digest | DigestError]]:
    if cache is None:  # exactly what reading file by file gives
        for path in files:
            try:
                yield path, reader(path)
            except DigestError as err:
                yield path, err
        return
    from tui_reader.core.library.cache import COMMIT_EVERY, decode_digest, file_key, parse_for_cache
    from tui_reader.core.library.cache_workers import copies_of_earlier_files, parse_all

    stored = cache.stored_entries()
    plan: list[tuple[Path, str, tuple | None, tuple | None]] = []  # path, abspath, key, hit entry
    for path in files:
        absolute = os.path.abspath(path)
        try:
            key = file_key(os.stat(path))
        except OSError:
            key = None
        entry = stored.get(absolute)
        hit = entry if entry is not None and key is not None and tuple(entry[:4]) == key else None
        plan.append((path, absolute, key, hit))

    misses = [path for path, _, _, hit in plan if hit is None]
    copies = copies_of_earlier_files([(path, key[0]) for path, _, key, hit in plan if hit is None and key])
    copies_left = Counter(copies.values())
    kept: dict[Path, tuple] = {}  # results of files that a later identical file reuses
    parsed = parse_all([p for p in misses if p not in copies], reader) if misses else iter(())
    uses_left = Counter(hit[-1] for _, _, _, hit in plan if hit is not None)
    contents: dict[bytes, tuple | None] = {}  # decoded blobs another file will use again
    pending: list[tuple] = []
    for path, absolute, key, hit in plan:
        source = str(path)
        if hit is not None:
            digest = _digest_from_entry(cache, hit, source, contents, uses_left)
            if digest is not None:
                yield path, digest
                continue
            result = parse_for_cache(path, reader, keep_digest=True)
        elif path in copies:
            original = copies[path]
            result = _result_for_copy(path, original, kept.get(original)) or parse_for_cache(path, reader, keep_digest=True)
            copies_left[original] -= 1
            if not copies_left[original]:
                kept.pop(original, None)
        else:
            result = next(parsed)
            if copies_left[path]:
                kept[path] = result
        kind = result[0]
        if kind == "error":
            yield path, DigestError(result[1])
        elif kind == "digest":
            yield path, result[1]
        else:
            _, blob, digest_hash, date, warnings, digest = result
            yield path, digest if digest is not None else decode_digest(marshal.loads(blob), source, date, warnings)
            if key is not None:
                pending.append((absolute, key, source, date, warnings, digest_hash, blob))
                if len(pending) >= COMMIT_EVERY:
                    cache.store(pending, prune=False)
                    pending = []
    cache.store(pending)
