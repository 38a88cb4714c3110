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
