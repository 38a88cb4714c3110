"""The Markdown digest parser on each template, fork and quirk, one fixture per case."""
from __future__ import annotations

from pathlib import Path

import pytest

from tui_reader.core.formats import DigestError, parse_digest, sniff_format
from tui_reader.core.formats.markdown import parse_markdown_digest, split_paper_heading
from tui_reader.core.library.load import read_digest_file
from tui_reader.core.model import TEXT_FIELDS


@pytest.fixture
def formats(fixtures: Path) -> Path:
    return fixtures / "formats"


def _by_id(digest):
    return {paper.id: paper for paper in digest.papers}


# --- the current template -------------------------------------------------------------


def test_current_template_gives_every_whole_paper_with_its_section(formats):
    digest = read_digest_file(formats / "current" / "2024-03-05.md")
    assert digest.format == "markdown"
    assert digest.date == "2024-03-05"
    assert [p.id for p in digest.papers] == [
        "2403.01001", "2403.01002", "2403.01004", "2403.01005", "cs/0112017",
    ]
    assert [p.category for p in digest.papers] == ["cs.CV", "cs.CV", "cs.CV", "cs.LG", "cs.LG"]
    first = digest.papers[0]
    assert first.title == "Counting Pebbles on a Beach with Weak Labels"
    assert first.authors == ["Mira Stonebridge", "Tomas Quill", "Hana Ode"]
    assert first.url == "https://arxiv.org/abs/2403.01001"
    assert first.tldr.startswith("A weakly supervised counter")
    assert first.motivation.startswith("Dense counting datasets")
    assert first.method.startswith("A density network")
    assert first.result.startswith("Within 6%")
    assert first.conclusion.startswith("Image-level counts")
    assert first.abstract.endswith("by ranking nested crops.")
    assert first.appearances[0].date == "2024-03-05"


def test_declared_total_larger_than_papers_present_is_kept_without_inventing_papers(formats):
    digest = read_digest_file(formats / "current" / "2024-03-05.md")
    assert digest.declared_totals == {"cs.CV": 4, "cs.LG": 2}
    assert sum(p.category == "cs.CV" for p in digest.papers) == 3


def test_title_with_brackets_and_parentheses_and_versioned_link(formats):
    paper = _by_id(read_digest_file(formats / "current" / "2024-03-05.md"))["2403.01002"]
    assert paper.title == "[Re]Thinking Depth (and Scale) in [Monocular] Video"
    assert paper.version == 3
    assert paper.url == "https://arxiv.org/abs/2403.01002v3"


def test_old_style_identifier_is_the_paper_id(formats):
    paper = _by_id(read_digest_file(formats / "current" / "2024-03-05.md"))["cs/0112017"]
    assert paper.version is None
    assert paper.title == "Revisiting Sparse Coding (Old Id)"


def test_abstract_continuation_lines_with_two_spaces_are_part_of_the_abstract(formats):
    paper = _by_id(read_digest_file(formats / "current" / "2024-03-05.md"))["2403.01002"]
    assert paper.abstract.startswith("Monocular video depth estimation suffers from scale drift.")
    assert "trained with a temporal consistency loss" in paper.abstract  # hard wrap joined
    assert paper.abstract.endswith("drift falls by half.")
    assert "  " not in paper.abstract


def test_placeholders_are_missing_fields(formats):
    papers = _by_id(read_digest_file(formats / "current" / "2024-03-05.md"))
    assert papers["2403.01002"].method == ""
    assert papers["cs/0112017"].result == ""
    assert papers["cs/0112017"].conclusion  # the neighbours are kept


# --- older templates --------------------------------------------------------------------


def test_older_template_without_numbers_and_with_tldr_label(formats):
    digest = read_digest_file(formats / "older-2023-11-20.md")
    assert [p.id for p in digest.papers] == ["2311.02001", "2311.02002"]
    hum, fruit = digest.papers
    assert hum.title == "Legged Robots That Hum: Acoustic Odometry on Gravel"
    assert hum.tldr.startswith("Footstep sounds")
    assert fruit.title == "Grasping Soft Fruit (Without Bruising It)"
    assert fruit.version == 2
    assert all(getattr(p, name) for p in digest.papers for name in TEXT_FIELDS)


def test_first_template_task_field_and_motivation_outside_details(formats):
    (paper,) = read_digest_file(formats / "first-template-2023-05-02.md").papers
    assert paper.tldr.startswith("A semantic parser that asks")
    assert paper.motivation.startswith("Task: Semantic parsing of ambiguous user requests")
    assert "Parsers guess when a request is ambiguous" in paper.motivation
    assert paper.method.startswith("The parser estimates its own uncertainty")
    assert paper.abstract.startswith("We teach a semantic parser")


# --- forks ------------------------------------------------------------------------------


def test_fork_date_title_bold_labels_spaced_authors_and_rules(formats):
    digest = read_digest_file(formats / "fork.md")
    assert digest.date == "2024-04-10"  # no date in the name: the '# YYYY-MM-DD' title
    assert digest.declared_totals == {"cs.CV": 2, "cs.AI": 1}
    assert [(p.id, p.category) for p in digest.papers] == [
        ("2404.04001", "cs.CV"), ("2404.04002", "cs.CV"), ("2404.04003", "cs.AI"),
    ]
    fog = digest.papers[0]
    assert fog.authors == ["Hugo Brandt", "Maya Okafor"]
    assert fog.tldr == "Polarisation cues let a camera recover contrast lost to fog."
    assert fog.abstract == ("Fog reduces image contrast. We use polarisation to separate "
                            "scattered light and recover the scene.")
    assert all(getattr(fog, name) for name in TEXT_FIELDS)


def test_fork_labels_inside_blockquotes_with_quoted_continuation_lines(formats):
    sketch = _by_id(read_digest_file(formats / "fork.md"))["2404.04002"]
    assert sketch.authors == ["Lucia Ferro", "Amaru Quispe", "Jonas Weller"]
    assert sketch.tldr == "Rough phone sketches of rooms become metric floor plans. The sketches need no scale."
    assert sketch.method == ""  # a placeholder inside a blockquote
    assert sketch.abstract.startswith("We turn rough finger sketches")
    assert ">" not in sketch.abstract
    assert sketch.abstract.endswith("A user study shows that sketches take under a minute.")


def test_fork_with_translation_keywords_and_inline_category(formats):
    (paper,) = read_digest_file(formats / "fork-translated-2024-06-03.md").papers
    assert paper.authors == ["Ravi Menon", "Clara Sousa"]  # not the translated title
    assert paper.category == "cs.LG"
    assert paper.tldr == "Unlearning requests are batched on a schedule, which makes them cheaper and easier to audit."
    assert paper.abstract == "We study batching of machine-unlearning requests on a fixed schedule."
    assert "ai_Abstract" not in paper.conclusion and "model-written" not in paper.conclusion


@pytest.mark.parametrize("heading", [
    "## <div id='cs.CV'></div> cs.CV [[Back]](#toc)",
    "## cs.CV [[Back]](#toc)",
    "# cs.CV [[Back]](#toc)",
    "# cs.CV",
])
def test_section_heading_styles_set_the_category(heading):
    text = f"{heading}\n\n### [1] [A Paper](https://arxiv.org/abs/2401.00001)\n*A B*\n\nTL;DR: short.\n"
    (paper,) = parse_markdown_digest(text, "x.md", None).papers
    assert paper.category == "cs.CV"
    assert paper.tldr == "short."


def test_structured_abstract_keeps_its_own_results_label():
    text = ("### [X](https://arxiv.org/abs/2401.00001)\n\nResult: the summary's result.\n\n"
            "Abstract: Background: a.\nResults: b.\n  Conclusions: c.\n")
    (paper,) = parse_markdown_digest(text, "x.md", None).papers
    assert paper.result == "the summary's result."
    assert "Results: b." in paper.abstract and "Conclusions: c." in paper.abstract
    assert paper.conclusion == ""


def test_split_paper_heading_takes_the_link_from_the_end():
    assert split_paper_heading("### [7] [A [b] (c) d](https://arxiv.org/abs/2401.00001v2)") == (
        "A [b] (c) d", "https://arxiv.org/abs/2401.00001v2")
    assert split_paper_heading("### [7] [Unclosed title") is None
    assert split_paper_heading("# cs.CV") is None


# --- damaged files ----------------------------------------------------------------------


def test_truncated_file_keeps_whole_papers_and_the_cut_paper_with_a_warning(formats):
    digest = read_digest_file(formats / "truncated-2024-03-06.md")
    assert [p.id for p in digest.papers] == ["2403.06001", "2403.06002"]
    whole, cut = digest.papers
    assert all(getattr(whole, name) for name in TEXT_FIELDS)
    assert cut.motivation.startswith("Event cameras")
    assert cut.method.endswith("keeps a count in")
    assert cut.abstract == ""
    assert any("truncated" in w and "truncated-2024-03-06.md:" in w for w in digest.warnings)


def test_a_cut_heading_does_not_glue_onto_the_previous_abstract():
    text = ("### [1] [A](https://arxiv.org/abs/2401.00001)\n\nAbstract: first paper.\n"
            "### [2] [Half a ti\n")
    digest = parse_markdown_digest(text, "cut.md", None)
    assert [p.abstract for p in digest.papers] == ["first paper."]
    assert any("cut.md:4" in w for w in digest.warnings)


def test_bom_and_crlf_give_the_same_papers(formats, tmp_path):
    source = formats / "current" / "2024-03-05.md"
    plain = read_digest_file(source)
    damaged = tmp_path / "2024-03-05.md"
    damaged.write_bytes(b"\xef\xbb\xbf" + source.read_bytes().replace(b"\n", b"\r\n"))
    again = read_digest_file(damaged)
    assert again.warnings == []
    for a, b in zip(plain.papers, again.papers, strict=True):
        assert (a.id, a.title, a.authors, a.abstract, a.tldr) == (b.id, b.title, b.authors, b.abstract, b.tldr)
        assert "\r" not in b.abstract


def test_invalid_utf8_is_replaced_and_named_with_its_line(formats, tmp_path):
    data = (formats / "current" / "2024-03-05.md").read_bytes()
    lines = data.split(b"\n")
    target = next(i for i, line in enumerate(lines) if line.startswith(b"*Oona"))
    lines[target] = b"*Oona Birch\xff\xfe*"
    damaged = tmp_path / "2024-03-05.md"
    damaged.write_bytes(b"\n".join(lines))
    digest = read_digest_file(damaged)
    assert len(digest.papers) == 5
    assert any(f"2024-03-05.md:{target + 1}:" in w and "UTF-8" in w for w in digest.warnings)
    lichen = next(p for p in digest.papers if p.id == "2403.01004")
    assert lichen.authors[0].startswith("Oona Birch")


def test_markdown_that_is_not_a_digest_is_refused(formats):
    with pytest.raises(DigestError, match="no papers"):
        read_digest_file(formats / "not-a-digest.md")


def test_text_without_any_digest_shape_is_not_sniffed():
    assert sniff_format("just some words\nand more words\n") is None
    with pytest.raises(DigestError):
        parse_digest("just some words\n", "x.txt", None)


def test_a_file_with_thousands_of_problems_lists_a_few_and_counts_the_rest():
    text = "### [1] [A](https://arxiv.org/abs/2401.00001)\n" + "### [2] [cut\n" * 500
    digest = parse_digest(text, "many.md", None)
    assert len(digest.papers) == 1
    assert len(digest.warnings) == 21
    assert digest.warnings[-1] == "many.md: 480 more problems like these not listed"


def test_authors_each_in_emphasis_are_split_cleanly():
    text = "### [X](https://arxiv.org/abs/2401.00001)\n*Ana Ruiz*, *Bo Li*\n\nTL;DR: t.\n"
    (paper,) = parse_markdown_digest(text, "x.md", None).papers
    assert paper.authors == ["Ana Ruiz", "Bo Li"]


def test_labelled_authors_and_a_category_list_from_a_fork():
    text = ("## cs.RO\n\n### [1] [A Paper](https://arxiv.org/abs/2401.00001)\n"
            "- **Authors:** Ana Ruiz, Bo Li\n- **Category:** cs.RO, cs.AI; eess.SY\n"
            "- **TL;DR:** short.\n")
    (paper,) = parse_markdown_digest(text, "x.md", None).papers
    assert paper.authors == ["Ana Ruiz", "Bo Li"]
    assert paper.category == "cs.RO"
    assert paper.categories == ["cs.RO", "cs.AI", "eess.SY"]
    assert paper.tldr == "short."


def test_a_file_cut_before_the_last_papers_details_is_warned():
    whole = ("### [1] [A](https://arxiv.org/abs/2401.00001)\n*X*\n\nTL;DR: a.\n\n<details>\n"
             "Abstract: first.\n</details>\n\n")
    cut = "### [2] [B](https://arxiv.org/abs/2401.00002)\n*Y*\n\nTL;DR: half a sent"
    digest = parse_markdown_digest(whole + cut, "cut.md", None)
    assert [p.tldr for p in digest.papers] == ["a.", "half a sent"]
    assert any("truncated" in w for w in digest.warnings)
    assert parse_markdown_digest(whole, "whole.md", None).warnings == []


def test_bom_before_a_date_title_does_not_hide_the_date(formats, tmp_path):
    damaged = tmp_path / "fork.md"
    damaged.write_bytes(b"\xef\xbb\xbf" + (formats / "fork.md").read_bytes())
    digest = read_digest_file(damaged)
    assert digest.date == "2024-04-10"
    assert len(digest.papers) == 3
