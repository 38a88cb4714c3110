"""The New node: the papers that arrived while the reader ran (a pull with P, or one made by
another process and picked up by the library watch), so a morning's pull is one key away."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .library_view import LibraryView
    from .widgets.category_tree import CategoryTree

NEW = "new"
"""The New node's key (listed after All, like a saved search)."""


def show_new_node(view: LibraryView, tree: CategoryTree, arrived_ids: Iterable[str]) -> bool:
    """Give the view and the tree a New node listing the arrived papers (newest day first, as
    All lists them); False, and no node, when nothing has arrived."""
    members = sorted(view.index[paper_id] for paper_id in set(arrived_ids) if paper_id in view.index)
    if not members:
        return False
    view.set_search_members(NEW, "New", members)
    tree.add_searches([NEW])
    return True
