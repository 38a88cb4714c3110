"""A class-balanced, L2-regularised logistic regression over the ranker's sparse rows, in numpy alone.

Written for For you so that training needs neither scikit-learn nor scipy (their imports
add ~100 MB of resident memory, the model's whole budget): the same objective as
scikit-learn's LogisticRegression(class_weight="balanced") with sample weights, minimised
by limited-memory BFGS over the features the examples hold.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from tui_reader.core.rank.features import PaperRows

HISTORY = 10
"""Steps L-BFGS remembers to shape the next one."""
MAX_ITERATIONS = 300
TOLERANCE = 1e-4
"""Stop when the largest gradient component is this small relative to the start's (real data:
61 steps at 1e-5, 46 at 1e-4, scores correlated 0.999996)."""


def fit_logistic(rows: PaperRows, per_feature: np.ndarray, row_scale: np.ndarray, labels: np.ndarray,
                 weights: np.ndarray, c: float, n_features: int,
                 start: tuple[np.ndarray, float] | None = None,
                 tolerance: float = TOLERANCE) -> tuple[np.ndarray, float]:
    """Weights (one per feature, `n_features` long) and intercept minimising
    c * sum_i s_i * log(1 + exp(-y_i * (x_i . w + b))) + |w|^2 / 2, where row i's value at
    its feature j is per_feature[j] * row_scale[i], y_i is +1 for label 1 and -1 for 0, and
    s_i is weights[i] times the class-balancing factor n / (2 * examples of its class).
    `start` (weights per feature and intercept: the last fit's, before a mark) is where the
    search begins: a nearby start converges in fewer steps. Wherever it starts, the search
    stops once the gradient is `tolerance` times its size at zero weights: a fit from a
    start and one from zero end as near the minimum, not at the same point (real data,
    the speed library: scores correlated 0.99999, a day's top 10 the same or one paper
    apart). Deterministic: the same input gives the same result."""
    import numpy as np

    n = len(rows)
    y = np.where(np.asarray(labels) > 0, 1.0, -1.0)
    counts = {label: int(np.sum(y == label)) for label in (1.0, -1.0)}
    classes = sum(1 for v in counts.values() if v)
    balance = np.array([n / (classes * counts[label]) if counts[label] else 0.0 for label in y])
    s = c * balance * np.asarray(weights, dtype=np.float64)
    # Only the entries of non-zero value are fitted (a feature too rare to weigh, idf 0,
    # holds none: on real data a third of them), and only the features they hold.
    indices = rows.indices
    valued = per_feature[indices] != 0
    held_before = np.zeros(len(valued) + 1, dtype=np.int64)  # entries of value before each
    np.cumsum(valued, out=held_before[1:])
    lengths = np.diff(held_before[rows.indptr])
    del held_before
    indices = indices[valued]
    del valued
    used = np.flatnonzero(np.bincount(indices, minlength=n_features))  # counting, not sorting
    position = np.zeros(n_features, dtype=np.int64)
    position[used] = np.arange(len(used))
    local = position[indices]
    data = per_feature[indices] * np.repeat(row_scale, lengths)
    del indices, position
    # Where each row holding entries starts: reduceat sums from each start to the next one's.
    row_starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1], out=row_starts[1:])
    held = np.flatnonzero(lengths)
    row_starts = row_starts[held]
    m = len(used)

    def decision(theta: np.ndarray) -> np.ndarray:
        """Each example's x_i . w + b."""
        z = np.full(n, theta[m])
        if len(held):
            z[held] += np.add.reduceat(data * theta[:m][local], row_starts)
        return z

    def value_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[:m]
        margin = y * decision(theta)
        # log(1 + exp(-margin)) without overflow, and its slope -1 / (1 + exp(margin)).
        loss = np.logaddexp(0.0, -margin)
        slope = -y * s * _sigmoid(-margin)
        gradient = np.empty(m + 1)
        gradient[:m] = np.bincount(local, weights=data * np.repeat(slope, lengths), minlength=m) + w
        gradient[m] = float(np.sum(slope))
        return float(np.sum(s * loss) + 0.5 * _dot(w, w)), gradient

    initial = np.zeros(m + 1)
    if start is not None:
        initial[:m], initial[m] = start[0][used], start[1]
    # The search is scaled by the inverse of the Hessian's diagonal: a feature's at zero
    # margins (1 + sum_i s_i x_ij^2 / 4: one many examples hold curves the objective more
    # than one a single example holds; the speed library's retraining, 50 steps unscaled,
    # 43 scaled), the intercept's where the search starts (sum_i s_i p_i (1 - p_i), p_i the
    # example's probability). From the last fit most examples are far from the line and the
    # intercept curves far less than at zero margins: estimated there, a warm fit's intercept
    # crept for 20 steps (after a star: 30 steps, now 16; the features' curvature estimated
    # at the start too was no better).
    p = _sigmoid(decision(initial))
    bend = s * p * (1.0 - p)
    inverse_curvature = np.empty(m + 1)
    inverse_curvature[:m] = 1.0 + 0.25 * np.bincount(local, weights=data * data * np.repeat(s, lengths), minlength=m)
    inverse_curvature[m] = max(1e-6, float(np.sum(bend)))
    np.divide(1.0, inverse_curvature, out=inverse_curvature)
    del p, bend
    scale = None
    if start is not None and (np.any(initial[:m]) or initial[m]):
        scale = float(np.max(np.abs(value_and_gradient(np.zeros(m + 1))[1]))) or 1.0
    theta = _lbfgs(value_and_gradient, initial, tolerance, inverse_curvature, scale)
    coef = np.zeros(n_features)
    coef[used] = theta[:m]
    return coef, float(theta[m])


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """The dot product of two vectors without BLAS: OpenBLAS starts a thread per core for
    long vectors, and on a busy machine those threads wait on one another (real data, a
    retraining: 45 s with them, 5 s without, under load). The reader's worker wants one core."""
    import numpy as np

    return float(np.multiply(a, b).sum())


def _sigmoid(x: np.ndarray) -> np.ndarray:
    import numpy as np

    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _lbfgs(value_and_gradient, theta: np.ndarray, tolerance: float,  # type: ignore[no-untyped-def]
           inverse_curvature: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Minimise a smooth convex function from theta: L-BFGS with a backtracking line search,
    its first guess of the inverse Hessian inverse_curvature (a diagonal), until the gradient's
    largest component is `tolerance` times `scale` (default: its size at theta)."""
    import numpy as np

    f, g = value_and_gradient(theta)
    start = scale or float(np.max(np.abs(g))) or 1.0
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(MAX_ITERATIONS):
        if float(np.max(np.abs(g))) <= tolerance * start:
            break
        # Two-loop recursion: the direction -H g from the remembered steps.
        q = g.copy()
        alphas = []
        for s_k, y_k, rho in reversed(steps):
            alpha = rho * float(_dot(s_k, q))
            q -= alpha * y_k
            alphas.append(alpha)
        if steps:
            s_k, y_k, _ = steps[-1]
            q *= inverse_curvature * (float(_dot(s_k, y_k)) / float(_dot(y_k, inverse_curvature * y_k)))
        else:
            q *= inverse_curvature
        for (s_k, y_k, rho), alpha in zip(steps, reversed(alphas)):
            beta = rho * float(_dot(y_k, q))
            q += (alpha - beta) * s_k
        direction = -q
        slope = float(_dot(g, direction))
        if slope >= 0:  # not a descent direction (rounding): start the memory again
            steps.clear()
            direction, slope = -g, -float(_dot(g, g))
        step = 1.0
        for _ in range(40):
            candidate = theta + step * direction
            f_new, g_new = value_and_gradient(candidate)
            if f_new <= f + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break  # no decrease found: as good as it gets
        s_new, y_new = candidate - theta, g_new - g
        curvature = float(_dot(s_new, y_new))
        if curvature > 1e-12:
            steps.append((s_new, y_new, 1.0 / curvature))
            if len(steps) > HISTORY:
                steps.pop(0)
        converged = abs(f - f_new) <= 1e-10 * max(1.0, abs(f))
        theta, f, g = candidate, f_new, g_new
        if converged:
            break
    return theta



RATIO_SMOOTHING = 1.0
"""Added to each feature's weighted count on either side in log_count_ratio (and twice to
each side's total), so that a feature held by no example, or by one side only, has a finite ratio."""


RATIO_TRUSTED_FROM = 40
"""Liked examples from which fit_scaled weighs features by their log-count ratio alone; with
fewer, by 1 - share + share * ratio, share = liked / RATIO_TRUSTED_FROM. With a few stars
the ratio is mostly chance: a co-author of one star, held by no other example, gets the
largest ratio there is (a test library of 8 stars: a proof paper sharing one video star's
author ranked 11th, among the 50 video papers, at the ratio alone)."""


def log_count_ratio(rows: PaperRows, labels: np.ndarray, weights: np.ndarray, n_features: int) -> np.ndarray:
    """|log(share of the liked examples holding each feature / share of the others holding it)|,
    examples counted by their weights and smoothed (RATIO_SMOOTHING): how well a feature alone
    tells the two kinds apart. The fit's features are scaled by it (as NBSVM does, Wang and
    Manning 2012), so that a word the liked papers share and the others lack ("rl") weighs
    more than one common to both ("reasoning"). Real data (benchmarks/bench_rank_real.py,
    seed 11): p@10 of the reader who dismisses a lot 0.558 -> 0.616, two topics 0.363 -> 0.411,
    the author follower 0.337 -> 0.368, reinforcement learning 0.789 -> 0.805."""
    import numpy as np

    weights = np.asarray(weights, dtype=np.float64)
    liked = np.asarray(labels) > 0
    lengths = np.diff(rows.indptr)
    per_entry, liked_entry = np.repeat(weights, lengths), np.repeat(liked, lengths)

    def held_share(side: np.ndarray, examples: np.ndarray) -> np.ndarray:
        """Per feature, the smoothed weighted share of these examples holding it."""
        counted = np.bincount(rows.indices[side], weights=per_entry[side], minlength=n_features)
        held = counted.astype(np.float64) + RATIO_SMOOTHING  # bincount of nothing is int
        held /= float(weights[examples].sum()) + 2 * RATIO_SMOOTHING
        return held

    ratio = held_share(liked_entry, liked)
    ratio /= held_share(~liked_entry, ~liked)
    np.log(ratio, out=ratio)
    return np.abs(ratio, out=ratio)


def fit_scaled(rows: PaperRows, per_feature: np.ndarray, labels: np.ndarray, weights: np.ndarray, c: float,
               n_features: int, tolerance: float = TOLERANCE,
               previous: tuple[np.ndarray, float] | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """The logistic fit on features weighted by per_feature times the examples' own
    log_count_ratio, each row made unit length. Returns that weighting (what scoring other
    papers needs), the weights and the intercept. `previous`, a fit's weighting times its
    weights and its intercept (what scores a paper), is where the search starts (see
    fit_logistic): after a mark or two, a few steps from the new minimum."""
    import numpy as np

    scaled = log_count_ratio(rows, labels, weights, n_features)
    share = min(1.0, int(np.sum(np.asarray(labels) > 0)) / RATIO_TRUSTED_FROM)
    scaled *= share
    scaled += 1.0 - share
    scaled *= per_feature
    start = None
    if previous is not None:
        # The same product of weighting and weight, in the new weighting.
        start = (np.divide(previous[0], scaled, out=np.zeros(n_features), where=scaled != 0), previous[1])
    coef, bias = fit_logistic(rows, scaled, _unit_scale(rows, scaled), np.asarray(labels), np.asarray(weights),
                              c, n_features, start=start, tolerance=tolerance)
    return scaled, coef, bias


FOLDS = 2
"""Parts the examples are dealt into to score each by a fit that did not see it."""
FOLD_TOLERANCE = 1e-3
"""A held-out fit stops earlier than the final one: it only has to rank (scores agree at
correlation 0.996 with a full fit on the real library)."""


def fit_choosing(rows: PaperRows, per_feature: Sequence[np.ndarray], labels: np.ndarray, weights: np.ndarray,
                 c: float, n_features: int, previous: tuple[np.ndarray, float] | None = None,
                 ) -> tuple[int, np.ndarray, np.ndarray, float, np.ndarray]:
    """fit_scaled with the feature weighting (`per_feature`, candidates in order of
    preference) that ranks the person's own examples best when they are held out: the
    examples are dealt into FOLDS parts, each part scored by a fit on the others (its
    log-count ratio counted on those others alone), and the weighted area under the ROC
    curve of those scores compared (a tie keeps the earlier candidate). Returns the
    candidate chosen, fit_scaled's weighting, weights and intercept on every example, and
    each example's held-out decision value (for calibration). `previous`: fit_scaled's, where
    every fit starts (the held-out ones too: they only have to rank)."""
    import numpy as np

    labels = np.asarray(labels)
    weights = np.asarray(weights, dtype=np.float64)
    best: tuple[float, int, np.ndarray] | None = None
    for choice, candidate in enumerate(per_feature):
        decisions = np.zeros(len(rows))
        for fold in range(FOLDS):
            keep = np.ones(len(rows), dtype=bool)
            keep[fold::FOLDS] = False
            kept, held = np.flatnonzero(keep), np.flatnonzero(~keep)
            if len(np.unique(labels[kept])) < 2:
                decisions[held] = 0.0  # a part without both kinds of example cannot be fitted
                continue
            scaled, coef, bias = fit_scaled(rows.subset(kept), candidate, labels[kept], weights[kept], c,
                                            n_features, tolerance=FOLD_TOLERANCE, previous=previous)
            held_rows = rows.subset(held)
            decisions[held] = held_rows.row_sums(scaled * coef) * _unit_scale(held_rows, scaled) + bias
            del scaled, coef
        quality = weighted_auc(decisions, labels, weights)
        if best is None or quality > best[0] + 1e-9:
            best = (quality, choice, decisions)
    assert best is not None
    _, choice, decisions = best
    scaled, coef, bias = fit_scaled(rows, per_feature[choice], labels, weights, c, n_features, previous=previous)
    return choice, scaled, coef, bias, decisions


def _unit_scale(rows: PaperRows, per_feature: np.ndarray) -> np.ndarray:
    """1 / each row's length with its features weighted (1 for a row without any)."""
    import numpy as np

    norms = np.sqrt(rows.row_sums(per_feature * per_feature))
    norms[norms == 0] = 1.0
    return 1.0 / norms


def weighted_auc(scores: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """The chance that a positive example (label 1) scores above a negative one, pairs
    weighted by the product of their weights (a tie counts half); 0.5 without both kinds."""
    import numpy as np

    order = np.argsort(scores, kind="stable")
    scores, labels, weights = scores[order], labels[order], weights[order]
    negative = np.where(labels > 0, 0.0, weights)
    positive = np.where(labels > 0, weights, 0.0)
    total = float(negative.sum()) * float(positive.sum())
    if total == 0:
        return 0.5
    # For each distinct score: negatives strictly below it, and those tied with it.
    _, first = np.unique(scores, return_index=True)
    tie_negative = np.add.reduceat(negative, first)
    tie_positive = np.add.reduceat(positive, first)
    below = np.concatenate(([0.0], np.cumsum(tie_negative)[:-1]))
    return float(np.sum(tie_positive * (below + 0.5 * tie_negative))) / total
