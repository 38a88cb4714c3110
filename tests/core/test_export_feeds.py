"""Atom and RIS exports, read back by parsers made for those formats (feedparser, rispy)."""
from __future__ import annotations

import feedparser
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.export.papers import export_papers
from tui_reader.core.model import Appearance, Paper
from tui_reader.core.state.store import Mark


def _paper(paper_id: str, title: str, authors: list[str], days: tuple[str, ...] = ("2025-12-24",), **fields) -> Paper:
    paper = Paper(id=paper_id, title=title, authors=authors, category=fields.pop("category", "cs.CV"), **fields)
    paper.appearances.extend(Appearance(f"invented-{day}.md", day, paper.category) for day in days)
    return paper


PAPERS = [
    _paper("2512.20735", "Seeing $\\alpha$ & <Beyond>: a \"Test\"", ["Zoë Åberg", "Tom O'Neil"],
           days=("2025-12-24", "2025-12-25"), categories=["cs.CV", "cs.LG"], version=2,
           tldr="A model <b>sees</b> & learns.", abstract="We study things.\n\nMore things.",
           comment="Accepted at ICLR 2026", keywords=["vision", "tests"]),
    _paper("2512.20736", "No Authors \x1b[31mred\x1b[0m", [], tldr="", abstract="Only an abstract here.",
           extra={"doi": "10.1234/abc.5"}),
    _paper("hep-th/9901001", "An Old One", ["Paul Dirac"], days=(), category="hep-th"),
]
MARKS = {
    "2512.20735": Mark("2512.20735", starred_at="2025-12-25T10:00:00.000000+00:00",
                       note="read §3 first", tags=("to-read", "vision")),
}


def test_atom_export_is_a_well_formed_atom_feed_with_one_entry_a_paper():
    text = export_papers(PAPERS, MARKS, "atom")
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2025-12-25T00:00:00Z"  # the newest paper's newest day
    entries = feed.entries
    assert [e.id for e in entries] == ["https://arxiv.org/abs/2512.20735", "https://arxiv.org/abs/2512.20736",
                                        "https://arxiv.org/abs/hep-th/9901001"]
    first = entries[0]
    assert first.title == "Seeing α & <Beyond>: a \"Test\""
    assert first.link == "https://arxiv.org/abs/2512.20735v2"
    assert [link.href for link in first.links if link.type == "application/pdf"] == ["https://arxiv.org/pdf/2512.20735v2"]
    assert [a.name for a in first.authors] == ["Zoë Åberg", "Tom O'Neil"]
    assert [t.term for t in first.tags] == ["cs.CV", "cs.LG"]
    assert first.summary == "A model <b>sees</b> & learns."  # the TL;DR, as text, not markup
    assert first.published == "2025-12-24T00:00:00Z" and first.updated == "2025-12-25T00:00:00Z"
    assert first.content[0].value == "read §3 first"
    second = entries[1]
    assert second.summary == "Only an abstract here."  # no TL;DR: the abstract
    assert "\x1b" not in text and second.title == "No Authors red"  # an escape sequence goes whole


def test_atom_feed_is_the_same_for_the_same_selection():
    assert export_papers(PAPERS, MARKS, "atom") == export_papers(list(PAPERS), dict(MARKS), "atom")
    assert feedparser.parse(export_papers([], {}, "atom")).bozo == 0


def test_ris_export_reads_back_one_record_a_paper_with_every_field():
    records = rispy.loads(export_papers(PAPERS, MARKS, "ris"))
    assert len(records) == 3
    first = records[0]
    assert first["type_of_reference"] == "UNPB"
    assert first["title"] == "Seeing α & <Beyond>: a \"Test\""
    assert first["authors"] == ["Zoë Åberg", "Tom O'Neil"]
    assert first["year"] == "2025" and first["date"] == "2025/12/24"
    assert first["abstract"] == "We study things. More things."
    assert first["urls"] == ["https://arxiv.org/abs/2512.20735v2"]
    assert first["file_attachments1"] == "https://arxiv.org/pdf/2512.20735v2"
    assert first["accession_number"] == "arXiv:2512.20735"
    assert first["keywords"] == ["cs.CV", "cs.LG", "vision", "tests", "to-read"]
    assert first["notes"] == ["Comment: Accepted at ICLR 2026", "TL;DR: A model <b>sees</b> & learns.",
                              "Note: read §3 first"]
    assert records[1]["doi"] == "10.1234/abc.5"
    assert "authors" not in records[1]
    old = records[2]
    assert old["year"] == "1999" and "date" not in old  # the year from the old-style id, no day known


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.lists(st.text(max_size=30), max_size=4), st.text(max_size=200))
def test_any_text_gives_a_feed_and_records_the_parsers_read_whole(title, authors, tldr):
    papers = [_paper("2512.00001", title, authors, tldr=tldr), _paper("2512.00002", "Plain", ["A B"])]
    feed = feedparser.parse(export_papers(papers, {}, "atom"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.id for e in feed.entries] == ["https://arxiv.org/abs/2512.00001", "https://arxiv.org/abs/2512.00002"]
    records = rispy.loads(export_papers(papers, {}, "ris"))
    assert [r["accession_number"] for r in records] == ["arXiv:2512.00001", "arXiv:2512.00002"]
