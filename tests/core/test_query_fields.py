"""Searching the fields beyond the text: comment:, kw:, has:, importance:, stars:, and CJK text."""
from __future__ import annotations

from pathlib import Path

import pytest

from tui_reader.core.library.load import load_library
from tui_reader.core.search.query import QueryError, SearchIndex, filter_papers, parse_query

FIELDS = Path(__file__).parent.parent / "fixtures" / "formats" / "fields"


@pytest.fixture(scope="module")
def papers():
    return load_library([FIELDS]).sorted_papers()


def _ids(papers, text: str) -> set[str]:
    found = {p.id for p in filter_papers(papers, text)}
    query = parse_query(text)  # the one-paper path agrees with the index
    assert found == {p.id for p in papers if query.matches(p, None)}
    return found


def test_comment_finds_the_venue_in_the_arxiv_comment(papers):
    assert _ids(papers, "comment:iclr") == {"2512.30001"}
    assert _ids(papers, "iclr") == {"2512.30001"}  # a bare word looks in comments too


def test_kw_finds_a_forks_keywords_and_nothing_else(papers):
    assert _ids(papers, "kw:diffusion") == {"2601.05001"}
    assert _ids(papers, "kw:evaluation") == {"2601.05002"}
    assert _ids(papers, "kw:vision-language") == {"2512.30001"}
    assert _ids(papers, "kw:dexterous kw:manipulation") == {"2601.05001"}
    assert _ids(papers, "kw:magnetars") == set()  # in a title, not a keyword


def test_has_code_and_has_comment_select_papers_with_those_fields(papers):
    assert _ids(papers, "has:code") == {"2512.30001", "2512.30002"}
    with_comment = _ids(papers, "has:comment")
    assert {"2512.30001", "2601.05001", "2601.06001", "2601.07001"} <= with_comment
    assert "2601.09001" not in with_comment
    assert _ids(papers, "-has:code has:comment") == with_comment - {"2512.30001"}


def test_importance_and_stars_compare_as_numbers(papers):
    assert _ids(papers, "importance:>=7") == {"2601.05001"}
    assert _ids(papers, "importance:<5") == {"2601.05002"}
    assert _ids(papers, "importance:4.5") == {"2601.05002"}
    assert _ids(papers, "stars:>1k") == {"2512.30001"}
    assert _ids(papers, "stars:>=87") == {"2512.30001", "2512.30002"}


def test_extra_fields_and_the_task_are_searched_as_summaries(papers):
    assert _ids(papers, "tldr:\"simulated hands\"") == {"2601.05001"}
    assert _ids(papers, "tldr:affordable") == {"2503.15001"}
    assert _ids(papers, "chime") == {"2601.06001"}


def test_cjk_substrings_are_found_without_spaces_between_words(papers):
    assert _ids(papers, "格律约束") == {"2601.07001"}
    assert _ids(papers, "ti:稀疏注意力") == {"2601.07000"}
    assert _ids(papers, "tldr:古典诗词") == {"2601.07001"}
    assert _ids(papers, "kw:诗词") == {"2601.07001"}
    assert _ids(papers, "주會") == set()
    assert _ids(papers, "음성") == {"2601.08001"}
    assert _ids(papers, "한국어") == {"2601.08001"}


@pytest.mark.parametrize("text", ["has:wings", "importance:huge", "stars:>=", "importance:>=-1", "minutes:long"])
def test_a_bad_field_value_is_a_query_error_with_a_column(text):
    with pytest.raises(QueryError) as err:
        parse_query(text)
    assert err.value.position >= text.index(":")


def test_the_whole_index_prepared_up_front_gives_the_same_answers(papers):
    index = SearchIndex(papers)
    for text in ("comment:iclr", "kw:diffusion", "has:code", "importance:>=7", "格律"):
        lazy = {p.id for p in filter_papers(papers, text)}
        assert {papers[i].id for i in index.search(parse_query(text), {})} == lazy
