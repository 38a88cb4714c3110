"""The commands that read papers: dump, export and stats."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING

from .output import EXIT_FAILURE, EXIT_USAGE, emit, warn
from .state import read_marks, read_state

if TYPE_CHECKING:
    import argparse

    from ..core.library.cache import ParseCache
    from ..core.config import Config
    from ..core.library.stream import LibraryPlan
    from ..core.model import Paper
    from ..core.search.query import Query
    from ..core.state.store import Mark


@contextmanager
def library_for_command(paths: Sequence[str], home: str | None, *, last_opened: bool = False,
                        language: str | None = None) -> Iterator[tuple[LibraryPlan, ParseCache]]:
    """The library's first pass for a command (core.library.stream), its warnings on
    stderr, and the open parse cache its papers are streamed through.
    Without paths: the library folder, else (with last_opened) the paths the reader last
    opened, else the demo; stderr says so when it is not the library. `language` picks the
    AI files of a day written in several languages (None: the settings' `language`, else English)."""
    from ..core.library.cache import ParseCache
    from ..core.library.stream import plan_library
    from ..core.paths import AppPaths, choose_paths, ensure_library_dir
    from ..core.formats.text import one_line

    app_paths = AppPaths.resolve(home)
    if not paths:
        ensure_library_dir(app_paths.library_dir)  # the folder the notice below names exists
    choice = choose_paths(paths, app_paths, last_opened=last_opened)
    if choice.notice:
        warn(one_line(choice.notice))  # paths are data: no control character reaches the terminal
    # The same parse cache as the reader: a year of digests is read once, not per command.
    with ParseCache.open(app_paths.cache_dir) as cache:
        if language is None:
            # Only the language here: a broken settings file is reported once, by the
            # command that uses the rest of it (load_settings).
            from ..core.config import load_config

            language = load_config(app_paths.config_file)[0].language
        plan = plan_library(choice.paths, cache, language=language)
        for message in plan.warnings:
            warn(message)
        yield plan, cache


def load_marks(home: str | None) -> dict[str, Mark]:
    """The reading marks by paper id, for queries that use them; an absent or unreadable
    state file means no marks (a warning says why when it is unreadable)."""
    from ..core.paths import AppPaths

    state_file = AppPaths.resolve(home).state_file
    if not state_file.is_file():
        return {}
    from ..core.state.store import Store, StoreError

    try:
        with Store.open_for_reading(state_file) as store:
            return store.marks()
    except (StoreError, OSError) as err:
        warn(f"reading state not used for the query: {err}")
        return {}


def load_settings(home: str | None) -> Config:
    """The settings file's Config (defaults, after a warning, when it is broken)."""
    from ..core.config import load_config
    from ..core.paths import AppPaths

    config, problem = load_config(AppPaths.resolve(home).config_file)
    if problem:
        warn(problem)
    return config


def visible_and_ranked(papers: list[Paper], marks: Mapping[str, Mark], config: Config, *,
                       include_hidden: bool, relevance: bool,
                       home: str | None = None) -> tuple[list[Paper], dict[str, str], dict[str, float]]:
    """The papers to print (hidden ones left out unless include_hidden; in the For-you
    order when relevance), the hidden ones' reasons, and (when relevance) their scores."""
    from ..core.search.hide import hidden_papers

    hidden = hidden_papers(papers, config.hide_rules, marks)
    if not relevance:
        return ([p for p in papers if p.id not in hidden] if not include_hidden else papers), hidden, {}
    from ..core.paths import AppPaths
    from ..core.rank.ranker import features_file, rank_papers

    model, order, scores = rank_papers(papers, marks, watch_keywords=config.watch_keywords,
                                       watch_authors=config.watch_authors,
                                       hidden=() if include_hidden else hidden,
                                       features_file=features_file(AppPaths.resolve(home).cache_dir))
    if not model.learned:
        warn(f"{model.message} (until then: the watch list, then digest order)")
    return [papers[i] for i in order], hidden, {papers[i].id: s for i, s in zip(order, scores)}


Printed = tuple["Paper", "str | None", "float | None"]
"""A paper to print, the reason a hide rule hides it (or None), its For-you score (or None)."""


def papers_to_print(args: argparse.Namespace, plan: LibraryPlan, cache: ParseCache,
                    marks: Mapping[str, Mark], *, relevance: bool) -> Iterator[Printed] | None:
    """The papers dump and export print, in order: those matching --query, without the
    hidden ones unless --include-hidden, in the For-you order when relevance. Streamed
    (a batch of papers searched at a time) except in the For-you order, which ranks them
    all at once. None, after a warning, for a bad query. The query and the settings are
    read now (their warnings come before any paper); the papers as they are taken."""
    from ..core.library.stream import batches

    query = None
    if args.query:
        from ..core.search.query import QueryError, parse_query

        try:
            query = parse_query(args.query)
        except QueryError as err:
            warn(f"bad query: {err}")
            return None
        # Searched a batch at a time below: no batch knows the library's newest day.
        query = query.with_newest(max((day for day in plan.dates if day), default=None))
    config = load_settings(args.home)
    papers: Iterable[Paper] = plan.papers(cache)
    if relevance:
        # One model over the whole library and the person's marks (as the reader trains it);
        # the query then selects from that order, never what the model learns from.
        everything = list(papers)
        ranked, hidden, scores = visible_and_ranked(everything, marks, config, include_hidden=args.include_hidden,
                                                    relevance=True, home=args.home)
        if query is not None and query.like_ids():
            matching = {paper.id for paper in _like_selected(query, everything, marks, ordered=False, home=args.home)}
            ranked = [paper for paper in ranked if paper.id in matching]
        elif query is not None:
            from ..core.search.query import SearchIndex

            matching = {batch[i].id for batch in batches(everything)
                        for i in SearchIndex(batch, lazy=True).search(query, marks)}
            ranked = [paper for paper in ranked if paper.id in matching]
        return ((paper, hidden.get(paper.id), scores[paper.id]) for paper in ranked)
    if query is not None and query.like_ids():
        papers = _like_selected(query, list(papers), marks, ordered=getattr(args, "sort", None) is None, home=args.home)
    elif query is not None:
        from ..core.search.query import SearchIndex

        papers = (batch[i] for batch in batches(papers) for i in SearchIndex(batch, lazy=True).search(query, marks))
    return _visible(papers, marks, config, include_hidden=args.include_hidden)


def _like_selected(query: Query, papers: list[Paper], marks: Mapping[str, Mark], *, ordered: bool,
                   home: str | None) -> list[Paper]:
    """The papers matching a query with `like:` (searched over the whole library at once,
    which the likeness needs), most similar first when `ordered`; one warning per unknown id.
    The papers' features are read from (and kept in) the cache folder, as the reader does."""
    from ..core.paths import AppPaths
    from ..core.rank.ranker import features_file
    from ..core.search.query import SearchIndex
    from ..core.rank.similar import order_by_likeness, similarity_index_for, use_features_file

    use_features_file(features_file(AppPaths.resolve(home).cache_dir))
    index = SearchIndex(papers, lazy=True)
    found = index.search(query, marks)
    similar = similarity_index_for(papers)
    for arxiv_id in query.like_ids():
        problem = similar.why_none(arxiv_id)
        if problem:
            warn(f"like:{arxiv_id}: {problem}")
    if ordered:
        found = order_by_likeness(similar, query.like_ids(), found)
    return [papers[i] for i in found]


def _visible(papers: Iterable[Paper], marks: Mapping[str, Mark], config: Config, *,
             include_hidden: bool) -> Iterator[Printed]:
    from ..core.search.hide import hidden_papers
    from ..core.library.stream import batches

    if not config.hide_rules:
        yield from ((paper, None, None) for paper in papers)
        return
    for batch in batches(papers):
        hidden = hidden_papers(batch, config.hide_rules, marks)  # each paper is judged on its own
        for paper in batch:
            reason = hidden.get(paper.id)
            if reason is None or include_hidden:
                yield paper, reason, None


def run_dump(args: argparse.Namespace) -> int:
    """tui-reader dump: the parsed papers (those matching --query) as JSON Lines."""
    from ..core.export.papers import terminal_safe_json
    from ..core.model import paper_record
    from ..core.formats.text import render_latex

    with library_for_command(args.paths, args.home, last_opened=True, language=args.language) as (plan, cache):
        marks = load_marks(args.home)
        printed = papers_to_print(args, plan, cache, marks, relevance=args.sort == "relevance")
        if printed is None:
            return EXIT_USAGE
        out = sys.stdout
        for paper, hidden, score in printed:
            record = paper_record(paper, render_latex)
            mark = marks.get(paper.id)
            record["dismissed"] = mark is not None and mark.dismissed
            if args.include_hidden:
                record["hidden"] = hidden
            if score is not None:
                record["score"] = round(score, 4)
            out.write(terminal_safe_json(json.dumps(record, ensure_ascii=False)) + "\n")
        out.flush()
    return 0 if plan.digests_read else EXIT_USAGE


# ---------------------------------------------------------------------------- export

def run_export(args: argparse.Namespace) -> int:
    """tui-reader export: selected papers with their marks, in the chosen format."""
    from itertools import chain

    from ..core.export.papers import export_chunks, iter_selected_papers
    from ..core.formats.text import one_line

    with library_for_command(args.paths, args.home, last_opened=True,
                             language=getattr(args, "language", None)) as (plan, cache):
        if not plan.digests_read:
            warn("no papers to export")
            return EXIT_USAGE
        state = read_state(args)
        if state is None:
            return EXIT_FAILURE
        marks, queue = state
        top = getattr(args, "top", None)
        printed = papers_to_print(args, plan, cache, marks, relevance=top is not None)
        if printed is None:
            return EXIT_USAGE
        papers = (paper for paper, _, _ in printed)
        selected = islice(papers, top) if top is not None else iter_selected_papers(papers, marks, args.select, queue)
        if args.select == "starred":
            missing = sum(1 for m in marks.values() if m.starred and m.id not in plan)
            if missing:
                warn(f"{missing} starred paper{'s are' if missing != 1 else ' is'} in none of the digests read, "
                     "so not exported")
        first = next(selected, None)
        if first is None and (args.select or args.query or top):
            # Asked for a selection and got none: an empty file would look like success.
            asked = " and ".join(part for part in (
                f"--{args.select}" if args.select else "", f"--top {top}" if top else "",
                f"--query {args.query!r}" if args.query else "") if part)
            warn(f"nothing to export: no paper of the digests read matches {asked}")
            return EXIT_FAILURE
        chosen = selected if first is None else chain([first], selected)
        written = [0]

        def counted(papers: Iterable[Paper]) -> Iterator[Paper]:
            for paper in papers:
                written[0] += 1
                yield paper

        code = emit(export_chunks(counted(chosen), marks, args.format, spool_dir=_spool_dir(cache)),
                    args.output, args.force)
        if code == 0 and args.output and args.output != "-":
            count = written[0]
            warn(f"wrote {count} paper{'s' if count != 1 else ''} as {args.format} to {one_line(args.output)}")
        return code


def _spool_dir(cache: ParseCache) -> str | None:
    """Where a Markdown export's entries wait for their count: the cache folder (the
    system's temporary folder when the cache has none)."""
    import os

    return str(cache.folder) if os.path.isdir(cache.folder) else None


# ---------------------------------------------------------------------------- stats

def run_stats(args: argparse.Namespace) -> int:
    """tui-reader stats: papers, read, unread, starred and dismissed, in all and per day and category."""
    from ..core.library.counting import count_reading

    with library_for_command(args.paths, args.home, last_opened=True,
                             language=getattr(args, "language", None)) as (plan, _cache):
        marks = read_marks(args)
        if marks is None:
            return EXIT_FAILURE
        # The first pass alone knows each paper's date and category: no paper is read whole.
        counts = count_reading(plan.facts(), marks)
    if not plan.digests_read:
        # The warnings above said why (no such path, nothing readable): no table of zeros.
        if not plan.warnings:
            warn("no digests found in " + ", ".join(args.paths or ["the library"]))
        return EXIT_USAGE
    paper_count = plan.paper_count
    total = counts.total
    share = f" ({100 * total['read'] // paper_count}%)" if paper_count else ""
    lines = [
        f"papers     {paper_count}",
        f"read       {total['read']}{share}",
        f"unread     {total['unread']}",
        f"starred    {total['starred']}",
        f"dismissed  {total['dismissed']}",
    ]
    elsewhere = sum(1 for m in marks.values()
                    if (m.read or m.starred or m.dismissed) and m.id not in plan)
    if elsewhere:
        lines.append(f"marked papers not in these digests: {elsewhere}")
    per_day = "per day (a paper counts once, on the first day it was listed; the reader's tree counts every listing)"
    for groups, title, newest_first in ((counts.per_day, per_day, True), (counts.per_category, "per category", False)):
        if not groups:
            continue
        keys = sorted(groups, reverse=True) if newest_first else sorted(
            groups, key=lambda k: (-groups[k]["papers"], k))
        width = max(len(k) for k in keys)
        lines += ["", f"{title}:"]
        lines += [f"  {k:<{width}}  {groups[k]['papers']:>6} papers  {groups[k]['read']:>6} read  "
                  f"{groups[k]['unread']:>6} unread  {groups[k]['starred']:>6} starred  "
                  f"{groups[k]['dismissed']:>6} dismissed" for k in keys]
    print("\n".join(lines))
    return 0
