"""ReaderState without Textual: marks mirrored one by one agree with the marks read whole,
what each change reports, the version counters caches key on, and the listing's rules."""
from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.state.store import Store
from tui_reader.ui.library_view import ALL, FOR_YOU, STARRED, UNREAD, LibraryView
from tui_reader.ui.reading import Reading
from tui_reader.ui.state import ReaderState

DAYS = ("2025-01-03", "2025-01-04")
CATEGORIES = ("cs.CV", "cs.LG", "cs.CL")


def library(count: int = 9) -> list[Paper]:
    """Papers over two days and three categories, some listed on both days."""
    papers = []
    for n in range(count):
        dates = DAYS if n % 4 == 0 else (DAYS[n % 2],)
        category = CATEGORIES[n % 3]
        papers.append(Paper(id=f"2501.{n:05d}", title=f"Paper {chr(ord('z') - n)}", category=category,
                            appearances=[Appearance(f"{d}.md", d, category) for d in dates]))
    return papers


def fresh_state(papers: list[Paper] | None = None) -> ReaderState:
    state = ReaderState(Reading(Store.in_memory()))
    state.replace_library(LibraryView(papers or library()))
    return state


def counts(view: LibraryView) -> dict[str, tuple[int, int]]:
    return {key: view.counts(key) for key in view.nodes}


ACTIONS = st.lists(st.tuples(st.sampled_from(["read", "unread", "star", "dismiss"]), st.integers(0, 8)),
                   max_size=25)


@settings(max_examples=60, deadline=None)
@given(actions=ACTIONS)
def test_marks_mirrored_one_change_at_a_time_agree_with_the_marks_read_whole(actions):
    state = fresh_state()
    view = state.view
    assert view is not None
    for action, index in actions:
        shown = state.paper(index)
        assert shown is not None
        if action == "read":
            saved = state.set_read([index], True)
        elif action == "unread":
            saved = state.set_read([index], False)
        elif action == "star":
            saved = state.toggle_star(shown)
        else:
            saved = state.toggle_dismissed(shown)
        changed = state.marks_saved(saved)
        assert changed.marks and changed.counts is not None
    mirrored = counts(view), list(view.done), set(view.dismissed), dict(view.starred_at), list(view.queue)
    again = LibraryView(view.papers)
    again.set_marks(state.marks, state.queue_order())
    assert mirrored == (counts(again), list(again.done), set(again.dismissed), dict(again.starred_at),
                        list(again.queue))


def test_done_means_read_or_dismissed_and_dismissed_says_which():
    state = fresh_state()
    view = state.view
    assert view is not None
    state.marks_saved(state.set_read([0], True))
    state.marks_saved(state.toggle_dismissed(state.paper(1)))
    assert view.done[0] and view.done[1] and not view.done[2]
    assert view.dismissed == {1}
    assert state.mark(view.papers[0].id).read and not state.mark(view.papers[1].id).read
    assert view.counts(UNREAD) == (len(view.papers) - 2, len(view.papers))


def test_each_change_moves_the_version_a_cache_keys_on():
    state = fresh_state()
    seen = [state.versions]
    state.marks_saved(state.set_read([2], True))
    seen.append(state.versions)
    state.set_scores([3, 1], [0.9, 0.2])
    seen.append(state.versions)
    state.set_found({4: "a rule"}, {5})
    seen.append(state.versions)
    state.replace_library(LibraryView(library()))
    seen.append(state.versions)
    assert len(set(seen)) == len(seen)
    assert seen == sorted(seen, key=sum)  # counters only grow


def test_replacing_the_library_forgets_what_was_found_in_the_old_one_and_keeps_the_marks():
    state = fresh_state()
    state.marks_saved(state.set_read([0], True))
    state.set_scores([3, 1], [0.9, 0.2])
    state.set_found({4: "a rule"}, {5})
    bigger = library(12)
    changed = state.replace_library(LibraryView(bigger))
    assert changed.library and changed.counts is None and changed.listing
    assert state.scores == {} and state.hidden == {} and state.watched == set()
    assert state.view is not None and state.view.done[0] and not any(state.view.done[1:])


def test_the_listing_hides_done_and_hidden_papers_and_sorts_by_title():
    state = fresh_state()
    state.marks_saved(state.set_read([0, 1], True))
    state.set_found({2: "no optimisers"}, set())
    assert state.rows_of(ALL) == [0, 1, *range(3, 9)]
    assert state.toggle_show_hidden().listing
    assert state.rows_of(ALL) == list(range(9))
    state.toggle_show_hidden()
    assert state.toggle_hide_read().listing
    assert state.rows_of(ALL) == list(range(3, 9))
    state.toggle_hide_read()
    while state.listing.sort != "title":
        state.next_sort()
    view = state.view
    assert view is not None
    titles = [view.papers[i].title for i in state.rows_of(ALL)]
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 8


def test_scores_list_the_for_you_node_and_report_a_relisting_only_there():
    state = fresh_state()
    state.listing.node = ALL
    changed = state.set_scores([5, 2, 7], [0.8, 0.5, 0.1])
    assert changed.scores and changed.counts == {FOR_YOU} and not changed.listing
    assert state.rows_of(FOR_YOU) == [5, 2, 7] and state.score(2) == 0.5 and state.score(0) is None
    state.listing.node = FOR_YOU
    assert state.set_scores([2, 5], [0.7, 0.6]).listing


def test_a_star_lands_in_the_queue_and_a_reload_relists_the_starred_node():
    state = fresh_state()
    for index in (4, 1):
        state.marks_saved(state.toggle_star(state.paper(index)))
    assert state.rows_of(STARRED) == [4, 1]
    state.listing.node = STARRED
    state.reading.load()
    changed = state.marks_reloaded()
    assert changed.counts is None and changed.listing and state.rows_of(STARRED) == [4, 1]


def test_the_state_module_does_not_import_textual_or_rich():
    code = ("import sys, tui_reader.ui.state, tui_reader.ui.library_view, tui_reader.ui.reading;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_n_finds_the_next_unread_row_then_the_next_node_with_unread_papers():
    state = fresh_state()
    view = state.view
    assert view is not None
    order = view.browse_order()
    at = next(i for i, key in enumerate(order[:-1]) if len(state.rows_of(key)) >= 3)
    first, second = order[at], order[at + 1]
    state.listing.node = first
    rows = state.rows_of(first)
    state.marks_saved(state.set_read(rows[1:2], True))
    assert state.next_unread(rows, 0, 1) == (None, 2)  # the read row is skipped
    state.marks_saved(state.set_read(rows[2:], True))
    key, paper = state.next_unread(rows, 0, 1) or (None, None)
    assert key == second and paper == state.not_done(state.rows_of(second))[0]
    for key in order[:at]:  # nothing unread before it: p from its first row finds nothing
        state.marks_saved(state.set_read(state.rows_of(key), True))
    assert state.next_unread(rows, 0, -1) is None


def test_the_header_line_names_the_node_and_the_position_or_the_queue():
    state = fresh_state()
    state.listing.node = ALL
    assert state.header_line(9, 2, "").startswith("All 3/9 · 9 unread · 0 starred · ")
    state.listing.node = STARRED
    assert state.header_line(2, 0, "").startswith("queue 1/2 · ")
    state.listing.node = FOR_YOU
    assert state.header_line(4, 0, "3 today").startswith("For you 1/4 · 3 today · ")
    assert "papers" in state.header_line(0, 0, "")  # an empty list: the summary counts papers
