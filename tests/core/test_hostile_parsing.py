"""Hostile digests: parsers never raise, never hang, and run in linear time."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core.formats import DigestError, parse_digest
from tui_reader.core.library.load import load_library, read_digest_file

from linear_time import assert_linear

_HEAD = "### [1] [T](https://arxiv.org/abs/2501.00001)\n*A,B*\n\nMain category: cs.LG\n\nTL;DR: x\n"

# Building blocks that look like digest syntax, so generated input reaches deep paths.
_PIECES = st.sampled_from([
    "### ", "## ", "# ", "[", "]", "(", ")", "](", "[1] ", "https://arxiv.org/abs/2501.00001",
    "hep-th/9901001v2", "*", "**", "> ", "TL;DR:", "TLDR:", "Abstract:", "Motivation:",
    "Main category:", "<details>", "</details>", "<summary>", "<div id='cs.CV'></div>",
    "[[Back]](#toc)", "[Total: 9]", "---", "\n", "\n\n", "  ", "\r\n", "\ufeff", "\x00",
    "\x1b[31m", "$", "\\times", "{", "}", "Ã", "Î¼", "â", "{\"id\": 1}", "<html>", "<h3>",
])
_DIGESTISH = st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DIGESTISH)
def test_parse_digest_on_arbitrary_text_raises_only_digest_error(text):
    try:
        digest = parse_digest(text, "fuzz.md", None)
    except DigestError as err:
        assert "\n" not in str(err)
        return
    for paper in digest.papers:
        assert paper.id
        for value in (paper.title, paper.abstract, paper.tldr, *paper.authors):
            assert "\x1b" not in value and "\x00" not in value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_reading_arbitrary_bytes_raises_only_digest_error(tmp_path, data):
    path = tmp_path / "2025-01-01.md"
    path.write_bytes(data)
    try:
        read_digest_file(path)
    except DigestError as err:
        assert "\n" not in str(err)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000).map(lambda b: _HEAD.encode() + b))
def test_digest_with_arbitrary_tail_keeps_its_whole_first_paper(tmp_path, tail):
    path = tmp_path / "2025-01-01.md"
    path.write_bytes(tail)
    library = load_library([path])
    assert "2501.00001" in library.papers


def _parse_quietly(text: str) -> None:
    try:
        parse_digest(text, "big.md", None)
    except DigestError:
        pass


def test_one_enormous_line_parses_in_linear_time():
    assert_linear(_parse_quietly, lambda n: "### [" + "word " * n, 1_500_000)


def test_a_million_open_brackets_parse_in_linear_time():
    assert_linear(_parse_quietly, lambda n: _HEAD + "### " + "[" * n + "\n", 6_000_000)


def test_unclosed_details_and_headings_parse_in_linear_time():
    block = "<details>\n<summary>Details</summary>\n### [x](y\nAbstract: [[[ ((( $$ \\\\\n"
    assert_linear(_parse_quietly, lambda n: _HEAD + block * n, 5_000)


def test_huge_abstract_parses_in_linear_time():
    assert_linear(_parse_quietly, lambda n: _HEAD + "Abstract: " + "The fox jumps. " * n + "\n", 150_000)


@pytest.mark.slow
def test_many_papers_parse_in_linear_time():
    paper = _HEAD.replace("2501.00001", "2501.{:05d}") + "Abstract: text\n  more text\n\n"
    assert_linear(_parse_quietly, lambda n: "".join(paper.format(i % 99999) for i in range(n)), 1_000)


def test_hostile_fixture_keeps_every_paper_without_controls(fixtures: Path):
    library = load_library([fixtures / "hostile"])
    assert len(library.papers) == 4
    for paper in library.papers.values():
        for value in (paper.title, *paper.authors, paper.tldr, paper.motivation, paper.method,
                      paper.result, paper.conclusion, paper.abstract):
            assert not any(ord(c) < 32 and c not in "\n\t" for c in value), value
            assert not any(0x7F <= ord(c) <= 0x9F for c in value), value
            assert not any(c in value for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    markup = library.papers["2501.10001"]
    assert "[bold]Injection[/]" in markup.title  # markup-looking text is kept as text
