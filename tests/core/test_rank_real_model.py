"""The ranker on real-shaped input: features kept beside the cache, how many marks it needs, bad input."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.rank.ranker import (
    MIN_STARS, Ranker, features_file, for_you_order, needed_marks, needed_message, rank_papers,
)
from tui_reader.core.rank.features import FeatureCache
from tui_reader.core.state.store import Mark

T0 = "2025-01-06T10:00:00.000000+00:00"
T1 = "2025-01-06T11:00:00.000000+00:00"
VIDEO = "video diffusion temporal frames generation motion denoising latent clip".split()
PROOFS = "theorem prover lean formal proofs tactic lemma verification kernel".split()


def _paper(n: int, words: list[str], rng: random.Random, *, abstract: bool = True, day: str = "2025-01-06") -> Paper:
    pick = lambda k: " ".join(rng.choice(words) for _ in range(k))  # noqa: E731
    return Paper(id=f"2501.{n:05d}", title=pick(6), authors=[f"Author {rng.randrange(40)}"], category="cs.CV",
                 categories=["cs.CV"], abstract=pick(50) if abstract else "",
                 appearances=[Appearance(f"{day}.md", day, "cs.CV")])


def _library(count: int = 120, seed: int = 3) -> list[Paper]:
    rng = random.Random(seed)
    return [_paper(n, VIDEO if n % 2 else PROOFS, rng) for n in range(count)]


def _liking_video(papers: list[Paper], stars: int = 6) -> dict[str, Mark]:
    marks = {p.id: Mark(p.id, starred_at=T0) for p in papers if "video" in p.title or "diffusion" in p.title}
    marks = dict(list(marks.items())[:stars])
    marks.update({p.id: Mark(p.id, dismissed_at=T0) for p in papers[:10:2]})
    return marks


def _is_video(paper: Paper) -> bool:
    return set(paper.title.split()) <= set(VIDEO)


def test_a_second_ranker_reads_the_features_file_and_hashes_nothing(tmp_path: Path) -> None:
    papers = _library()
    marks = _liking_video(papers)
    file = features_file(tmp_path / "cache")
    first = Ranker(kind="logistic", features_file=file)
    scores = first.train(papers, marks).score(range(len(papers)))
    assert file.is_file() and first._features is not None and first._features.hashed == len(papers)
    second = Ranker(kind="logistic", features_file=file)
    again = second.train(papers, marks).score(range(len(papers)))
    assert second._features is not None and second._features.hashed == 0
    assert again == scores


def test_only_new_papers_are_hashed_on_a_warm_start(tmp_path: Path) -> None:
    papers = _library(140)
    file = tmp_path / "features.npz"
    Ranker(features_file=file).train(papers[:100], _liking_video(papers[:100]))
    ranker = Ranker(features_file=file)
    ranker.train(papers, _liking_video(papers))
    assert ranker._features is not None and ranker._features.hashed == 40


def test_a_damaged_or_foreign_features_file_is_replaced_not_an_error(tmp_path: Path) -> None:
    papers = _library()
    marks = _liking_video(papers)
    file = tmp_path / "features.npz"
    expected = Ranker(kind="logistic").train(papers, marks).score(range(len(papers)))
    for junk in (b"not a numpy file", b"PK\x03\x04broken zip", b""):
        file.write_bytes(junk)
        ranker = Ranker(kind="logistic", features_file=file)
        assert ranker.train(papers, marks).score(range(len(papers))) == expected
        assert ranker._features is not None and ranker._features.hashed == len(papers)
    assert FeatureCache(file).rows(papers).indices.size  # the rewritten file reads back


def test_an_unwritable_features_folder_only_costs_the_hashing(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    papers = _library()
    model = Ranker(kind="logistic", features_file=blocker / "features.npz").train(papers, _liking_video(papers))
    assert model.learned


def test_a_new_version_of_a_paper_is_hashed_again(tmp_path: Path) -> None:
    papers = _library(20)
    file = tmp_path / "features.npz"
    FeatureCache(file).rows(papers)
    renewed = [Paper(id=p.id, version=2, title="lean theorem prover", abstract="formal proofs",
                     appearances=p.appearances) if i == 0 else p for i, p in enumerate(papers)]
    cache = FeatureCache(file)
    cache.rows(renewed)
    assert cache.hashed == 1


def test_needed_marks_counts_down_to_zero_and_says_so() -> None:
    papers = _library(30)
    assert needed_marks({}, papers) == MIN_STARS == 1
    assert "star 1 more paper " in needed_message(MIN_STARS)
    gone = {"9999.99999": Mark("9999.99999", starred_at=T0)}
    assert needed_marks(gone, papers) == 1 and needed_marks(gone) == 0  # a star on a paper gone counts for nothing
    assert not Ranker().train(papers, gone).learned
    marks = {papers[0].id: Mark(papers[0].id, note="read this")}  # a note is a star too
    assert needed_marks(marks, papers) == 0 and needed_message(0) == ""
    assert Ranker().train(papers, marks).learned


# ---------------------------------------------------------------------------- bad input

def test_marks_on_papers_no_longer_in_the_library_are_ignored() -> None:
    papers = _library()
    marks = _liking_video(papers)
    marks.update({f"2412.{n:05d}": Mark(f"2412.{n:05d}", starred_at=T0, dismissed_at=T1) for n in range(500)})
    _model, order, _ = rank_papers(papers, marks, kind="logistic")
    assert sum(_is_video(papers[i]) for i in order[:10]) >= 8


def test_a_library_of_one_paper_is_ranked() -> None:
    paper = _library(1)[0]
    for marks in ({}, {paper.id: Mark(paper.id, starred_at=T0)}, {paper.id: Mark(paper.id, dismissed_at=T0)}):
        model, order, scores = rank_papers([paper], marks, kind="logistic")
        assert order in ([0], []) and len(scores) == len(order)


def test_a_day_of_empty_abstracts_is_still_ordered_by_title() -> None:
    rng = random.Random(5)
    papers = _library()
    day = [_paper(1000 + n, VIDEO if n % 2 else PROOFS, rng, abstract=False, day="2025-01-07") for n in range(20)]
    model, order, scores = rank_papers(papers + day, _liking_video(papers), kind="logistic")
    firsts = [i for i in order if i >= len(papers)][:5]
    assert all(_is_video((papers + day)[i]) for i in firsts)


def test_thousands_of_stars_and_contradictory_marks_give_an_order() -> None:
    papers = _library(3000, seed=9)
    marks = {p.id: Mark(p.id, starred_at=T0) for p in papers if _is_video(p) or p.id.endswith("7")}
    # Starred, then dismissed (and the other way round): the later verdict counts.
    marks.update({p.id: Mark(p.id, starred_at=T0, dismissed_at=T1) for p in papers[:40]})
    marks.update({p.id: Mark(p.id, starred_at=T1, dismissed_at=T0) for p in papers[40:80]})
    model = Ranker(kind="logistic").train(papers, marks)
    order, scores = for_you_order(model, marks)
    assert len(order) == len(set(order)) and scores == sorted(scores, reverse=True)
    assert all(not marks[papers[i].id].dismissed for i in order if papers[i].id in marks)


_texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_texts, _texts, st.lists(_texts, max_size=3)), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(0, 11), st.booleans(), st.booleans()), max_size=12))
def test_any_papers_and_marks_give_an_order_of_the_unjudged_ones(
        raw: list[tuple[str, str, list[str]]], raw_marks: list[tuple[int, bool, bool]]) -> None:
    papers = [Paper(id=f"2501.{n:05d}", title=title, abstract=abstract, authors=authors,
                  appearances=[Appearance("d.md", "2025-01-06", "cs.CV")])
              for n, (title, abstract, authors) in enumerate(raw)]
    marks = {papers[i].id: Mark(papers[i].id, starred_at=T0 if star else None, dismissed_at=T1 if gone else None)
             for i, star, gone in raw_marks if i < len(papers)}
    _model, order, scores = rank_papers(papers, marks, kind="logistic")
    unjudged = {i for i, p in enumerate(papers) if p.id not in marks or marks[p.id].unread}
    assert set(order) == unjudged and all(0.0 <= s <= 1.0 for s in scores)


@pytest.mark.slow
def test_the_numpy_logistic_fit_agrees_with_scikit_learns() -> None:
    """rank_fit minimises scikit-learn's objective (class-balanced, sample-weighted, L2):
    the two orders of a library agree closely (liblinear also penalises the intercept)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from tui_reader.core.rank.features import N_FEATURES, FeatureCache
    from tui_reader.core.rank.fit import fit_logistic

    papers = _library(300, seed=4)
    rows = FeatureCache().rows(papers)
    rng = np.random.default_rng(1)
    labels = np.array([1 if _is_video(p) and rng.random() < 0.5 else 0 for p in papers])
    weights = rng.uniform(0.3, 1.0, len(papers))
    idf = rng.uniform(1.0, 3.0, N_FEATURES)
    norms = np.sqrt(rows.row_sums(idf * idf))
    coef, bias = fit_logistic(rows, idf, 1.0 / norms, labels, weights, 10.0, N_FEATURES)
    ours = rows.row_sums(coef * idf) / norms + bias
    theirs = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", tol=1e-8, max_iter=1000) \
        .fit(rows.matrix(idf, 1.0 / norms), labels, sample_weight=weights).decision_function(rows.matrix(idf, 1.0 / norms))
    assert np.corrcoef(ours, theirs)[0, 1] > 0.99
    assert len(set(np.argsort(-ours)[:30]) & set(np.argsort(-theirs)[:30])) >= 27


def test_the_why_line_names_title_words_once_without_the_features_prefix() -> None:
    papers = _library()
    model = Ranker().train(papers, _liking_video(papers, stars=20))
    liked = next(p for p in papers[60:] if _is_video(p))
    line = model.why(liked)
    assert line.startswith("like your stars: ") and "t:" not in line
    words = line.removeprefix("like your stars: ").split("; ")[0].split(", ")
    assert len(words) == len(set(words)) and all(set(w.split()) <= set(VIDEO) for w in words)


def test_a_forks_importance_score_is_learnt_where_present() -> None:
    """A reader who stars what the fork scores important, whatever the topic: new papers
    of high importance come first, and the why line says so."""
    rng = random.Random(12)
    papers = []
    for n in range(300):
        paper = _paper(n, VIDEO if n % 2 else PROOFS, rng)
        paper.importance = rng.choice((2, 3, 5, 8, 9))
        papers.append(paper)
    papers.append(_paper(999, VIDEO, rng))  # no score: no importance feature, no error
    training, new = papers[:200], papers[200:]
    marks = {p.id: Mark(p.id, starred_at=T0) for p in training if important(p)}
    marks.update({p.id: Mark(p.id, dismissed_at=T0) for p in training[:60] if p.importance == 2})
    model = Ranker().train(papers, marks)
    order, _ = for_you_order(model, marks, indices=range(200, len(papers)))
    top = [papers[i] for i in order[:20]]
    assert sum(1 for p in top if important(p)) >= 18
    assert "importance" in model.why(top[0])
    assert sum(1 for p in new if important(p)) > 20  # more than the top could hold by luck


def important(paper: Paper) -> bool:
    """A score of 8 or more (the papers here carry whole numbers)."""
    return isinstance(paper.importance, int) and paper.importance >= 8


def test_importance_tokens_of_odd_scores() -> None:
    from tui_reader.core.rank.features import importance_tokens

    assert importance_tokens(None) == [] and importance_tokens(float("nan")) == []
    assert importance_tokens(True) == []
    assert importance_tokens(42) == ["i:10", "i:high"] and importance_tokens(-1.5) == ["i:0", "i:low"]
    assert importance_tokens(5.4) == ["i:5", "i:mid"]


def test_a_paper_listed_again_with_its_summaries_is_hashed_again(tmp_path: Path) -> None:
    papers = _library(20)
    file = tmp_path / "features.npz"
    FeatureCache(file).rows(papers)
    first = papers[0]
    first.merge(Paper(id=first.id, title=first.title, tldr="a summary about lean theorem provers",
                      appearances=[Appearance("2025-01-06_AI_enhanced_English.jsonl", "2025-01-06", "cs.CV")]))
    cache = FeatureCache(file)
    cache.rows(papers)
    assert cache.hashed == 1


def test_hashing_stopped_half_way_leaves_the_features_whole() -> None:
    papers = _library(1_200)
    cache = FeatureCache()
    asked = iter([False, True])  # the first batch hashed, then stopped
    try:
        cache.rows(papers, stop=lambda: next(asked, True))
    except InterruptedError:
        pass
    rows = cache.rows(papers)
    fresh = FeatureCache().rows(papers)
    assert rows.indptr.tolist() == fresh.indptr.tolist() and rows.indices.tolist() == fresh.indices.tolist()


def test_a_feature_only_the_liked_hold_weighs_more_than_one_both_kinds_hold() -> None:
    import numpy as np

    from tui_reader.core.rank.features import PaperRows
    from tui_reader.core.rank.fit import log_count_ratio

    # Features: 0 in every liked paper and no other, 1 in every paper, 2 in none,
    # 3 in every other paper and no liked one.
    examples = [[0, 1], [0, 1], [0, 1], [1, 3], [1, 3], [1, 3], [1, 3]]
    indptr = np.cumsum([0] + [len(r) for r in examples])
    rows = PaperRows(indptr.astype(np.int64), np.asarray([f for r in examples for f in r], dtype=np.int32))
    labels = np.asarray([1, 1, 1, 0, 0, 0, 0])
    ratio = log_count_ratio(rows, labels, np.ones(7), 4)
    assert ratio[0] > 1.0 and ratio[3] > 1.0  # telling, either way (the fit gives the sign)
    assert ratio[1] == pytest.approx(abs(np.log((4 / 5) / (5 / 6))))  # held by all: near 0
    assert ratio[1] < 0.1 and ratio[2] < ratio[0]
    # An example counts by its weight: stars weighing 3 make the same evidence stronger.
    weighted = log_count_ratio(rows, labels, np.asarray([3, 3, 3, 1, 1, 1, 1.0]), 4)
    assert weighted[0] > ratio[0]  # smoothing weighs less against heavier examples


def test_the_logistic_fit_is_at_its_objectives_minimum_with_empty_rows_anywhere() -> None:
    """The fit's result zeroes the objective's gradient (fit_logistic's docstring), computed
    here densely; papers without a feature, last in the list too, count by their intercept."""
    import numpy as np

    from tui_reader.core.rank.features import PaperRows
    from tui_reader.core.rank.fit import fit_logistic

    rng = np.random.default_rng(3)
    n_features, rows_of = 40, []
    for i in range(60):
        rows_of.append(sorted(set(rng.integers(0, n_features, rng.integers(1, 8)).tolist())) if i % 7 and i < 57 else [])
    indptr = np.zeros(len(rows_of) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows_of], out=indptr[1:])
    rows = PaperRows(indptr, np.array([f for r in rows_of for f in r], dtype=np.int32))
    labels = np.array([1 if (r and r[0] < 12) or i == 59 else 0 for i, r in enumerate(rows_of)])
    weights, per_feature, scale = rng.uniform(0.3, 1.0, len(rows_of)), rng.uniform(0.0, 2.0, n_features), rng.uniform(0.5, 1.0, len(rows_of))
    per_feature[5] = 0.0  # a feature too rare to weigh
    c = 10.0
    coef, bias = fit_logistic(rows, per_feature, scale, labels, weights, c, n_features, tolerance=1e-9)
    x = np.zeros((len(rows_of), n_features))
    for i, r in enumerate(rows_of):
        x[i, r] = per_feature[r] * scale[i]
    y = np.where(labels > 0, 1.0, -1.0)
    balance = np.array([len(y) / (2 * np.sum(y == v)) for v in y])
    def gradient(w: np.ndarray, b: float) -> np.ndarray:
        slope = -y * c * balance * weights / (1.0 + np.exp(y * (x @ w + b)))
        return np.append(x.T @ slope + w, slope.sum())

    assert np.abs(gradient(coef, bias)).max() < 1e-5 * np.abs(gradient(np.zeros(n_features), 0.0)).max()
    assert coef[5] == 0.0
