"""Query: one parsed query, which tests one paper at a time (`matches`, for `dump --query`
and the hide rules) and is what SearchIndex.search takes; its terms, pins and `like:` ids."""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from tui_reader.core.search.fields import HasTerm, NumberTerm, number_matches, paper_has
from tui_reader.core.search.haystack import HAYSTACK_FIELDS, paper_haystacks
from tui_reader.core.search.marks import mark_texts
from tui_reader.core.search.parse import And, DateTerm, LikeTerm, MatchAll, Node, Not, Or, StateTerm, TagTerm, TextTerm, in_range

if TYPE_CHECKING:
    from tui_reader.core.model import Paper
    from tui_reader.core.state.store import Mark


class Query:
    """A parsed query: test one paper with `matches`, or hand it to SearchIndex.search."""

    __slots__ = ("text", "tree")

    def __init__(self, text: str, tree: Node) -> None:
        self.text = text
        self.tree = tree

    def __repr__(self) -> str:
        return f"Query({self.text!r})"

    @property
    def is_empty(self) -> bool:
        """True for a blank query, which matches every paper."""
        return isinstance(self.tree, MatchAll)

    def matches(self, paper: Paper, mark: Mark | None) -> bool:
        """Whether one paper (with its reading mark, None = unread) satisfies the query.
        A `like:` term needs the whole library (SearchIndex.search): alone, it matches none."""
        haystacks = paper_haystacks(paper)
        note, tags = mark_texts(mark)
        read = bool(mark and mark.read)
        starred = bool(mark and mark.starred)
        dates = paper.dates

        def test(node: Node) -> bool:
            if isinstance(node, TextTerm):
                if node.field == "any":
                    return (any(node.value in h for h in haystacks) or node.value in note
                            or any(node.value in t for t in tags))
                if node.field == "note":
                    return node.value in note
                return node.value in haystacks[HAYSTACK_FIELDS.index(node.field)]
            if isinstance(node, TagTerm):
                return node.value in tags
            if isinstance(node, DateTerm):
                return any(in_range(d, node) for d in dates)
            if isinstance(node, HasTerm):
                return paper_has(paper, node.what)
            if isinstance(node, NumberTerm):
                return number_matches(paper, node)
            if isinstance(node, LikeTerm):
                return False
            if isinstance(node, StateTerm):
                return {"read": read, "unread": not read, "starred": starred}[node.state]
            if isinstance(node, Not):
                return not test(node.child)
            if isinstance(node, And):
                return all(test(c) for c in node.children)
            if isinstance(node, Or):
                return any(test(c) for c in node.children)
            return True

        return test(self.tree)

    def terms(self) -> list[str]:
        """The words and phrases to highlight (not excluded ones, not dates or states),
        as typed, each once, in query order."""
        found: dict[str, None] = {}

        def walk(node: Node) -> None:
            if isinstance(node, TextTerm) and node.field not in ("cat", "id", "note"):
                found.setdefault(" ".join(node.raw.split()), None)
            elif isinstance(node, (And, Or)):
                for child in node.children:
                    walk(child)

        walk(self.tree)
        return [t for t in found if t]

    def with_newest(self, day: str | None) -> Query:
        """The query with date:newest pinned to `day` (the library's newest), for a search
        made a batch of papers at a time (dump, export), where no batch knows the library's
        newest day. None (an empty library) leaves it matching nothing."""
        if day is None:
            return self

        def pin(node: Node) -> Node:
            if isinstance(node, DateTerm) and node.newest:
                return DateTerm(day, (date.fromisoformat(day) + timedelta(days=1)).isoformat())
            if isinstance(node, Not):
                return Not(pin(node.child))
            if isinstance(node, And):
                return And(tuple(pin(c) for c in node.children))
            if isinstance(node, Or):
                return Or(tuple(pin(c) for c in node.children))
            return node

        return Query(self.text, pin(self.tree))

    def like_ids(self) -> list[str]:
        """The arXiv ids of the query's `like:` terms (not excluded ones), each once, in order."""
        found: dict[str, None] = {}

        def walk(node: Node) -> None:
            if isinstance(node, LikeTerm):
                found.setdefault(node.arxiv_id, None)
            elif isinstance(node, (And, Or)):
                for child in node.children:
                    walk(child)

        walk(self.tree)
        return list(found)

    def uses_marks(self) -> bool:
        """True when the result depends on reading state (states, tags, notes, bare words)."""
        def walk(node: Node) -> bool:
            if isinstance(node, (StateTerm, TagTerm)):
                return True
            if isinstance(node, TextTerm):
                return node.field in ("any", "note")
            if isinstance(node, Not):
                return walk(node.child)
            if isinstance(node, (And, Or)):
                return any(walk(c) for c in node.children)
            return False

        return walk(self.tree)
