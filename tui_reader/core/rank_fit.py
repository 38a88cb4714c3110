"""A class-balanced, L2-regularised logistic regression over the ranker's sparse rows, in numpy alone.

Written for For you so that training needs neither scikit-learn nor scipy (their imports
add ~100 MB of resident memory, the model's whole budget): the same objective as
scikit-learn's LogisticRegression(class_weight="balanced") with sample weights, minimised
by limited-memory BFGS over the features the examples hold.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from .rank_features import PaperRows

HISTORY = 10
"""Steps L-BFGS remembers to shape the next one."""
MAX_ITERATIONS = 300
TOLERANCE = 1e-5
"""Stop when the largest gradient component is this small relative to the start's."""


def fit_logistic(rows: PaperRows, per_feature: np.ndarray, row_scale: np.ndarray, labels: np.ndarray,
                 weights: np.ndarray, c: float, n_features: int,
                 start: tuple[np.ndarray, float] | None = None) -> tuple[np.ndarray, float]:
    """Weights (one per feature, `n_features` long) and intercept minimising
    c * sum_i s_i * log(1 + exp(-y_i * (x_i . w + b))) + |w|^2 / 2, where row i's value at
    its feature j is per_feature[j] * row_scale[i], y_i is +1 for label 1 and -1 for 0, and
    s_i is weights[i] times the class-balancing factor n / (2 * examples of its class).
    `start` (weights per feature and intercept, e.g. a fit on more examples) is where the
    search begins: a nearby start converges in fewer steps. Deterministic: the same input
    gives the same result."""
    import numpy as np

    n = len(rows)
    y = np.where(np.asarray(labels) > 0, 1.0, -1.0)
    counts = {label: int(np.sum(y == label)) for label in (1.0, -1.0)}
    classes = sum(1 for v in counts.values() if v)
    balance = np.array([n / (classes * counts[label]) if counts[label] else 0.0 for label in y])
    s = c * balance * np.asarray(weights, dtype=np.float64)
    lengths = np.diff(rows.indptr)
    # Only the features the examples hold are fitted (counting, not sorting, finds them).
    used = np.flatnonzero(np.bincount(rows.indices, minlength=n_features))
    position = np.zeros(n_features, dtype=np.int64)
    position[used] = np.arange(len(used))
    local = position[rows.indices]
    data = per_feature[rows.indices] * np.repeat(row_scale, lengths)
    row_of = np.repeat(np.arange(n), lengths)
    m = len(used)

    def value_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:m], theta[m]
        z = np.bincount(row_of, weights=data * w[local], minlength=n) + b
        margin = y * z
        # log(1 + exp(-margin)) without overflow, and its slope -1 / (1 + exp(margin)).
        loss = np.logaddexp(0.0, -margin)
        slope = -y * s * _sigmoid(-margin)
        gradient = np.empty(m + 1)
        gradient[:m] = np.bincount(local, weights=data * slope[row_of], minlength=m) + w
        gradient[m] = float(np.sum(slope))
        return float(np.sum(s * loss) + 0.5 * np.dot(w, w)), gradient

    initial = np.zeros(m + 1)
    if start is not None:
        initial[:m], initial[m] = start[0][used], start[1]
    theta = _lbfgs(value_and_gradient, initial)
    coef = np.zeros(n_features)
    coef[used] = theta[:m]
    return coef, float(theta[m])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    import numpy as np

    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _lbfgs(value_and_gradient, theta: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Minimise a smooth convex function from theta: L-BFGS with a backtracking line search."""
    import numpy as np

    f, g = value_and_gradient(theta)
    start = float(np.max(np.abs(g))) or 1.0
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(MAX_ITERATIONS):
        if float(np.max(np.abs(g))) <= TOLERANCE * start:
            break
        # Two-loop recursion: the direction -H g from the remembered steps.
        q = g.copy()
        alphas = []
        for s_k, y_k, rho in reversed(steps):
            alpha = rho * float(np.dot(s_k, q))
            q -= alpha * y_k
            alphas.append(alpha)
        if steps:
            s_k, y_k, _ = steps[-1]
            q *= float(np.dot(s_k, y_k)) / float(np.dot(y_k, y_k))
        else:
            q /= max(1.0, float(np.linalg.norm(g)))
        for (s_k, y_k, rho), alpha in zip(steps, reversed(alphas)):
            beta = rho * float(np.dot(y_k, q))
            q += (alpha - beta) * s_k
        direction = -q
        slope = float(np.dot(g, direction))
        if slope >= 0:  # not a descent direction (rounding): start the memory again
            steps.clear()
            direction, slope = -g, -float(np.dot(g, g))
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
        curvature = float(np.dot(s_new, y_new))
        if curvature > 1e-12:
            steps.append((s_new, y_new, 1.0 / curvature))
            if len(steps) > HISTORY:
                steps.pop(0)
        converged = abs(f - f_new) <= 1e-10 * max(1.0, abs(f))
        theta, f, g = candidate, f_new, g_new
        if converged:
            break
    return theta


FOLDS = 5
"""Parts the judged examples are split into for held-out scores (each part scored by a fit on the others)."""


def held_out_decisions(rows: PaperRows, per_feature: np.ndarray, row_scale: np.ndarray, labels: np.ndarray,
                       weights: np.ndarray, c: float, n_features: int, judged: np.ndarray,
                       start: tuple[np.ndarray, float]) -> np.ndarray:
    """Each judged example's decision value (x_i . w + b) from a fit that did not see it:
    the judged examples (`judged`: positions into rows) are dealt into FOLDS parts in turn,
    and each part is scored by fit_logistic on every other example (the unjudged ones always
    among them), started from `start` (the fit on everything). What a person's own marks
    score on papers the model had not learnt from: an honest ground for calibration."""
    import numpy as np

    decisions = np.zeros(len(judged))
    folds = min(FOLDS, len(judged))
    for fold in range(folds):
        held = judged[fold::folds]
        keep = np.ones(len(rows), dtype=bool)
        keep[held] = False
        kept = np.flatnonzero(keep)
        if len(np.unique(labels[kept])) < 2:
            coef, bias = start  # a fold without one class cannot be fitted: the whole fit stands in
        else:
            coef, bias = fit_logistic(rows.subset(kept), per_feature, row_scale[kept], labels[kept], weights[kept],
                                      c, n_features, start=start)
        decisions[fold::folds] = rows.subset(held).row_sums(per_feature * coef) * row_scale[held] + bias
    return decisions
