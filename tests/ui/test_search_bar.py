"""The search line in a small harness app: typing filters, Enter keeps, Esc clears, scope, errors."""
from __future__ import annotations

import threading

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.search.query import SearchCancelled, SearchIndex
from tui_reader.core.state.store import Mark
from tui_reader.ui.widgets.search_bar import SearchBar


def make_papers() -> list[Paper]:
    rows = [
        ("2512.00001", "Video Diffusion at Scale", ["Dana Müller"], "cs.CV"),
        ("2512.00002", "Language Models Survey", ["Eve Smith"], "cs.CL"),
        ("2512.00003", "Diffusion Policies for Robots", ["Ana Muller"], "cs.RO"),
        ("2512.00004", "Graph Kernels", ["Kim Park"], "cs.LG"),
    ]
    return [Paper(id=i, title=t, authors=a, category=c, categories=[c],
                  appearances=[Appearance("d.md", "2025-12-25", c)]) for i, t, a, c in rows]


class Harness(App):
    """The search bar above a stand-in list that records what the bar says."""

    def __init__(self) -> None:
        super().__init__()
        self.papers = make_papers()
        self.events: list[SearchBar.ResultsChanged | SearchBar.Failed | SearchBar.Submitted
                          | SearchBar.Cleared] = []
        self.shown: list[int] = list(range(len(self.papers)))

    def compose(self) -> ComposeResult:
        yield SearchBar(SearchIndex(self.papers), id="search-bar")
        yield Static("list", id="paper-list")

    def on_mount(self) -> None:
        self.query_one("#paper-list").can_focus = True
        bar = self.query_one(SearchBar)
        bar.set_scope(None, [2, 3], "cs.RO + cs.LG")
        bar.set_marks({"2512.00003": Mark("2512.00003", read_at="2025-12-25T09:00:00+00:00")})

    def key_slash(self) -> None:
        self.query_one(SearchBar).open()

    def on_search_bar_results_changed(self, event: SearchBar.ResultsChanged) -> None:
        self.events.append(event)
        self.shown = event.indices

    def on_search_bar_failed(self, event: SearchBar.Failed) -> None:
        self.events.append(event)

    def on_search_bar_submitted(self, event: SearchBar.Submitted) -> None:
        self.events.append(event)
        self.query_one("#paper-list").focus()

    def on_search_bar_cleared(self, event: SearchBar.Cleared) -> None:
        self.events.append(event)
        self.shown = list(range(len(self.papers)))
        self.query_one("#paper-list").focus()


async def settle(app: Harness, pilot) -> None:
    """Let the debounce timer fire and the search worker deliver."""
    for _ in range(3):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
    await pilot.pause()


def status(app: Harness) -> str:
    return str(app.query_one("#search-status", Static).render())


async def test_bar_is_hidden_until_slash_and_then_has_focus():
    app = Harness()
    async with app.run_test() as pilot:
        bar = app.query_one(SearchBar)
        assert not bar.display
        await pilot.press("slash")
        assert bar.display
        assert app.focused is bar.query_one("#search-input")


async def test_typing_filters_and_shows_the_count():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"muller")
        await settle(app, pilot)
        assert app.shown == [0, 2]
        assert "2 matches" in status(app)
        last = app.events[-1]
        assert isinstance(last, SearchBar.ResultsChanged)
        assert last.query_text == "muller" and last.query.terms() == ["muller"]
        assert last.control is app.query_one(SearchBar)


async def test_results_use_the_marks_given():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"is:unread")
        await settle(app, pilot)
        assert app.shown == [0, 1, 3]


async def test_enter_keeps_the_filter_and_returns_focus():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"diffusion", "enter")
        await settle(app, pilot)
        assert app.shown == [0, 2]
        assert any(isinstance(e, SearchBar.Submitted) and e.query_text == "diffusion" for e in app.events)
        assert app.focused is app.query_one("#paper-list")
        bar = app.query_one(SearchBar)
        assert bar.display and bar.query_text == "diffusion"  # the active query stays visible


async def test_escape_clears_the_filter_and_hides_the_bar():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"graph")
        await settle(app, pilot)
        assert app.shown == [3]
        await pilot.press("escape")
        await settle(app, pilot)
        bar = app.query_one(SearchBar)
        assert isinstance(app.events[-1], SearchBar.Cleared)
        assert app.shown == [0, 1, 2, 3]
        assert not bar.display and bar.query_text == ""


async def test_scope_toggle_searches_only_the_node():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"diffusion")
        await settle(app, pilot)
        assert app.shown == [0, 2]
        assert "in library" in status(app)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.query_one(SearchBar).scope == "node"
        assert app.shown == [2]
        assert "in cs.RO + cs.LG" in status(app)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.shown == [0, 2]


async def test_bad_query_shows_message_and_column_and_keeps_the_list():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"graph")
        await settle(app, pilot)
        assert app.shown == [3]
        await pilot.press(*' "ker')
        await settle(app, pilot)
        assert app.shown == [3]
        failed = app.events[-1]
        assert isinstance(failed, SearchBar.Failed)
        assert failed.message == "unbalanced quote" and failed.position == 6
        assert "unbalanced quote at column 7" in status(app)
        assert app.query_one(SearchBar).has_class("-error")
        await pilot.press('"')
        await settle(app, pilot)
        assert app.shown == [3]
        assert "1 match" in status(app)
        assert not app.query_one(SearchBar).has_class("-error")


@pytest.mark.parametrize(("columns", "below"), [(160, False), (60, True)])
async def test_a_query_error_goes_beside_the_query_when_it_fits_so_the_list_stays_put(columns, below):
    """A wide line shows `nothing after "ti:"` where the count was: the list below keeps its
    place, and the next key (the error gone) lays nothing out again. A narrow one puts it
    under the query, wrapped, so that it is read whole."""
    app = Harness()
    async with app.run_test(size=(columns, 12)) as pilot:
        await pilot.press("slash", *"ti")
        await settle(app, pilot)
        list_row = app.query_one("#paper-list").region.y
        await pilot.press(":")
        await settle(app, pilot)
        bar = app.query_one(SearchBar)
        assert bar.has_class("-error") and 'nothing after "ti:"' in status(app)
        assert bar.has_class("-error-below") is below
        assert (app.query_one("#paper-list").region.y > list_row) is below
        await pilot.press("g")
        await settle(app, pilot)
        assert not bar.has_class("-error") and not bar.has_class("-error-below")
        assert app.query_one("#paper-list").region.y == list_row


async def test_empty_query_shows_every_paper_in_scope():
    app = Harness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"graph")
        await settle(app, pilot)
        await pilot.press(*["backspace"] * 5)
        await settle(app, pilot)
        assert app.shown == [0, 1, 2, 3]


async def test_an_index_built_from_papers_in_a_worker_answers_searches():
    app = Harness()
    async with app.run_test() as pilot:
        bar = app.query_one(SearchBar)
        bar.set_papers(app.papers[:3])  # a reloaded library, indexed off the UI thread
        await pilot.press("slash", *"diffusion")
        await settle(app, pilot)
        assert app.shown == [0, 2]
        assert "2 matches" in status(app)


class GatedPapers(list):
    """Papers whose indexing waits for a gate, as a big library's would take seconds."""

    def __init__(self, papers) -> None:
        super().__init__(papers)
        self.gate = threading.Event()

    def __iter__(self):
        self.gate.wait(5)
        return super().__iter__()


async def test_typing_while_the_index_is_built_says_indexing_then_gives_results():
    app = Harness()
    async with app.run_test() as pilot:
        papers = GatedPapers(app.papers)
        app.query_one(SearchBar).set_papers(papers)
        await pilot.press("slash", *"diffusion")
        await pilot.pause(0.15)
        assert "indexing" in status(app)
        assert not any(isinstance(e, SearchBar.ResultsChanged) for e in app.events)
        papers.gate.set()
        await settle(app, pilot)
        assert app.shown == [0, 2]
        assert "2 matches" in status(app)


async def test_closed_bar_reports_nothing_when_the_library_changes():
    app = Harness()
    async with app.run_test() as pilot:
        app.query_one(SearchBar).set_papers(app.papers)
        await settle(app, pilot)
        assert app.events == []


class BrokenIndex(SearchIndex):
    def search(self, query, marks, subset=None, **options):
        raise RuntimeError("disk on fire\nsecond line")


async def test_a_failing_search_says_so_in_one_line_and_keeps_the_list():
    app = Harness()
    async with app.run_test() as pilot:
        app.query_one(SearchBar).set_index(BrokenIndex(app.papers))
        await pilot.press("slash", *"graph")
        await settle(app, pilot)
        assert app.shown == [0, 1, 2, 3]
        assert "search failed: RuntimeError: disk on fire" in status(app)
        assert "second line" not in status(app)


def slow_until(event: threading.Event, stop) -> None:
    """A search that takes until `event` is set, giving up as a real one does when `stop` says so."""
    while not event.wait(0.002):
        if stop is not None and stop():
            raise SearchCancelled


class GatedIndex(SearchIndex):
    """A SearchIndex whose whole (remembered) searches wait for `gate`: the test sees the
    partial result first, however fast this machine is."""

    def __init__(self, papers) -> None:
        super().__init__(papers)
        self.gate = threading.Event()

    def search(self, query, marks, subset=None, *, stop=None, remember=True):
        if remember:
            slow_until(self.gate, stop)
        return super().search(query, marks, subset, stop=stop, remember=remember)


class LargeHarness(Harness):
    """The bar over a library large enough to be searched in stages (see search_in_stages)."""

    index_class: type[SearchIndex] = GatedIndex

    def __init__(self) -> None:
        super().__init__()
        from tui_reader.core.search.query import PREVIEW_STAGES

        count = 2 * PREVIEW_STAGES[-1] + 1
        self.papers = [Paper(id=f"2501.{n:05d}", title="Kernel Methods" if n % 3 == 0 else "Graph Nets",
                             authors=["Ana Author"], category="cs.LG", categories=["cs.LG"],
                             appearances=[Appearance("d.md", "2025-01-06", "cs.LG")]) for n in range(count)]
        self.shown = list(range(count))
        self.index = self.index_class(self.papers)

    def compose(self) -> ComposeResult:
        yield SearchBar(self.index, id="search-bar")
        yield Static("list", id="paper-list")

    def on_mount(self) -> None:
        self.query_one("#paper-list").can_focus = True


async def test_a_large_library_shows_the_top_rows_first_then_every_match():
    app = LargeHarness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"kernel")
        for _ in range(100):  # the whole search waits on the gate; the first rows must not
            await pilot.pause(0.02)
            if app.events:
                break
        expected = list(range(0, len(app.papers), 3))
        first = app.events[-1]
        assert isinstance(first, SearchBar.ResultsChanged) and not first.complete
        assert 0 < len(first.indices) < len(expected) and first.indices == expected[:len(first.indices)]
        assert app.shown == first.indices
        assert f"{len(first.indices):,}+ matches, searching" in status(app)
        assert isinstance(app.index, GatedIndex)
        app.index.gate.set()
        await settle(app, pilot)
        last = app.events[-1]
        assert isinstance(last, SearchBar.ResultsChanged)
        assert last.complete and last.indices == expected == app.shown
        assert f"{len(expected):,} matches" in status(app)


class SlowFirstIndex(SearchIndex):
    """Holds the whole-library search for "gra" (the part a thread does) until released,
    as a slow search on a big library would."""

    def __init__(self, papers) -> None:
        super().__init__(papers)
        self.release = threading.Event()

    def search(self, query, marks, subset=None, *, stop=None, remember=True):
        if query.text == "gra" and remember:
            slow_until(self.release, stop)
        return super().search(query, marks, subset, stop=stop, remember=remember)


class SlowFirstHarness(LargeHarness):
    index_class = SlowFirstIndex


async def test_a_slow_older_search_never_overwrites_newer_results():
    app = SlowFirstHarness()
    async with app.run_test() as pilot:
        await pilot.press("slash", *"gra")
        await pilot.pause(0.15)  # the whole "gra" search has started in its thread and is stuck
        await pilot.press(*"ph -kernel")
        await settle(app, pilot)
        assert isinstance(app.index, SlowFirstIndex)
        app.index.release.set()
        await settle(app, pilot)
        delivered = [(e.query_text, e.complete) for e in app.events if isinstance(e, SearchBar.ResultsChanged)]
        assert ("gra", False) in delivered  # its first rows came at once
        assert ("gra", True) not in delivered
        assert delivered[-1] == ("graph -kernel", True)
        assert app.shown == [i for i in range(len(app.papers)) if i % 3]


async def test_an_empty_date_today_names_the_librarys_newest_day():
    app = Harness()  # its papers appeared on 2025-12-25, long before any run of this test
    async with app.run_test() as pilot:
        await pilot.press("slash", *"date:today")
        await settle(app, pilot)
        assert app.shown == []
        assert "0 matches (the library's newest day is 2025-12-25: date:newest)" in status(app)
        await pilot.press("ctrl+u", *"date:newest")
        await settle(app, pilot)
        assert app.shown == [0, 1, 2, 3]
        assert "newest day is" not in status(app)
