"""Hide rules (a killfile): which papers the [[hide]] queries of the settings hide, and why."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_reader.core.config import HideRule
    from tui_reader.core.model import Paper
    from tui_reader.core.search.query import SearchIndex
    from tui_reader.core.state.store import Mark


def hide_reason(rule: HideRule) -> str:
    """What the reader and the command line say about a paper this rule hides."""
    return rule.reason or f"hidden by {rule.query!r}"


def hidden_papers(papers: Sequence[Paper], rules: Sequence[HideRule], marks: Mapping[str, Mark] | None = None,
                  *, index: SearchIndex | None = None) -> dict[str, str]:
    """Paper id -> reason for every paper a rule hides (the first rule that matches gives
    the reason). The same search as the search line (`index`, over `papers`, is reused
    when given), so a rule hides exactly what typing its query would show."""
    if not rules or not papers:
        return {}
    from tui_reader.core.search.query import SearchIndex, parse_query

    if index is None:
        index = SearchIndex(papers, lazy=True)  # only the fields the rules name
    hidden: dict[str, str] = {}
    for rule in rules:
        reason = hide_reason(rule)
        for i in index.search(parse_query(rule.query), marks or {}):
            hidden.setdefault(papers[i].id, reason)
    return hidden
