"""Saved searches and the watch list, worked out with the search language (no widgets)."""
from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.config import Config
from ..core.model import Paper
from ..core.state.store import Mark

if TYPE_CHECKING:
    from ..core.search.query import Query, SearchIndex
    from ..core.search.haystack import PreparedText

WATCH_FIELDS = ("ti", "tldr", "abs")
"""Where a watched keyword is looked for: title, summaries and abstract."""


@dataclass(slots=True)
class PreparedSearches:
    """The search index, the watched papers and each saved search's matches."""

    index: SearchIndex
    watched: set[int] = field(default_factory=set)
    found: list[tuple[str, Query, list[int]]] = field(default_factory=list)
    """(name, parsed query, matching papers) per saved search that parsed."""
    problems: list[str] = field(default_factory=list)
    hidden: dict[int, str] = field(default_factory=dict)
    """Papers a [[hide]] rule hides (index -> the rule's reason)."""


def watch_query(keywords: list[str], authors: list[str]) -> Query | None:
    """The watch list as one query of the search language (so it folds text exactly as
    search does: `muller` finds Müller, `soren` Søren); None when the list is empty."""
    from ..core.search.query import Query
    from ..core.fold import fold_phrase
    from ..core.search.parse import Or, TextTerm

    terms: list[TextTerm] = []
    for keyword in keywords:
        value = fold_phrase(keyword)
        if value:
            terms.extend(TextTerm(name, value, keyword) for name in WATCH_FIELDS)
    for author in authors:
        value = fold_phrase(author)
        if value:
            terms.append(TextTerm("au", value, author))
    if not terms:
        return None
    return Query("watch list", Or(tuple(terms)))


def prepare_searches(papers: list[Paper], marks: Mapping[str, Mark], config: Config,
                     search_text: PreparedText | None = None) -> PreparedSearches:
    """Index the library once and run the saved searches and the watch list on it (in a
    thread, once the list is on screen)."""
    from ..core.search.query import QueryError, SearchIndex, parse_query

    index = SearchIndex(papers, prepared=search_text)
    gc.freeze()  # lives as long as the library: later collections need not walk it
    prepared = PreparedSearches(index)
    watch = watch_query(config.watch_keywords, config.watch_authors)
    if watch is not None:
        prepared.watched = set(index.search(watch, marks, remember=False))
    if config.hide_rules:
        from ..core.search.hide import hidden_papers

        position = {paper.id: i for i, paper in enumerate(papers)}
        hidden = hidden_papers(papers, config.hide_rules, marks, index=index)
        prepared.hidden = {position[paper_id]: reason for paper_id, reason in hidden.items()}
    for saved in config.searches:
        try:
            query = parse_query(saved.query)
        except QueryError as err:
            prepared.problems.append(f"Saved search {saved.name!r}: {err}")
            continue
        prepared.found.append((saved.name, query, index.search(query, marks)))
    return prepared
