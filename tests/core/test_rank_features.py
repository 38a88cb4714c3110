"""The ranker's tokens and hashes: the fast paths give exactly what their plain definitions give."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui_reader.core.fold import fold_latin
from tui_reader.core.model import Appearance, Paper
from tui_reader.core.rank import features
from tui_reader.core.rank.features import (
    AUTHOR_FEATURES, CATEGORY_FEATURES, WORD_FEATURES, FeatureCache, feature_of, features_of, hash_tokens, paper_features,
    paper_pairs, paper_tokens, paper_words,
)

REAL = Path(__file__).resolve().parents[3] / "shared" / "real" / "2025-q4"

# What makes tokenising hard: digits and hyphens where words start and end, other dashes,
# accents (composed and apart), ligatures, superscripts, full-width forms, the Kelvin sign
# and dotted I (which lower-case to ASCII letters), Chinese, Hangul, Greek and punctuation.
_HARD = "aZq3-0 .,_:/\u00e9e\u0301\u00df\ufb01\u00b2\u2013\u2014\u2212\uff21\uff0c\u212a\u0130\u4e2d\ud55c\u03bc\u00d7'\u201c\t\n"
texts = st.text(alphabet=st.sampled_from(_HARD), max_size=40) | st.text(max_size=40)


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in text)


def _topic_words_by_definition(text: str) -> list[str]:
    """Split at everything but ASCII letters and digits (after lower-casing A-Z): the pieces
    that start with a letter, hold two characters or more and are not stopwords."""
    pieces = re.split("[^a-z0-9]+", _ascii_lower(text))
    return [w for w in pieces if re.fullmatch("[a-z][a-z0-9]+", w) and w not in features._STOPWORDS]


@given(texts)
@settings(max_examples=600, deadline=None)
def test_the_topic_words_are_the_pieces_between_non_letters_and_digits(text: str) -> None:
    assert features._topic_words(features._to_word_characters(text)) == _topic_words_by_definition(text)


def _paper(title: str = "", abstract: str = "", tldr: str = "", authors: list[str] | None = None) -> Paper:
    return Paper(id="2501.00001", title=title, abstract=abstract, tldr=tldr, authors=authors or [],
                 category="cs.CV", appearances=[Appearance("2025-01-06.md", "2025-01-06", "cs.CV")])


def _folded_words_text(paper: Paper) -> str:
    """What a paper's words are read from: its title and abstract (the summary's fields when
    it has no abstract), all that cannot be Latin dropped, the rest folded."""
    from tui_reader.core.model import TEXT_FIELDS, long_texts

    texts = long_texts(paper)[:len(TEXT_FIELDS)]
    fields = (paper.title, texts[-1]) if texts[-1].strip() else (paper.title, *texts[:-1])
    return fold_latin(features._NOT_LATIN_RE.sub(" ", " ".join(t for t in fields if t)))


@given(texts, texts, texts)
@settings(max_examples=600, deadline=None)
def test_a_papers_words_and_pairs_are_those_of_its_folded_title_and_abstract(title: str, tldr: str, abstract: str) -> None:
    paper = _paper(title, abstract, tldr)
    words = _topic_words_by_definition(_folded_words_text(paper))
    assert set(paper_words(paper)) == set(words)
    assert paper_pairs(paper) == [f"{a} {b}" for a, b in zip(words, words[1:])]


def test_the_summary_is_read_only_when_there_is_no_abstract() -> None:
    assert sorted(paper_words(_paper("Title", abstract="abstract words", tldr="summary"))) == ["abstract", "title", "words"]
    assert sorted(paper_words(_paper("Title", abstract=" ", tldr="summary"))) == ["summary", "title"]


def test_pairs_join_topic_words_across_glue_and_punctuation() -> None:
    paper = _paper("Deep RL-based control", "Learning of policies; in 3D with gpt4.")
    assert paper_pairs(paper) == ["deep rl", "rl control", "control learning", "learning policies", "policies gpt4"]


def test_a_text_is_folded_only_where_folding_makes_a_word() -> None:
    # Chinese and its punctuation end words whether folded or not; a superscript, an accent
    # or an en dash become part of one.
    assert paper_words(_paper(abstract="\u63d0\u51fa\u4e86F\u00b2C\uff0c\u6846\u67b6")) == ["f2c"]
    assert sorted(paper_words(_paper(abstract="caf\u00e9 na\u00efve e\u2013commerce"))) == ["cafe", "commerce", "naive"]
    assert sorted(paper_words(_paper(abstract="\u6a21\u578b\uff0cmodel\u3002data"))) == ["data", "model"]


@given(st.lists(st.text(max_size=12), max_size=30), st.sampled_from(["", "t:", "a:", "c:", "i:"]))
@settings(max_examples=300, deadline=None)
def test_features_of_a_list_are_each_tokens_feature(tokens: list[str], prefix: str) -> None:
    tokens = [prefix + t for t in tokens]
    assert features_of(tokens).tolist() == [feature_of(t) for t in tokens]


def _hash_by_definition(token: str) -> int:
    """The token hash as features._hash_spans's docstring defines it, in plain integers."""
    data, full = token.encode(), (1 << 64) - 1
    h = len(data) * features._HASH_START & full
    for k, at in enumerate(range(0, len(data), 8)):
        x = ((k + 1) * features._HASH_START & full) ^ int.from_bytes(data[at:at + 8], "little")
        x = x * features._HASH_STEP & full
        h = (h + (x ^ (x >> 29))) & full
    h ^= h >> 32
    h = h * features._HASH_END & full
    return h ^ (h >> 31)


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_features_are_the_tokens_hash_in_its_kinds_range(text: str) -> None:
    assume(not text.startswith(("a:", "c:", "i:")))  # those are an author's, a category's
    assert feature_of(text) == _hash_by_definition(text) % WORD_FEATURES
    assert feature_of("a:" + text) == WORD_FEATURES + _hash_by_definition("a:" + text) % AUTHOR_FEATURES
    assert feature_of("c:" + text) == WORD_FEATURES + AUTHOR_FEATURES + _hash_by_definition("c:" + text) % CATEGORY_FEATURES


@given(st.lists(st.text(max_size=30) | st.text(alphabet="ab-9", min_size=60, max_size=200), max_size=12))
@settings(max_examples=300, deadline=None)
def test_tokens_of_every_length_hashed_together_are_each_hashed_by_definition(tokens: list[str]) -> None:
    # Empty tokens, one chunk, many: the batch's sums are each token's alone.
    tokens = [t for t in tokens if not t.startswith(("a:", "c:", "i:"))]
    assert features_of(tokens).tolist() == [_hash_by_definition(t) % WORD_FEATURES for t in tokens]


def test_a_lone_surrogate_anywhere_is_hashed_not_an_error() -> None:
    # Parsing replaces them (core.surrogates); a Paper made otherwise must not stop ranking.
    paper = _paper(title="x\ud800y deep", abstract="ab\udcff cd", authors=["Ann \ud800"])
    indptr, indices = paper_features([paper])
    assert indices.tolist() == sorted({feature_of(t) for t in paper_tokens(paper)}) and len(indices) > 3


def test_a_huge_word_is_one_feature_like_any_other() -> None:
    # A hostile abstract of one 200,000-letter word: hashed in the same few steps as any.
    word = "ab" * 100_000
    paper = _paper(title="Short", abstract=f"{word} reinforcement", authors=["x" * 50_000])
    indptr, indices = paper_features([paper])
    assert indices.tolist() == sorted({feature_of(t) for t in paper_tokens(paper)})
    assert feature_of(word) == _hash_by_definition(word) % WORD_FEATURES


def test_hashed_rows_hold_each_papers_distinct_features_ascending() -> None:
    lists = [["b", "a", "b"], [], ["only"], ["a:x", "c:cs.CV", "t:a", "a"]]
    indptr, indices = hash_tokens(lists)
    assert indptr.tolist()[0] == 0 and len(indptr) == len(lists) + 1
    for row, tokens in enumerate(lists):
        assert indices[indptr[row]:indptr[row + 1]].tolist() == sorted({feature_of(t) for t in tokens})


@pytest.fixture(scope="module")
def real_papers() -> list[Paper]:
    if not REAL.is_dir():
        pytest.skip("../shared/real/2025-q4 is not present")
    from tui_reader.core.library.load import load_library

    return load_library([REAL]).sorted_papers()


def test_every_real_paper_has_the_words_of_its_folded_text(real_papers: list[Paper]) -> None:
    differing = []
    for paper in real_papers:
        words = _topic_words_by_definition(_folded_words_text(paper))
        if set(paper_words(paper)) != set(words) or paper_pairs(paper) != [f"{a} {b}" for a, b in zip(words, words[1:])]:
            differing.append(paper.id)
    assert not differing
    day = real_papers[-500:]
    indptr, indices = paper_features(day)
    for row, paper in enumerate(day):
        assert indices[indptr[row]:indptr[row + 1]].tolist() == sorted({feature_of(t) for t in paper_tokens(paper)})


@given(st.lists(st.tuples(texts, texts, texts, st.lists(texts, max_size=3)), max_size=6))
@settings(max_examples=300, deadline=None)
def test_a_batch_of_papers_hashed_at_once_has_each_papers_tokens_features(
        fields: list[tuple[str, str, str, list[str]]]) -> None:
    papers = [_paper(title, abstract, tldr, authors) for title, tldr, abstract, authors in fields]
    indptr, indices = paper_features(papers)
    assert len(indptr) == len(papers) + 1
    for row, paper in enumerate(papers):
        assert indices[indptr[row]:indptr[row + 1]].tolist() == sorted({feature_of(t) for t in paper_tokens(paper)})


def _keyed_paper(paper_id: str, words: str, version: int = 1) -> Paper:
    return Paper(id=paper_id, title=words, abstract=words, version=version, category="cs.CV",
                 appearances=[Appearance("2025-01-06.md", "2025-01-06", "cs.CV")])


def test_papers_of_ids_short_long_and_not_ascii_are_found_again_after_more_are_hashed(tmp_path: Path) -> None:
    file = tmp_path / "rank-features.npz"
    first = [_keyed_paper("1", "alpha beta"), _keyed_paper("2501.00002", "gamma delta")]
    later = [_keyed_paper("hep-th/9901001", "epsilon zeta"), _keyed_paper("2501.00002", "gamma delta", version=2),
             _keyed_paper("éq.7", "eta theta")]
    cache = FeatureCache(file)
    cache.rows(first)
    rows = cache.rows(first + later + first[:1])  # a paper listed twice: one row, the same features
    assert cache.hashed == 5 and len(cache) == 5
    expected = paper_features(first + later + first[:1])
    assert rows.indptr.tolist() == expected[0].tolist() and rows.indices.tolist() == expected[1].tolist()
    warm = FeatureCache(file)  # read back from the file: nothing hashed, the same rows
    again = warm.rows(later[::-1] + first)
    assert warm.hashed == 0
    expected = paper_features(later[::-1] + first)
    assert again.indptr.tolist() == expected[0].tolist() and again.indices.tolist() == expected[1].tolist()


def test_arrays_in_their_own_pages_hold_the_same_values() -> None:
    import numpy as np

    from tui_reader.core.rank.memory import in_own_pages

    for values in (np.arange(3, dtype=np.float32), np.linspace(0, 1, 300_000).astype(np.float32).reshape(1000, 300)):
        copy = in_own_pages(values)
        assert copy.dtype == values.dtype and copy.shape == values.shape and np.array_equal(copy, values)
        copy[0] = 7  # a copy, writable
        assert not np.array_equal(copy, values)


@given(st.lists(st.lists(st.integers(0, features.N_FEATURES - 1), max_size=40), max_size=12), st.data())
@settings(max_examples=300, deadline=None)
def test_packed_rows_give_back_the_plain_rows_whole_in_part_and_summed(lists: list[list[int]], data: st.DataObject) -> None:
    import numpy as np

    from tui_reader.core.rank.features import PaperRows

    rows_of = [sorted(set(row)) for row in lists]
    indptr = np.zeros(len(rows_of) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows_of], out=indptr[1:])
    indices = np.array([f for r in rows_of for f in r], dtype=np.int32)
    plain = PaperRows(indptr, indices)
    packed = PaperRows.packed(indptr, *features._pack(indptr, indices))
    assert packed.low is not None and packed.low.dtype == np.uint16
    assert packed.indices.tolist() == indices.tolist()
    order = np.asarray(data.draw(st.lists(st.integers(0, max(0, len(rows_of) - 1)), max_size=15) if rows_of else st.just([])),
                       dtype=np.int64)
    for taken in (packed.subset(order), packed.packed_subset(order)):
        assert taken.indptr.tolist() == plain.subset(order).indptr.tolist()
        assert taken.indices.tolist() == [f for i in order.tolist() for f in rows_of[i]]
    weights = np.random.default_rng(len(indices)).random(features.N_FEATURES)
    assert np.allclose(packed.row_sums(weights), [weights[r].sum() for r in rows_of])
    assert np.array_equal(packed.document_frequency(), plain.document_frequency())
    assert all(packed.row(i).tolist() == r for i, r in enumerate(rows_of))


def test_a_features_file_whose_rows_do_not_add_up_is_hashed_again(tmp_path: Path) -> None:
    import numpy as np

    file = tmp_path / "rank-features.npz"
    papers = [_keyed_paper("2501.00001", "alpha beta"), _keyed_paper("2501.00002", "gamma delta")]
    FeatureCache(file).rows(papers)
    stored = dict(np.load(file))
    for damage in ("low", "runs", "past"):
        broken = dict(stored)
        if damage == "low":
            broken["low"] = broken["low"][:-1]
        elif damage == "runs":
            broken["runs"] = broken["runs"][:, ::-1] * 2
        else:  # a feature in the last run beyond N_FEATURES
            runs = broken["runs"].copy()
            runs[0, :] = 0
            runs[0, -1] = int(np.diff(broken["indptr"])[0])
            broken["runs"], broken["low"] = runs, np.full_like(broken["low"], 65535)
        np.savez(file, **broken)
        cache = FeatureCache(file)
        rows = cache.rows(papers)
        assert cache.hashed == 2, damage
        assert rows.indices.tolist() == paper_features(papers)[1].tolist()
