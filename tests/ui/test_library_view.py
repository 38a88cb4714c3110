"""LibraryView without widgets: nodes, counts, the queue's order and weekend repeats."""
from __future__ import annotations

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.state.store import Mark
from tui_reader.ui.library_view import STARRED, LibraryView, day_key


def paper(paper_id: str, *dates: str, category: str = "cs.CV") -> Paper:
    return Paper(id=paper_id, title=f"Paper {paper_id}", category=category,
                 appearances=[Appearance(f"{d}.md", d, category) for d in dates])


def test_a_day_of_only_earlier_papers_is_labelled_repeats_and_not_counted_as_a_new_day():
    papers = [paper("2501.00001", "2025-01-03"), paper("2501.00002", "2025-01-03", "2025-01-04"),
              paper("2501.00003", "2025-01-03", "2025-01-04")]
    view = LibraryView(papers)
    assert view.repeat_days == ["2025-01-04"]
    assert view.nodes[day_key("2025-01-04")].label == "2025-01-04 repeats"
    assert view.nodes[day_key("2025-01-03")].label == "2025-01-03"
    assert view.days == ["2025-01-04", "2025-01-03"]
    assert view.summary().endswith(" · 3 papers · 1 day + 1 of repeats")


def test_the_queue_keeps_the_stored_order_then_later_stars_by_time():
    papers = [paper(f"2501.0000{n}", "2025-01-03") for n in range(1, 5)]
    view = LibraryView(papers)
    marks = {pid: Mark(pid, starred_at=at) for pid, at in
             (("2501.00001", "2025-01-01T00:00:01"), ("2501.00002", "2025-01-01T00:00:02"),
              ("2501.00003", "2025-01-01T00:00:03"))}
    view.set_marks(marks, queue=["2501.00003", "2501.00001", "2501.09999"])
    assert [view.papers[i].id for i in view.papers_of(STARRED)] == ["2501.00003", "2501.00001", "2501.00002"]
    view.set_starred(3, "2025-01-01T00:00:04")
    assert [view.papers[i].id for i in view.papers_of(STARRED)][-1] == "2501.00004"
    view.set_starred(0, None)
    assert [view.papers[i].id for i in view.papers_of(STARRED)] == ["2501.00003", "2501.00002", "2501.00004"]


def undated(paper_id: str, source: str, category: str = "cs.CV") -> Paper:
    """A paper listed in a digest with no date in its name or text."""
    return Paper(id=paper_id, title=f"Paper {paper_id}", category=category,
                 appearances=[Appearance(source, None, category)])


def test_the_header_of_one_undated_digest_says_1_digest_undated():
    view = LibraryView([undated("2501.00001", "seed.md"), undated("2501.00002", "seed.md")])
    assert view.summary() == "2 unread · 0 starred · 2 papers · 1 digest, undated"
    assert view.summary(with_papers=False) == "2 unread · 0 starred · 1 digest, undated"


def test_the_header_of_several_undated_digests_counts_the_digests():
    view = LibraryView([undated("2501.00001", "a.md"), undated("2501.00002", "b.md"),
                        undated("2501.00003", "b.md")])
    assert view.summary().endswith(" · 3 papers · 2 digests, undated")


def test_the_header_of_dated_days_alone_counts_days_and_no_undated():
    view = LibraryView([paper("2501.00001", "2025-01-03"), paper("2501.00002", "2025-01-04")])
    assert view.summary().endswith(" · 2 papers · 2 days")


def test_the_header_of_a_mixed_library_keeps_the_day_count_and_adds_the_undated_digests():
    mixed = paper("2501.00002", "2025-01-03")
    mixed.appearances.append(Appearance("seed.md", None, "cs.CV"))  # also in the undated digest
    view = LibraryView([paper("2501.00001", "2025-01-03"), mixed, undated("2501.00003", "seed.md")])
    assert view.summary().endswith(" · 3 papers · 1 day · 1 undated")


from hypothesis import given, settings, strategies as st  # noqa: E402

from tui_reader.ui.library_view import ALL, FOR_YOU, UNREAD  # noqa: E402

_PLACES = [Appearance(f"f{n}.md", date, cat) for n, (date, cat) in enumerate(
    [("2025-01-06", "cs.CL"), ("2025-01-06", "cs.CV"), ("2025-01-07", "cs.CL"), ("2025-01-07", ""),
     ("2024-12-31", "cs.AI"), (None, "cs.CL"), (None, ""), ("2025-01-08", "cs.CV")])]


@st.composite
def _papers(draw) -> list[Paper]:
    count = draw(st.integers(0, 12))
    papers = []
    for n in range(count):
        # Shared appearance objects and equal copies of them, as a read and a snapshot give.
        places = draw(st.lists(st.sampled_from(_PLACES), max_size=4, unique=True))
        apps = [a if draw(st.booleans()) else Appearance(a.source, a.date, a.category) for a in places]
        papers.append(Paper(id=f"2501.{n:05d}", title="t", category=draw(st.sampled_from(["", "cs.CL", "math.OC"])),
                            appearances=apps))
    return sorted(papers, key=lambda p: p.date or "", reverse=True)


@settings(max_examples=150, deadline=None)
@given(_papers(), st.data())
def test_the_tree_holds_each_paper_where_it_was_listed_in_list_order(papers, data):
    view = LibraryView(papers)
    days = sorted({a.date for p in papers for a in p.appearances if a.date}, reverse=True)
    with_days = len(days) > 1

    def own_categories(p):
        cats = list(dict.fromkeys(a.category for a in p.appearances if a.category))
        return cats or ([p.category] if p.category else [])

    expected: dict[str, list[int]] = {ALL: list(range(len(papers)))}
    if with_days:
        for date in days:
            expected[f"day:{date}"] = [i for i, p in enumerate(papers) if any(a.date == date for a in p.appearances)]
        for date in days:
            cats = sorted({a.category or p.category or "?" for p in papers for a in p.appearances if a.date == date})
            for cat in cats:
                expected[f"day:{date}/cat:{cat}"] = [i for i, p in enumerate(papers) if any(
                    a.date == date and (a.category or p.category or "?") == cat for a in p.appearances)]
    for cat in sorted({c for p in papers for c in own_categories(p)}):
        expected[f"cat:{cat}"] = [i for i, p in enumerate(papers) if cat in own_categories(p)]
    got = {key: node.members for key, node in view.nodes.items() if key not in (FOR_YOU, UNREAD, STARRED)}
    assert list(got) == list(expected)  # the tree's order too
    assert got == expected
    firsts = {p.date for p in papers if p.date}
    assert view.repeat_days == [d for d in days if d not in firsts]
    assert view.spans_years == (len({d[:4] for d in firsts}) > 1)
    done = data.draw(st.sets(st.integers(0, max(len(papers) - 1, 0)))) if papers else set()
    view.set_marks({papers[i].id: Mark(papers[i].id, read_at="2025-01-09T00:00:00") for i in done})
    for key, members in expected.items():
        assert view.nodes[key].unread == sum(1 for i in members if i not in done)
