"""The commands that change or back up the reading state: mark, state export, state import."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .output import EXIT_FAILURE, EXIT_USAGE, emit, warn

if TYPE_CHECKING:
    import argparse

    from ..core.state.store import Mark, Store

MAX_IMPORT_BYTES = 256 * 1024 * 1024


def open_store(args: argparse.Namespace, *, writing: bool = False) -> Store | None:
    """The reading state for a command, its notice shown; None (after a message) if unusable.
    A command about to write leaves a read-only store's notice to the write's own error; one
    that only reads opens the file as it is (never created, migrated or repaired)."""
    from ..core.paths import AppPaths
    from ..core.state.store import Store, StoreError

    path = AppPaths.resolve(args.home).state_file
    try:
        if not writing:
            return Store.open_for_reading(path)
        store = Store.open(path, repair=not getattr(args, "no_repair", False))
    except StoreError as err:
        warn(str(err))
        return None
    if store.notice and not (writing and store.read_only):
        warn(store.notice)
    return store


def read_marks(args: argparse.Namespace) -> dict[str, Mark] | None:
    """Every mark, for a command that only reads them; None (after a message) if unusable."""
    state = read_state(args)
    return None if state is None else state[0]


def read_state(args: argparse.Namespace) -> tuple[dict[str, Mark], list[str]] | None:
    """Every mark and the reading queue's order; None (after a message) if unusable."""
    from ..core.state.store import StoreError

    store = open_store(args)
    if store is None:
        return None
    try:
        return store.marks(), store.queue()
    except StoreError as err:
        warn(str(err))
        return None
    finally:
        store.close()


# ---------------------------------------------------------------------------- mark

def run_mark(args: argparse.Namespace) -> int:
    """tui-reader mark --read|--unread|--star|--unstar|--dismiss|--undismiss ID ...: all ids
    checked before writing."""
    from ..core.model import InvalidArxivId, parse_arxiv_id
    from ..core.state.store import StoreError

    ids = []
    for text in args.ids:
        try:
            ids.append(parse_arxiv_id(text)[0])
        except InvalidArxivId as err:
            warn(f"{err}; nothing was marked")
            return EXIT_USAGE
    ids = list(dict.fromkeys(ids))
    store = open_store(args, writing=True)
    if store is None:
        return EXIT_FAILURE
    try:
        if args.action in ("read", "unread"):
            store.set_read(ids, args.action == "read")
        elif args.action in ("dismiss", "undismiss"):
            store.set_dismissed(ids, args.action == "dismiss")
        else:
            store.set_starred(ids, args.action == "star")
    except StoreError as err:
        warn(str(err))
        return EXIT_FAILURE
    finally:
        store.close()
    done = {"read": "marked read", "unread": "marked unread", "star": "starred", "unstar": "unstarred",
            "dismiss": "dismissed", "undismiss": "undismissed"}
    count = f"{len(ids)} paper{'s' if len(ids) != 1 else ''}"
    print(f"{done[args.action]}: {count} ({', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})")
    return 0


# ---------------------------------------------------------------------------- state

def run_state(args: argparse.Namespace) -> int:
    """tui-reader state export|import FILE: the whole reading state as a JSON backup."""
    return _state_export(args) if args.verb == "export" else _state_import(args)


def _state_export(args: argparse.Namespace) -> int:
    from ..core.state.backup import backup_text
    from ..core.state.store import StoreError

    store = open_store(args)
    if store is None:
        return EXIT_FAILURE
    try:
        records = store.records()
    except StoreError as err:
        warn(str(err))
        return EXIT_FAILURE
    finally:
        store.close()
    status = emit(backup_text(records), args.file, args.force, private=True)
    if status == 0 and args.file != "-":
        print(f"saved the marks of {len(records)} papers to {args.file}")
    return status


def _state_import(args: argparse.Namespace) -> int:
    from ..core.state.backup import BackupError, MergeReport, merge_record, parse_backup
    from ..core.state.store import ImportInterrupted, StoreError

    try:
        if args.file == "-":
            data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        else:
            with open(args.file, "rb") as fh:
                data = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as err:
        warn(f"cannot read {args.file} ({err.strerror or err})")
        return EXIT_USAGE
    try:
        records = parse_backup(data)
    except BackupError as err:
        warn(f"{args.file}: {err}; nothing was imported")
        return EXIT_USAGE
    store = open_store(args, writing=True)
    if store is None:
        return EXIT_FAILURE
    try:
        outcome = store.merge_records(records, merge_record)
    except ImportInterrupted as err:
        if not err.done:
            warn(f"{err.reason}; nothing was imported")
        else:
            warn(f"{err.reason}; {err.done} of {err.total} papers were imported before it "
                 "(importing the file again is safe)")
        return EXIT_FAILURE
    except StoreError as err:
        warn(f"{err}; nothing was imported")
        return EXIT_FAILURE
    finally:
        store.close()
    report = MergeReport()
    for _paper, was_new, taken in outcome:
        if was_new and taken:
            report.new_papers += 1
        elif taken:
            report.changed_papers += 1
        else:
            report.unchanged_papers += 1
        for name in taken:
            report.fields[name] += 1
    print(f"imported {args.file}: {report.summary()}")
    return 0


