"""Sync's side of the state file: the machine id, what the folder has, merging changes in."""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui_reader.core.state.backup import FIELD_GROUPS
from tui_reader.core.state.store import Store, utc_now
from tui_reader.core.sync.log import Change, LogLineError, canonical_time, latest_acceptable, value_key

CHUNK = 500
"""Ids per `IN (...)` query: well under SQLite's limit on bound values."""

OWN_LOG_KEYS = ("own_generation", "own_size", "own_tail", "own_lines")
"""What this home last wrote to its own log: which version, how long, its last line."""


def field_groups(db: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """The merged field groups this state file has columns for."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(marks)")}
    return {group: cols for group, cols in FIELD_GROUPS.items() if set(cols) <= columns}


def decode_value(group: str, column_value: object) -> object:
    """A value as the log carries it, from its column (tags are kept as JSON text)."""
    if group == "tags":
        try:
            tags = json.loads(str(column_value)) if column_value else []
        except ValueError:
            tags = []
        return tags if isinstance(tags, list) else []
    if group == "note":
        return column_value or ""
    return column_value


def encode_value(group: str, value: object) -> object:
    """A value for its column, as the Store itself writes it."""
    if group == "tags" and isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return value


# ---------------------------------------------------------------------------- meta

def get_meta(db: sqlite3.Connection, key: str, default: str = "") -> str:
    """One value of sync's own settings in the state file."""
    row = db.execute("SELECT value FROM sync_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(db: sqlite3.Connection, values: dict[str, object]) -> None:
    """Set several of sync's settings (inside the caller's write transaction)."""
    db.executemany("INSERT INTO sync_meta (key, value) VALUES (?, ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   [(key, str(value)) for key, value in values.items()])


def machine_id(store: Store) -> str:
    """This home's machine id (made by the migration that added sync)."""
    with store.read_transaction() as db:
        return get_meta(db, "machine")


def take_new_machine_id(store: Store, old: str) -> str:
    """Give this home a new machine id, after another home was found using `old` (a copied
    home). The fields this home made are re-attributed to the new id, so they are written
    to the new log; the old id's logs are read afresh as another machine's."""
    new = os.urandom(8).hex()
    with store.write_transaction() as (db, _seq):
        if get_meta(db, "machine") != old:
            return get_meta(db, "machine")  # another process of this home did it already
        db.execute("UPDATE sync_fields SET machine = ? WHERE machine = ?", (new, old))
        db.execute("DELETE FROM sync_logs WHERE machine = ?", (old,))
        db.execute("DELETE FROM sync_meta WHERE key IN (?, ?, ?, ?)", OWN_LOG_KEYS)
        set_meta(db, {"machine": new, "exported_seq": 0, "previous_machine": old})
    return new


# ---------------------------------------------------------------------------- export

@dataclass(slots=True)
class PendingExport:
    """Local changes the folder has not got yet, and the change number read up to."""

    changes: list[Change]
    up_to_seq: int


def _known_fields(db: sqlite3.Connection, ids: Sequence[str]) -> dict[tuple[str, str], tuple[str, str]]:
    known: dict[tuple[str, str], tuple[str, str]] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        for paper, group, changed_at, machine in db.execute(
                f"SELECT id, field, changed_at, machine FROM sync_fields "
                f"WHERE id IN ({', '.join('?' * len(part))})", part):
            known[(paper, group)] = (changed_at, machine)
    return known


def pending_export(store: Store, me: str) -> PendingExport:
    """Every field changed here that the folder lacks: rows written since the last export
    (by any process) whose change time is not the version the folder is known to hold.
    A merged-in change is known (the merge records it), so nothing is sent back."""
    with store.read_transaction() as db:
        groups = field_groups(db)
        since = int(get_meta(db, "exported_seq", "0") or 0)
        columns = [c for cols in groups.values() for c in cols]
        rows = db.execute(f"SELECT id, seq, {', '.join(columns)} FROM marks WHERE seq > ?",
                          (since,)).fetchall()
        known = _known_fields(db, [row[0] for row in rows])
    changes = []
    up_to = since
    for row in rows:
        paper, seq = row[0], row[1]
        up_to = max(up_to, seq)
        values = dict(zip(columns, row[2:]))
        for group, (value_col, changed_col) in groups.items():
            changed = values[changed_col]
            if changed is None:
                continue
            folder_has = known.get((paper, group))
            if folder_has is not None and folder_has[0] == changed:
                continue
            changes.append(Change(paper, group, decode_value(group, values[value_col]), changed, me))
    return PendingExport(changes, up_to)


def own_snapshot(store: Store, me: str) -> list[Change]:
    """The current version of every field this machine made that no later change replaced:
    what a compacted (or re-created) own log holds."""
    with store.read_transaction() as db:
        groups = field_groups(db)
        columns = [c for cols in groups.values() for c in cols]
        rows = db.execute(
            f"SELECT f.field, f.changed_at, m.id, {', '.join('m.' + c for c in columns)} "
            "FROM sync_fields f JOIN marks m ON m.id = f.id WHERE f.machine = ? ORDER BY m.id",
            (me,)).fetchall()
    snapshot = []
    for group, changed_at, paper, *rest in rows:
        if group not in groups:
            continue
        values = dict(zip(columns, rest))
        value_col, changed_col = groups[group]
        if values[changed_col] == changed_at:
            snapshot.append(Change(paper, group, decode_value(group, values[value_col]), changed_at, me))
    return snapshot


def record_export(store: Store, changes: Iterable[Change], up_to_seq: int,
                  own: dict[str, object]) -> None:
    """After the lines reached the folder: the folder now holds these versions."""
    with store.write_transaction() as (db, _seq):
        db.executemany(
            "INSERT INTO sync_fields (id, field, changed_at, machine) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id, field) DO UPDATE SET changed_at = excluded.changed_at, "
            "machine = excluded.machine",
            [(c.paper, c.field, c.time, c.machine) for c in changes])
        current = int(get_meta(db, "exported_seq", "0") or 0)
        set_meta(db, {"exported_seq": max(current, up_to_seq), **own})


def count_pending(store: Store) -> int:
    """How many local field changes wait to be sent."""
    return len(pending_export(store, "0" * 16).changes)


# ---------------------------------------------------------------------------- merge

def best_changes(changes: Iterable[Change]) -> dict[tuple[str, str], Change]:
    """The winning change per (paper, field) among these."""
    best: dict[tuple[str, str], Change] = {}
    for change in changes:
        key = (change.paper, change.field)
        known = best.get(key)
        if known is None or change.order_key() > known.order_key():
            best[key] = change
    return best


@dataclass(slots=True)
class MergeOutcome:
    """What merging a batch of changes did."""

    taken: int = 0
    papers: int = 0


def merge_changes(store: Store, changes: Iterable[Change], me: str,
                  log_rows: Sequence[tuple] = ()) -> MergeOutcome:
    """Merge changes into the marks, in one transaction with the logs' new read offsets:
    per field the later change wins (time, then machine id, then value), so every home
    ends with the same state whatever order it reads the logs in. `log_rows` are sync_logs
    rows (name, machine, generation, read_to, changes, last_read_at, last_change_at)."""
    best = best_changes(changes)
    outcome = MergeOutcome()
    with store.write_transaction() as (db, seq):
        groups = field_groups(db)
        columns = [c for cols in groups.values() for c in cols]
        ids = sorted({paper for paper, _group in best})
        local: dict[str, dict] = {}
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            for row in db.execute(f"SELECT id, {', '.join(columns)} FROM marks "
                                  f"WHERE id IN ({', '.join('?' * len(part))})", part):
                local[row[0]] = dict(zip(columns, row[1:]))
        known = _known_fields(db, ids)
        updates: dict[str, list[tuple]] = {group: [] for group in groups}
        taken_fields = []
        papers = set()
        new_rows: dict[str, dict[str, object]] = {}
        for (paper, group), change in best.items():
            if group not in groups:
                continue
            value_col, changed_col = groups[group]
            row = local.get(paper)
            if row is not None and row[changed_col] is not None:
                changed = row[changed_col]
                folder_has = known.get((paper, group))
                origin = folder_has[1] if folder_has is not None and folder_has[0] == changed else me
                mine = (changed, origin, value_key(decode_value(group, row[value_col])))
                if change.order_key() <= mine:
                    continue
            if paper in local:
                updates[group].append((encode_value(group, change.value), change.time, seq, paper))
            else:
                new_rows.setdefault(paper, {})[value_col] = encode_value(group, change.value)
                new_rows[paper][changed_col] = change.time
            taken_fields.append((paper, group, change.time, change.machine))
            papers.add(paper)
        inserts: dict[tuple[str, ...], list[tuple]] = {}
        for paper, values in new_rows.items():
            inserts.setdefault(tuple(values), []).append((paper, seq, *values.values()))
        for names, rows in inserts.items():
            db.executemany(f"INSERT INTO marks (id, seq, {', '.join(names)}) "
                           f"VALUES ({', '.join('?' * (len(names) + 2))})", rows)
        for group, rows in updates.items():
            value_col, changed_col = groups[group]
            db.executemany(f"UPDATE marks SET {value_col} = ?, {changed_col} = ?, seq = ? "
                           "WHERE id = ?", rows)
        db.executemany(
            "INSERT INTO sync_fields (id, field, changed_at, machine) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id, field) DO UPDATE SET changed_at = excluded.changed_at, "
            "machine = excluded.machine", taken_fields)
        exported = int(get_meta(db, "exported_seq", "0") or 0)
        if papers and exported == seq - 1:
            # Nothing local waits to be sent, so the rows merged now need no look at the next
            # export (they are the folder's own versions). Only when rows carry this change
            # number: a transaction that wrote none leaves it to the next writer.
            set_meta(db, {"exported_seq": seq})
        latest = max((change.time for change in best.values()), default="")
        if latest:
            # The home's clock moves past every time seen, so a change made here from now on
            # is later than all of them (see Store._stamp).
            db.execute("UPDATE sync_meta SET value = ? WHERE key = 'clock' AND value < ?",
                       (latest, latest))
        db.executemany(
            "INSERT INTO sync_logs (name, machine, generation, read_to, changes, last_read_at, "
            "last_change_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "machine = excluded.machine, generation = excluded.generation, "
            "read_to = excluded.read_to, changes = sync_logs.changes + excluded.changes, "
            "last_read_at = excluded.last_read_at, "
            "last_change_at = max(coalesce(sync_logs.last_change_at, ''), "
            "coalesce(excluded.last_change_at, ''))", log_rows)
        outcome.taken, outcome.papers = len(taken_fields), len(papers)
    return outcome


def log_offsets(store: Store) -> dict[str, tuple[str, int]]:
    """Per log file name already read: (its generation, the offset read up to)."""
    with store.read_transaction() as db:
        return {name: (generation, read_to) for name, generation, read_to
                in db.execute("SELECT name, generation, read_to FROM sync_logs")}


def own_log_state(store: Store) -> dict[str, str]:
    """What this home last wrote to its own log (empty when it has not yet)."""
    with store.read_transaction() as db:
        state = {key: get_meta(db, key) for key in OWN_LOG_KEYS}
        state["generations"] = get_meta(db, "own_generations", "[]")
        state["machine"] = get_meta(db, "machine")
        return state


def machines_seen(store: Store) -> list[tuple[str, int, str | None, str | None, int]]:
    """Per machine read from: (id, changes read, last read here, latest change time, files)."""
    with store.read_transaction() as db:
        return db.execute(
            "SELECT machine, sum(changes), max(last_read_at), max(last_change_at), count(*) "
            "FROM sync_logs GROUP BY machine ORDER BY machine").fetchall()


@dataclass(slots=True)
class ClockRepair:
    """What repair_clock changed."""

    was: str
    """The clock before."""
    clock: str
    fields: int = 0
    """Field change times (or time values) that were out of range or in another form."""


def clock_is_poisoned(store: Store) -> bool:
    """True when the home's clock is beyond the margin or not in the canonical form (left by
    an older release that trusted another machine's time as written)."""
    with store.read_transaction() as db:
        clock = get_meta(db, "clock")
    return bool(clock) and (clock > latest_acceptable() or not _canonical(clock))


def _canonical(text: str) -> bool:
    try:
        return canonical_time(text) == text
    except LogLineError:
        return False


TIME_VALUES = ("read_at", "starred_at", "dismissed_at")


def repair_clock(store: Store) -> ClockRepair:
    """Bring every stored time back in range and in the canonical form, and the clock with
    them: a change time beyond the margin becomes now (so this home's value is sent again,
    with a time every home can beat later), one in another form becomes its canonical form.
    `tui-reader sync --repair` runs it; an exchange runs it when the clock is poisoned."""
    limit = latest_acceptable()
    now = utc_now()
    with store.write_transaction() as (db, seq):
        was = get_meta(db, "clock")
        columns = [*(changed for _value, changed in FIELD_GROUPS.values()), *TIME_VALUES]
        fixed = 0
        rows = db.execute(f"SELECT id, {', '.join(columns)} FROM marks WHERE "
                          + " OR ".join(f"{c} IS NOT NULL" for c in columns)).fetchall()
        for row in rows:
            updates = {}
            for column, value in zip(columns, row[1:]):
                if not isinstance(value, str):
                    continue
                try:
                    good = canonical_time(value)
                except LogLineError:
                    good = now
                if good > limit:
                    good = now
                if good != value:
                    updates[column] = good
            if updates:
                fixed += len(updates)
                db.execute(f"UPDATE marks SET {', '.join(f'{c} = ?' for c in updates)}, seq = ? "
                           "WHERE id = ?", (*updates.values(), seq, row[0]))
        db.execute("DELETE FROM sync_fields WHERE changed_at > ?", (limit,))
        latest = max([now, *(db.execute(f"SELECT max({c}) FROM marks WHERE {c} <= ?",
                                        (limit,)).fetchone()[0] or "" for c in columns[:6])])
        set_meta(db, {"clock": latest})
    return ClockRepair(was, latest, fixed)
