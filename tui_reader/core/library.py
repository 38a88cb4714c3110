"""The library: finding digest files, reading them, and merging papers across days."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .formats import DigestError, parse_digest
from .model import Digest, Paper

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
        """Merge one digest's papers into the library."""
        self.digests.append(digest)
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


def find_digest_files(paths: list[str | Path], warnings: list[str]) -> list[Path]:
    """Expand files and folders (recursively, following no symlink loop) into digest files."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _walk(path, found, warnings)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            warnings.append(f"{path}: not a regular file, skipped")
        else:
            warnings.append(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


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


def read_digest_file(path: Path) -> Digest:
    """Read and parse one file; raise DigestError with a one-line reason on failure."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DigestError(f"file too large ({size // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as err:
        raise DigestError(f"cannot read ({err.strerror or err})") from None
    if not data.strip():
        raise DigestError("empty file")
    if data[:8192].count(b"\x00") > 16:  # a stray NUL in a digest is stripped, not fatal
        raise DigestError("binary file, not a digest")
    text = data.decode("utf-8", errors="replace")
    warnings = []
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        warnings.append(f"{path}: invalid UTF-8 replaced with \ufffd")
    digest = parse_digest(text, str(path), date_from_name(path))
    digest.warnings[:0] = warnings
    if not digest.papers:
        raise DigestError("no papers found")
    return digest


def load_library(paths: list[str | Path]) -> Library:
    """Read every digest under the paths; unreadable files become warnings."""
    library = Library()
    for path in find_digest_files(paths, library.warnings):
        try:
            library.add(read_digest_file(path))
        except DigestError as err:
            library.warnings.append(f"{path}: {err}")
    return library
