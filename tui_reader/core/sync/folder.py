"""Exchanging the reading state through a folder another tool keeps in step (no server).

Each home writes only its own log in the folder (`machine-<id>.jsonl`, see sync_log) and
reads every other log from where it stopped; sync_state merges by the later change."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core.state.store import Store, StoreError, error_line, utc_now
from tui_reader.core.sync.log import (
    MAX_LINE_BYTES, READ_LIMIT, Change, LogLineError, NotARegularFile, change_line, header_line,
    latest_acceptable, log_name, machine_of, new_generation, open_regular, parse_change,
    parse_header, read_log, rewrite_log, append_lines, tail_of, value_key,
)
from tui_reader.core.sync.state import (
    best_changes, clock_is_poisoned, count_pending, decode_value, field_groups, get_meta,
    log_offsets, machines_seen, merge_changes, own_log_state, own_snapshot, pending_export,
    record_export, repair_clock, set_meta, take_new_machine_id,
)

LOCK_WAIT_SECONDS = 30.0
COMPACT_MIN_LINES = 1000
TAIL_BYTES = 256
MAX_GENERATIONS = 32


@dataclass(slots=True)
class SyncReport:
    """What one exchange did."""

    machine: str = ""
    """This home's machine id (a new one if a copied home was found using the old)."""
    sent: int = 0
    """Field changes written to this home's log."""
    received: int = 0
    """Field changes from other machines that changed the marks here."""
    read: int = 0
    """Changes read from other machines' logs (most are usually known already)."""
    machines: list[str] = field(default_factory=list)
    """Other machines whose logs are in the folder."""
    compacted: bool = False
    problems: list[str] = field(default_factory=list)
    """One line each: the folder cannot be written, a damaged log, a copied home, ..."""

    def summary(self) -> str:
        """One line for the person who asked for the exchange."""
        others = len(self.machines)
        return (f"sent {self.sent} changes, received {self.received} "
                f"(from {others} other machine{'s' if others != 1 else ''})")


@dataclass(slots=True)
class MachineStatus:
    """One other machine as this home knows it."""

    machine: str
    files: int
    changes_read: int
    last_read_at: str | None
    """When this home last read its log."""
    latest_change: str | None


@dataclass(slots=True)
class SyncStatus:
    """`tui-reader sync --status`: who is in the folder and what waits to be sent."""

    machine: str
    folder: Path
    pending: int
    last_exchange_at: str | None
    machines: list[MachineStatus] = field(default_factory=list)
    unread_machines: list[str] = field(default_factory=list)
    """Machines with a log in the folder that this home has not read yet."""


@contextmanager
def _opened(state: Store | Path | str) -> Iterator[Store]:
    if isinstance(state, Store):
        yield state
        return
    store = Store.open(Path(state))
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _exchange_lock(state_path: Path, wait: float) -> Iterator[None]:
    """One exchange at a time per home (the reader's worker and `tui-reader sync` may both
    try): two writers of one log would each take the other's lines for a copied home's."""
    import fcntl
    import time

    lock_path = state_path.with_name(state_path.name + ".sync-lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError("another exchange of this home is still running") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def exchange(state: Store | Path | str, folder: Path | str, *, compact: bool = False,
             wait: float = LOCK_WAIT_SECONDS) -> SyncReport:
    """Send this home's changes to the folder and merge every other machine's: the one call
    the reader makes (from a worker thread) and `tui-reader sync` makes. Safe while other
    processes write the state file. Problems come back in the report, never as exceptions,
    except a state file that cannot be used (StoreError). This home's log is compacted when
    most of its lines are superseded, or now with `compact`. `wait` bounds the seconds spent
    waiting for another exchange of this home to finish (then StoreError)."""
    folder = Path(folder).expanduser()
    report = SyncReport()
    with _opened(state) as store:
        if store.read_only:
            raise StoreError(f"cannot sync: {store.notice or 'the state file is read-only'}")
        if not folder.is_dir():
            report.machine = own_log_state(store)["machine"]
            report.problems.append(f"the sync folder {folder} does not exist (not mounted?)")
            return report
        with _exchange_lock(store.path, wait):
            _exchange_locked(store, folder, report, compact)
    return report


def _exchange_locked(store: Store, folder: Path, report: SyncReport, compact: bool) -> None:
    if clock_is_poisoned(store):
        repaired = repair_clock(store)
        report.problems.append(
            f"this home's clock stood at {repaired.was[:40]!r}, beyond the real time; repaired "
            f"({repaired.fields} change times brought back to now and sent again)")
    own = own_log_state(store)
    me = own["machine"]
    verdict = _check_own_log(store, folder, own)
    if verdict == "duplicate":
        me = take_new_machine_id(store, me)
        report.problems.append(
            f"another home used this machine's id {own['machine']} (a copied home?); "
            f"this one is now machine {me}")
        own = own_log_state(store)
        verdict = "rewrite"
    report.machine = me
    report.compacted = compact and verdict != "rewrite"
    _send(store, folder, me, own, verdict == "rewrite" or compact, report)
    if _receive(store, folder, me, report):
        # A conflict copy of this home's log held changes it never made: another home has
        # the same id. This one takes a new id and writes its changes under it at once.
        me = take_new_machine_id(store, me)
        report.problems.append(
            f"another home used this machine's id {report.machine} (a copied home?); "
            f"this one is now machine {me}")
        report.machine = me
        _send(store, folder, me, own_log_state(store), True, report)
        _receive(store, folder, me, report)
    if report.sent or report.read or report.problems or not own["own_generation"]:
        # An exchange that moved nothing writes nothing: a reader polls every few seconds.
        with store.write_transaction() as (db, _seq):
            set_meta(db, {"last_exchange_at": utc_now()})


# ---------------------------------------------------------------------------- own log

def _made_elsewhere(store: Store, changes: list[Change]) -> bool:
    """True if some change of this machine's id is one this home never made: one that is
    at least as late as the field here but is not what the field holds."""
    if not changes:
        return False
    with store.read_transaction() as db:
        groups = field_groups(db)
        for change in changes:
            if change.field not in groups:
                continue
            value_col, changed_col = groups[change.field]
            row = db.execute(f"SELECT {value_col}, {changed_col} FROM marks WHERE id = ?",
                             (change.paper,)).fetchone()
            if row is None or row[1] is None or change.time > row[1]:
                return True
            if change.time == row[1] and value_key(decode_value(change.field, row[0])) \
                    != value_key(change.value):
                return True
    return False


def _lines_after(path: Path, offset: int) -> list[Change]:
    """The complete change lines of a file from `offset` on (damaged ones skipped; at most
    READ_LIMIT bytes looked at: enough to tell a copied home's lines)."""
    with open_regular(path) as fh:
        fh.seek(offset)
        data = fh.read(READ_LIMIT)
    changes = []
    for line in data[:data.rfind(b"\n") + 1].splitlines():
        try:
            change = parse_change(line)
        except LogLineError:
            continue
        if change is not None:
            changes.append(change)
    return changes


def _check_own_log(store: Store, folder: Path, own: dict[str, str]) -> str:
    """"append" when this home's log is as it left it; "rewrite" when it is missing,
    truncated, torn or an older version; "duplicate" when it holds changes of this
    machine id that this home never made (another home has the same id)."""
    path = folder / log_name(own["machine"])
    generation = own["own_generation"]
    try:  # a FIFO, a device, a link (Syncthing copies links) is no log: it is replaced
        with open_regular(path) as fh:
            first = fh.readline(MAX_LINE_BYTES)
            size = os.fstat(fh.fileno()).st_size
    except OSError:
        return "rewrite"
    try:
        header = parse_header(first) if first.endswith(b"\n") else None
    except LogLineError:
        header = None
    if header is None:
        return "rewrite"
    known = generation and header.generation == generation
    own_size = int(own["own_size"] or 0)
    if known and size >= own_size:
        tail = bytes.fromhex(own["own_tail"] or "")
        if tail_of(path, own_size, len(tail)) == tail:
            if size == own_size:
                return "append"
            start = own_size  # only what came after this home's last write is in question
        else:
            start = header.size
    else:
        start = header.size
    try:
        unknown = _lines_after(path, start)
    except OSError:
        return "rewrite"
    return "duplicate" if _made_elsewhere(store, unknown) else "rewrite"


def _send(store: Store, folder: Path, me: str, own: dict[str, str], rewrite: bool,
          report: SyncReport) -> None:
    pending = pending_export(store, me)
    lines_in_log = int(own["own_lines"] or 0)
    if not rewrite and lines_in_log + len(pending.changes) > COMPACT_MIN_LINES:
        with store.read_transaction() as db:
            live = db.execute("SELECT count(*) FROM sync_fields WHERE machine = ?", (me,)).fetchone()[0]
        rewrite = lines_in_log + len(pending.changes) > 2 * (live + len(pending.changes))
        report.compacted = report.compacted or rewrite
    if not rewrite and not pending.changes:
        return
    path = folder / log_name(me)
    generations = json.loads(own["generations"] or "[]")
    try:
        if rewrite:
            current = best_changes([*own_snapshot(store, me), *pending.changes])
            changes = sorted(current.values(), key=lambda c: (c.time, c.paper, c.field))
            generation = new_generation()
            lines = [header_line(me, generation), *(change_line(c) for c in changes)]
            size = rewrite_log(path, lines)
            lines_in_log = len(changes)
            generations = [*generations, generation][-MAX_GENERATIONS:]
        else:
            generation = own["own_generation"]
            lines = [change_line(c) for c in pending.changes]
            size = append_lines(path, lines)
            lines_in_log += len(lines)
    except OSError as err:
        report.problems.append(
            f"cannot write to the sync folder {folder} ({err.strerror or error_line(err)}); "
            f"{len(pending.changes)} changes wait to be sent")
        return
    record_export(store, pending.changes, pending.up_to_seq, {
        "own_generation": generation, "own_size": size, "own_tail": lines[-1][-TAIL_BYTES:].hex(),
        "own_lines": lines_in_log, "own_generations": json.dumps(generations)})
    report.sent = len(pending.changes)


# ---------------------------------------------------------------------------- others

def _receive(store: Store, folder: Path, me: str, report: SyncReport) -> bool:
    """Merge every other log from where it was last read; True if a conflict copy of this
    home's own log holds changes of its id that it never made."""
    duplicate = False
    offsets = log_offsets(store)
    machines: set[str] = set()
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
    except OSError as err:
        report.problems.append(f"cannot read the sync folder {folder} ({err.strerror or err})")
        return False
    own_name = log_name(me)
    latest = latest_acceptable()
    for name in names:
        machine = machine_of(name)
        if machine is None or name == own_name:
            continue
        if machine != me:
            machines.add(machine)
        try:
            duplicate = _receive_log(store, folder, name, machine, me, offsets, latest, report) \
                or duplicate
        except NotARegularFile:
            report.problems.append(f"{name} in the sync folder is not a regular file; skipped")
        except OSError as err:
            report.problems.append(f"cannot read {name} in the sync folder ({err.strerror or err})")
        except StoreError:
            raise
        except Exception as err:  # noqa: BLE001 - one log's fault must not stop the others
            report.problems.append(f"{name} in the sync folder could not be merged "
                                   f"({type(err).__name__}); skipped")
    report.machines = sorted(machines)
    return duplicate


def _receive_log(store: Store, folder: Path, name: str, machine: str, me: str,
                 offsets: dict[str, tuple[str, int]], latest: str, report: SyncReport) -> bool:
    """Merge one log from where it was last read, READ_LIMIT bytes per transaction (a mark
    waits for one batch at most); True if it holds changes of this home's id it never made."""
    generation, offset = offsets.get(name, ("", 0))
    duplicate = False
    bad = ahead = 0
    while True:
        chunk = read_log(folder / name, offset, generation, latest=latest)
        if chunk.header is None:
            if chunk.bad_lines:
                report.problems.append(f"{name} in the sync folder is not a tui-reader log; skipped")
            return duplicate  # else its first line is still being copied
        bad += chunk.bad_lines
        ahead += chunk.ahead
        if machine == me and _made_elsewhere(store, chunk.changes):
            duplicate = True
        if chunk.end == offset and chunk.header.generation == generation:
            break  # nothing new: no write (a reader polls this every few seconds)
        last = max((c.time for c in chunk.changes), default=None)
        row = (name, machine, chunk.header.generation, chunk.end, len(chunk.changes), utc_now(), last)
        outcome = merge_changes(store, chunk.changes, me, [row])
        report.received += outcome.taken
        report.read += len(chunk.changes)
        generation, offset = chunk.header.generation, chunk.end
        if not chunk.more:
            break
    if bad:
        report.problems.append(f"{name}: {bad} damaged lines skipped")
    if ahead:
        report.problems.append(
            f"{name}: {ahead} changes dated more than a day ahead of this clock refused "
            f"(is machine {machine}'s clock wrong?)")
    return duplicate


def folder_signature(folder: Path | str) -> frozenset[tuple[str, int, int]]:
    """Name, size and change time of every log in the folder: a reader's timer compares
    two of these to exchange only when some machine's log changed (an empty set when the
    folder cannot be read)."""
    try:
        entries = list(os.scandir(Path(folder).expanduser()))
    except OSError:
        return frozenset()
    signature = set()
    for entry in entries:
        if machine_of(entry.name) is None:
            continue
        try:
            info = entry.stat()
        except OSError:
            continue
        signature.add((entry.name, info.st_size, info.st_mtime_ns))
    return frozenset(signature)


# ---------------------------------------------------------------------------- status

def sync_status(state: Store | Path | str, folder: Path | str) -> SyncStatus:
    """Machines seen, the last exchange with each, and the changes waiting to be sent."""
    folder = Path(folder).expanduser()
    with _opened(state) as store:
        with store.read_transaction() as db:
            me = get_meta(db, "machine")
            last = get_meta(db, "last_exchange_at") or None
        status = SyncStatus(me, folder, count_pending(store), last)
        for machine, changes, read_at, latest, files in machines_seen(store):
            if machine != me:
                status.machines.append(MachineStatus(machine, files, changes or 0, read_at, latest))
    known = {m.machine for m in status.machines}
    try:
        in_folder = {machine_of(e.name) for e in os.scandir(folder) if e.is_file()}
    except OSError:
        in_folder = set()
    status.unread_machines = sorted(m for m in in_folder if m and m != me and m not in known)
    return status
