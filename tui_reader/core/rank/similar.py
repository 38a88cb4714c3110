"""More like this: the library's papers nearest to one paper, by TF-IDF cosine over its texts.

Built from the library itself (title, abstract, keywords and the AI summaries), nothing
downloaded. scikit-learn, scipy and numpy are imported only when an index is built, so
neither the reader's start nor a search without `like:` pays for them.

Two ways of comparing are offered (benchmarks/bench_similar.py measures both at the real
shape): plain cosine on the sparse TF-IDF rows ("tfidf", the default) and cosine after a
low-rank projection of the same matrix (TruncatedSVD, "svd")."""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui_reader.core.model import Paper

__all__ = ["Neighbour", "SimilarityIndex", "SimilarityStopped", "paper_words", "similarity_index_for"]

METHODS = ("tfidf", "svd")
SVD_COMPONENTS = 200
"""Dimensions of the low-rank projection ("svd")."""
DEFAULT_COUNT = 50
"""How many neighbours `like:` selects."""

_WORD = r"(?u)\b[^\W\d_][\w-]*[^\W_]\b"
"""A word of two letters or more (digits and hyphens inside allowed: "gpt-4", "3d" not)."""
_AI_FIELDS = ("tldr", "task", "motivation", "method", "result", "conclusion")


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


def paper_words(paper: Paper) -> str:
    """The text a paper is compared by: title (twice: it says most), keywords, abstract and
    the AI summaries."""
    parts = [paper.title, paper.title, " ".join(paper.keywords), paper.abstract]
    parts += [getattr(paper, name, "") or "" for name in _AI_FIELDS]
    return "\n".join(p for p in parts if p)


def _author_key(name: str) -> str:
    return " ".join(name.lower().split())


class SimilarityIndex:
    """The TF-IDF rows of a list of papers (L2-normalised), searched for one paper's nearest."""

    def __init__(self, papers: Sequence[Paper], *, method: str = "tfidf",
                 progress: Callable[[str], None] | None = None,
                 stop: Callable[[], bool] | None = None) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown similarity method {method!r} ({', '.join(METHODS)})")
        self.method = method
        self.papers = papers
        self.position = {p.id.lower(): i for i, p in enumerate(papers)}
        self._report = progress or (lambda _message: None)
        self._stop = stop or (lambda: False)
        texts = []
        for i, paper in enumerate(papers):
            if i % 2000 == 0:
                self._check(f"reading the texts of {len(papers)} papers: {i}")
            texts.append(paper_words(paper))
        self._check(f"weighing the words of {len(papers)} papers")
        self.matrix, self._analyze = _tfidf(texts)
        self.projected: Any = None
        if method == "svd" and self.matrix.nnz > 0 and len(papers) > 2:
            self._check(f"projecting {len(papers)} papers")
            self.projected = _project(self.matrix)
        self._report("")

    def _check(self, message: str) -> None:
        if self._stop():
            raise SimilarityStopped()
        self._report(message)

    @property
    def size(self) -> int:
        """How many papers are indexed."""
        return len(self.papers)

    def scores(self, seed: int) -> Any:
        """The cosine of every paper with paper `seed` (a numpy array, the seed included)."""
        if self.projected is not None:
            return self.projected @ self.projected[seed]
        return self.matrix @ self.matrix[seed].toarray().ravel()  # one pass over the matrix

    def neighbours(self, paper_id: str, count: int = DEFAULT_COUNT, *, words: int = 5) -> list[Neighbour]:
        """The `count` papers most like `paper_id`, most similar first (ties: library
        order), with why. Empty for an unknown id or a paper without a word to compare."""
        import numpy as np

        seed = self.position.get(paper_id.lower())
        if seed is None or self.matrix[seed].nnz == 0 or self.size < 2:
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
            if score <= 1e-9:
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
        if self.matrix[seed].nnz == 0:
            return "the paper has no words to compare it by (no title, abstract or summary)"
        if not self.neighbours(paper_id, 1, words=0):
            return "no other paper shares a word with it"
        return None

    def _seed_terms(self, seed: int) -> dict[int, list[str]]:
        """The seed's words and pairs by the column they are hashed into."""
        named: dict[int, list[str]] = {}
        for term in dict.fromkeys(self._analyze(paper_words(self.papers[seed]))):
            named.setdefault(_column(term), []).append(term)
        return named

    def shared_words(self, seed: int, other: int, count: int = 5,
                     seed_terms: dict[int, list[str]] | None = None) -> tuple[str, ...]:
        """The words (or word pairs) both papers weigh most: the largest products of weights
        (the columns are hashed: the names come from the seed's own text)."""
        if count <= 0:
            return ()
        both = self.matrix[seed].multiply(self.matrix[other]).tocoo()
        if both.nnz == 0:
            return ()
        by_column = seed_terms if seed_terms is not None else self._seed_terms(seed)
        named = {term: weight for column, weight in zip(both.col.tolist(), both.data.tolist())
                 for term in by_column.get(column, ())}
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


HASHED_COLUMNS = 2 ** 20
"""Columns words and word pairs are hashed into (no vocabulary is kept: at 75k papers the
words and pairs seen once would hold more memory than the matrix)."""


MIN_PAPERS_FOR_RARE_CUT = 50
"""From this many papers on, words and pairs found in only one paper are left out."""


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(token_pattern=_WORD, stop_words="english", ngram_range=(1, 2),
                             n_features=HASHED_COLUMNS, alternate_sign=False, norm=None, dtype=_float32())


def _column(term: str) -> int:
    """The column a word or word pair is hashed into (as _vectorizer hashes it)."""
    from sklearn.utils import murmurhash3_32

    return abs(murmurhash3_32(term, seed=0)) % HASHED_COLUMNS


def _tfidf(texts: list[str]) -> tuple[Any, Callable[[str], list[str]]]:
    """Sublinear TF-IDF of hashed words and word pairs (English stop words out), rows
    L2-normalised; and the analyzer that splits a text into those words and pairs."""
    from sklearn.feature_extraction.text import TfidfTransformer

    from scipy.sparse import csr_matrix

    vectorizer = _vectorizer()
    if not texts:
        return csr_matrix((0, HASHED_COLUMNS), dtype=_float32()), vectorizer.build_analyzer()
    counts = vectorizer.transform(texts).tocsr()
    if len(texts) >= MIN_PAPERS_FOR_RARE_CUT:
        import numpy as np

        in_papers = np.bincount(counts.indices, minlength=HASHED_COLUMNS)
        counts.data[in_papers[counts.indices] < 2] = 0  # a word of one paper links it to none
        counts.eliminate_zeros()
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(_float32()).tocsr()
    matrix.eliminate_zeros()
    return matrix, vectorizer.build_analyzer()


def _float32() -> Any:
    import numpy as np

    return np.float32


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


def similarity_index_for(papers: Sequence[Paper], *, method: str = "tfidf",
                         progress: Callable[[str], None] | None = None,
                         stop: Callable[[], bool] | None = None) -> SimilarityIndex:
    """The index of exactly this list of papers (the same object), built once and kept
    while the list is the latest asked for (the reader's library; a new library replaces it)."""
    global _cached
    with _cache_lock:
        if _cached is not None and _cached[0] is papers and _cached[1] == method:
            return _cached[2]
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
