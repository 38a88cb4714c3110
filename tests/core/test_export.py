"""Export formatters: BibTeX, Markdown, JSON and CSV parse back and keep notes and tags."""
from __future__ import annotations

import csv
import io
import json

import bibtexparser
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.export.papers import (
    CSV_COLUMNS, bibtex, citation_key, csv_table, json_list, markdown, select_papers,
)
from tui_reader.core.model import Appearance, Paper
from tui_reader.core.state.store import Mark

T1, T2, T3 = ("2025-03-0%dT10:00:00.000000+00:00" % d for d in (1, 2, 3))


def make_paper(paper_id: str, title: str, authors: list[str], **fields) -> Paper:
    paper = Paper(id=paper_id, title=title, authors=authors, category=fields.pop("category", "cs.CL"),
                  url=f"https://arxiv.org/abs/{paper_id}", **fields)
    paper.appearances.append(Appearance("invented-2025-03-01.md", "2025-03-01", paper.category))
    return paper


PAPERS = [
    make_paper("2503.00011", "On {Unbalanced Braces in 100% of Titles & More_ #1",
               ["Zoë Åberg", "Tom and Jerry", "Smith, Jr., John"], tldr="Braces { are } hard."),
    make_paper("2503.00012", "Backslashes \\ and ~tildes^ in Titles", ["Zoë Aberg"],
               tldr="A *bold* claim with [a link](http://example.invalid) and <b>html</b>."),
    make_paper("2503.00013", "Backslashes Everywhere", ["Zoe Aberg"], category="cs.LG"),
    make_paper("hep-th/9901001", "The Old Style Identifier", ["Paul Dirac"], category="hep-th"),
    make_paper("2503.00014", "学习", ["王小明"], abstract="Line one.\n\nLine two."),
]
MARKS = {
    "2503.00011": Mark("2503.00011", read_at=T1, starred_at=T3, note="see §3, 50% {sic}", tags=("braces", "x,y")),
    "2503.00012": Mark("2503.00012", starred_at=T2, note="first in the queue"),
    "2503.00013": Mark("2503.00013", read_at=T2),
}


def test_bibtex_parses_back_with_arxiv_fields_and_unique_keys() -> None:
    parsed = bibtexparser.parse_string(bibtex(PAPERS, MARKS))
    assert not parsed.failed_blocks
    keys = [entry.key for entry in parsed.entries]
    assert len(keys) == len(PAPERS) == len(set(keys))
    by_eprint = {entry["eprint"]: entry for entry in parsed.entries}
    assert set(by_eprint) == {p.id for p in PAPERS}
    entry = by_eprint["2503.00011"]
    assert entry.entry_type == "misc"
    assert entry["archivePrefix"] == "arXiv" and entry["primaryClass"] == "cs.CL"
    assert "Tom and Jerry" in entry["author"] and "{Tom and Jerry}" in entry["author"]
    assert "annote" in entry.fields_dict and "keywords" in entry.fields_dict
    assert by_eprint["hep-th/9901001"]["year"] == "1999"


def test_bibtex_values_keep_braces_balanced() -> None:
    text = bibtex(PAPERS, MARKS)
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_citation_keys_are_stable_and_deduplicated() -> None:
    assert citation_key(PAPERS[0]) == "aberg2025unbalanced"
    assert citation_key(PAPERS[1]) == citation_key(PAPERS[2]) == "aberg2025backslashes"
    keys = [e.key for e in bibtexparser.parse_string(bibtex(PAPERS, MARKS)).entries]
    assert keys[1:3] == ["aberg2025backslashes", "aberg2025backslashesa"]
    assert keys == [e.key for e in bibtexparser.parse_string(bibtex(PAPERS, MARKS)).entries]


def test_markdown_is_a_linked_reading_list_with_tldrs_and_escaped_text() -> None:
    text = markdown(PAPERS, MARKS)
    assert text.startswith("# Reading list (5 papers)")
    assert "(https://arxiv.org/abs/2503.00012)" in text
    assert "**TL;DR:** A \\*bold\\* claim with \\[a link\\](http://example.invalid)" in text
    assert "<b>" not in text
    assert "**Note:** first in the queue" in text


def test_json_parses_back_with_marks_notes_and_tags() -> None:
    records = json.loads(json_list(PAPERS, MARKS))
    assert [r["id"] for r in records] == [p.id for p in PAPERS]
    first = records[0]
    assert first["read"] is True and first["starred"] is True and first["starred_at"] == T3
    assert first["note"] == "see §3, 50% {sic}" and first["tags"] == ["braces", "x,y"]
    assert records[3]["note"] == "" and records[3]["read"] is False


def test_csv_parses_back_with_notes_and_tags() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_table(PAPERS, MARKS))))
    assert len(rows) == len(PAPERS)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["note"] == "see §3, 50% {sic}"
    assert rows[0]["tags"] == "braces; x,y"
    assert rows[0]["authors"] == "Zoë Åberg; Tom and Jerry; Smith, Jr., John"
    assert rows[2]["read"] == "yes" and rows[2]["starred"] == ""


def test_selection_starred_in_queue_order_read_and_unread() -> None:
    assert [p.id for p in select_papers(PAPERS, MARKS, "starred")] == ["2503.00012", "2503.00011"]
    assert [p.id for p in select_papers(PAPERS, MARKS, "read")] == ["2503.00011", "2503.00013"]
    assert [p.id for p in select_papers(PAPERS, MARKS, "unread")] == ["2503.00012", "hep-th/9901001", "2503.00014"]
    assert len(select_papers(PAPERS, MARKS, None)) == len(PAPERS)


text_strategy = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=150, deadline=None)
@given(titles=st.lists(text_strategy, min_size=1, max_size=4),
       author=text_strategy, note=text_strategy)
def test_bibtex_of_any_text_parses_back_entry_for_entry(titles: list[str], author: str, note: str) -> None:
    papers = [make_paper(f"2503.{n:05d}", title, [author]) for n, title in enumerate(titles)]
    marks = {papers[0].id: Mark(papers[0].id, note=note, tags=(note,))}
    parsed = bibtexparser.parse_string(bibtex(papers, marks))
    assert not parsed.failed_blocks
    assert [e["eprint"] for e in parsed.entries] == [p.id for p in papers]
    assert len({e.key for e in parsed.entries}) == len(papers)


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    hostile = Paper(id="2503.00099", title='=HYPERLINK("http://evil.invalid","click")',
                    authors=["@SUM(A1:A9)", "+Ann Author"], category="cs.LG", categories=["cs.LG"],
                    tldr="-1+2 is a claim", appearances=[Appearance("d.md", "2025-03-03", "cs.LG")])
    marks = {hostile.id: Mark(hostile.id, note="=1+1", tags=("\ttab",))}
    row = next(csv.DictReader(io.StringIO(csv_table([hostile], marks))))
    assert row["title"] == '\'=HYPERLINK("http://evil.invalid","click")'
    assert row["authors"] == "'@SUM(A1:A9); +Ann Author"
    assert row["tldr"] == "'-1+2 is a claim" and row["note"] == "'=1+1"
    assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())
