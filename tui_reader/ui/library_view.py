"""The reader's view of a library: tree nodes, their papers and live unread counts (no widgets)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import compress, groupby
from typing import TYPE_CHECKING

from ..core.model import Paper
from ..core.state.store import Mark

if TYPE_CHECKING:
    from ..core.search.haystack import PreparedText

FOR_YOU, UNREAD, STARRED, ALL = "foryou", "unread", "starred", "all"
VIRTUAL_NODES = (FOR_YOU, UNREAD, STARRED, ALL)
VIRTUAL_LABELS = {FOR_YOU: "For you", UNREAD: "Unread", STARRED: "Starred", ALL: "All"}


@dataclass(slots=True)
class Node:
    """One entry of the category tree: a key, a label, its papers and its unread count."""

    key: str
    label: str
    members: list[int] = field(default_factory=list)
    parent: str | None = None
    unread: int = 0


def day_key(date: str) -> str:
    return f"day:{date}"


def day_category_key(date: str, category: str) -> str:
    return f"day:{date}/cat:{category}"


def category_key(category: str) -> str:
    return f"cat:{category}"


def search_key(name: str) -> str:
    return f"search:{name}"


def _category_of(pair: tuple[str, int]) -> str:
    return pair[0]


class _Place:
    """What the tree takes from where a paper was listed (its appearances) and its own
    category: its categories, its (day, category) pairs, its days and its first day."""

    __slots__ = ("categories", "day_categories", "dates", "undated_sources", "first")

    def __init__(self, category: str, appearances: list) -> None:
        cats = list(dict.fromkeys(a.category for a in appearances if a.category))
        self.categories = cats if cats or not category else [category]
        self.day_categories = list(dict.fromkeys((a.date, a.category or category or "?")
                                                 for a in appearances if a.date))
        self.dates = {a.date for a in appearances if a.date}
        self.undated_sources = {a.source for a in appearances if not a.date}
        self.first = min(self.dates, default=None)
        """Paper.date of the papers listed here."""


class LibraryView:
    """Papers (newest day first) grouped into tree nodes, with read/star state mirrored
    from the store so counts can change the moment a paper is marked."""

    def __init__(self, papers: list[Paper]) -> None:
        self.papers = papers
        self.search_text: PreparedText | None = None
        """The papers' search text when it came with them (see loader.Loaded)."""
        self.index = {paper.id: i for i, paper in enumerate(papers)}
        self.done = [False] * len(papers)
        """Per paper: done with, that is read or dismissed as not interesting (what the unread
        counts count). Whether it was read or dismissed: `dismissed`."""
        self.dismissed: set[int] = set()
        self.starred_at: dict[int, str] = {}
        self.queue: list[int] = []
        """Starred papers in reading-queue order."""
        self.nodes: dict[str, Node] = {}
        self._paper_nodes: list[list[str]] = [[] for _ in papers]
        self._day_count = 0
        self._undated_digests = 0
        self._build()
        self.set_marks({})

    @property
    def days(self) -> list[str]:
        """Distinct days, newest first."""
        return [key[4:] for key, node in self.nodes.items() if key.startswith("day:") and node.parent is None]

    def _add(self, key: str, label: str, parent: str | None = None) -> Node:
        node = self.nodes.get(key)
        if node is None:
            node = self.nodes[key] = Node(key, label, parent=parent)
        return node

    def _build(self) -> None:
        for key in VIRTUAL_NODES:
            self._add(key, VIRTUAL_LABELS[key])
        self.nodes[ALL].members = list(range(len(self.papers)))
        # Papers listed in the same places (the same appearance objects: one per file and
        # section) and with the same own category share everything the tree takes from
        # them, which is then worked out once per place, not once per paper.
        places: dict[tuple, _Place] = {}
        by_paper: list[_Place] = []
        for paper in self.papers:
            apps = paper.appearances
            listed_at = (paper.category, *map(id, apps))
            place = places.get(listed_at)
            if place is None:
                place = places[listed_at] = _Place(paper.category, apps)
            by_paper.append(place)
        dated: set[str] = set()
        undated_sources: set[str] = set()
        first_seen: set[str] = set()
        for place in places.values():
            dated.update(place.dates)
            undated_sources.update(place.undated_sources)
            if place.first:
                first_seen.add(place.first)
        days = sorted(dated, reverse=True)
        self._day_count = len(days)
        self._undated_digests = len(undated_sources)
        """Digests with no date in their name or text: the header counts them, not days."""
        self.repeat_days = [d for d in days if d not in first_seen]
        """Days whose every paper appeared on an earlier day (the generator's weekend repeats)."""
        self.spans_years = len({day[:4] for day in first_seen}) > 1
        """The papers' first days fall in more than one year (the list then shows years)."""
        with_days = len(days) > 1
        if with_days:
            for date in days:
                self._add(day_key(date), f"{date} repeats" if date in self.repeat_days else date)
        day_cats: dict[str, list[tuple[str, int]]] = {}
        categories: dict[str, list[int]] = {}
        for i, place in enumerate(by_paper):
            for cat in place.categories:
                members = categories.get(cat)
                if members is None:
                    categories[cat] = [i]
                else:
                    members.append(i)
            if with_days:
                for date, cat in place.day_categories:
                    pairs = day_cats.get(date)
                    if pairs is None:
                        day_cats[date] = [(cat, i)]
                    else:
                        pairs.append((cat, i))
        if with_days:
            for date in days:
                day = self.nodes[day_key(date)]
                listed = day_cats.get(date, [])
                for cat, of_cat in groupby(sorted(listed, key=_category_of), _category_of):
                    self._add(day_category_key(date, cat), cat, parent=day.key).members.extend(
                        [member for _, member in of_cat])
                day.members = list(dict.fromkeys([member for _, member in listed]))
        for cat in sorted(categories):
            self._add(category_key(cat), cat).members = categories[cat]
        paper_nodes = self._paper_nodes
        for key, node in self.nodes.items():
            if key not in (FOR_YOU, UNREAD, STARRED):
                for i in node.members:
                    paper_nodes[i].append(key)

    def set_search_members(self, key: str, label: str, members: list[int]) -> None:
        """Add or refresh a saved search's node with the papers it matches now."""
        node = self.nodes.get(key)
        if node is not None:
            for i in node.members:
                self._paper_nodes[i].remove(key)
        else:
            node = self._add(key, label)
        node.members = list(members)
        for i in node.members:
            self._paper_nodes[i].append(key)
        node.unread = sum(1 for i in node.members if not self.done[i])

    def set_marks(self, marks: Mapping[str, Mark], queue: list[str] | None = None) -> None:
        """Replace the whole read/star state (after loading or a change elsewhere); `queue`
        is the reading queue's order (oldest star first when None)."""
        self.done = [False] * len(self.papers)
        self.starred_at = {}
        self.dismissed = set()
        for mark in marks.values():
            i = self.index.get(mark.id)
            if i is None:
                continue
            self.done[i] = mark.read or mark.dismissed
            if mark.dismissed:
                self.dismissed.add(i)
            if mark.starred_at:
                self.starred_at[i] = mark.starred_at
        # Counted from the papers done with (each knows its nodes), not from every node's
        # members: a start with few marks costs next to nothing.
        done_in: dict[str, int] = {}
        for i in compress(range(len(self.done)), self.done):
            for key in self._paper_nodes[i]:
                done_in[key] = done_in.get(key, 0) + 1
        for key, node in self.nodes.items():
            node.unread = len(node.members) - done_in.get(key, 0)
        self.nodes[UNREAD].unread = self.done.count(False)
        self.nodes[STARRED].unread = sum(1 for i in self.starred_at if not self.done[i])
        self.set_queue(queue)

    def set_queue(self, queue: list[str] | None) -> None:
        """The reading queue's order: the ids given first (those starred), then any other
        starred paper by the time of its star."""
        ordered = [self.index[pid] for pid in queue or () if self.index.get(pid) in self.starred_at]
        placed = set(ordered)
        rest = sorted((i for i in self.starred_at if i not in placed), key=lambda i: (self.starred_at[i], i))
        self.queue = ordered + rest

    def set_done(self, i: int, done: bool) -> list[str]:
        """Mirror whether one paper is done with; return the keys of the nodes whose counts changed."""
        if self.done[i] == done:
            return []
        self.done[i] = done
        step = -1 if done else 1
        changed = [UNREAD, *self._paper_nodes[i]]
        if i in self.starred_at:
            changed.append(STARRED)
        for key in changed:
            self.nodes[key].unread += step
        return changed

    def set_mark(self, i: int, mark: Mark) -> list[str]:
        """Mirror one paper's mark (read, dismissed, star); the keys whose counts changed."""
        if mark.dismissed:
            self.dismissed.add(i)
        else:
            self.dismissed.discard(i)
        return [*self.set_done(i, mark.read or mark.dismissed), *self.set_starred(i, mark.starred_at)]

    def set_starred(self, i: int, starred_at: str | None) -> list[str]:
        """Mirror one paper's star; return the keys whose counts changed."""
        was = i in self.starred_at
        if starred_at:
            self.starred_at[i] = starred_at
        else:
            self.starred_at.pop(i, None)
        if was != bool(starred_at):
            if not self.done[i]:
                self.nodes[STARRED].unread += 1 if starred_at else -1
            if starred_at:
                self.queue.append(i)
            else:
                self.queue.remove(i)
        return [STARRED]

    def counts(self, key: str) -> tuple[int, int]:
        """(unread, total) of a node."""
        node = self.nodes[key]
        if key == UNREAD:
            return node.unread, len(self.papers)
        if key == STARRED:
            return node.unread, len(self.starred_at)
        return node.unread, len(node.members)

    def papers_of(self, key: str) -> list[int]:
        """The papers a node lists now: Unread = neither read nor dismissed, Starred = the reading
        queue in its order."""
        if key == UNREAD:
            return [i for i, done in enumerate(self.done) if not done]
        if key == STARRED:
            return list(self.queue)
        node = self.nodes.get(key)
        return list(node.members) if node else []

    def browse_order(self) -> list[str]:
        """Nodes that n/p cross into when the current node has no more unread papers."""
        days = [k for k in self.nodes if k.startswith("day:") and "/" in k]
        return days or [k for k in self.nodes if k.startswith("cat:")]

    def summary(self, *, with_papers: bool = True) -> str:
        """One line for the header: unread, starred, papers and days, the least needed last
        (a narrow header cuts the end); without the number of papers when the header
        already shows a node's position."""
        if self._day_count:
            new_days = self._day_count - len(self.repeat_days)
            day_text = f"{new_days} day" + ("s" if new_days != 1 else "")
            if self.repeat_days:
                day_text += f" + {len(self.repeat_days)} of repeats"
            if self._undated_digests:
                day_text += f" · {self._undated_digests} undated"
        elif self._undated_digests:
            day_text = f"{self._undated_digests} digest" + ("s" if self._undated_digests != 1 else "") + ", undated"
        else:
            day_text = "no digests"
        papers = f"{len(self.papers)} papers · " if with_papers else ""
        return f"{self.nodes[UNREAD].unread} unread · {len(self.starred_at)} starred · {papers}{day_text}"
