"""The For-you ranker: signals from marks, deterministic training, scores, the order and why."""
from __future__ import annotations

import random

import pytest

from tui_reader.core.model import Appearance, Paper
from tui_reader.core.rank.ranker import (
    KINDS, MIN_POSITIVES, MIN_STARS, TEACH_MESSAGE, Ranker, for_you_order, needed_marks,
)
from tui_reader.core.rank.signals import DISMISSED, ENGAGED, SEEN_AND_LEFT, STRONG, collect_signals
from tui_reader.core.state.store import Mark

T0 = "2025-01-06T10:00:00.000000+00:00"
T1 = "2025-01-06T11:00:00.000000+00:00"

TOPICS = {
    "video": ("cs.CV", "video diffusion temporal frames generation motion denoising latent clip".split()),
    "proofs": ("cs.LO", "theorem prover lean formal proofs tactic lemma verification kernel".split()),
    "robots": ("cs.RO", "robot grasping manipulation policy gripper sim2real locomotion arm".split()),
    "quantum": ("quant-ph", "qubit entanglement circuit noise error correction hamiltonian gate".split()),
}
FILLER = "data model learning training evaluation framework benchmark analysis".split()


def _paper(n: int, topic: str, rng: random.Random, day: str = "2025-01-06",
           authors: list[str] | None = None) -> Paper:
    category, words = TOPICS[topic]
    pick = lambda k: " ".join(rng.choice(words + FILLER) for _ in range(k))  # noqa: E731
    return Paper(id=f"2501.{n:05d}", title=pick(8), authors=authors or [f"Author {rng.randrange(300)}"],
                 category=category, categories=[category], abstract=pick(60), tldr=pick(15),
                 appearances=[Appearance(f"{day}.md", day, category)])


@pytest.fixture
def library() -> list[Paper]:
    rng = random.Random(7)
    topics = list(TOPICS)
    return [_paper(n, topics[n % len(topics)], rng) for n in range(200)]


def _topic(paper: Paper) -> str:
    return next(t for t, (category, _) in TOPICS.items() if category == paper.category)


def _marks_liking(papers: list[Paper], topic: str, *, stars: int = 8, dismissals: int = 8) -> dict[str, Mark]:
    liked = [p for p in papers if _topic(p) == topic][:stars]
    disliked = [p for p in papers if _topic(p) != topic][:dismissals]
    marks = {p.id: Mark(p.id, starred_at=T0) for p in liked}
    marks.update({p.id: Mark(p.id, dismissed_at=T0) for p in disliked})
    return marks


# ---------------------------------------------------------------------------- signals

def test_stars_notes_and_tags_are_strong_positives_and_dismissals_negatives() -> None:
    marks = {"a": Mark("a", starred_at=T0), "b": Mark("b", note="read this again"),
             "c": Mark("c", tags=("ml",)), "d": Mark("d", dismissed_at=T0), "e": Mark("e", read_at=T0)}
    signals = collect_signals(marks)
    assert signals.positive == {"a": STRONG, "b": STRONG, "c": STRONG}
    assert signals.negative == {"d": DISMISSED, "e": SEEN_AND_LEFT}
    assert SEEN_AND_LEFT < DISMISSED


def test_papers_the_reader_saw_engaged_are_weaker_positives_unless_dismissed() -> None:
    marks = {"d": Mark("d", dismissed_at=T0), "s": Mark("s", starred_at=T0), "r": Mark("r", read_at=T0)}
    signals = collect_signals(marks, engaged={"x", "d", "s", "r"})
    assert signals.positive == {"s": STRONG, "x": ENGAGED, "r": ENGAGED}
    assert signals.negative == {"d": DISMISSED}
    assert ENGAGED < STRONG


def test_the_later_of_a_star_and_a_dismissal_is_the_verdict() -> None:
    starred_after = Mark("a", starred_at=T1, dismissed_at=T0)
    dismissed_after = Mark("b", starred_at=T0, dismissed_at=T1)
    signals = collect_signals({"a": starred_after, "b": dismissed_after})
    assert "a" in signals.positive and "b" in signals.negative


# ---------------------------------------------------------------------------- training

@pytest.mark.parametrize("kind", KINDS)
def test_the_topic_the_person_stars_ranks_above_the_others(library: list[Paper], kind: str) -> None:
    model = Ranker(kind=kind).train(library, _marks_liking(library, "video"))
    assert model.learned and not model.message
    scores = model.score(range(len(library)))
    ranked = sorted(range(len(library)), key=lambda i: -scores[i])
    assert all(_topic(library[i]) == "video" for i in ranked[:40])  # of 50 video papers
    assert all(0.0 <= s <= 1.0 for s in scores)


@pytest.mark.parametrize("kind", KINDS)
def test_training_twice_gives_the_same_scores(library: list[Paper], kind: str) -> None:
    marks = _marks_liking(library, "proofs")
    first = Ranker(kind=kind).train(library, marks).score(range(len(library)))
    ranker = Ranker(kind=kind)
    ranker.train(library, {})  # features kept from this first training
    assert ranker.train(library, marks).score(range(len(library))) == first
    assert Ranker(kind=kind).train(list(reversed(library)), marks).score(range(len(library)))[::-1] \
        == pytest.approx(first, abs=1e-6)


def test_a_retraining_after_a_mark_starts_from_the_last_fit_and_ends_where_a_fresh_one_does(
        library: list[Paper], monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from tui_reader.core.rank import fit

    steps: list[int] = []
    search = fit._lbfgs

    def counted(value_and_gradient, *args, **kwargs):
        calls = [0]

        def counting(theta):
            calls[0] += 1
            return value_and_gradient(theta)

        result = search(counting, *args, **kwargs)
        steps.append(calls[0])
        return result

    monkeypatch.setattr(fit, "_lbfgs", counted)
    marks = _marks_liking(library, "proofs", stars=30, dismissals=20)
    ranker = Ranker(held_out=False)
    ranker.train(library, marks)
    extra = next(p for p in library if _topic(p) == "proofs" and p.id not in marks)
    marks[extra.id] = Mark(extra.id, starred_at=T0)
    warm = ranker.train(library, marks).score(range(len(library)))
    fresh = Ranker(held_out=False).train(library, marks).score(range(len(library)))
    first, again, cold = steps
    assert again < 0.7 * cold  # from the last fit, fewer steps (75,000 papers: 14 against 43)
    assert np.corrcoef(warm, fresh)[0, 1] > 0.9999
    assert sorted(range(len(library)), key=lambda i: -warm[i])[:20] == sorted(range(len(library)), key=lambda i: -fresh[i])[:20]


def test_the_svm_kind_learns_the_topic_too(library: list[Paper]) -> None:
    model = Ranker(kind="svm").train(library, _marks_liking(library, "robots"))
    order, _ = for_you_order(model, {})
    assert all(_topic(library[i]) == "robots" for i in order[:10])


def test_a_new_day_is_scored_with_the_model_of_the_old_ones(library: list[Paper]) -> None:
    model = Ranker().train(library, _marks_liking(library, "quantum"))
    rng = random.Random(99)
    fresh = [_paper(900 + n, topic, rng, day="2025-01-07") for n, topic in enumerate(["quantum", "robots", "proofs"])]
    scores = model.score_papers(fresh)
    assert scores[0] > scores[1] and scores[0] > scores[2]


def test_a_reader_who_stars_by_author_gets_that_authors_papers_first() -> None:
    rng = random.Random(3)
    topics = list(TOPICS)
    papers = [_paper(n, topics[n % 4], rng, authors=["Jürgen Müller"] if n % 10 == 0 else None)
              for n in range(200)]
    marks = {p.id: Mark(p.id, starred_at=T0) for p in papers[:100] if p.authors == ["Jürgen Müller"]}
    model = Ranker().train(papers, marks)
    order, _ = for_you_order(model, marks, indices=range(100, 200))
    assert {papers[i].authors[0] for i in order[:8]} == {"Jürgen Müller"}


# ---------------------------------------------------------------------------- fallback and order

def test_without_a_star_the_order_is_the_watch_list_and_says_how_to_teach_it(library: list[Paper]) -> None:
    marks = {p.id: Mark(p.id, dismissed_at=T0) for p in library[:5]}
    # Papers only dwelt on teach, but fewer than MIN_POSITIVES of them are no verdict.
    engaged = [p.id for p in library[5:5 + MIN_POSITIVES - 1]]
    model = Ranker(watch_keywords=["Entanglement"]).train(library, marks, engaged)
    assert not model.learned and model.message == TEACH_MESSAGE
    order, scores = for_you_order(model, marks)
    watched = [i for i in order if scores[order.index(i)] > 0]
    assert watched and all("entanglement" in (library[i].title + library[i].abstract + library[i].tldr)
                           for i in watched)
    assert order[len(watched):] == sorted(order[len(watched):])  # the rest in digest order
    assert model.why(library[order[0]]) == "on your watch list: entanglement"
    assert model.why(library[order[-1]]) == TEACH_MESSAGE


def test_the_order_is_learnt_from_the_first_star(library: list[Paper]) -> None:
    starred = next(p for p in library if "diffusion" in p.title.split())
    marks = {starred.id: Mark(starred.id, starred_at=T0)}
    model = Ranker().train(library, marks)
    assert model.learned and needed_marks(marks, library) == 0
    order, _ = for_you_order(model, marks)
    top = [library[i] for i in order[:10]]
    # Like the starred paper: its title word, where a tenth of the library has it.
    share = sum("diffusion" in p.title.split() for p in library) / len(library)
    assert sum("diffusion" in p.title.split() for p in top) / len(top) > 2 * share
    assert needed_marks({}, library) == MIN_STARS == 1


def test_for_you_leaves_out_read_dismissed_and_hidden_papers(library: list[Paper]) -> None:
    marks = _marks_liking(library, "video")
    read, hidden = [p.id for p in library if p.id not in marks][:2]
    marks[read] = Mark(read, read_at=T0)
    model = Ranker().train(library, marks)
    order, scores = for_you_order(model, marks, hidden={hidden})
    left_out = {p.id for p in library} - {library[i].id for i in order}
    assert left_out == {read, hidden} | {i for i, m in marks.items() if m.dismissed}
    assert scores == sorted(scores, reverse=True)


def test_a_stop_request_interrupts_the_first_training() -> None:
    rng = random.Random(5)
    papers = [_paper(n, list(TOPICS)[n % 4], rng) for n in range(120)]
    with pytest.raises(InterruptedError):
        Ranker().train(papers, _marks_liking(papers, "video", stars=12), stop=lambda: True)


def test_with_nothing_to_learn_from_no_paper_is_hashed(library: list[Paper]) -> None:
    """Hashing a year and a half of papers takes seconds of the interpreter: not for a
    model that falls back to the watch list anyway."""
    ranker = Ranker()
    model = ranker.train(library, {}, stop=lambda: True)  # stop is never asked: nothing to stop
    assert not model.learned
    assert ranker._features is None


# ---------------------------------------------------------------------------- why

def test_the_explanation_names_the_words_and_author_the_person_likes() -> None:
    rng = random.Random(5)
    topics = list(TOPICS)
    papers = [_paper(n, topics[n % 4], rng) for n in range(120)]
    for p in papers:
        if _topic(p) == "video" and int(p.id[-3:]) % 8 == 0:
            p.authors = ["Anna Müller"]
    marks = _marks_liking(papers, "video", stars=12)
    for p in papers[:60]:
        if p.authors == ["Anna Müller"]:
            marks[p.id] = Mark(p.id, starred_at=T0)
    model = Ranker().train(papers, marks)
    target = next(p for p in papers[60:] if p.authors == ["Anna Müller"])
    line = model.why(target)
    assert line.startswith("like your stars: ")
    terms = line.removeprefix("like your stars: ").split("; ")[0].split(", ")
    # Words and word pairs, each holding a word of the liked topic.
    assert terms and all(set(term.split(" ")) & set(TOPICS["video"][1]) for term in terms)
    assert "Müller" in line
    off_topic = next(p for p in papers if _topic(p) == "quantum")
    assert "Müller" not in model.why(off_topic)


@pytest.mark.parametrize(("kind", "imported"), [("bayes", ["numpy"]), ("logistic", ["numpy"]),
                                               ("svm", ["numpy", "scipy", "sklearn"])])
def test_the_ranker_imports_numpy_when_it_trains_and_scikit_learn_only_for_svm(kind: str, imported: list[str]) -> None:
    import subprocess
    import sys

    code = ("import sys\n"
            "from tui_reader.core.rank import ranker as rank; from tui_reader.core.search import hide; from tui_reader.core import config\n"
            "assert not {'numpy', 'sklearn', 'scipy'} & set(sys.modules), 'imported at start'\n"
            "from tui_reader.core.model import Paper\n"
            "from tui_reader.core.state.store import Mark\n"
            "papers = [Paper(id=f'2501.{n:05d}', title=f'topic{n % 2} words') for n in range(20)]\n"
            "marks = {p.id: Mark(p.id, starred_at='2025-01-01T00:00:00+00:00') for p in papers[:6:2]}\n"
            f"model = rank.Ranker(kind={kind!r}).train(papers, marks)\n"
            "assert model.learned\n"
            "print(' '.join(sorted(m for m in ('numpy', 'sklearn', 'scipy') if m in sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == imported
