"""The reading state as a versioned JSON backup: writing, validating and merging it."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui_reader.core.model import InvalidArxivId, parse_arxiv_id
from tui_reader.core.state.store import CLOCK_MARGIN, RECORD_FIELDS, normalise_tags, normalise_timestamp, utc_now
from tui_reader.core.formats.text import strip_controls

BACKUP_FORMAT = "tui-reader-state"
BACKUP_VERSION = 1
MAX_BACKUP_BYTES = 256 * 1024 * 1024
MAX_NOTE_CHARS = 1_000_000

FIELD_GROUPS: dict[str, tuple[str, str]] = {
    "read": ("read_at", "read_changed_at"),
    "starred": ("starred_at", "star_changed_at"),
    "note": ("note", "note_changed_at"),
    "tags": ("tags", "tags_changed_at"),
    "queue": ("queue_pos", "queue_changed_at"),
    "dismissed": ("dismissed_at", "dismiss_changed_at"),
}
"""Each merged field: (value column, its change-time column). The later change wins."""


class BackupError(Exception):
    """A state backup that cannot be used, as a one-line message."""


@dataclass(slots=True)
class MergeReport:
    """What an import changed: papers added or altered, and changes per field."""

    new_papers: int = 0
    changed_papers: int = 0
    unchanged_papers: int = 0
    fields: dict[str, int] = field(default_factory=lambda: {name: 0 for name in FIELD_GROUPS})

    def summary(self) -> str:
        """One line for the person who imported."""
        if not self.new_papers and not self.changed_papers:
            return f"nothing to change ({self.unchanged_papers} papers already up to date)"
        parts = ", ".join(f"{name} {count}" for name, count in self.fields.items() if count)
        return (f"{self.new_papers} papers added, {self.changed_papers} updated ({parts}); "
                f"{self.unchanged_papers} already up to date")


def backup_text(records: Iterable[dict]) -> str:
    """The JSON text of a backup holding these full records."""
    document = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "exported_at": utc_now(),
        "marks": [{name: record[name] for name in RECORD_FIELDS} for record in records],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def parse_backup(data: bytes) -> list[dict]:
    """Validate a backup and return its records, normalised; raise BackupError otherwise."""
    if len(data) > MAX_BACKUP_BYTES:
        raise BackupError("file too large to be a state backup")
    try:
        document = json.loads(data.decode("utf-8-sig"))  # an editor may have added a BOM
    except UnicodeDecodeError:
        raise BackupError("not UTF-8 text, so not a state backup") from None
    except (ValueError, RecursionError) as err:
        raise BackupError(f"not valid JSON ({str(err).splitlines()[0][:80] if str(err) else 'too deep'})") from None
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise BackupError("not a tui-reader state backup (no \"format\": \"tui-reader-state\")")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("the backup has no valid \"version\"")
    if version > BACKUP_VERSION:
        raise BackupError(f"the backup is version {version}, newer than this tui-reader reads; upgrade")
    marks = document.get("marks")
    if not isinstance(marks, list):
        raise BackupError("the backup has no \"marks\" list")
    records: dict[str, dict] = {}
    for position, raw in enumerate(marks, 1):
        record = _parse_record(raw, position)
        known = records.get(record["id"])
        records[record["id"]] = record if known is None else merge_record(known, record)[0]
    return list(records.values())


def _parse_record(raw: object, position: int) -> dict:
    where = f"mark {position}"
    if not isinstance(raw, dict):
        raise BackupError(f"{where} is not an object")
    paper = raw.get("id")
    if not isinstance(paper, str):
        raise BackupError(f"{where} has no \"id\" string")
    try:
        paper_id, _ = parse_arxiv_id(paper)
    except InvalidArxivId as err:
        raise BackupError(f"{where}: {err}") from None
    record: dict = {"id": paper_id}
    latest = (datetime.now(timezone.utc) + CLOCK_MARGIN).isoformat(timespec="microseconds")
    for name in ("read_at", "read_changed_at", "starred_at", "star_changed_at",
                 "note_changed_at", "tags_changed_at", "queue_changed_at",
                 "dismissed_at", "dismiss_changed_at"):
        value = raw.get(name)
        if value is None:
            record[name] = None
        elif isinstance(value, str):
            try:
                record[name] = normalise_timestamp(value)
            except (ValueError, OverflowError):
                raise BackupError(f"{where} ({paper_id}): {name} is not an ISO-8601 time") from None
            if record[name] > latest:  # it would win every later change, on every machine
                raise BackupError(f"{where} ({paper_id}): {name} is more than a day in the future")
        else:
            raise BackupError(f"{where} ({paper_id}): {name} is not a time string")
    place = raw.get("queue_pos")
    if place is not None and (not isinstance(place, int) or isinstance(place, bool) or not 0 < place < 2**31):
        raise BackupError(f"{where} ({paper_id}): queue_pos is not a place in the queue (1, 2, ...)")
    record["queue_pos"] = place
    note = raw.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
        raise BackupError(f"{where} ({paper_id}): note is not a string of reasonable length")
    record["note"] = strip_controls(note)  # a backup is data from elsewhere: it is shown in a terminal
    tags = raw.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise BackupError(f"{where} ({paper_id}): tags is not a list of strings")
    record["tags"] = list(normalise_tags(strip_controls(tag) for tag in tags))
    return record


def empty_record(paper_id: str) -> dict:
    """A record with nothing set."""
    return {name: None for name in RECORD_FIELDS} | {"id": paper_id, "note": "", "tags": []}


def _change_key(record: dict, group: str) -> tuple[str, bool]:
    value_field, changed_field = FIELD_GROUPS[group]
    changed = record.get(changed_field)
    if changed is None and group in ("read", "starred", "dismissed"):
        changed = record.get(value_field)  # a hand-made backup may give only the time
    return (changed or "", bool(record.get(value_field)))


def merge_record(local: dict | None, incoming: dict) -> tuple[dict, list[str]]:
    """Merge one incoming record into the local one: per field, the later change wins
    (ties keep the local value). Returns the merged record and the fields it took."""
    merged = dict(local) if local is not None else empty_record(incoming["id"])
    taken = []
    for group, (value_field, changed_field) in FIELD_GROUPS.items():
        if _change_key(incoming, group) > _change_key(merged, group):
            if merged[value_field] != incoming[value_field] or merged[changed_field] != incoming[changed_field]:
                if merged[value_field] != incoming[value_field]:
                    taken.append(group)
                merged[value_field] = incoming[value_field]
                merged[changed_field] = incoming[changed_field]
    return merged, taken
