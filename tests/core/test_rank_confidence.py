"""Confidence groups: thresholds from the person's own liked and passed-over scores, held out."""
from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.rank import ranker
from tui_reader.core.rank.ranker import Model, Ranker
from tui_reader.core.rank.confidence import LIKELY, MAYBE, UNLIKELY, Confidence, calibrate
from tui_reader.core.rank.teach import is_negative, is_positive
from tui_reader.core.state.store import Mark

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_too_few_marks_on_either_side_give_no_groups():
    assert calibrate([0.9, 0.8], [0.1, 0.2, 0.3]) is None
    assert calibrate([0.9, 0.8, 0.7], [0.1, 0.2]) is None


def test_separated_scores_give_a_maybe_band_between_the_quartiles():
    confidence = calibrate([0.9, 0.8, 0.7, 0.6, 0.95], [0.1, 0.2, 0.3, 0.4, 0.05])
    assert confidence is not None
    assert confidence.likely == 0.7  # lower quartile of the liked
    assert confidence.unlikely == 0.3  # upper quartile of the passed over
    assert confidence.group(0.85) == LIKELY
    assert confidence.group(0.5) == MAYBE
    assert confidence.group(0.1) == UNLIKELY
    assert "likely (0.85" in confidence.explain(0.85)


def test_the_same_score_gets_the_same_word_whatever_the_day_brings():
    confidence = calibrate([0.6, 0.7, 0.8], [0.2, 0.3, 0.4])
    assert confidence is not None
    weak_day = [0.2, 0.25, 0.3]
    strong_day = [0.75, 0.8, 0.9]
    assert {confidence.group(s) for s in weak_day} == {UNLIKELY}
    assert {confidence.group(s) for s in strong_day} == {LIKELY}


@given(st.lists(unit, min_size=3, max_size=40), st.lists(unit, min_size=3, max_size=40), unit)
def test_thresholds_are_ordered_and_every_score_gets_one_group(liked, passed, score):
    confidence = calibrate(liked, passed)
    assert confidence is not None
    assert confidence.unlikely <= confidence.likely
    assert confidence.group(score) in (LIKELY, MAYBE, UNLIKELY)
    assert confidence.group(1.0) == LIKELY


# ---------------------------------------------------------------- held out, on a trained model

TOPIC = "video diffusion temporal frames motion denoising latent".split()
OTHER = "theorem prover lean formal proofs tactic lemma".split()
COMMON = "model learning data training results large efficient robust".split()
STAMP = "2025-01-06T10:00:00.000000+00:00"


def _noisy_paper(n: int, day: int, rng: random.Random) -> Paper:
    """A paper of the liked topic (odd n) or the other, its words mixed with common ones."""
    own = TOPIC if n % 2 else OTHER
    pick = lambda k: " ".join(rng.choice(own if rng.random() < 0.45 else COMMON) for _ in range(k))  # noqa: E731
    date = f"2025-01-{day:02d}"
    return Paper(id=f"2501.{n:05d}", title=pick(5), authors=[f"Author {rng.randrange(300)}"], category="cs.CV",
                 categories=["cs.CV"], abstract=pick(30), appearances=[Appearance(f"{date}.md", date, "cs.CV")])


def _days(count: int, per_day: int = 60, seed: int = 5) -> list[Paper]:
    rng = random.Random(seed)
    return [_noisy_paper(day * per_day + k, day, rng) for day in range(1, count + 1) for k in range(per_day)]


def _liked(paper: Paper) -> bool:
    return int(paper.id.split(".")[1]) % 2 == 1


def _marks(papers: list[Paper]) -> dict[str, Mark]:
    """Stars on most of the liked topic, dismissals and read-and-left on the other."""
    rng = random.Random(9)
    marks: dict[str, Mark] = {}
    for p in papers:
        roll = rng.random()
        if _liked(p) and roll < 0.6:
            marks[p.id] = Mark(p.id, starred_at=STAMP, read_at=STAMP)
        elif not _liked(p) and roll < 0.3:
            marks[p.id] = Mark(p.id, dismissed_at=STAMP) if roll < 0.15 else Mark(p.id, read_at=STAMP)
    return marks


def _calibrations(model: Model, papers: list[Paper], marks: dict[str, Mark]) -> tuple[Confidence, Confidence]:
    index = {p.id: i for i, p in enumerate(papers)}
    liked = [index[k] for k, m in marks.items() if is_positive(m)]
    passed = [index[k] for k, m in marks.items() if is_negative(m)]
    in_sample = calibrate(model.score(liked), model.score(passed))
    held_out = calibrate(model.held_out_scores(liked), model.held_out_scores(passed))
    assert in_sample is not None and held_out is not None
    return in_sample, held_out


def test_marked_papers_are_scored_by_fits_that_did_not_learn_from_them() -> None:
    papers = _days(4)
    marks = _marks(papers)
    model = Ranker().train(papers, marks)
    index = {p.id: i for i, p in enumerate(papers)}
    liked = [index[k] for k, m in marks.items() if is_positive(m)]
    passed = [index[k] for k, m in marks.items() if is_negative(m)]
    # Held out, the person's own stars look less sure and their passed-over papers less hopeless.
    assert sum(model.held_out_scores(liked)) < sum(model.score(liked))
    assert sum(model.held_out_scores(passed)) > sum(model.score(passed))
    unmarked = [i for i, p in enumerate(papers) if p.id not in marks][:20]
    assert model.held_out_scores(unmarked) == model.score(unmarked)
    # Without held-out fits, the held-out scores are the in-sample ones.
    plain = Ranker(held_out=False).train(papers, marks)
    assert plain.held_out_scores(liked) == plain.score(liked)
    # The in-sample thresholds sit further apart than the held-out ones (too sure).
    in_sample, held_out = _calibrations(model, papers, marks)
    assert held_out.likely - held_out.unlikely < in_sample.likely - in_sample.unlikely


def test_the_words_mean_the_same_on_every_later_day(monkeypatch: pytest.MonkeyPatch) -> None:
    # As in a real library, far more papers than the unjudged sample a training takes.
    monkeypatch.setattr(ranker, "UNLABELLED_SAMPLE", 100)
    papers = _days(9)
    trained_until = "2025-01-05"
    marks = _marks([p for p in papers if (p.date or "") < trained_until])
    model = Ranker().train(papers, marks)
    in_sample, held_out = _calibrations(model, papers, marks)
    likely_in_sample = likely_held_out = 0
    for day in sorted({p.date for p in papers if (p.date or "") >= trained_until}):
        members = [i for i, p in enumerate(papers) if p.date == day]
        groups: dict[str, list[bool]] = {LIKELY: [], MAYBE: [], UNLIKELY: []}
        for i, score in zip(members, model.score(members)):
            groups[held_out.group(score)].append(_liked(papers[i]))
            likely_in_sample += in_sample.group(score) == LIKELY
        likely_held_out += len(groups[LIKELY])
        assert len(groups[LIKELY]) >= 10, day  # of a day's 30 liked, many are called likely ...
        assert sum(groups[LIKELY]) / len(groups[LIKELY]) >= 0.8, day  # ... and likely means liked
        assert sum(groups[UNLIKELY]) / max(1, len(groups[UNLIKELY])) <= 0.2, day
    # Calibrated in-sample, the person's own stars set the bar too high: new papers are
    # called likely far less often (29 here on 5 days, against 112 held out).
    assert likely_in_sample < likely_held_out / 2


def _follower_marks(papers: list[Paper]) -> dict[str, Mark]:
    """Stars on every paper of 30 people, whatever its topic; dismissals on others."""
    followed = {f"Author {k}" for k in range(0, 300, 10)}
    marks = {p.id: Mark(p.id, starred_at=STAMP) for p in papers if followed & set(p.authors)}
    rng = random.Random(1)
    marks.update({p.id: Mark(p.id, dismissed_at=STAMP) for p in rng.sample(papers, 60) if p.id not in marks})
    return marks


def test_the_author_weight_is_the_one_that_ranks_held_out_marks_best(monkeypatch: pytest.MonkeyPatch) -> None:
    # Authors weighing nothing comes first: only the held-out measure can pick the other.
    monkeypatch.setattr(ranker, "AUTHOR_WEIGHT_CHOICES", (0.0, 3.0))
    papers = _days(6)
    trainer = Ranker()
    trainer.train(papers, _follower_marks(papers))
    assert trainer.author_weight == 3.0
    without = Ranker(held_out=False)  # no held-out fits: the first choice
    without.train(papers, _follower_marks(papers))
    assert without.author_weight == 0.0


def test_a_retraining_after_a_mark_keeps_the_choice_and_fits_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_reader.core.rank import fit

    calls = {"choosing": 0, "fits": 0}
    choosing, fitting = fit.fit_choosing, fit.fit_logistic

    def counted_choosing(*args: Any, **kwargs: Any) -> Any:
        calls["choosing"] += 1
        return choosing(*args, **kwargs)

    def counted_fit(*args: Any, **kwargs: Any) -> Any:
        calls["fits"] += 1
        return fitting(*args, **kwargs)

    monkeypatch.setattr(fit, "fit_choosing", counted_choosing)
    monkeypatch.setattr(fit, "fit_logistic", counted_fit)
    papers = _days(6)
    marks = _marks(papers)
    trainer = Ranker()
    first = trainer.train(papers, marks)
    assert calls["choosing"] == 1
    unmarked = [p for p in papers if p.id not in marks]
    marks[unmarked[0].id] = Mark(unmarked[0].id, starred_at=STAMP)
    calls.update(choosing=0, fits=0)
    again = trainer.train(papers, marks)
    assert calls == {"choosing": 0, "fits": 1}  # one fit, the choice kept
    index = {p.id: i for i, p in enumerate(papers)}
    liked = [index[k] for k, m in marks.items() if is_positive(m) and k != unmarked[0].id]
    assert again.held_out_scores(liked) == first.held_out_scores(liked)  # kept with the choice
    for paper in unmarked[1:1 + ranker.RECHOOSE_MARKS]:
        marks[paper.id] = Mark(paper.id, dismissed_at=STAMP)
    calls.update(choosing=0, fits=0)
    trainer.train(papers, marks, choose=False)  # the reader's retraining after a mark
    assert calls == {"choosing": 0, "fits": 1} and trainer.choice_due  # kept, and said to be due
    trainer.train(papers, marks)
    assert calls["choosing"] == 1 and not trainer.choice_due  # enough new marks: chosen again
