"""The state subcommands: mark, export, state export/import, stats."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .cli import EXIT_USAGE, load_for_command, warn

EXIT_FAILURE = 1
MAX_IMPORT_BYTES = 256 * 1024 * 1024


class OutputExists(Exception):
    """The output file exists and --force was not given."""


def _open_store(args: argparse.Namespace, *, writing: bool = False):
    """The reading state for a command, its notice shown; None (after a message) if unusable.
    A command about to write leaves a read-only store's notice to the write's own error."""
    from .core.paths import AppPaths
    from .core.store import Store, StoreError

    try:
        store = Store.open(AppPaths.resolve(args.home).state_file,
                           repair=not getattr(args, "no_repair", False))
    except StoreError as err:
        warn(str(err))
        return None
    if store.notice and not (writing and store.read_only):
        warn(store.notice)
    return store


def _read_marks(args: argparse.Namespace) -> dict | None:
    """Every mark, for a command that only reads them; None (after a message) if unusable."""
    from .core.store import StoreError

    store = _open_store(args)
    if store is None:
        return None
    try:
        return store.marks()
    except StoreError as err:
        warn(str(err))
        return None
    finally:
        store.close()


def write_atomically(target: Path, text: str, *, force: bool, private: bool = False) -> None:
    """Write text to a temporary file beside target, then move it into place in one step.
    Without force an existing target is never replaced (OutputExists); OSError otherwise.
    A private file is readable by its owner only (0600), like the state it comes from."""
    folder = target.parent if str(target.parent) else Path(".")
    if not force and (target.exists() or target.is_symlink()):
        raise OutputExists(str(target))
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
        if force:
            os.replace(temp_name, target)
        else:
            try:
                os.link(temp_name, target)  # fails if target appeared meanwhile: never clobbers
            except FileExistsError:
                raise OutputExists(str(target)) from None
            except OSError:
                if target.exists():
                    raise OutputExists(str(target)) from None
                os.replace(temp_name, target)  # a filesystem without hard links
    finally:
        if os.path.lexists(temp_name):
            os.unlink(temp_name)


def _emit(text: str, output: str | None, force: bool, *, private: bool = False) -> int:
    """Text to standard output, or atomically to a file; a one-line message on failure."""
    if not output or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    try:
        write_atomically(Path(output), text, force=force, private=private)
    except OutputExists:
        warn(f"{output} exists; use --force to overwrite it")
        return EXIT_FAILURE
    except OSError as err:
        warn(f"cannot write {output} ({err.strerror or err})")
        return EXIT_FAILURE
    return 0


# ---------------------------------------------------------------------------- mark

def run_mark(args: argparse.Namespace) -> int:
    """tui-reader mark --read|--unread|--star|--unstar ID ...: all ids checked before writing."""
    from .core.model import InvalidArxivId, parse_arxiv_id
    from .core.store import StoreError

    ids = []
    for text in args.ids:
        try:
            ids.append(parse_arxiv_id(text)[0])
        except InvalidArxivId as err:
            warn(f"{err}; nothing was marked")
            return EXIT_USAGE
    ids = list(dict.fromkeys(ids))
    store = _open_store(args, writing=True)
    if store is None:
        return EXIT_FAILURE
    try:
        if args.action in ("read", "unread"):
            store.set_read(ids, args.action == "read")
        else:
            store.set_starred(ids, args.action == "star")
    except StoreError as err:
        warn(str(err))
        return EXIT_FAILURE
    finally:
        store.close()
    done = {"read": "marked read", "unread": "marked unread", "star": "starred", "unstar": "unstarred"}
    count = f"{len(ids)} paper{'s' if len(ids) != 1 else ''}"
    print(f"{done[args.action]}: {count} ({', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})")
    return 0


# ---------------------------------------------------------------------------- export

def run_export(args: argparse.Namespace) -> int:
    """tui-reader export: selected papers with their marks, in the chosen format."""
    from .core.export import export_papers, select_papers

    library, any_read = load_for_command(args.paths, args.home)
    if not any_read:
        warn("no papers to export")
        return EXIT_USAGE
    marks = _read_marks(args)
    if marks is None:
        return EXIT_FAILURE
    papers = library.sorted_papers()
    if args.query:
        from .core.query import QueryError, filter_papers

        try:
            papers = filter_papers(papers, args.query, marks=marks)
        except QueryError as err:
            warn(f"bad query: {err}")
            return EXIT_USAGE
    selected = select_papers(papers, marks, args.select)
    if args.select == "starred":
        missing = sum(1 for m in marks.values() if m.starred and m.id not in library.papers)
        if missing:
            warn(f"{missing} starred paper{'s are' if missing != 1 else ' is'} in no digest read, "
                 "so not exported")
    return _emit(export_papers(selected, marks, args.format), args.output, args.force)


# ---------------------------------------------------------------------------- state

def run_state(args: argparse.Namespace) -> int:
    """tui-reader state export|import FILE: the whole reading state as a JSON backup."""
    return _state_export(args) if args.verb == "export" else _state_import(args)


def _state_export(args: argparse.Namespace) -> int:
    from .core.state_backup import backup_text
    from .core.store import StoreError

    store = _open_store(args)
    if store is None:
        return EXIT_FAILURE
    try:
        records = store.records()
    except StoreError as err:
        warn(str(err))
        return EXIT_FAILURE
    finally:
        store.close()
    status = _emit(backup_text(records), args.file, args.force, private=True)
    if status == 0 and args.file != "-":
        print(f"saved the marks of {len(records)} papers to {args.file}")
    return status


def _state_import(args: argparse.Namespace) -> int:
    from .core.state_backup import BackupError, MergeReport, merge_record, parse_backup
    from .core.store import StoreError

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
    store = _open_store(args, writing=True)
    if store is None:
        return EXIT_FAILURE
    try:
        outcome = store.merge_records(records, merge_record)
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


# ---------------------------------------------------------------------------- stats

def run_stats(args: argparse.Namespace) -> int:
    """tui-reader stats: papers, read and starred, in all and per day and category."""
    from .core.store import Mark
    from .core.text import strip_controls

    library, any_read = load_for_command(args.paths, args.home)
    marks = _read_marks(args)
    if marks is None:
        return EXIT_FAILURE
    papers = library.sorted_papers()
    empty = Mark("")
    totals: dict[str, Counter] = {"day": Counter(), "category": Counter()}
    read: dict[str, Counter] = {"day": Counter(), "category": Counter()}
    starred: dict[str, Counter] = {"day": Counter(), "category": Counter()}
    for paper in papers:
        mark = marks.get(paper.id, empty)
        category = strip_controls(paper.category) or "(none)"
        for kind, key in (("day", paper.date or "(no date)"), ("category", category)):
            totals[kind][key] += 1
            read[kind][key] += mark.read
            starred[kind][key] += mark.starred
    n_read = sum(read["day"].values())
    n_starred = sum(starred["day"].values())
    share = f" ({100 * n_read // len(papers)}%)" if papers else ""
    lines = [
        f"papers   {len(papers)}",
        f"read     {n_read}{share}",
        f"unread   {len(papers) - n_read}",
        f"starred  {n_starred}",
    ]
    elsewhere = sum(1 for m in marks.values() if (m.read or m.starred) and m.id not in library.papers)
    if elsewhere:
        lines.append(f"marked papers in no digest read: {elsewhere}")
    for kind, title, order in (("day", "per day", True), ("category", "per category", False)):
        if not totals[kind]:
            continue
        keys = sorted(totals[kind], reverse=True) if order else sorted(
            totals[kind], key=lambda k: (-totals[kind][k], k))
        width = max(len(k) for k in keys)
        lines += ["", f"{title}:"]
        lines += [f"  {k:<{width}}  {totals[kind][k]:>6} papers  {read[kind][k]:>6} read  "
                  f"{starred[kind][k]:>6} starred" for k in keys]
    print("\n".join(lines))
    return 0 if any_read else EXIT_USAGE
