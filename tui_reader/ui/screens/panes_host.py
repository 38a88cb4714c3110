"""PanesHost: what MainScreen's parts (panes shown, library shown, search, pane focus, reading
moves) use of the screen that owns them, so they name it without importing it (no circle, even
for the type checker)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..messages import ServiceHost

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import AwaitMount, Widget

    from ..dwell import DwellRule
    from ..services.for_you import ForYou
    from ..library_view import LibraryView
    from ..reader_host import Reader
    from ..state import ReaderState, ShownPaper
    from ..widgets.category_tree import CategoryTree
    from ..widgets.detail_pane import DetailPane
    from ..widgets.paper_list import PaperList

FoundWidget = TypeVar("FoundWidget", bound="Widget")


class PanesHost(ServiceHost, Protocol):
    """The panes' screen: its widgets, the reader's state, and the node and paper shown."""

    loading_done: bool
    """True once the whole library is shown (counts are final)."""
    for_you: ForYou
    dwell: DwellRule

    @property
    def app(self) -> App[object]: ...

    @property
    def is_active(self) -> bool:
        """The screen is in front."""

    @property
    def reader(self) -> Reader: ...

    @property
    def state(self) -> ReaderState: ...

    @property
    def view(self) -> LibraryView | None: ...

    @property
    def current_key(self) -> str | None: ...

    @property
    def category_tree(self) -> CategoryTree: ...

    @property
    def paper_list(self) -> PaperList: ...

    @property
    def detail(self) -> DetailPane: ...

    def current_paper(self) -> ShownPaper | None: ...

    def show_node(self, key: str, *, paper_id: str | None = None, index: int | None = None,
                  keep_rows: bool = False) -> None: ...


    def has_class(self, *class_names: str) -> bool: ...

    def set_class(self, add: bool, *class_names: str, update: bool = True) -> Any: ...

    def call_after_refresh(self, callback: Any, *args: Any, **kwargs: Any) -> bool: ...

    def call_later(self, callback: Any, *args: Any, **kwargs: Any) -> bool: ...

    def mount(self, *widgets: Widget, before: int | str | Widget | None = None,
              after: int | str | Widget | None = None) -> AwaitMount: ...

    def query_one(self, selector: str, expect_type: type[FoundWidget]) -> FoundWidget: ...
