"""The generator's JSON Lines data files, plain and AI-enhanced."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_reader.core.formats import sniff_format
from tui_reader.core.formats.jsonl import parse_jsonl_digest
from tui_reader.core.library.load import load_library, read_digest_file

COMPARED = ("id", "version", "title", "authors", "category", "url",
            "tldr", "motivation", "method", "result", "conclusion", "abstract")


@pytest.fixture
def day(fixtures: Path) -> Path:
    return fixtures / "formats" / "current"


def test_ai_enhanced_jsonl_gives_the_same_papers_as_its_markdown(day):
    markdown = read_digest_file(day / "2024-03-05.md")
    enhanced = read_digest_file(day / "2024-03-05_AI_enhanced_English.jsonl")
    assert enhanced.format == "jsonl"
    assert enhanced.date == "2024-03-05"
    assert [p.id for p in enhanced.papers] == [p.id for p in markdown.papers]
    for from_md, from_jsonl in zip(markdown.papers, enhanced.papers):
        for name in COMPARED:
            assert getattr(from_jsonl, name) == getattr(from_md, name), (from_md.id, name)


def test_plain_jsonl_has_the_abstracts_and_also_the_papers_the_markdown_skipped(day):
    markdown = {p.id: p for p in read_digest_file(day / "2024-03-05.md").papers}
    plain = {p.id: p for p in read_digest_file(day / "2024-03-05.jsonl").papers}
    assert set(markdown) < set(plain)
    assert "2403.01003" in plain  # counted in [Total: 4] but absent from the Markdown
    for paper_id, from_md in markdown.items():
        from_jsonl = plain[paper_id]
        assert (from_jsonl.title, from_jsonl.authors, from_jsonl.abstract) == (
            from_md.title, from_md.authors, from_md.abstract)
        assert from_jsonl.tldr == "" and from_jsonl.method == ""


def test_jsonl_knows_cross_listed_categories_primary_first(day):
    papers = {p.id: p for p in read_digest_file(day / "2024-03-05_AI_enhanced_English.jsonl").papers}
    assert papers["2403.01005"].categories == ["cs.LG", "stat.ML", "math.OC"]
    assert papers["2403.01005"].category == "cs.LG"


def test_one_day_in_three_formats_merges_into_one_paper_each_with_all_categories(day):
    library = load_library([day])
    assert library.warnings == []
    assert len(library.papers) == 6  # five summarised papers and the one the Markdown skipped
    gradient = library.papers["2403.01005"]
    assert gradient.categories == ["cs.LG", "stat.ML", "math.OC"]
    assert gradient.tldr and gradient.abstract
    assert len(gradient.sources) >= 3


def test_bad_lines_are_warned_by_file_and_line_and_the_others_kept():
    good = {"id": "2401.00001", "title": "Good", "authors": ["A"], "categories": ["cs.AI"],
            "summary": "An abstract.", "AI": {"tldr": "Short."}}
    lines = [
        json.dumps(good),
        '{"id": "2401.00002", "title": "Cut off mid-line',
        "[1, 2, 3]",
        json.dumps({"title": "no id at all"}),
        "",
        json.dumps({**good, "id": "2401.00003v2", "comment": None, "AI": "not an object"}),
    ]
    digest = parse_jsonl_digest("\n".join(lines), "day.jsonl", "2024-01-01")
    assert [p.id for p in digest.papers] == ["2401.00001", "2401.00003"]
    assert digest.papers[1].version == 2
    assert digest.papers[1].tldr == ""
    assert [w.split(": ", 1)[0] for w in digest.warnings] == [
        "day.jsonl:2", "day.jsonl:3", "day.jsonl:4", "day.jsonl:6"]  # 6: an AI value that is text
    assert all("\n" not in w for w in digest.warnings)


def test_placeholders_and_null_fields_are_missing():
    record = {"id": "2401.00001", "title": "T", "authors": ["A"], "categories": ["cs.AI"],
              "comment": None, "summary": None,
              "AI": {"tldr": "Summary generation failed", "motivation": None,
                     "method": "Method extraction failed", "result": 7, "conclusion": "Fine."}}
    (paper,) = parse_jsonl_digest(json.dumps(record), "d.jsonl", None).papers
    assert (paper.tldr, paper.motivation, paper.method, paper.abstract) == ("", "", "", "")
    assert paper.conclusion == "Fine."
    assert paper.url == "https://arxiv.org/abs/2401.00001"


def test_a_json_array_of_records_is_read_too():
    text = json.dumps([{"id": "2401.00001", "title": "T"}, {"id": "2401.00002", "title": "U"}])
    assert sniff_format(text) == "jsonl"
    assert [p.id for p in parse_jsonl_digest(text, "d.json", None).papers] == ["2401.00001", "2401.00002"]


def test_jsonl_with_bom_and_crlf_is_read(day, tmp_path):
    source = day / "2024-03-05_AI_enhanced_English.jsonl"
    damaged = tmp_path / source.name
    damaged.write_bytes(b"\xef\xbb\xbf" + source.read_bytes().replace(b"\n", b"\r\n"))
    digest = read_digest_file(damaged)
    assert digest.warnings == []
    assert len(digest.papers) == 5


def test_jsonl_whose_first_line_is_damaged_is_still_sniffed_and_read(day, tmp_path):
    source = day / "2024-03-05_AI_enhanced_English.jsonl"
    damaged = tmp_path / "2024-03-05.jsonl"
    damaged.write_bytes(b"garbage that is not json\n" + source.read_bytes())
    assert sniff_format(damaged.read_text()) == "jsonl"
    digest = read_digest_file(damaged)
    assert len(digest.papers) == 5
    assert digest.warnings[0].startswith(f"{damaged}:1: not a JSON object")


def test_thousands_of_bad_lines_list_a_few_and_count_the_rest():
    text = "\n".join(["{not json"] * 1000 + ['{"id": "2401.00001", "title": "Kept"}'])
    digest = parse_jsonl_digest(text, "bad.jsonl", None)
    assert [p.title for p in digest.papers] == ["Kept"]
    assert len(digest.warnings) == 21
    assert digest.warnings[-1] == "bad.jsonl: 980 more problems like these not listed"
