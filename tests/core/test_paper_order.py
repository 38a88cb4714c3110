"""Ordering papers by code stars and by importance, where the digest has them."""
from __future__ import annotations

from pathlib import Path

import pytest

from tui_reader.core.library.load import load_library
from tui_reader.core.model import Paper
from tui_reader.core.library.order import sort_papers

FIELDS = Path(__file__).parent.parent / "fixtures" / "formats" / "fields"


def test_stars_first_by_count_then_papers_without_code_in_listed_order():
    papers = load_library([FIELDS]).sorted_papers()
    ordered = sort_papers(papers, "stars")
    assert [p.id for p in ordered[:2]] == ["2512.30001", "2512.30002"]  # 1,234 then 87 stars
    assert [p.id for p in ordered[2:]] == [p.id for p in papers if p.code_stars is None]


def test_importance_highest_first_and_ties_keep_their_order():
    papers = [Paper(id=f"2601.0000{n}", title="t", importance=v) for n, v in enumerate([3, None, 8, 3, 9.5])]
    assert [p.id for p in sort_papers(papers, "importance")] == [
        "2601.00004", "2601.00002", "2601.00000", "2601.00003", "2601.00001"]
    assert sort_papers(papers, "listed") == papers


def test_an_unknown_order_is_refused():
    with pytest.raises(ValueError):
        sort_papers([], "citations")


from hypothesis import given, strategies as st  # noqa: E402

from tui_reader.core.model import Appearance  # noqa: E402

_DATES = st.one_of(st.none(), st.just(""), st.dates().map(str), st.text(max_size=12))


@given(st.lists(_DATES, max_size=6))
def test_a_papers_date_is_the_first_of_its_sorted_distinct_dates(dates):
    paper = Paper(id="2601.00001", title="t", appearances=[Appearance(f"f{n}", d, "cs.CL") for n, d in enumerate(dates)])
    spelt_out = sorted({a.date for a in paper.appearances if a.date})
    assert paper.dates == spelt_out
    assert paper.date == (spelt_out[0] if spelt_out else None)


_MERGED = ("title", "category", "url", "tldr", "motivation", "method", "result", "conclusion", "abstract",
           "comment", "pdf", "code_url", "code_last_update", "task")
_TEXT = st.one_of(st.just(""), st.sampled_from(["a", "b", "Title"]))


@given(st.dictionaries(st.sampled_from(_MERGED), _TEXT), st.dictionaries(st.sampled_from(_MERGED), _TEXT))
def test_merging_fills_each_empty_text_from_the_other_record_and_keeps_the_rest(mine, theirs):
    paper = Paper(**{"id": "2601.00001", "title": "", **mine})
    paper.merge(Paper(**{"id": "2601.00001", "title": "", **theirs}))
    for name in _MERGED:
        have, offered = mine.get(name, ""), theirs.get(name, "")
        assert getattr(paper, name) == (have or offered)
