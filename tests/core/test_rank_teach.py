"""Teaching papers: undecided; the likeliest, then spread across categories, the most uncertain first."""
from __future__ import annotations

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.rank.teach import teaching_papers
from tui_reader.core.state.store import Mark


def paper(n: int, category: str, day: str = "2025-12-25") -> Paper:
    return Paper(id=f"2512.{n:05d}", title=f"Paper {n}", authors=["A. Author"], category=category,
                 categories=[category], appearances=[Appearance("d.md", day, category)])


def library() -> list[Paper]:
    # 12 cs.CV, 6 cs.CL, 2 math.AG papers on one day, and 5 older cs.CV ones.
    papers = [paper(i, "cs.CV") for i in range(12)] + [paper(100 + i, "cs.CL") for i in range(6)]
    papers += [paper(200 + i, "math.AG") for i in range(2)]
    papers += [paper(300 + i, "cs.CV", "2025-11-01") for i in range(5)]
    return papers


def test_every_category_is_offered_before_any_is_offered_twice():
    papers = library()
    chosen = teaching_papers(papers, {}, count=6)
    categories = [papers[i].category for i in chosen]
    assert set(categories[:3]) == {"cs.CV", "cs.CL", "math.AG"}
    assert len(chosen) == len(set(chosen)) == 6


def test_decided_papers_are_never_offered_again():
    papers = library()
    marks = {papers[0].id: Mark(papers[0].id, starred_at="t"),
             papers[12].id: Mark(papers[12].id, dismissed_at="t"),
             papers[13].id: Mark(papers[13].id, read_at="t")}
    chosen = teaching_papers(papers, marks, count=25)
    assert not {0, 12, 13} & set(chosen)
    assert len(chosen) == len(papers) - 3


def test_with_scores_half_are_the_likeliest_then_those_nearest_the_boundary():
    papers = library()
    scores = {i: i / len(papers) for i in range(len(papers))}
    scores[7] = 0.5  # the one cs.CV paper on the boundary
    chosen = teaching_papers(papers, {}, scores=scores, boundary=0.5, count=6)
    assert chosen[:3] == [24, 23, 22]  # the best scored first: where the person's papers are
    assert chosen[3] == 7  # then across categories, the least certain first


def test_only_papers_above_the_boundary_count_as_likely():
    papers = library()
    # The watch list's scores before any star: 0 for all but one watched paper.
    scores = dict.fromkeys(range(len(papers)), 0.0) | {15: 0.5}
    chosen = teaching_papers(papers, {}, scores=scores, count=6)  # boundary: the median, 0
    assert chosen[0] == 15
    assert {papers[i].category for i in chosen[1:4]} == {"cs.CV", "cs.CL", "math.AG"}


def test_newest_papers_come_first_when_there_is_no_model():
    papers = library()
    chosen = teaching_papers(papers, {}, count=20)
    assert all(papers[i].date == "2025-12-25" for i in chosen[:20])


def test_empty_library_and_zero_count_give_nothing():
    assert teaching_papers([], {}) == []
    assert teaching_papers(library(), {}, count=0) == []
