"""CategoryTree: the left pane of virtual nodes, days and categories with unread/total counts."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from textual.message import Message

from .steady_scrollbars import SteadyScrollbars
from ..keys import PANE, bindings
from ..library_view import ALL, STARRED, UNREAD, VIRTUAL_NODES, LibraryView


def count_label(unread: int, total: int) -> str:
    """A node's counts as nobody misreads them, short enough for an 80-column tree:
    ` 12 new/63`, ` 63 new` when none is read, ` 63` when all are; the Unread node shows
    its one number."""
    if not unread:
        return f" {total}"
    return f" {unread} new" if unread == total else f" {unread} new/{total}"


WIDE_TREE_FROM = 140
"""The width from which the tree may be 36 cells wide (styles/reader.tcss: Screen.-wide)."""
MIN_LABEL_ROOM = 10


def short_day(label: str, one_year: bool) -> str:
    """`2025-06-07 repeats` -> `06-07 rep` when every day is in one year (else `2025-06-07 rep`)."""
    date, _, rest = label.partition(" ")
    if one_year and len(date) == 10 and date[4] == "-":
        date = date[5:]
    return date + (" rep" if rest == "repeats" else f" {rest}" if rest else "")


def fit_name(name: str, room: int) -> str:
    """A node name cut to `room` cells with an ellipsis (a count after it is never cut)."""
    if cell_len(name) <= room:
        return name
    text = Text(name)
    text.truncate(max(1, room), overflow="ellipsis")
    return text.plain


class CategoryTree(SteadyScrollbars, Tree[str], inherit_bindings=False):
    """Tree of node keys (see ui/library_view.py). It owns its movement keys and posts
    NodeOpened for Enter on a node; labels are rich Text built from data,
    so a category name is never read as markup."""

    BINDINGS = bindings(PANE, footer=("open",))

    DEFAULT_CSS = """
    CategoryTree { background: $surface; }
    CategoryTree > .tree--cursor { background: $block-cursor-blurred-background; }
    CategoryTree:focus > .tree--cursor { background: $block-cursor-background; color: auto 100%; text-style: bold; }
    CategoryTree:nocolor > .tree--cursor { text-style: underline; }
    CategoryTree:nocolor:focus > .tree--cursor { text-style: reverse; }
    """

    class NodeOpened(Message):
        """Enter on a node: the screen moves on to its papers."""

        def __init__(self, tree: CategoryTree, key: str) -> None:
            super().__init__()
            self.tree = tree
            self.key = key

        @property
        def control(self) -> CategoryTree:
            return self.tree

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Library"), data="", id=id)  # a str label is read as markup: 5 ms of emoji table
        self.show_root = False
        self.guide_depth = 2
        self.view: LibraryView | None = None
        self._years: set[str] | None = None
        self._room_labelled = -1
        self._widest_label = 0
        """The widest label set by refresh_counts so far (cells, with its guide)."""
        self.count_text: Callable[[str], str | None] = lambda key: None
        """A node's counts said otherwise (For you: `…` while ranking, `23 today`); None: the usual."""
        self._nodes_by_key: dict[str, TreeNode[str]] = {}
        self._children: dict[str, list[str]] = {}
        """Day key -> its category keys, added to the tree when the day is first opened
        (a year holds ~1,800 of them; building them all would delay the first screen)."""

    def load(self, view: LibraryView) -> None:
        """Build the tree for a library (saved searches come later: add_searches)."""
        self.view = view
        self._years = None
        self.clear()
        self._nodes_by_key = {}
        for key in VIRTUAL_NODES:
            self._nodes_by_key[key] = self.root.add_leaf(self._label(key), data=key)
        children: dict[str, list[str]] = {}
        days = []
        for key, node in view.nodes.items():
            if node.parent is not None:
                children.setdefault(node.parent, []).append(key)
            elif key.startswith("day:"):
                days.append(key)
        self._children = children
        for day in days:
            self._nodes_by_key[day] = self.root.add(self._label(day), data=day, allow_expand=day in children)
        if days:
            self._add_day_children(days[0])
            self._nodes_by_key[days[0]].expand()
        for key in view.nodes:
            if key.startswith("cat:"):
                self._nodes_by_key[key] = self.root.add_leaf(self._label(key), data=key)

    def _add_day_children(self, day: str) -> None:
        """Put a day's category nodes in the tree (once)."""
        parent = self._nodes_by_key.get(day)
        if parent is None:
            return
        for key in self._children.pop(day, ()):
            self._nodes_by_key[key] = parent.add_leaf(self._label(key), data=key)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        if event.node.data in self._children:
            self._add_day_children(event.node.data)

    def add_searches(self, keys: list[str]) -> None:
        """Show saved-search nodes (already in the view) after the virtual nodes."""
        anchor = self._nodes_by_key.get(ALL)
        for key in keys:
            if key in self._nodes_by_key:
                self._nodes_by_key[key].set_label(self._label(key))
                continue
            node = self.root.add(self._label(key), data=key, after=anchor, allow_expand=False)
            self._nodes_by_key[key] = anchor = node

    def _label(self, key: str) -> Text:
        assert self.view is not None
        node = self.view.nodes.get(key)
        if node is None:
            return Text(key)
        unread, total = self.view.counts(key)
        name = {UNREAD: "Unread", STARRED: "Starred", ALL: "All"}.get(key, node.label)
        if key.startswith("day:"):
            name = short_day(name, self._one_year())
        name = ("⌕ " if key.startswith("search:") else "") + name
        special = self.count_text(key)
        if special is not None:
            count = special
        else:
            count = f" {unread}" if key == UNREAD else count_label(unread, total)
        room = self._label_room() - (self.guide_depth if node.parent is not None else 0)
        if cell_len(name + count) > room:  # the name gives way, never the count
            count = count.replace(" new/", "/") if " new/" in count else count
            name = fit_name(name, room - cell_len(count))
        label = Text(name, style="bold" if unread else "")
        label.append(count, style="dim")
        return label

    def _one_year(self) -> bool:
        """Every day of the library is in one year (day labels can leave the year out)."""
        assert self.view is not None
        if self._years is None:
            self._years = {key[4:8] for key in self.view.nodes if key.startswith("day:")}
        return len(self._years) <= 1

    def _label_room(self) -> int:
        """Cells a label may take: the tree's widest (30% of the screen, 36 when wide) less
        its border and its scrollbar, so neither covers a count."""
        width = self.app.size.width if self.is_attached else 0
        widest = 36 if width >= WIDE_TREE_FROM else int(width * 0.3)
        return max(MIN_LABEL_ROOM, widest - 2)

    def on_resize(self) -> None:
        room = self._label_room()
        if room != self._room_labelled and self.view is not None:
            self._room_labelled = room
            self.refresh_counts()

    def refresh_counts(self, keys: Iterable[str] | None = None) -> None:
        """Redraw the labels of `keys` (all nodes when None). A label wider than any before
        (For you's `6 new` after its `0`) lays the tree out again, so its auto width grows
        instead of cutting the count; narrower ones repaint only."""
        widest = self._widest_label
        for key in self._nodes_by_key if keys is None else keys:
            tree_node = self._nodes_by_key.get(key)
            if tree_node is not None:
                label = self._label(key)
                tree_node.set_label(label)
                widest = max(widest, label.cell_len + (self.guide_depth if tree_node.parent is not self.root else 0))
        if widest > self._widest_label:
            self._widest_label = widest
            self._invalidate()  # Tree.set_label repaints the line but keeps the old width
            self.refresh(layout=True)

    def label_text(self, key: str) -> str:
        """The plain label of a node as shown (for tests)."""
        node = self._nodes_by_key.get(key)
        return str(node.label) if node is not None else ""

    @property
    def selected_key(self) -> str | None:
        """Key of the node under the cursor."""
        node = self.cursor_node
        return node.data if node is not None else None

    def select_key(self, key: str) -> bool:
        """Move the cursor to a node (opening its day); False if there is no such node."""
        if key not in self._nodes_by_key and self.view is not None and key in self.view.nodes:
            parent = self.view.nodes[key].parent
            if parent in self._children:
                self._add_day_children(parent)
        node = self._nodes_by_key.get(key)
        if node is None:
            return False
        if node.parent is not None and node.parent is not self.root:
            node.parent.expand()
        self._refresh_node_lines()
        self.move_cursor(node, animate=False)
        return True

    def _refresh_node_lines(self) -> None:
        # Tree numbers its lines lazily; a node's line is only known once they are built.
        _ = self._tree_lines

    # -- keys ---------------------------------------------------------------------------
    def action_first(self) -> None:
        self.action_scroll_home()

    def action_last(self) -> None:
        self.action_scroll_end()

    def action_open(self) -> None:
        """Enter opens the node: a closed day shows its categories, and the screen moves on to
        the node's papers (Space, not Enter, closes a day again)."""
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            self.toggle_current()
        if self.selected_key:
            self.post_message(self.NodeOpened(self, self.selected_key))

    def toggle_current(self) -> bool:
        """Open or close the node under the cursor; False when it has no children."""
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return False
        if node.data in self._children:
            self._add_day_children(node.data)
        node.toggle()
        return True
