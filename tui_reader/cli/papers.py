"""The commands that read papers: dump, export and stats."""
from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .output import EXIT_FAILURE, EXIT_USAGE, emit, warn
from .state import read_marks, read_state

if TYPE_CHECKING:
    import argparse

    from ..core.library import Library
    from ..core.store import Mark


def load_for_command(paths: Sequence[str], home: str | None, *,
                     last_opened: bool = False) -> tuple[Library, bool]:
    """Load the library for a command; warnings go to stderr. Returns (library, any_read).
    Without paths: the library folder, else (with last_opened) the paths the reader last
    opened, else the demo; stderr says so when it is not the library."""
    from ..core.cache import ParseCache
    from ..core.library import load_library
    from ..core.paths import AppPaths, choose_paths, ensure_library_dir
    from ..core.text import one_line

    app_paths = AppPaths.resolve(home)
    if not paths:
        ensure_library_dir(app_paths.library_dir)  # the folder the notice below names exists
    choice = choose_paths(paths, app_paths, last_opened=last_opened)
    if choice.notice:
        warn(one_line(choice.notice))  # paths are data: no control character reaches the terminal
    # The same parse cache as the reader: a year of digests is read once, not per command.
    with ParseCache.open(app_paths.cache_dir) as cache:
        library = load_library(choice.paths, cache)
    for message in library.warnings:
        warn(message)
    return library, bool(library.digests)


def load_marks(home: str | None) -> dict[str, Mark]:
    """The reading marks by paper id, for queries that use them; an absent or unreadable
    state file means no marks (a warning says why when it is unreadable)."""
    from ..core.paths import AppPaths

    state_file = AppPaths.resolve(home).state_file
    if not state_file.is_file():
        return {}
    from ..core.store import Store, StoreError

    try:
        with Store.open(state_file, repair=False) as store:
            return store.marks()
    except (StoreError, OSError) as err:
        warn(f"reading state not used for the query: {err}")
        return {}


def run_dump(args: argparse.Namespace) -> int:
    """tui-reader dump: the parsed papers (those matching --query) as JSON Lines."""
    from ..core.export import terminal_safe_json
    from ..core.model import paper_record
    from ..core.text import render_latex

    library, any_read = load_for_command(args.paths, args.home)
    papers = library.sorted_papers()
    if args.query:
        from ..core.query import QueryError, filter_papers

        try:
            papers = filter_papers(papers, args.query, marks=load_marks(args.home))
        except QueryError as err:
            warn(f"bad query: {err}")
            return EXIT_USAGE
    out = sys.stdout
    for paper in papers:
        out.write(terminal_safe_json(json.dumps(paper_record(paper, render_latex), ensure_ascii=False)) + "\n")
    out.flush()
    return 0 if any_read else EXIT_USAGE


# ---------------------------------------------------------------------------- export

def run_export(args: argparse.Namespace) -> int:
    """tui-reader export: selected papers with their marks, in the chosen format."""
    from ..core.export import export_papers, select_papers

    library, any_read = load_for_command(args.paths, args.home, last_opened=True)
    if not any_read:
        warn("no papers to export")
        return EXIT_USAGE
    state = read_state(args)
    if state is None:
        return EXIT_FAILURE
    marks, queue = state
    papers = library.sorted_papers()
    if args.query:
        from ..core.query import QueryError, filter_papers

        try:
            papers = filter_papers(papers, args.query, marks=marks)
        except QueryError as err:
            warn(f"bad query: {err}")
            return EXIT_USAGE
    selected = select_papers(papers, marks, args.select, queue)
    if args.select == "starred":
        missing = sum(1 for m in marks.values() if m.starred and m.id not in library.papers)
        if missing:
            warn(f"{missing} starred paper{'s are' if missing != 1 else ' is'} in no digest read, "
                 "so not exported")
    if not selected and (args.select or args.query):
        # Asked for a selection and got none: an empty file would look like success.
        asked = " and ".join(part for part in (
            f"--{args.select}" if args.select else "", f"--query {args.query!r}" if args.query else "") if part)
        warn(f"nothing to export: no paper of the digests read matches {asked}")
        return EXIT_FAILURE
    return emit(export_papers(selected, marks, args.format), args.output, args.force)


# ---------------------------------------------------------------------------- stats

def run_stats(args: argparse.Namespace) -> int:
    """tui-reader stats: papers, read and starred, in all and per day and category."""
    from ..core.store import Mark
    from ..core.text import strip_controls

    library, any_read = load_for_command(args.paths, args.home, last_opened=True)
    marks = read_marks(args)
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
