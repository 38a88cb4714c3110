"""The ranker's features: each paper's words, authors and categories, hashed once and kept."""
from __future__ import annotations

import re
import threading
from zlib import crc32
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .fold import fold
from .model import TEXT_FIELDS, Paper, long_texts

if TYPE_CHECKING:
    import numpy as np

WORD_FEATURES = 1 << 19
"""Hashed features for words: a library holds ~100,000-200,000 distinct words; the few that share a feature cost little in ranking, and every per-feature array stays 4 MB."""
AUTHOR_FEATURES = 1 << 17
CATEGORY_FEATURES = 1 << 10
N_FEATURES = WORD_FEATURES + AUTHOR_FEATURES + CATEGORY_FEATURES
"""Words, then authors, then categories, each hashed into its own range, so a feature's
index says what kind it is (and each kind can weigh differently)."""

AUTHOR_PREFIX = "a:"
CATEGORY_PREFIX = "c:"

_WORD_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_STOPWORDS = frozenset("""
a about above across after again against all almost also although always among an and another any
are as at be because been before being between both but by can could did do does doing done during
each either even ever every few for from further had has have having here how however if in into is
it its itself just least less like made make makes many may more most much must neither no nor not
now of often on once one only or other others our out over own per rather same several should show
shows shown since so some such than that the their them then there these they this those though
through thus to too toward towards under until up upon us use used uses using very via was we well
were what when where whether which while who whose why will with within without would yet you your
paper propose proposed proposes present presents approach approaches method methods result results
new novel based study work demonstrate demonstrates introduce introduces existing task tasks
performance experiments experimental extensive significantly outperforms state art across
""".split())
"""Words that say nothing about a paper's topic: English glue and the phrases every
abstract uses ("we propose a novel approach ... outperforms the state of the art")."""

_BATCH = 500
"""Papers tokenised and hashed per step, so a stop request is seen within ~0.1 s."""


def paper_words(paper: Paper) -> list[str]:
    """The distinct folded topic words of a paper's title, summary fields and abstract (TEXT_FIELDS), in
    the order first met (features are present or not: a repeat adds nothing)."""
    # long_texts: read, not kept, so ranking a library leaves its light papers light.
    text = " ".join(t for t in (paper.title, *long_texts(paper)[:len(TEXT_FIELDS)]) if t)
    return [w for w in dict.fromkeys(_WORD_RE.findall(fold(text))) if len(w) > 2 and w not in _STOPWORDS]


def paper_tokens(paper: Paper) -> list[str]:
    """Everything the ranker knows of a paper as distinct tokens: its words, each author
    (`a:` + the folded full name) and each category (`c:` + its code)."""
    tokens = paper_words(paper)
    tokens.extend(AUTHOR_PREFIX + " ".join(fold(name).split()) for name in paper.authors if name.strip())
    categories = paper.categories or ([paper.category] if paper.category else [])
    tokens.extend(CATEGORY_PREFIX + c.strip() for c in categories if c.strip())
    return list(dict.fromkeys(tokens))


def hash_tokens(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the distinct hashed features of each token list: row i's
    features are indices[indptr[i]:indptr[i + 1]] (int32, ascending). CRC-32 of the
    UTF-8 token: the same feature in every process and release (not Python's salted hash)."""
    import numpy as np

    table = {t: feature_of(t) for t in set().union(*token_lists)}  # a batch's words repeat
    flat: list[int] = []
    indptr = np.zeros(len(token_lists) + 1, dtype=np.int64)
    for n, tokens in enumerate(token_lists, 1):
        flat.extend(sorted({table[t] for t in tokens}))
        indptr[n] = len(flat)
    return indptr, np.array(flat, dtype=np.int32)


def feature_of(token: str) -> int:
    """The hashed feature of one token (as hash_tokens gives it), in its kind's range."""
    code = crc32(token.encode())
    if token.startswith(AUTHOR_PREFIX):
        return WORD_FEATURES + code % AUTHOR_FEATURES
    if token.startswith(CATEGORY_PREFIX):
        return WORD_FEATURES + AUTHOR_FEATURES + code % CATEGORY_FEATURES
    return code % WORD_FEATURES


def kind_weights(author: float, category: float) -> np.ndarray:
    """A weight per feature: 1 for words, `author` for authors, `category` for categories."""
    import numpy as np

    weights = np.ones(N_FEATURES, dtype=np.float64)
    weights[WORD_FEATURES:WORD_FEATURES + AUTHOR_FEATURES] = author
    weights[WORD_FEATURES + AUTHOR_FEATURES:] = category
    return weights


class FeatureCache:
    """Binary hashed features of every paper seen, computed once per paper id and kept as
    two flat arrays (no values: a feature is present or not), ~4 bytes a feature, so a
    year's 75,000 papers take tens of megabytes. Safe to share between threads."""

    def __init__(self) -> None:
        import numpy as np

        self._row: dict[str, int] = {}
        self._indptr = np.zeros(1, dtype=np.int64)
        self._indices = np.zeros(0, dtype=np.int32)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._row)

    def rows(self, papers: Sequence[Paper], stop: Callable[[], bool] | None = None) -> PaperRows:
        """The features of `papers`, in their order (papers not seen before are hashed now).
        `stop` is asked between batches; when it says so, InterruptedError is raised."""
        import numpy as np

        with self._lock:
            missing = [i for i in dict.fromkeys(p.id for p in papers) if i not in self._row]
            if missing:
                by_id = {p.id: p for p in papers}
                for start in range(0, len(missing), _BATCH):
                    if stop is not None and stop():
                        raise InterruptedError("feature hashing stopped")
                    batch = missing[start:start + _BATCH]
                    indptr, indices = hash_tokens([paper_tokens(by_id[i]) for i in batch])
                    first = len(self._row)
                    for offset, paper_id in enumerate(batch):
                        self._row[paper_id] = first + offset
                    self._indptr = np.concatenate((self._indptr, indptr[1:] + self._indptr[-1]))
                    self._indices = np.concatenate((self._indices, indices))
            order = np.fromiter((self._row[p.id] for p in papers), dtype=np.int64, count=len(papers))
            return PaperRows.gather(self._indptr, self._indices, order)


class PaperRows:
    """The features of a list of papers: row i is paper i's, as (indptr, indices)."""

    __slots__ = ("indptr", "indices")

    def __init__(self, indptr: np.ndarray, indices: np.ndarray) -> None:
        self.indptr = indptr
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def gather(cls, indptr: np.ndarray, indices: np.ndarray, order: np.ndarray) -> PaperRows:
        """The rows `order` of (indptr, indices), in that order; shared, not copied, when
        `order` is every row as it is (a library trained again after a mark)."""
        import numpy as np

        if len(order) == len(indptr) - 1 and np.array_equal(order, np.arange(len(order))):
            return cls(indptr, indices)
        starts = indptr[order]
        lengths = indptr[order + 1] - starts
        new_indptr = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=new_indptr[1:])
        total = int(new_indptr[-1])
        # Each output position: where its row starts in the source, plus its place in the row.
        positions = np.arange(total, dtype=np.int64) + np.repeat(starts - new_indptr[:-1], lengths)
        return cls(new_indptr, indices[positions])

    def subset(self, rows: np.ndarray) -> PaperRows:
        """The rows given (indices into this list), in that order."""
        return PaperRows.gather(self.indptr, self.indices, rows)

    def row_sums(self, per_feature: np.ndarray) -> np.ndarray:
        """For each row, the sum of `per_feature` over its features (float64)."""
        import numpy as np

        values = np.append(per_feature[self.indices], 0.0)  # the 0 lets an empty last row index it
        sums = np.add.reduceat(values, np.minimum(self.indptr[:-1], len(values) - 1))
        sums[np.diff(self.indptr) == 0] = 0.0  # reduceat gives an empty row its neighbour's value
        return sums

    def document_frequency(self) -> np.ndarray:
        """How many rows hold each feature."""
        import numpy as np

        return np.bincount(self.indices, minlength=N_FEATURES)

    def matrix(self, per_feature: np.ndarray, row_scale: np.ndarray) -> Any:
        """A scipy CSR matrix: value per_feature[j] * row_scale[i] at each feature j of row i."""
        import numpy as np
        from scipy.sparse import csr_matrix

        lengths = np.diff(self.indptr)
        data = per_feature[self.indices] * np.repeat(row_scale, lengths)
        return csr_matrix((data, self.indices, self.indptr), shape=(len(self), N_FEATURES))
