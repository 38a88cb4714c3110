"""The one fold: case, accents and letter variants (ø, ł, ß) compare equal, in both directions."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.fold import fold, fold_phrase
from tui_reader.core.model import Paper
from tui_reader.core.search.query import filter_papers


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_fold_works_character_by_character_and_is_stable(text):
    assert fold(text) == "".join(fold(c) for c in text)
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\x1cab\u00a0é")), max_size=12))
def test_fold_phrase_collapses_whitespace_like_split_and_join(text):
    assert fold_phrase(text) == " ".join(fold(text).split())


def test_fold_strips_accents_and_case():
    assert fold("Müller Øre ŁÓDŹ Straße") == "muller ore lodz strasse"


@pytest.mark.parametrize(("written", "typed"), [("Søren", "soren"), ("Łukasz", "lukasz"), ("Straße", "strasse")])
def test_a_name_and_its_plain_spelling_fold_alike_both_ways(written: str, typed: str) -> None:
    assert fold(written) == fold(typed) == typed
    assert fold(written.upper()) == fold(typed.upper())


@pytest.mark.parametrize(("author", "query"), [
    ("Søren Kierkegaard", "au:soren"), ("Soren Kierkegaard", "au:Søren"),
    ("Łukasz Kaiser", "au:lukasz"), ("Lukasz Kaiser", "au:Łukasz"),
])
def test_the_query_machinery_finds_the_name_in_either_spelling(author: str, query: str) -> None:
    papers = [Paper(id="2501.00001", title="Found", authors=[author]),
              Paper(id="2501.00002", title="Other", authors=["Ada Reader"])]
    assert [p.id for p in filter_papers(papers, query)] == ["2501.00001"]


def test_a_hangul_syllable_is_not_split_into_letters():
    assert fold("하") not in fold("한국어 논문")  # 하 is not a part of 한
    assert fold("한국") in fold("한국어 논문")
    assert fold("Über 한국 Straße") == "uber 한국 strasse"


_LETTER_VARIANTS = str.maketrans({
    "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe",
    "þ": "th", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-",
    "‘": "'", "’": "'", "“": '"', "”": '"',
})


def _fold_as_defined(text: str) -> str:
    """What fold means outside Hangul, spelt out step by step: casefold between two
    compatibility decompositions, every combining mark dropped, then the letter variants."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTER_VARIANTS)


_MIXED_SCRIPTS = st.text(alphabet=st.one_of(
    st.characters(exclude_characters=[chr(c) for c in range(0xAC00, 0xD7A4)]),  # Hangul: kept whole
    st.sampled_from(list("éÅñçØøłŁßæœþ–—’“ÉǅǄﬁ²")),
    st.sampled_from(list("中文摘要本文提出がぱゔ\u3099\u0301\u0327\u05b0\u0e48")),
), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_MIXED_SCRIPTS)
def test_fold_is_casefold_decomposition_without_combining_marks_then_letter_variants(text):
    assert fold(text) == _fold_as_defined(text)
