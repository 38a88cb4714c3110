"""Matching: Query.matches on invented papers, SearchIndex agreeing with it, highlighting."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.search.query import (
    QueryError, SearchCancelled, SearchIndex, filter_papers, highlight_spans, parse_query,
)
from tui_reader.core.state.store import Mark


def paper(pid, title, authors=(), cats=("cs.LG",), day="2025-12-25", **fields):
    return Paper(id=pid, title=title, authors=list(authors), category=cats[0], categories=list(cats),
                 appearances=[Appearance("d.md", d, cats[0]) for d in ([day] if isinstance(day, str) else day)],
                 **fields)


PAPERS = [
    paper("2512.00001", "Video Diffusion at Scale", ["Dana Müller", "Bo Li"], ("cs.CV", "cs.LG"),
          abstract="We train latent diffusion models\non long videos.", tldr="Bigger video models."),
    paper("2512.00002", "A Survey of Large Language Models", ["Eve Smith"], ("cs.CL",), "2025-12-01",
          tldr="Everything about LLMs.", method="We read 500 papers."),
    paper("2511.00003", "Image Generation with Flows", ["José Núñez", "Ana Muller"], ("cs.CV",),
          ["2025-11-30", "2025-12-02"], abstract="Flow matching for images."),
    paper("hep-th/9901001", "Strings and the $\\alpha$ expansion", ["Old Author"], ("hep-th",), "1999-01-01",
          abstract="Classic."),
    paper("2512.00005", "Robot Learning from Video", ["Kim Park"], ("cs.RO",), "2025-12-20",
          conclusion="Robots imitate diffusion policies."),
]
MARKS = {
    "2512.00001": Mark("2512.00001", read_at="2025-12-25T09:00:00+00:00", starred_at="2025-12-25T09:00:00+00:00", note="Ask Dana about the dataset",
                           tags=("to-read", "Vision")),
    "2512.00002": Mark("2512.00002", read_at="2025-12-25T09:00:00+00:00"),
    "2511.00003": Mark("2511.00003", starred_at="2025-12-25T09:00:00+00:00", tags=("flows",)),
}


def ids(text: str, marks=MARKS) -> list[str]:
    query = parse_query(text)
    by_matches = [p.id for p in PAPERS if query.matches(p, marks.get(p.id))]
    by_index = [PAPERS[i].id for i in SearchIndex(PAPERS).search(query, marks)]
    assert by_matches == by_index
    return by_matches


@pytest.mark.parametrize("text,expected", [
    ("", ["2512.00001", "2512.00002", "2511.00003", "hep-th/9901001", "2512.00005"]),
    ("muller", ["2512.00001", "2511.00003"]),
    ("MULLER", ["2512.00001", "2511.00003"]),
    ("nunez jose", ["2511.00003"]),
    ("video diffusion", ["2512.00001", "2512.00005"]),
    ('"video diffusion"', ["2512.00001"]),
    ('"diffusion models on long"', ["2512.00001"]),
    ("video -robot", ["2512.00001"]),
    ("survey OR flows", ["2512.00002", "2511.00003"]),
    ("(survey OR flows) cat:cs.CV", ["2511.00003"]),
    ("ti:video", ["2512.00001", "2512.00005"]),
    ("au:li", ["2512.00001"]),
    ("abs:latent", ["2512.00001"]),
    ("tldr:papers", ["2512.00002"]),
    ("tldr:imitate", ["2512.00005"]),
    ("abs:imitate", []),
    ("cat:cs.cv", ["2512.00001", "2511.00003"]),
    ("cat:hep", ["hep-th/9901001"]),
    ("id:2512.00002v3", ["2512.00002"]),
    ("id:hep-th", ["hep-th/9901001"]),
    ("date:2025-12-25", ["2512.00001"]),
    ("date:2025-12", ["2512.00001", "2512.00002", "2511.00003", "2512.00005"]),
    ("date:>=2025-12-20", ["2512.00001", "2512.00005"]),
    ("date:<2025-12-01", ["2511.00003", "hep-th/9901001"]),
    ("date:1999", ["hep-th/9901001"]),
    ("is:unread", ["2511.00003", "hep-th/9901001", "2512.00005"]),
    ("is:read", ["2512.00001", "2512.00002"]),
    ("is:starred", ["2512.00001", "2511.00003"]),
    ("tag:vision", ["2512.00001"]),
    ("tag:vis", []),
    ("note:dataset", ["2512.00001"]),
    ("dataset", ["2512.00001"]),
    ("to-read", ["2512.00001"]),
    ("au:muller is:unread", ["2511.00003"]),
    ("-is:read -is:starred", ["hep-th/9901001", "2512.00005"]),
    ("$\\alpha$", ["hep-th/9901001"]),
])
def test_matching(text, expected):
    assert ids(text) == expected


def test_no_marks_means_everything_unread_and_unstarred():
    assert ids("is:unread", {}) == [p.id for p in PAPERS]
    assert ids("is:starred OR is:read OR tag:flows", {}) == []


def test_a_phrase_never_matches_across_two_authors():
    assert ids('au:"muller bo"') == []


def test_search_keeps_the_order_of_a_subset():
    index = SearchIndex(PAPERS)
    assert index.search(parse_query("video"), {}, subset=[4, 3, 0]) == [4, 0]
    assert index.search(parse_query(""), {}, subset=[2, 1]) == [2, 1]
    assert index.search(parse_query("-video"), {}, subset=[4, 3, 0]) == [3]


def test_index_reuses_results_while_typing_without_changing_them():
    typing = SearchIndex(PAPERS)
    for text in ["d", "di", "diffusion", "diffusion p", "diffusion polic", "diffusion", "d", "au:m",
                 "au:mu", "au:muller", "au:muller -ti:video", "au:mull"]:
        query = parse_query(text)
        assert typing.search(query, MARKS) == SearchIndex(PAPERS).search(query, MARKS), text


def test_a_stopped_search_gives_up_and_leaves_the_index_sound():
    index = SearchIndex(PAPERS)
    with pytest.raises(SearchCancelled):
        index.search(parse_query("video"), {}, stop=lambda: True)
    with pytest.raises(SearchCancelled):
        index.search(parse_query("abs:latent"), {}, stop=lambda: True)
    assert index.search(parse_query("video"), {}, stop=lambda: False) == [0, 4]
    assert index.search(parse_query("abs:latent"), {}) == [0]


def test_filter_papers_returns_papers_in_order():
    assert [p.id for p in filter_papers(PAPERS, "cat:cs.cv", marks=MARKS)] == ["2512.00001", "2511.00003"]
    with pytest.raises(QueryError):
        filter_papers(PAPERS, "(")


WORDS = ["video", "diffusion", "muller", "li", "cs", "2512", "vision", "the", "a", "read", "x"]
atoms = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda f, w: f"{f}:{w}", st.sampled_from(["ti", "au", "abs", "tldr", "cat", "id", "note", "tag"]),
              st.sampled_from(WORDS)),
    st.sampled_from(["is:read", "is:unread", "is:starred", "date:2025-12", "date:>=2025-12-02",
                     '"video diffusion"', '"ana muller"']),
)


def combine(children):
    return st.one_of(
        st.builds(lambda a, b: f"{a} {b}", children, children),
        st.builds(lambda a, b: f"({a} OR {b})", children, children),
        st.builds(lambda a: f"-{a}" if not a.startswith("-") else a, children),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(atoms, combine, max_leaves=6), st.lists(st.integers(0, 4), unique=True))
def test_index_and_matches_agree_on_any_query_and_subset(text, subset):
    query = parse_query(text)
    index = SearchIndex(PAPERS)
    expected = [i for i in subset if query.matches(PAPERS[i], MARKS.get(PAPERS[i].id))]
    assert index.search(query, MARKS, subset=subset) == expected
    # a second search of the same query (served from the cache) gives the same answer
    assert index.search(query, MARKS) == [i for i, p in enumerate(PAPERS) if query.matches(p, MARKS.get(p.id))]


def test_highlight_spans_point_into_the_original_text():
    text = "Dana Müller and Ana MULLER"
    spans = highlight_spans(text, ["muller"])
    assert [text[s:e] for s, e in spans] == ["Müller", "MULLER"]


def test_highlight_spans_cover_combining_accents_and_merge_overlaps():
    text = "Mu\u0308ller mullers"
    spans = highlight_spans(text, ["muller", "llers"])
    assert [text[s:e] for s, e in spans] == ["Mu\u0308ller", "mullers"]


def test_highlight_spans_match_phrases_across_line_breaks_and_expanded_letters():
    text = "large\n  language models; Straße"
    spans = highlight_spans(text, ["large language", "strasse"])
    assert [text[s:e] for s, e in spans] == ["large\n  language", "Straße"]


def test_highlight_spans_with_nothing_to_find():
    assert highlight_spans("abc", []) == []
    assert highlight_spans("", ["a"]) == []
    assert highlight_spans("abc", ["zz"]) == []


TYPING_INDEX = SearchIndex(PAPERS)  # shared across examples so kept results are reused


@settings(max_examples=200, deadline=None)
@given(st.recursive(atoms, combine, max_leaves=4))
def test_typing_a_query_key_by_key_gives_the_same_papers_as_matches(text):
    for end in range(1, len(text) + 1):
        try:
            query = parse_query(text[:end])
        except QueryError:
            continue
        expected = [i for i, p in enumerate(PAPERS) if query.matches(p, MARKS.get(p.id))]
        assert TYPING_INDEX.search(query, MARKS) == expected, text[:end]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab c", max_size=30), min_size=1, max_size=6),
       st.lists(st.tuples(st.sampled_from(["", "abs:", "tldr:", "ti:"]), st.text(alphabet="abc", min_size=1, max_size=5)),
                min_size=1, max_size=8))
def test_terms_searched_one_after_another_find_what_a_plain_scan_finds(texts, searches):
    papers = [Paper(id=f"2501.{n:05d}", title=t[::-1], abstract=t, tldr=t[:10]) for n, t in enumerate(texts)]
    index = SearchIndex(papers)
    for prefix, term in searches:
        query = parse_query(prefix + term)
        assert index.search(query, {}) == [i for i, p in enumerate(papers) if query.matches(p, None)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab \t\n\u00a0\u0301", max_size=30), min_size=1, max_size=6),
       st.lists(st.tuples(st.sampled_from(["", "abs:", "tldr:", "ti:", "au:"]),
                          st.text(alphabet="ab \u00e1", min_size=1, max_size=7)),
                min_size=1, max_size=6))
@pytest.mark.slow
def test_phrases_typed_key_by_key_match_across_any_whitespace_as_matches_does(texts, searches):
    """Whitespace runs, odd spaces and accents in the text; phrases typed one key at a time."""
    papers = [Paper(id=f"2501.{n:05d}", title=t, abstract=t[::-1], tldr=t[:12], authors=[t, t[:3]])
              for n, t in enumerate(texts)]
    index = SearchIndex(papers, lazy=True)
    for prefix, term in searches:
        for end in range(1, len(term) + 1):
            try:
                query = parse_query(f'{prefix}"{term[:end]}"')
            except QueryError:
                continue
            assert index.search(query, {}) == [i for i, p in enumerate(papers) if query.matches(p, None)]


def test_a_query_holding_a_nul_character_is_still_answered_right():
    papers = [paper("2501.00001", "a\x00b", ["x", "y"]), paper("2501.00002", "a b", ["x\x00y"])]
    for text in ["a\x00b", "x\x00y", "au:x\x00y", "ti:a\x00b", "abs:x"]:
        query = parse_query(text)
        expected = [i for i, p in enumerate(papers) if query.matches(p, None)]
        assert SearchIndex(papers).search(query, {}) == expected, text
        assert SearchIndex(papers, lazy=True).search(query, {}) == expected, text


def test_a_lazy_index_stopped_while_preparing_finishes_later():
    papers = [paper(f"2501.{n:05d}", f"title {n}", abstract=f"abstract number {n}") for n in range(700)]
    index = SearchIndex(papers, lazy=True)
    asked = []

    def stop_on_second_ask() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(SearchCancelled):
        index.search(parse_query("abs:number"), {}, stop=stop_on_second_ask)
    assert index.search(parse_query('abs:"number 69"'), {}) == [69] + list(range(690, 700))
    assert index.search(parse_query("ti:title"), {}) == list(range(700))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "ti:", "abs:", '"']), st.text(alphabet="ab ", min_size=1, max_size=4),
                          st.integers(0, 3)), min_size=1, max_size=6),
       st.integers(0, 2**16))
@pytest.mark.slow
def test_searches_stopped_half_way_leave_later_searches_right(searches, seed):
    """A stopped scan keeps what it found so far; later searches build on it, and must
    still give exactly what Query.matches gives (more than one slice of papers here)."""
    rng = random.Random(seed)
    texts = ["".join(rng.choice("ab  ") for _ in range(rng.randint(0, 12))) for _ in range(1300)]
    papers = [Paper(id=f"2501.{n:05d}", title=t, abstract=t[::-1]) for n, t in enumerate(texts)]
    index = SearchIndex(papers)
    for prefix, term, asks in searches:
        text = f'"{term}"' if prefix == '"' else prefix + term
        try:
            query = parse_query(text)
        except QueryError:
            continue
        asked: list[int] = []

        def stop() -> bool:
            asked.append(1)
            return len(asked) > asks

        try:
            index.search(query, {}, stop=stop)
        except SearchCancelled:
            pass
        expected = [i for i, p in enumerate(papers) if query.matches(p, None)]
        assert index.search(query, {}) == expected, text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab 模型视觉é\U0001f600", max_size=20),
                          st.text(alphabet="ab 模型视觉é", max_size=20)), min_size=1, max_size=6),
       st.lists(st.tuples(st.sampled_from(["", "abs:", "tldr:", "ti:"]),
                          st.text(alphabet="ab 模型视é", min_size=1, max_size=6)), min_size=1, max_size=6))
@pytest.mark.slow
def test_multibyte_text_typed_key_by_key_is_found_inside_the_right_field(texts, searches):
    """The whole-paper text is UTF-8 bytes: CJK, accents and emoji in titles, abstracts and
    summaries must not shift where a field starts or where a longer term may begin."""
    papers = [Paper(id=f"2501.{n:05d}", title=ti, abstract=ab, tldr=ti + ab[:5], motivation=ab[::-1])
              for n, (ti, ab) in enumerate(texts)]
    index = SearchIndex(papers)
    for prefix, term in searches:
        for end in range(1, len(term) + 1):
            try:
                query = parse_query(prefix + term[:end])
            except QueryError:
                continue
            assert index.search(query, {}) == [i for i, p in enumerate(papers) if query.matches(p, None)]
