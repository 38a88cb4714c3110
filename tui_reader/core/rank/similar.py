"""More like this: the library's papers nearest to one paper, by TF-IDF cosine over its words.

Built from the library itself, nothing downloaded, and from the same hashed features the
For-you ranker keeps beside the library's cache (rank-features.npz, core.rank.features):
the words of the title, abstract and AI summaries and the title's words and word pairs.
So the index is persisted with the cache at no cost of its own (a damaged or foreign file
is hashed again silently), a warm start reads it instead of reading every paper, and
it needs numpy only. Words and pairs of fewer than RARE papers are left out (from 50 papers);
authors and categories are not compared (shared authors are said beside).

Two ways of comparing are offered (benchmarks/bench_similar.py measures both at the real
shape): plain cosine on the sparse TF-IDF rows ("tfidf", the default) and cosine after a
low-rank projection of the same matrix (TruncatedSVD, "svd"; scikit-learn)."""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from tui_reader.core.model import Paper
    from tui_reader.core.rank.features import PaperRows

__all__ = ["Neighbour", "SimilarityIndex", "SimilarityStopped", "similarity_index_for", "use_features_file"]

METHODS = ("tfidf", "svd")
SVD_COMPONENTS = 200
"""Dimensions of the low-rank projection ("svd")."""
DEFAULT_COUNT = 50
"""How many neighbours `like:` selects."""


class SimilarityStopped(Exception):
    """A build given up because its `stop` callable said so."""


@dataclass(slots=True, frozen=True)
class Neighbour:
    """One paper like the seed: its index among the papers indexed, the cosine (0-1), and
    why: the words both weigh most (most telling first) and the authors both share."""

    index: int
    score: float
    shared_words: tuple[str, ...]
    shared_authors: tuple[str, ...]

    def why(self) -> str:
        """One line: the shared authors, then the shared words."""
        parts = []
        if self.shared_authors:
            parts.append("authors: " + ", ".join(self.shared_authors))
        if self.shared_words:
            parts.append("words: " + ", ".join(self.shared_words))
        return "; ".join(parts) or "similar wording"


def _author_key(name: str) -> str:
    return " ".join(name.lower().split())


class SimilarityIndex:
    """The TF-IDF weights of a list of papers' words (rows of unit length), searched for one
    paper's nearest. `features_file`: where the features are kept between runs (the
    ranker's file; None: the file given to use_features_file, if any)."""

    def __init__(self, papers: Sequence[Paper], *, method: str = "tfidf",
                 progress: Callable[[str], None] | None = None,
                 stop: Callable[[], bool] | None = None, features_file: Path | None = None) -> None:
        import numpy as np

        from tui_reader.core.rank.features import N_FEATURES, WORD_FEATURES, FeatureCache

        if method not in METHODS:
            raise ValueError(f"unknown similarity method {method!r} ({', '.join(METHODS)})")
        self.method = method
        self.papers = papers
        self.position = {p.id.lower(): i for i, p in enumerate(papers)}
        self._report = progress or (lambda _message: None)
        self._stop = stop or (lambda: False)
        self._check(f"reading the words of {len(papers)} papers")
        cache = FeatureCache(features_file or _features_file)
        try:
            self.rows: PaperRows = cache.rows(papers, self._stop)
        except InterruptedError:
            raise SimilarityStopped() from None
        self.hashed = cache.hashed
        """Papers whose features were made here (not read from the features file)."""
        del cache  # only these rows are kept: the cache's own arrays go with it
        self._check(f"weighing the words of {len(papers)} papers")
        df = self.rows.document_frequency()
        n = len(papers)
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        idf[WORD_FEATURES:] = 0.0  # authors and categories: said beside, not compared
        if n >= MIN_PAPERS_FOR_RARE_CUT:
            idf[df < RARE] = 0.0  # a word of one or two papers: a chance link, not a topic
        self._squares = idf * idf
        norms = np.sqrt(self.rows.row_sums(self._squares)).astype(np.float32)
        norms[norms == 0] = 1.0
        self._inverse_norms = 1.0 / norms
        self._has_words = self.rows.row_sums(self._squares) > 0
        self.projected: Any = None
        if method == "svd" and np.count_nonzero(self._has_words) > 2:
            self._check(f"projecting {len(papers)} papers")
            self.projected = _project(self.rows.matrix(idf, self._inverse_norms))
        del df, idf, norms
        # The hashing's and weighing's arrays are gone: glibc keeps freed blocks, and the
        # index would keep ~20 MB of them (real library: peak and kept 63 MB, 41 / 37 with this).
        from tui_reader.core.rank.memory import give_back_freed_memory

        give_back_freed_memory()
        self._report("")

    def _check(self, message: str) -> None:
        if self._stop():
            raise SimilarityStopped()
        self._report(message)

    @property
    def size(self) -> int:
        """How many papers are indexed."""
        return len(self.papers)

    def _features(self, row: int) -> np.ndarray:
        return self.rows.row(row)

    def scores(self, seed: int) -> np.ndarray:
        """The cosine of every paper with paper `seed` (a numpy array, the seed included):
        one pass over every paper's features, summing the seed's weights they hold."""
        import numpy as np

        if self.projected is not None:
            return self.projected @ self.projected[seed]
        per_feature = np.zeros(len(self._squares), dtype=np.float32)
        features = self._features(seed)
        per_feature[features] = self._squares[features]
        return self.rows.row_sums(per_feature) * self._inverse_norms * float(self._inverse_norms[seed])

    def neighbours(self, paper_id: str, count: int = DEFAULT_COUNT, *, words: int = 5) -> list[Neighbour]:
        """The `count` papers most like `paper_id`, most similar first (ties: library
        order), with why. Empty for an unknown id or a paper without a word to compare."""
        import numpy as np

        seed = self.position.get(paper_id.lower())
        if seed is None or not self._has_words[seed] or self.size < 2:
            return []
        scores = self.scores(seed)
        scores[seed] = -np.inf
        count = min(count, self.size - 1)
        top = np.argpartition(-scores, count - 1)[:count] if count < self.size - 1 else np.arange(self.size)
        top = top[np.lexsort((top, -scores[top]))]
        named = self._seed_terms(seed) if words > 0 else {}
        found = []
        for index in top.tolist():
            score = float(scores[index])
            if score <= 1e-6:
                break
            found.append(Neighbour(index, min(score, 1.0), self.shared_words(seed, index, words, named),
                                   self.shared_authors(seed, index)))
        return found

    def why_none(self, paper_id: str) -> str | None:
        """Why `paper_id` has no neighbour (one line), or None when it has some."""
        seed = self.position.get(paper_id.lower())
        if seed is None:
            return f"no paper {paper_id} in the library"
        if self.size < 2:
            return "the library holds no other paper"
        if not self._has_words[seed]:
            return "the paper has no words to compare it by (no title, abstract or summary)"
        if not self.neighbours(paper_id, 1, words=0):
            return "no other paper shares a word with it"
        return None

    def _seed_terms(self, seed: int) -> dict[int, list[str]]:
        """The seed's words and title pairs by the feature they are hashed into."""
        from tui_reader.core.rank.features import AUTHOR_PREFIX, CATEGORY_PREFIX, IMPORTANCE_PREFIX, TITLE_PREFIX, \
            features_of, paper_tokens

        named: dict[int, list[str]] = {}
        tokens = [t for t in dict.fromkeys(paper_tokens(self.papers[seed]))
                  if not t.startswith((AUTHOR_PREFIX, CATEGORY_PREFIX, IMPORTANCE_PREFIX))]
        for token, feature in zip(tokens, features_of(tokens).tolist()):
            term = token.removeprefix(TITLE_PREFIX)
            terms = named.setdefault(feature, [])
            if term not in terms:
                terms.append(term)
        return named

    def shared_words(self, seed: int, other: int, count: int = 5,
                     seed_terms: dict[int, list[str]] | None = None) -> tuple[str, ...]:
        """The words (or title word pairs) both papers weigh most: the rarest they share
        (the features are hashed: the names come from the seed's own text)."""
        import numpy as np

        if count <= 0:
            return ()
        both = np.intersect1d(self._features(seed), self._features(other), assume_unique=True)
        both = both[self._squares[both] > 0]
        if not len(both):
            return ()
        by_feature = seed_terms if seed_terms is not None else self._seed_terms(seed)
        named: dict[str, float] = {}
        for feature in both.tolist():
            for term in by_feature.get(feature, ()):
                named[term] = max(named.get(term, 0.0), float(self._squares[feature]))
        chosen: list[str] = []
        for term in sorted(named, key=lambda t: (-named[t], t)):
            if any(term in c.split() or c in term.split() for c in chosen):
                continue  # "diffusion" beside "diffusion model" says nothing more
            chosen.append(term)
            if len(chosen) == count:
                break
        return tuple(chosen)

    def shared_authors(self, seed: int, other: int) -> tuple[str, ...]:
        """The seed's authors (as written there) who also wrote the other paper."""
        theirs = {_author_key(a) for a in self.papers[other].authors}
        return tuple(a for a in self.papers[seed].authors if _author_key(a) in theirs)


MIN_PAPERS_FOR_RARE_CUT = 50
RARE = 3
"""From MIN_PAPERS_FOR_RARE_CUT papers on, words and pairs found in fewer than RARE papers
are left out: present-or-not features give a rare word a large weight, and on the real
history a word of two papers ("function-aware") put an unrelated paper among a
pruning paper's five nearest (none at 3; same category@10 0.679, shared author 0.137)."""


def _project(matrix: Any) -> Any | None:
    """The rows projected on the matrix's top singular directions, L2-normalised."""
    import numpy as np
    from sklearn.decomposition import TruncatedSVD

    used = np.unique(matrix.indices)  # the hashed columns any paper uses
    if used.size < 3:
        return None  # nothing to project: the sparse rows are compared as they are
    matrix = matrix[:, used]
    components = max(1, min(SVD_COMPONENTS, matrix.shape[1] - 1, matrix.shape[0] - 1))
    reduced = TruncatedSVD(n_components=components, random_state=0).fit_transform(matrix).astype(np.float32)
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return reduced / norms


_cache_lock = threading.Lock()
_cached: tuple[Sequence[Paper], str, SimilarityIndex] | None = None
_features_file: Path | None = None


def use_features_file(file: Path | None) -> None:
    """Where indexes built from now on read and keep the papers' features when not told
    (the reader and the command line give the ranker's file in their cache folder)."""
    global _features_file
    _features_file = file


def similarity_index_for(papers: Sequence[Paper], *, method: str = "tfidf",
                         progress: Callable[[str], None] | None = None,
                         stop: Callable[[], bool] | None = None) -> SimilarityIndex:
    """The index of exactly this list of papers (the same object), built once and kept
    while the list is the latest asked for (the reader's library; a new library replaces it)."""
    global _cached
    with _cache_lock:
        if _cached is not None and _cached[0] is papers and _cached[1] == method:
            return _cached[2]
        _cached = None  # the old index goes before the new one is built (peak memory)
        index = SimilarityIndex(papers, method=method, progress=progress, stop=stop)
        _cached = (papers, method, index)
        return index


def built_similarity_index(papers: Sequence[Paper], method: str = "tfidf") -> SimilarityIndex | None:
    """The index of exactly this list of papers if it is built already (never builds)."""
    cached = _cached
    return cached[2] if cached is not None and cached[0] is papers and cached[1] == method else None


def order_by_likeness(index: SimilarityIndex, seeds: Sequence[str], found: Sequence[int],
                      count: int = DEFAULT_COUNT) -> list[int]:
    """`found` (indices into the indexed papers) most like any of the seeds first, by
    their best cosine; the papers like none of them after, in their order."""
    best: dict[int, float] = {}
    for seed in seeds:
        for neighbour in index.neighbours(seed, count, words=0):
            best[neighbour.index] = max(best.get(neighbour.index, 0.0), neighbour.score)
    rank = {i: n for n, i in enumerate(found)}
    return sorted(found, key=lambda i: (-best.get(i, -1.0), rank[i]))
