"""HTML digests (a static site's rendering, a browser's saved page) give the Markdown's papers."""
from __future__ import annotations

from pathlib import Path

import pytest

from tui_reader.core.formats import sniff_format
from tui_reader.core.formats.html import parse_html_digest
from tui_reader.core.formats.markdown import parse_markdown_digest
from tui_reader.core.library.load import read_digest_file

COMPARED = ("id", "version", "title", "authors", "category", "categories", "url",
            "tldr", "motivation", "method", "result", "conclusion", "abstract")
MARKDOWN_FIXTURES = (
    "current/2024-03-05.md", "older-2023-11-20.md", "first-template-2023-05-02.md", "fork.md",
    "fork-translated-2024-06-03.md", "truncated-2024-03-06.md",
)


@pytest.fixture
def formats(fixtures: Path) -> Path:
    return fixtures / "formats"


def _assert_same_papers(from_html, from_markdown) -> None:
    assert [p.id for p in from_html.papers] == [p.id for p in from_markdown.papers]
    assert from_html.date == from_markdown.date
    assert from_html.declared_totals == from_markdown.declared_totals
    for html_paper, md_paper in zip(from_html.papers, from_markdown.papers):
        for name in COMPARED:
            assert getattr(html_paper, name) == getattr(md_paper, name), (md_paper.id, name)


def test_static_site_rendering_gives_the_same_papers_as_its_markdown(formats):
    # 2024-03-05.html is the CommonMark rendering of 2024-03-05.md (markdown-it-py), committed.
    from_html = read_digest_file(formats / "current" / "2024-03-05.html")
    assert from_html.format == "html"
    _assert_same_papers(from_html, read_digest_file(formats / "current" / "2024-03-05.md"))


def test_browser_saved_page_of_a_fork_gives_the_same_papers_as_its_markdown(formats):
    # A GitHub-style page: heading anchors with icons, a nav bar, a script that mentions a
    # paper heading, the digest inside an <article>.
    from_html = read_digest_file(formats / "fork-saved-page.html")
    from_markdown = read_digest_file(formats / "fork.md")
    assert from_html.date == "2024-04-10"
    _assert_same_papers(from_html, from_markdown)
    assert "2404.09999" not in {p.id for p in from_html.papers}


@pytest.mark.parametrize("name", MARKDOWN_FIXTURES)
def test_every_markdown_fixture_rendered_to_html_gives_the_same_papers(formats, name):
    # markdown-it-py comes with rich (a dependency of textual); it renders like static sites do.
    markdown_it = pytest.importorskip("markdown_it")
    text = (formats / name).read_text(encoding="utf-8")
    html = markdown_it.MarkdownIt("commonmark").render(text)
    from_markdown = parse_markdown_digest(text, name, None)
    from_html = parse_html_digest(html, name, None)
    assert from_html.papers
    _assert_same_papers(from_html, from_markdown)


def test_html_and_markdown_digests_are_sniffed_from_content(formats):
    assert sniff_format((formats / "current" / "2024-03-05.html").read_text()) == "html"
    assert sniff_format((formats / "fork-saved-page.html").read_text()) == "html"
    # The Markdown digest opens with an HTML tag, yet it is Markdown.
    assert sniff_format((formats / "current" / "2024-03-05.md").read_text()) == "markdown"
    assert sniff_format((formats / "fork.md").read_text()) == "markdown"


def test_html_saved_under_a_markdown_name_is_still_read_as_html(formats, tmp_path):
    disguised = tmp_path / "2024-03-05.md"
    disguised.write_bytes((formats / "current" / "2024-03-05.html").read_bytes())
    digest = read_digest_file(disguised)
    assert digest.format == "html"
    assert len(digest.papers) == 5


def test_deeply_nested_unclosed_tags_do_not_break_the_page(formats):
    page = (formats / "current" / "2024-03-05.html").read_text()
    digest = parse_html_digest("<details><div>" * 5000 + page, "deep.html", None)
    assert len(digest.papers) == 5


def test_html_without_papers_gives_no_papers():
    digest = parse_html_digest("<html><body><h1>Hello</h1><p>No papers.</p></body></html>", "x.html", None)
    assert digest.papers == []


def test_the_shared_sample_rendered_to_html_shows_the_same_papers(sample_digest):
    # Markdown escapes such as '50\%' are resolved by the renderer in HTML and by the LaTeX
    # rendering in Markdown, so what the reader shows is compared: the dump records.
    markdown_it = pytest.importorskip("markdown_it")
    from tui_reader.core.model import paper_record
    from tui_reader.core.formats.text import render_latex

    text = sample_digest.read_text(encoding="utf-8")
    html = markdown_it.MarkdownIt("commonmark").render(text)
    from_markdown = parse_markdown_digest(text, "sample", "2025-12-25")
    from_html = parse_html_digest(html, "sample", "2025-12-25")
    assert len(from_html.papers) == len(from_markdown.papers) == 185
    for html_paper, md_paper in zip(from_html.papers, from_markdown.papers):
        assert paper_record(html_paper, render_latex) == paper_record(md_paper, render_latex)


def test_beautifulsoup_is_imported_only_when_an_html_digest_is_read(formats):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tui_reader.core.library.load import read_digest_file\n"
        f"read_digest_file(Path({str(formats / 'fork.md')!r}))\n"
        "assert 'bs4' not in sys.modules, 'bs4 imported for Markdown'\n"
        f"read_digest_file(Path({str(formats / 'fork-saved-page.html')!r}))\n"
        "assert 'bs4' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
