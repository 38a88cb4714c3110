"""The sync folder's log files: names, the JSON Lines format, appending and reading safely."""
from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO

from tui_reader.core.atomic_write import fsync_folder
from tui_reader.core.model import InvalidArxivId, parse_arxiv_id
from tui_reader.core.state.store import normalise_tags
from tui_reader.core.formats.text import strip_controls

LOG_FORMAT = "tui-reader-sync"
LOG_VERSION = 1
MAX_LINE_BYTES = 2 * 1024 * 1024
MAX_NOTE_CHARS = 1_000_000
MAX_TAGS = 256
MAX_TAG_CHARS = 256
MAX_QUEUE_PLACE = 2**31
"""Values are bounded as `state import` bounds them (a place >= 2^63 cannot even be stored)."""
FUTURE_MARGIN = timedelta(days=1)
"""A change dated further ahead of this machine's clock is refused: a forged or broken clock
would otherwise win every field for ever (and push this home's clock out of range). A day
covers a machine whose time zone is set wrong."""
READ_LIMIT = 8 * 1024 * 1024
"""Bytes of one log read and merged at a time: memory and the write lock stay bounded."""
MACHINE_ID_RE = re.compile(r"[0-9a-f]{16}")

# `machine-<id>.jsonl` is a machine's own log. Whatever a sync tool makes of that name when two
# copies disagree (Dropbox and Nextcloud `machine-<id> (conflicted copy ...).jsonl`, Syncthing
# `machine-<id>.sync-conflict-<date>-<device>.jsonl`, Google Drive `machine-<id> (1).jsonl`)
# still starts with the prefix and ends in .jsonl, so it is read as another log of that machine.
# Names starting with a dot are temporary files (ours and the tools'), never logs.
_LOG_NAME_RE = re.compile(r"machine-([0-9a-f]{16})(?![0-9a-f]).*\.jsonl")


class LogLineError(ValueError):
    """A complete line of a log that is not a change this program can use."""


class TooFarAhead(LogLineError):
    """A line dated more than FUTURE_MARGIN after this machine's clock."""


class NotARegularFile(OSError):
    """A log name that is a FIFO, a device, a folder or a symbolic link: never read."""


def latest_acceptable(now: datetime | None = None) -> str:
    """The latest change time accepted from elsewhere (canonical form, see canonical_time)."""
    moment = (now or datetime.now(timezone.utc)) + FUTURE_MARGIN
    return moment.isoformat(timespec="microseconds")


def canonical_time(text: object) -> str:
    """A change time in the one form every home stores and compares (UTC, microseconds,
    `+00:00`): `Z`, other offsets, basic and ISO-week forms become it, so string order is
    time order. LogLineError for anything else (no zone included)."""
    if not isinstance(text, str) or len(text) > 40:
        raise LogLineError("a time field is not a time")
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise LogLineError("a time has no zone")
        return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
    except (ValueError, OverflowError):
        raise LogLineError("a time field is not an ISO-8601 time") from None


def open_regular(path: Path) -> BinaryIO:
    """Open a log for reading without following a link and without blocking on a FIFO;
    NotARegularFile for anything but a regular file (another OSError passes)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(f"{path.name} is not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@dataclass(slots=True, frozen=True)
class Change:
    """One change of one field of one paper, as written in a log line."""

    paper: str
    field: str
    value: object
    time: str
    machine: str

    def order_key(self) -> tuple[str, str, str]:
        """Changes are ordered by time, then machine id, then value, so every machine picks
        the same winner whatever order it reads them in."""
        return (self.time, self.machine, value_key(self.value))


def value_key(value: object) -> str:
    """A canonical text of a field value: the last tie-break, and equal for equal values."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def log_name(machine: str) -> str:
    """The file name of a machine's own log."""
    return f"machine-{machine}.jsonl"


def machine_of(name: str) -> str | None:
    """The machine whose log (or conflict copy of it) a file name is; None if it is none."""
    if name.startswith("."):
        return None
    match = _LOG_NAME_RE.fullmatch(name)
    return match.group(1) if match else None


def new_generation() -> str:
    """A fresh random token naming one version of a log (it changes on every rewrite)."""
    return os.urandom(8).hex()


def header_line(machine: str, generation: str) -> bytes:
    """The first line of every log: what it is, whose it is and which rewrite."""
    return _encode({"format": LOG_FORMAT, "version": LOG_VERSION, "machine": machine,
                    "generation": generation})


def change_line(change: Change) -> bytes:
    """One change as one complete line."""
    return _encode({"id": change.paper, "field": change.field, "value": change.value,
                    "time": change.time, "machine": change.machine})


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""One encoder for every line (json.dumps with options would build one per call)."""


def _encode(document: dict) -> bytes:
    return (_ENCODER.encode(document) + "\n").encode("utf-8")


@dataclass(slots=True)
class LogHeader:
    """What the first line of a log says."""

    machine: str
    generation: str
    size: int
    """Bytes of the header line, newline included: where the changes start."""


def parse_header(line: bytes) -> LogHeader:
    """The header from a log's first line (newline included); LogLineError if it is not one."""
    try:
        document = json.loads(line)
    except ValueError:
        raise LogLineError("the first line is not a log header") from None
    if not isinstance(document, dict) or document.get("format") != LOG_FORMAT:
        raise LogLineError("not a tui-reader sync log")
    version = document.get("version")
    if not isinstance(version, int) or version > LOG_VERSION:
        raise LogLineError(f"log version {version!r} is newer than this tui-reader reads")
    machine, generation = document.get("machine"), document.get("generation")
    if not isinstance(machine, str) or not MACHINE_ID_RE.fullmatch(machine) \
            or not isinstance(generation, str) or not generation:
        raise LogLineError("the log header has no machine id or generation")
    return LogHeader(machine, generation, len(line))


def _time_or_none(value: object) -> str | None:
    return None if value is None else canonical_time(value)


def _note(value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_NOTE_CHARS:
        raise LogLineError("a note is not a string of reasonable length")
    return strip_controls(value)  # a log is data from elsewhere: it is shown in a terminal


def _tags(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise LogLineError("tags are not a list of strings")
    if len(value) > MAX_TAGS or any(len(t) > MAX_TAG_CHARS for t in value):
        raise LogLineError("too many or too long tags")
    return list(normalise_tags(strip_controls(t) for t in value))


def _position(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise LogLineError("a queue place is not a whole number")
    if not 0 < value < MAX_QUEUE_PLACE:
        raise LogLineError("a queue place is out of range")
    return value


VALUE_CHECKS = {"read": _time_or_none, "starred": _time_or_none, "note": _note, "tags": _tags,
                "queue": _position, "dismissed": _time_or_none}
"""Per field group: the check (and cleaning) of a value read from a log."""


def parse_change(line: bytes | str, latest: str | None = None) -> Change | None:
    """The change on one complete line; None for a field this release does not know (a newer
    release's); LogLineError when the line is damaged or its values are wrong, TooFarAhead
    when it is dated after `latest` (a canonical time; see latest_acceptable)."""
    try:
        document = json.loads(line)
    except (ValueError, RecursionError):
        raise LogLineError("a line is not JSON (or nested too deep)") from None
    if not isinstance(document, dict):
        raise LogLineError("a line is not a JSON object")
    group = document.get("field")
    check = VALUE_CHECKS.get(group) if isinstance(group, str) else None
    if check is None:
        if isinstance(group, str):
            return None
        raise LogLineError("a line has no field name")
    paper, time, machine = document.get("id"), document.get("time"), document.get("machine")
    if not isinstance(paper, str):
        raise LogLineError("a line has no paper id")
    try:
        bare, version = parse_arxiv_id(paper)
    except InvalidArxivId:
        raise LogLineError("a line's paper id is not an arXiv id") from None
    if bare != paper or version is not None:
        raise LogLineError("a line's paper id is not a bare arXiv id")
    if not isinstance(machine, str) or not MACHINE_ID_RE.fullmatch(machine):
        raise LogLineError("a line has no machine id")
    time = canonical_time(time)
    value = check(document.get("value"))
    if latest is not None and (time > latest or (isinstance(value, str) and check is _time_or_none
                                                 and value > latest)):
        raise TooFarAhead("a line is dated in the future")
    return Change(paper, str(group), value, time, machine)


@dataclass(slots=True)
class LogChunk:
    """What one read of a log found after a given offset."""

    header: LogHeader | None
    changes: list[Change] = field(default_factory=list)
    end: int = 0
    """Offset just past the last complete line read: where the next read starts."""
    bad_lines: int = 0
    ahead: int = 0
    """Lines refused because they are dated too far in the future (TooFarAhead)."""
    size: int = 0
    more: bool = False
    """True when the read stopped at `limit` bytes with complete lines left to read."""


def read_log(path: Path, offset: int, generation: str, *, limit: int | None = None,
             latest: str | None = None) -> LogChunk:
    """The complete lines of a log from `offset` on, if it is still the version `generation`
    (else from its start: it was rewritten, replaced or truncated), at most about `limit`
    bytes of them. A last line without its newline is a copy still in progress: it is left
    for a later read; a line longer than MAX_LINE_BYTES is skipped as damaged. Lines dated
    after `latest` are refused. NotARegularFile for a FIFO, device or link; OSError passes."""
    with open_regular(path) as fh:
        first = fh.readline(MAX_LINE_BYTES)
        if not first.endswith(b"\n"):
            return LogChunk(None, end=0, size=len(first))  # even the header is still arriving
        try:
            header = parse_header(first)
        except LogLineError:
            size = os.fstat(fh.fileno()).st_size
            return LogChunk(None, end=0, bad_lines=1, size=size)
        size = os.fstat(fh.fileno()).st_size
        if header.generation != generation or offset < header.size or offset > size:
            offset = header.size
        fh.seek(offset)
        limit = READ_LIMIT if limit is None else limit
        data = fh.read(max(limit, MAX_LINE_BYTES + 1))
        chunk = LogChunk(header, size=size)
        complete = data.rfind(b"\n") + 1
        skipped = 0
        if complete == 0 and len(data) > MAX_LINE_BYTES:
            # A line no log writes, maybe still being copied: skip it whole, scanning on
            # from where an earlier read of this process stopped (only its first READ_LIMIT
            # bytes are read again, not the whole line).
            key = (str(path), header.generation, offset)
            fh.seek(max(_LONG_LINE_SCANNED.get(key, 0), offset + len(data)))
            if _skip_long_line(fh):
                _LONG_LINE_SCANNED.pop(key, None)
                skipped = fh.tell() - offset - len(data)
                chunk.bad_lines += 1
            else:
                if len(_LONG_LINE_SCANNED) > 1000:
                    _LONG_LINE_SCANNED.clear()
                _LONG_LINE_SCANNED[key] = fh.tell()
    chunk.end = offset + (len(data) + skipped if skipped else complete)
    chunk.more = len(data) >= limit and offset < chunk.end < size
    # Decoded once, not per line; a damaged byte becomes U+FFFD (and its line is checked).
    for line in data[:complete].decode("utf-8", errors="replace").split("\n"):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_BYTES:
            chunk.bad_lines += 1
            continue
        try:
            change = parse_change(line, latest)
        except TooFarAhead:
            chunk.ahead += 1
            continue
        except LogLineError:
            chunk.bad_lines += 1
            continue
        if change is not None:
            chunk.changes.append(change)
    return chunk


_LONG_LINE_SCANNED: dict[tuple[str, str, int], int] = {}
"""(log path, generation, offset of a too-long line) -> how far it was scanned without a
newline: a half-copied huge last line is not read again from its start at every exchange."""


def _skip_long_line(fh: BinaryIO) -> bool:
    """Read on (1 MB at a time, nothing kept) and leave `fh` just past the next newline;
    False (at the end of the file) when the line has no end yet (it is still being copied)."""
    while True:
        block = fh.read(1024 * 1024)
        if not block:
            return False
        newline = block.find(b"\n")
        if newline >= 0:
            fh.seek(newline + 1 - len(block), os.SEEK_CUR)
            return True


def append_lines(path: Path, lines: Iterable[bytes]) -> int:
    """Append whole lines in one write, then fsync; the file's new size. OSError passes (a
    read-only or full disk); a short write leaves at most a partial last line, which readers
    ignore and the writer repairs by rewriting its log."""
    data = b"".join(lines)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
                 | os.O_CLOEXEC, 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(f"{path.name} is not a regular file")
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def rewrite_log(path: Path, lines: Iterable[bytes]) -> int:
    """Replace a log in one step (temp file in the same folder, fsync, rename), so a reader
    or a sync tool sees the old version or the new one, never half of one; the new size."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for line in lines:
                fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
            size = fh.tell()
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    finally:
        if os.path.lexists(temp_name):
            os.unlink(temp_name)
    fsync_folder(path.parent)
    return size


def tail_of(path: Path, size: int, length: int) -> bytes | None:
    """The `length` bytes before offset `size`, or None if the file is shorter or unreadable."""
    if length <= 0 or size < length:
        return b""
    try:
        with open_regular(path) as fh:
            fh.seek(size - length)
            data = fh.read(length)
    except OSError:
        return None
    return data if len(data) == length else None
