"""search_in_stages: the top of a large result first, each partial result the head of the whole."""
from __future__ import annotations

import time

import pytest

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.search import query as query_module
from tui_reader.core.search.query import (
    PREVIEW_STAGES, WITHIN_BUDGET_BYTES, SearchCancelled, SearchIndex, parse_query, search_in_stages,
)

WORDS = ("kernel", "graph", "diffusion", "robust", "sparse", "agent", "policy")


def many_papers(count: int) -> list[Paper]:
    """Papers whose titles mix WORDS by index, so every query below has a known answer."""
    papers = []
    for n in range(count):
        words = [w for k, w in enumerate(WORDS) if n % (k + 2) == 0] or ["plain"]
        title = " ".join(words) + (" zebra" if n % 997 == 5 else "") + (" otter" if n % 100 == 7 else "")
        papers.append(Paper(id=f"2501.{n:05d}", title=title.title(), authors=["Ana Author"],
                            category="cs.LG", categories=["cs.LG"],
                            appearances=[Appearance("d.md", "2025-01-06", "cs.LG")]))
    return papers


LARGE = 2 * PREVIEW_STAGES[-1] + 1


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(many_papers(LARGE))


def reference(index: SearchIndex, text: str, scope) -> list[int]:
    query = parse_query(text)
    return [i for i in scope if query.matches(index.papers[i], None)]


@pytest.mark.parametrize("text", ["kernel", "graph sparse", "zebra", "-robust agent", "nothingatall"])
@pytest.mark.parametrize("order", ["library", "reversed node"])
def test_partial_results_are_heads_of_the_complete_one(index, text, order):
    subset = None if order == "library" else list(range(index.size - 1, -1, -2))
    scope = range(index.size) if subset is None else subset
    stages = list(search_in_stages(index, parse_query(text), {}, subset, enough=50))
    *partial, (whole, complete) = stages
    assert complete and whole == reference(index, text, scope)
    assert partial, "a scope this large is searched in stages"
    for found, done in partial:
        assert not done
        assert found == whole[:len(found)]


def test_stages_go_on_until_one_finds_enough_unless_a_screen_needs_the_whole_search(index):
    stages = list(search_in_stages(index, parse_query("kernel"), {}, enough=50))
    assert [len(found) for found, _ in stages[:-1]] == [1000]  # half the papers: stage one is enough
    sparse = list(search_in_stages(index, parse_query("otter"), {}, enough=50))
    assert [len(found) for found, _ in sparse[:-1]] == [20, 40, 80]  # one in a hundred: 8,000 papers
    rare = list(search_in_stages(index, parse_query("zebra"), {}, enough=50))
    assert [done for _, done in rare] == [False, True]  # ~32 in all: no stage could fill a screen
    for found, done in (stages[-1], sparse[-1], rare[-1]):
        assert done


def test_a_small_scope_is_searched_at_once(index):
    subset = list(range(PREVIEW_STAGES[0]))
    stages = list(search_in_stages(index, parse_query("graph"), {}, subset))
    assert len(stages) == 1 and stages[0][1]
    assert stages[0][0] == reference(index, "graph", subset)


def test_previews_do_not_disturb_the_next_keystroke(index):
    """Typing on, prefix by prefix, gives the same answers with previews in between as without."""
    plain = SearchIndex(index.papers)
    for end in range(1, len("diffusion") + 1):
        text = "diffusion"[:end]
        *_, (staged, _) = search_in_stages(index, parse_query(text), {})
        assert staged == plain.search(parse_query(text), {})


def test_a_whole_search_within_the_budget_comes_at_once_and_an_overrun_in_stages(monkeypatch):
    monkeypatch.setattr(query_module, "WITHIN_BUDGET_BYTES", 10**12)  # tried, however much text
    fresh = SearchIndex(many_papers(LARGE))
    expected = reference(fresh, "graph", range(fresh.size))
    overrun = list(search_in_stages(fresh, parse_query("graph"), {}, budget=1e-9))
    assert [done for _, done in overrun] == [False, True]  # nothing kept yet: the scan overran
    assert overrun[-1][0] == expected
    at_once = list(search_in_stages(fresh, parse_query("graph"), {}, budget=60.0))
    assert at_once == [(expected, True)]


def test_a_search_stopped_by_its_caller_during_the_budget_is_not_staged(index):
    with pytest.raises(SearchCancelled):
        list(search_in_stages(SearchIndex(index.papers), parse_query("sparse"), {}, stop=lambda: True, budget=60.0))


class SlowFirstWhole(SearchIndex):
    """The first whole search overruns any budget (it sleeps past it); later ones are quick,
    as a search is once the first try has scanned and kept most of the text."""

    def __init__(self, papers) -> None:
        super().__init__(papers)
        self.whole_tries = 0

    def search(self, query, marks, subset=None, *, stop=None, remember=True):
        if remember:
            self.whole_tries += 1
            if self.whole_tries == 1:
                time.sleep(0.05)
                if stop is not None and stop():
                    raise SearchCancelled
        return super().search(query, marks, subset, stop=stop, remember=remember)


def test_a_whole_search_that_overran_is_tried_again_after_the_first_rows(index, monkeypatch):
    monkeypatch.setattr(query_module, "WITHIN_BUDGET_BYTES", 10**12)
    slow = SlowFirstWhole(index.papers)
    stages = list(search_in_stages(slow, parse_query("zebra"), {}, enough=50, budget=0.01))
    assert [done for _, done in stages] == [False, True]  # no later stage was needed
    assert stages[-1][0] == reference(index, "zebra", range(index.size))
    assert slow.whole_tries == 2


def test_a_term_to_look_for_in_every_paper_is_not_tried_within_the_budget_but_a_narrowed_one_is(index):
    """The first key of a word looks through every paper's text, which cannot end within a
    frame's budget at this size: its first rows come from the first stage at once. A key
    whose term a kept one narrows to few papers is tried whole, and comes complete at once."""
    slow = SlowFirstWhole(index.papers)
    assert slow.bytes_to_scan(parse_query("zebr")) > WITHIN_BUDGET_BYTES
    stages = list(search_in_stages(slow, parse_query("zebr"), {}, enough=50, budget=60.0))
    assert [done for _, done in stages] == [False, True]  # a stage's rows, then the whole
    assert stages[-1][0] == reference(index, "zebr", range(index.size))
    assert slow.whole_tries == 1  # only the whole search after the first rows
    assert slow.bytes_to_scan(parse_query("zebra")) < WITHIN_BUDGET_BYTES  # "zebr" kept narrows it
    assert list(search_in_stages(slow, parse_query("zebra"), {}, enough=50, budget=60.0)) == [
        (reference(index, "zebra", range(index.size)), True)]
    assert slow.bytes_to_scan(parse_query("zebra")) == 0  # known
    among_zebras = slow.bytes_to_scan(parse_query("zebra graph"))
    assert 0 < among_zebras == slow.bytes_to_scan(parse_query("zebra otter"))  # each among zebra's papers only
    assert slow.bytes_to_scan(parse_query("otter")) > among_zebras * 100


def test_terms_kept_among_the_papers_of_the_terms_before_them_count_as_known():
    """`graph sparse`: sparse is kept as found among graph's papers; typing on (`-x`) must
    not count sparse as text still to look through."""
    fresh = SearchIndex(many_papers(LARGE))
    fresh.search(parse_query("graph sparse"), {})
    assert fresh.bytes_to_scan(parse_query("graph sparse")) == 0
    assert fresh.bytes_to_scan(parse_query("graph sparse -x")) < fresh.bytes_to_scan(parse_query("graph -x sparsely"))
