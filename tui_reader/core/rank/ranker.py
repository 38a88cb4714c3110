"""For you: a text classifier learnt from the person's marks; scores, the For-you order, and why."""
from __future__ import annotations

import math
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_reader.core.fold import fold
from tui_reader.core.model import LONG_FIELDS, long_texts
from tui_reader.core.rank.features import (
    AUTHOR_PREFIX, CATEGORY_PREFIX, IMPORTANCE_PREFIX, TITLE_PREFIX, FeatureCache, PaperRows, hash_tokens, kind_weights, paper_features,
    paper_tokens,
)
from tui_reader.core.rank.memory import give_back_freed_memory, in_own_pages
from tui_reader.core.rank.signals import STRONG, Signals, collect_signals

if TYPE_CHECKING:
    import numpy as np

    from tui_reader.core.model import Paper
    from tui_reader.core.state.store import Mark

__all__ = ["MIN_POSITIVES", "MIN_STARS", "TEACH_MESSAGE", "Model", "Ranker", "collect_signals", "features_file", "for_you_order",
           "needed_marks", "needed_message", "rank_papers"]

MIN_STARS = 1
"""The order is learnt from the first star (or note, or tags); before it, the watch list's.
Real data (benchmarks/bench_newcomer_real.py), a newcomer's first teaching triage of 20
papers gives one star or none: learning from it, p@10 on the next days went from digest
order's 0.05 to 0.25 (diffusion) and 0.06 to 0.22 (RL); it was 3 before."""
MIN_POSITIVES = 3
"""Or this many liked papers of any weight: papers only dwelt on or opened full screen
(signals.ENGAGED) teach too, but one of them alone is not a verdict."""
FEATURES_FILE_NAME = "rank-features.npz"
TEACH_MESSAGE = "star or dismiss a few papers to teach the For-you order"
UNLABELLED_SAMPLE = 4_000
"""Papers without a verdict taken as weak negatives per training (a fixed-seed sample):
training costs the same at 5,000 papers and at 75,000. Real data (bench_rank_real.py, three
draws): at 8,000 the subfield and author readers found a paper or two more on some draws
(means 0.499 / 0.485 / 0.508 against 0.498 / 0.484 / 0.505), every reader at or above the
baseline with either; 8,000 makes every fit twice as dear (a retraining's slowest 0.96 s at
75,000 papers, against a 1 s budget)."""
UNLABELLED_WEIGHT = 0.3
"""Weight of an unmarked paper as a negative: most are merely unread, not unwanted."""
SEED = 0
KINDS = ("bayes", "logistic", "svm")
DEFAULT_KIND = "logistic"
"""Chosen on the generator's real history (benchmarks/bench_rank_real.py): logistic p@10
mean 0.46 against bayes 0.15 and svm 0.42 (the same features)."""
"""bayes: Bernoulli naive Bayes log-count ratios over the whole library (numpy only);
logistic, svm: scikit-learn's LogisticRegression / LinearSVC on TF-IDF of a sample."""
BAYES_SMOOTHING = 0.5
LOGISTIC_C = 10.0
"""The logistic model's inverse regularisation at regularisation 1 (as scikit-learn's C)."""
CONFIDENT_POSITIVES = 40
"""Below this many liked papers the logistic model is regularised more (C scaled down in
proportion): class balancing gives each of four stars a quarter of the positive weight, and
the chance words and co-authors they share would otherwise outrank the topic (the command
line's test library: a proof paper 12th among 23 video papers at C 10, none above them at 1)."""
AUTHOR_WEIGHT_CHOICES = (3.0, 0.5)
"""The logistic model's author weights (against one word's 1) tried per training: the one
whose fit ranks the person's own marks best when they are held out is kept, the first on
a tie. A person who follows people needs authors to weigh (real data, 60 followed authors:
p@10 0.34 at 3, 0.14 at 1); for a topic reader the same weight lets chance co-authors
crowd the topic out (`reinforcement learning`: 0.78 at 3, 0.80 without authors)."""
RECHOOSE_MARKS = 10
"""The author weight is chosen again (four held-out fits: twice a retraining's time, 0.85 s
at 75,000 papers) once the person has given this many marks more or fewer than at
the last choice, or the library changed; a retraining after a mark or two keeps it (and its
held-out scores). The reader asks a retraining after a mark not to choose (train's
`choose`), and chooses in a training of its own once the keyboard rests."""
RARE_CUT_FROM = 1_000
RARE_WORD, RARE_AUTHOR = 5, 3
"""From RARE_CUT_FROM papers on, the logistic model leaves out words found in fewer than
RARE_WORD papers and authors of fewer than RARE_AUTHOR: they cannot recur in enough new
papers to teach anything, and let the fit explain a mark by a paper's oddities."""
AUTHOR_WEIGHTS = {"bayes": 8.0, "logistic": 3.0, "svm": 2.0}
"""How much more an author weighs than one word, per kind: a paper has ~200 words and a
few authors, and a reader who follows people should not be drowned by their community's
vocabulary (benchmarks/bench_rank.py's by-author reader, bayes: p@10 0.12 at 3, 0.21 at 8).
The discriminative kinds need less: there a boost mostly amplifies chance co-authors."""
CATEGORY_WEIGHT = 1.0
_SCORED_PER_BLOCK = 8_192
"""Papers whose features are unpacked at a time to score them."""


class Model:
    """A trained ranking of `papers` (the list given to Ranker.train): score(indices) and
    why(paper). `learned` is False for the watch-list fallback, whose `message` says how
    to teach it."""

    def __init__(self, papers: Sequence[Paper], rows: PaperRows, *, weights: np.ndarray | None,
                 bias: float, idf: np.ndarray, message: str = "",
                 watch: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
                 held_out: Mapping[int, float] | None = None) -> None:
        self.papers = papers
        self._held_out = dict(held_out or {})
        self.learned = weights is not None
        self.message = message
        self._rows = rows
        self._bias = bias
        # Kept as the two products scoring needs (float32: 2.6 MB each at 656,384 features),
        # in pages of their own: a model replaced by the next training gives them back.
        self._weights = None if weights is None else in_own_pages((idf * weights).astype("float32"))
        self._squares = None if weights is None else in_own_pages((idf * idf).astype("float32"))
        self._watch_words, self._watch_authors = watch

    def score(self, indices: Sequence[int]) -> list[float]:
        """Scores in 0..1 (higher: more the person's taste) of papers[i] for each i."""
        import numpy as np

        rows = np.asarray(indices, dtype=np.int64)
        if not len(rows):
            return []
        if self._weights is None:
            return [self._watch_score(self.papers[int(i)]) for i in rows]
        decision = self._decision(rows)
        return (1.0 / (1.0 + np.exp(-decision))).tolist()

    def held_out_scores(self, indices: Sequence[int]) -> list[float]:
        """Scores of papers[i] as a model that did not learn from them gives them: for a
        marked paper, from the fit that held it out (Ranker(held_out=True)); for any
        other, its score. What calibrating the confidence words on the person's marks needs
        (their in-sample scores are too sure of themselves)."""
        missing = [i for i in indices if i not in self._held_out]
        scored = dict(zip(missing, self.score(missing)))
        return [self._held_out[i] if i in self._held_out else scored[i] for i in indices]

    def _decision(self, rows: np.ndarray) -> np.ndarray:
        """The linear model's value for papers[rows]: features weighted (idf), the row made
        unit length, then the weights applied."""
        import numpy as np

        assert self._weights is not None and self._squares is not None
        decision = np.empty(len(rows), dtype=np.float64)
        # A block of papers at a time: the features of a whole library, unpacked, would
        # hold as much memory again as the library's packed ones (PaperRows).
        for first in range(0, len(rows), _SCORED_PER_BLOCK):
            subset = self._rows.subset(rows[first:first + _SCORED_PER_BLOCK])
            norms = np.sqrt(subset.row_sums(self._squares))
            norms[norms == 0] = 1.0
            decision[first:first + len(norms)] = subset.row_sums(self._weights) / norms + self._bias
        return decision

    def score_papers(self, papers: Sequence[Paper]) -> list[float]:
        """Scores of papers not necessarily in the trained list (a day that just arrived)."""
        import copy

        if self._weights is None:
            return [self._watch_score(p) for p in papers]
        model = copy.copy(self)  # the same weights (shared), over these papers' features
        model.papers = papers
        model._held_out = {}  # indices of the trained list: none of these papers
        model._rows = PaperRows(*paper_features(papers))
        return model.score(range(len(papers)))

    def why(self, paper: Paper) -> str:
        """One line saying what in this paper weighs most for the person, e.g.
        "like your stars: diffusion, video; Müller; cs.CV" (empty when nothing does)."""
        if self._weights is None:
            hits = self._watch_hits(paper)
            if hits:
                return "on your watch list: " + ", ".join(hits[:4])
            return self.message
        import numpy as np

        # Sorted: words of equal weight (one star gives many) are named in the same order in
        # every process (a paper's words come from a set, whose order changes with the hash seed).
        tokens = sorted(set(paper_tokens(paper)))
        if not tokens:
            return ""
        _, features = hash_tokens([[t] for t in tokens])
        assert self._squares is not None
        norm = math.sqrt(float(np.sum(self._squares[features], dtype=np.float64))) or 1.0
        weight = self._weights[features].astype(np.float64) / norm
        display = _display_names(paper)
        groups: dict[str, list[tuple[float, str]]] = {"word": [], "author": [], "category": []}
        for k in np.argsort(-weight, kind="stable"):
            if weight[k] <= 0:
                break
            token = tokens[int(k)]
            if token.startswith(AUTHOR_PREFIX):
                groups["author"].append((float(weight[k]), display.get(token, token[len(AUTHOR_PREFIX):])))
            elif token.startswith(CATEGORY_PREFIX):
                groups["category"].append((float(weight[k]), token[len(CATEGORY_PREFIX):]))
            elif token.startswith(IMPORTANCE_PREFIX):
                if paper.importance is not None and not any(n.startswith("importance") for _, n in groups["category"]):
                    from tui_reader.core.formats.importance import shown_importance

                    groups["category"].append((float(weight[k]), f"importance {shown_importance(paper.importance)}"))
            else:  # a word, or a title's word or pair (said once, without the prefix)
                word = token[len(TITLE_PREFIX):] if token.startswith(TITLE_PREFIX) else token
                if all(word != seen for _, seen in groups["word"]):
                    groups["word"].append((float(weight[k]), word))
        # Within each kind, only what weighs near its strongest (one strong author and two
        # chance words would otherwise read as three reasons).
        limits = {"word": 3, "author": 2, "category": 1}
        words, people, categories = ([name for w, name in found[:limits[kind]] if w >= 0.3 * found[0][0]]
                                     for kind, found in groups.items())
        parts = [", ".join(group) for group in (words, people, categories) if group]
        return "like your stars: " + "; ".join(parts) if parts else ""

    # ------------------------------------------------------------------ watch list

    def _watch_hits(self, paper: Paper) -> list[str]:
        hits: list[str] = []
        if self._watch_words:
            texts = long_texts(paper)  # read, not kept: a light paper stays light
            text = fold(" ".join((paper.title, texts[LONG_FIELDS.index("tldr")], texts[LONG_FIELDS.index("abstract")])))
            hits.extend(w for w in self._watch_words if w in text)
        if self._watch_authors and paper.authors:
            people = fold(" | ".join(paper.authors))
            hits.extend(a for a in self._watch_authors if a in people)
        return hits

    def _watch_score(self, paper: Paper) -> float:
        """More watched keywords and authors, a higher score; 0 with none."""
        hits = len(self._watch_hits(paper))
        return hits / (hits + 1.0)


def _display_names(paper: Paper) -> dict[str, str]:
    """Author tokens to the name as the digest spells it (accents kept)."""
    return {AUTHOR_PREFIX + " ".join(fold(name).split()): " ".join(name.split()).split(" ")[-1]
            for name in paper.authors if name.strip()}


class Ranker:
    """Trains Models from marks, keeping every paper's features between trainings (the
    first training hashes the library; later ones after a mark only refit). Meant for a
    worker thread: numpy is imported on the first train (scikit-learn too for the logistic
    and svm kinds). One train at a time."""

    def __init__(self, *, watch_keywords: Sequence[str] = (), watch_authors: Sequence[str] = (),
                 kind: str = DEFAULT_KIND, regularisation: float = 1.0,
                 features_file: Path | None = None, held_out: bool = True) -> None:
        if kind not in KINDS:
            raise ValueError(f"no such ranker kind: {kind!r} ({', '.join(KINDS)})")
        self.kind = kind
        self.regularisation = regularisation
        self.held_out = held_out
        self.author_weight = AUTHOR_WEIGHT_CHOICES[0]
        """The logistic model's author weight chosen at the last training."""
        self._chosen: tuple[np.ndarray, int, int, dict[int, float]] | None = None
        """The library's features, the number of marks, the choice and the held-out scores
        of the last training that chose (see RECHOOSE_MARKS)."""
        """Whether the logistic kind scores its examples by fits that did not see them
        (rank_fit.FOLDS parts): to choose the author weight (AUTHOR_WEIGHT_CHOICES) and to
        give Model.held_out_scores. Without, the first choice and in-sample scores."""
        self._watch = (tuple(fold(k).strip() for k in watch_keywords if k.strip()),
                       tuple(fold(a).strip() for a in watch_authors if a.strip()))
        self.choice_due = False
        """Whether the author weight is due to be chosen again (see train's `choose`)."""
        self._last_fit: tuple[np.ndarray, float] | None = None
        """The logistic model's last fit as its weighting times its weights, and its
        intercept: where the next fit starts (75,000 papers, a retraining after a star: 14
        steps, 43 from zero; benchmarks/bench_rank.py)."""
        self._features: FeatureCache | None = None
        self._features_file = features_file
        self._idf_of: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def train(self, papers: Sequence[Paper], marks: Mapping[str, Mark], engaged: Collection[str] = (),
              *, stop: Callable[[], bool] | None = None, choose: bool = True) -> Model:
        """A Model of `papers` learnt from the marks (and `engaged`: ids of papers opened full
        screen or dwelt on). Without a star (MIN_STARS) and with fewer than MIN_POSITIVES
        liked papers of any weight, the watch-list fallback (Model.learned False, Model.message says how to teach it). Deterministic:
        the same papers and marks give the same scores. `stop` is asked now and then;
        InterruptedError when it says stop. With `choose` False, a choice of the author
        weight made on this library stands however many marks came since (one fit, not five:
        a retraining after a mark stays within a second), and `choice_due` says a training
        with `choose` should follow."""
        try:
            return self._train(papers, marks, engaged, stop, choose)
        finally:
            # Once the training's arrays are all gone (its locals go at its return): asked
            # inside it, 5-15 MB freed after stayed with the process (75,000 papers).
            give_back_freed_memory()

    def _train(self, papers: Sequence[Paper], marks: Mapping[str, Mark], engaged: Collection[str],
               stop: Callable[[], bool] | None, choose: bool) -> Model:
        import numpy as np

        signals = collect_signals(marks, engaged)
        judged_ids = signals.positive.keys() | signals.negative.keys()
        position = {p.id: i for i, p in enumerate(papers) if p.id in judged_ids}
        positive = [(position[i], w) for i, w in signals.positive.items() if i in position]
        negative = [(position[i], w) for i, w in signals.negative.items() if i in position]
        strong = sum(1 for _, w in positive if w >= STRONG)
        if strong < MIN_STARS and len(positive) < MIN_POSITIVES:
            # Nothing to learn from yet: the watch list reads the texts, and hashing every
            # paper's features (seconds at a year and a half) would be wasted.
            no_features = PaperRows(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32))
            return Model(papers, no_features, weights=None, bias=0.0, idf=np.zeros(0), message=TEACH_MESSAGE,
                         watch=self._watch)
        with self._lock:
            if self._features is None:
                self._features = FeatureCache(self._features_file)
            rows = self._features.rows(papers, stop)
        n = len(papers)
        if stop is not None and stop():
            raise InterruptedError("training stopped")
        held_out: dict[int, float] = {}
        if self.kind == "bayes":
            coef, idf = _bayes(rows, positive, negative)
            idf *= kind_weights(AUTHOR_WEIGHTS[self.kind], CATEGORY_WEIGHT)
            bias = 0.0
            examples = [i for i, _ in positive] + [i for i, _ in negative] + \
                _unlabelled_sample(n, {i for i, _ in positive} | {i for i, _ in negative})
        else:
            examples, labels, weights = _examples(n, positive, negative, signals)
            # In paper-id order: the solver's result then does not hang on the library's order.
            canonical = sorted(range(len(examples)), key=lambda k: papers[examples[k]].id)
            examples = [examples[k] for k in canonical]
            labels = [labels[k] for k in canonical]
            weights = [weights[k] for k in canonical]
            subset = rows.subset(np.asarray(examples, dtype=np.int64))
            if self.kind == "logistic":
                from tui_reader.core.rank.features import N_FEATURES
                from tui_reader.core.rank.fit import fit_choosing, fit_scaled

                c = self.regularisation * LOGISTIC_C * min(1.0, len(positive) / CONFIDENT_POSITIVES)
                base = self._idf(rows)
                candidates = [base * kind_weights(w, CATEGORY_WEIGHT) for w in AUTHOR_WEIGHT_CHOICES]
                chosen = self._chosen
                judged_count = len(positive) + len(negative)
                fitted: tuple[np.ndarray, np.ndarray, float] | None = None
                if chosen is not None and chosen[0] is rows.storage and (
                        abs(judged_count - chosen[1]) < RECHOOSE_MARKS or not choose):
                    # A few marks since the choice, the same library: the choice and the
                    # held-out scores stand (a paper marked since has its own score).
                    choice, held_out = chosen[2], chosen[3]
                    self.choice_due = abs(judged_count - chosen[1]) >= RECHOOSE_MARKS
                elif self.held_out:
                    choice, scaled, coef, bias, held = fit_choosing(subset, candidates, np.asarray(labels),
                                                                    np.asarray(weights), c, N_FEATURES,
                                                                    previous=self._last_fit)
                    fitted = (scaled, coef, bias)
                    # Spread like the final scores (centred, scaled over the examples): the
                    # held-out fits saw fewer examples and stopped sooner, so their values are
                    # smaller; their order is what they are for.
                    judged = {i for i, _ in positive} | {i for i, _ in negative}
                    held = (held - float(np.mean(held))) / (float(np.std(held)) or 1.0)
                    held_out = {i: _logistic(d) for i, d in zip(examples, held.tolist()) if i in judged}
                    self._chosen = (rows.storage, judged_count, choice, held_out)
                    self.choice_due = False
                else:
                    choice = 0  # no held-out fits: the first candidate
                idf, coef, bias = fitted or fit_scaled(subset, candidates[choice], np.asarray(labels),
                                                       np.asarray(weights), c, N_FEATURES, previous=self._last_fit)
                self._last_fit = ((idf * coef).astype(np.float32), bias)
                self.author_weight = AUTHOR_WEIGHT_CHOICES[choice]
                del candidates
            else:
                idf = self._idf(rows) * kind_weights(AUTHOR_WEIGHTS[self.kind], CATEGORY_WEIGHT)
                norms = np.sqrt(subset.row_sums(idf * idf))
                norms[norms == 0] = 1.0
                coef, bias = self._fit(subset.matrix(idf, 1.0 / norms), np.asarray(labels), np.asarray(weights))
        # Scores are spread over 0..1 the same way whatever the kind: the decision values of
        # the examples are centred and scaled before the logistic curve (the order is kept).
        raw = Model(papers, rows, weights=coef, bias=bias, idf=idf)._decision(np.asarray(examples, dtype=np.int64))
        centre, spread = float(np.mean(raw)), float(np.std(raw)) or 1.0
        model = Model(papers, rows, weights=coef / spread, bias=(bias - centre) / spread, idf=idf,
                      held_out=held_out)
        return model

    def _idf(self, rows: PaperRows) -> np.ndarray:
        """Each feature's inverse document frequency, 0 for one too rare to recur (see
        RARE_WORD / RARE_AUTHOR); kept while the library's features are the same arrays (a
        retraining after a mark reuses it)."""
        import numpy as np

        from tui_reader.core.rank.features import WORD_FEATURES

        if self._idf_of is not None and self._idf_of[0] is rows.storage and self._idf_of[1] is rows.indptr:
            return self._idf_of[2]
        n = len(rows)
        df = rows.document_frequency()
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        if n >= RARE_CUT_FROM and self.kind == "logistic":
            rare = df < RARE_WORD
            rare[WORD_FEATURES:] = df[WORD_FEATURES:] < RARE_AUTHOR
            idf[rare] = 0.0
        self._idf_of = (rows.storage, rows.indptr, idf)
        return idf

    def _fit(self, matrix: Any, labels: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
        """The linear model's weight per feature and its intercept."""
        import numpy as np

        if self.kind == "svm":
            from sklearn.svm import LinearSVC

            classifier: Any = LinearSVC(C=self.regularisation * 0.1, class_weight="balanced", random_state=SEED)
        else:
            from sklearn.linear_model import LogisticRegression

            classifier = LogisticRegression(C=self.regularisation * LOGISTIC_C, class_weight="balanced",
                                            solver="liblinear", random_state=SEED, max_iter=200)
        classifier.fit(matrix, labels, sample_weight=weights)
        return np.asarray(classifier.coef_[0], dtype=np.float64), float(classifier.intercept_[0])


def _logistic(value: float) -> float:
    """1 / (1 + e^-value), without overflow."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    e = math.exp(value)
    return e / (1.0 + e)


def _bayes(rows: PaperRows, positive: list[tuple[int, float]],
           negative: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature log ratio of how often liked and not-liked papers hold it (Bernoulli
    naive Bayes), and unit feature weights. Not liked: the dismissed, and every other paper
    weakly. A feature no example holds weighs nothing."""
    import numpy as np

    from tui_reader.core.rank.features import N_FEATURES

    def frequency(examples: list[tuple[int, float]], weighted: bool) -> np.ndarray:
        """How many of these example papers hold each feature (their weights summed, or 1 each)."""
        if not examples:
            return np.zeros(N_FEATURES)
        subset = rows.subset(np.asarray([i for i, _ in examples], dtype=np.int64))
        per_row = np.asarray([w if weighted else 1.0 for _, w in examples])
        return np.bincount(subset.indices, weights=np.repeat(per_row, np.diff(subset.indptr)),
                           minlength=N_FEATURES)

    # The unlabelled papers' counts are the whole library's less the examples': no array
    # as long as the library's features is made (75,000 papers hold ~15 million).
    everyone = rows.document_frequency().astype(np.float64)
    liked_df = frequency(positive, True)
    other_df = (UNLABELLED_WEIGHT * (everyone - frequency(positive, False) - frequency(negative, False))
                + frequency(negative, True))
    n_unlabelled = len(rows) - len(positive) - len(negative)
    n_liked = sum(w for _, w in positive)
    n_other = UNLABELLED_WEIGHT * n_unlabelled + sum(w for _, w in negative)
    a = BAYES_SMOOTHING
    ratio = np.log((liked_df + a) / (n_liked + 2 * a)) - np.log((other_df + a) / (n_other + 2 * a))
    ratio[everyone == 0] = 0.0
    return ratio, np.ones(N_FEATURES)


def _unlabelled_sample(n: int, judged: set[int]) -> list[int]:
    import numpy as np

    want = min(UNLABELLED_SAMPLE, n - len(judged))
    if want <= 0:
        return []
    candidates = np.random.default_rng(SEED).choice(n, size=min(n, want + len(judged)), replace=False)
    return [int(i) for i in np.sort(candidates) if int(i) not in judged][:want]


def _examples(n: int, positive: list[tuple[int, float]], negative: list[tuple[int, float]],
              signals: Signals) -> tuple[list[int], list[int], list[float]]:
    """Rows, labels and weights: the liked (1), the dismissed (0) and a fixed-seed sample of
    the papers without a verdict (0, weakly)."""
    import numpy as np

    judged = {i for i, _ in positive} | {i for i, _ in negative}
    rng = np.random.default_rng(SEED)
    want = min(UNLABELLED_SAMPLE, n - len(judged))
    unlabelled: list[int] = []
    if want > 0:
        candidates = rng.choice(n, size=min(n, want + len(judged)), replace=False)
        unlabelled = [int(i) for i in np.sort(candidates) if int(i) not in judged][:want]
    examples = [i for i, _ in positive] + [i for i, _ in negative] + unlabelled
    labels = [1] * len(positive) + [0] * (len(negative) + len(unlabelled))
    weights = [w for _, w in positive] + [w for _, w in negative] + [UNLABELLED_WEIGHT] * len(unlabelled)
    return examples, labels, weights


def for_you_order(model: Model, marks: Mapping[str, Mark], hidden: Collection[str] = (),
                  indices: Sequence[int] | None = None) -> tuple[list[int], list[float]]:
    """The For-you list: indices into model.papers of the unread, undismissed, unhidden
    papers (of `indices` when given, else all), best first; ties keep the papers' order.
    Returns the indices and their scores. A Model and the marks it was trained with: the
    same order in the reader's For-you node and `dump --sort relevance`."""
    papers = model.papers
    scope = range(len(papers)) if indices is None else indices
    chosen = []
    for i in scope:
        paper = papers[i]
        mark = marks.get(paper.id)
        if paper.id in hidden or (mark is not None and not mark.unread):
            continue
        chosen.append(i)
    scores = model.score(chosen)
    ranked = sorted(range(len(chosen)), key=lambda k: (-scores[k], chosen[k]))
    return [chosen[k] for k in ranked], [scores[k] for k in ranked]


def rank_papers(papers: Sequence[Paper], marks: Mapping[str, Mark], *, watch_keywords: Sequence[str] = (),
                watch_authors: Sequence[str] = (), hidden: Collection[str] = (),
                engaged: Collection[str] = (), kind: str = DEFAULT_KIND,
                features_file: Path | None = None) -> tuple[Model, list[int], list[float]]:
    """Train on the marks and give the For-you order of `papers` (see for_you_order): what
    `dump --sort relevance` prints and the reader's For-you node lists, from the same call."""
    ranker = Ranker(watch_keywords=watch_keywords, watch_authors=watch_authors, kind=kind, features_file=features_file)
    model = ranker.train(papers, marks, engaged)
    order, scores = for_you_order(model, marks, hidden)
    return model, order, scores


def features_file(cache_dir: Path) -> Path:
    """Where the ranker keeps every paper's features between runs: beside the parse cache."""
    return Path(cache_dir) / FEATURES_FILE_NAME


def needed_marks(marks: Mapping[str, Mark], papers: Sequence[Paper] | None = None) -> int:
    """How many more papers the person must star (or note, or tag) before For you learns
    from the marks: 0 once it does. Only marks on `papers` count when they are given (a star
    on a paper gone from the library teaches nothing)."""
    positive = collect_signals(marks).positive
    if papers is not None:
        present = {p.id for p in papers}
        positive = {i: w for i, w in positive.items() if i in present}
    strong = sum(1 for w in positive.values() if w >= STRONG)
    return max(0, MIN_STARS - strong)


def needed_message(needed: int) -> str:
    """What to tell the person while the model cannot learn yet (empty once it can)."""
    if needed <= 0:
        return ""
    return f"star {needed} more paper{'s' if needed != 1 else ''} (dismiss those you do not want) to teach the For-you order"
