"""The ranker's features: each paper's words, authors and categories, hashed once and kept."""
from __future__ import annotations

import math
import re
import threading
from zlib import crc32
from collections.abc import Callable, Sequence
from functools import cache
from itertools import chain, filterfalse
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_reader.core.fold import fold, fold_latin
from tui_reader.core.model import TEXT_FIELDS, Paper, long_texts

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
IMPORTANCE_PREFIX = "i:"
"""A fork's importance score as tokens (in the categories' feature range): its level
rounded 0-10 (`i:8`) and a coarse band (`i:high` at 7 or more, `i:low` at 3 or less)."""
TITLE_PREFIX = "t:"

_WORD_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
"""A word: a letter, then letters and digits, hyphens only between them."""
_IN_WORDS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_TO_WORD_CHARACTERS = str.maketrans({
    **{chr(c): " " for c in range(128) if chr(c).lower() not in _IN_WORDS},
    **{chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)},
})
"""ASCII to lower-case letters, digits, hyphens and spaces (everything else a space)."""
_NOT_LATIN_RE = re.compile("[^\x00-\u036f\u1e00-\u1eff\u2010-\u2212\ufb00-\ufb06\uff01-\uff5e]+")
"""Runs of characters no word of _WORD_RE can come from once folded: everything but Latin
letters and their accents, dashes, ligatures (ﬁ) and full-width forms."""
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

MIN_WORD_LENGTH = 2
"""Words this long or longer are features: two letters keep RL, CT, 3D and AI (glue such as
"of", "in" is a stopword)."""


_NOT_FEATURES = _STOPWORDS | frozenset("abcdefghijklmnopqrstuvwxyz")
"""The stopwords and the one-letter words: the words of _WORD_RE shorter than MIN_WORD_LENGTH (2)."""

_BATCH = 100
"""Papers tokenised and hashed per step (a stop request is seen within ~20 ms). Small, for
memory: a step's tokens (~180 strings a paper) fill Python's 1 MB small-object arenas, and
an arena goes back to the system only when wholly empty, which numpy's caches of small
blocks, made mid-step, prevent. 75,000 papers hashed: 10 arenas kept at 500 a step, 5 at
100 (8 MB less resident), the same CPU time."""
_FEATURES_PER_PAPER = 256
"""Room made for the features of each paper to hash (grown when a library needs more)."""


def paper_words(paper: Paper) -> list[str]:
    """The distinct folded topic words of a paper's title, summary fields and abstract
    (TEXT_FIELDS), in no particular order (features are present or not, and sorted when hashed)."""
    # long_texts: read, not kept, so ranking a library leaves its light papers light.
    fields = (paper.title, *long_texts(paper)[:len(TEXT_FIELDS)])
    text = " ".join(filter(None, fields))
    # Only the fields beyond ASCII are searched (isascii costs nothing: a flag of the str).
    if not text.isascii() and any(_folding_matters().search(t) for t in fields if t and not t.isascii()):
        # Only Latin letters can make a word here: the rest (a Chinese summary) is dropped
        # before folding, which goes character by character through such text (~2 ms a
        # paper); what is left holds no Hangul, so fold's search for it is skipped.
        text = fold_latin(_NOT_LATIN_RE.sub(" ", text))
    # Else every character but ASCII ends a word, folded or not: _word_set spares the folding
    # (real data: 499 of a day's 500 papers have a Chinese summary, few an accent).
    words = _word_set(text)
    words -= _NOT_FEATURES
    return list(words)


@cache
def _folding_matters() -> re.Pattern[str]:
    """Any character outside ASCII that folding turns into part of a word (é, ﬁ, ², the
    en dash) or into nothing (an accent written apart): where a text must be folded."""
    ranges = ((0x80, 0x36F), (0x1E00, 0x1EFF), (0x2010, 0x2212), (0xFB00, 0xFB06), (0xFF01, 0xFF5E))
    found = [chr(c) for first, last in ranges for c in range(first, last + 1)
             if not fold(chr(c)) or any(part in _IN_WORDS for part in fold(chr(c)))]
    return re.compile("[" + "".join(map(re.escape, found)) + "]")


def _word_set(text: str) -> set[str]:
    """set(_WORD_RE.findall(text)) with text's ASCII letters in lower case (any other
    character ends a word). A split makes the words in C: only the few pieces holding a digit
    or a hyphen are searched for words (half of findall's time over the whole text)."""
    if not text.isascii():
        text = text.encode("ascii", "replace").decode("ascii")  # "?": a space, below
    words = set(text.translate(_TO_WORD_CHARACTERS).split())
    odd = list(filterfalse(str.isalpha, words))  # "gpt-4", "3d", "-x": not all letters
    if odd:
        words.difference_update(odd)
        words.update(chain.from_iterable(map(_WORD_RE.findall, odd)))
    return words


def _pairs(words: list[str]) -> list[str]:
    """Adjacent topic words (neither glue) joined by a space: "point cloud", "language model"."""
    topical = list(map(_NOT_FEATURES.__contains__, words))  # True: glue or one letter
    return [f"{a} {b}" for a, b, glue_a, glue_b in zip(words, words[1:], topical, topical[1:]) if not (glue_a or glue_b)]


def paper_tokens(paper: Paper) -> list[str]:
    """Everything the ranker knows of a paper as tokens (a repeat is possible and harmless:
    features are present or not): its words, its title's
    words and adjacent word pairs (`t:` + the word or pair), each author (`a:` + the folded
    full name), each category (`c:` + its code) and a fork's importance score (`i:`)."""
    tokens = paper_words(paper)
    # The title's words and word pairs again, as their own features: what a paper is named
    # after says more than a word met once in its abstract (real data, "diffusion" in
    # titles: p@10 0.52 without, 0.71 with; see benchmarks/bench_rank_real.py).
    title = _WORD_RE.findall(fold(paper.title))
    if title:
        tokens += [TITLE_PREFIX + w for w in set(title).difference(_NOT_FEATURES)]
        tokens += [TITLE_PREFIX + pair for pair in _pairs(title)]
    tokens += [AUTHOR_PREFIX + " ".join(fold(name).split()) for name in paper.authors if name.strip()]
    categories = paper.categories or ([paper.category] if paper.category else [])
    tokens += [CATEGORY_PREFIX + c.strip() for c in categories if c.strip()]
    if paper.importance is not None:
        tokens += importance_tokens(paper.importance)
    return tokens


def importance_tokens(importance: float | str | None) -> list[str]:
    """The tokens of a fork's importance score (none without one, or for a score that is
    not a finite number): see IMPORTANCE_PREFIX. A level word (High, 高) gives its band."""
    if isinstance(importance, str):
        from tui_reader.core.formats.importance import level_rank

        rank = level_rank(importance)
        return [f"{IMPORTANCE_PREFIX}{('low', 'mid', 'high')[rank - 1]}"] if rank else []
    if importance is None or isinstance(importance, bool) or not math.isfinite(importance):
        return []
    level = min(10, max(0, round(importance)))
    band = "high" if level >= 7 else "low" if level <= 3 else "mid"
    return [f"{IMPORTANCE_PREFIX}{level}", f"{IMPORTANCE_PREFIX}{band}"]


def hash_tokens(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the distinct hashed features of each token list: row i's
    features are indices[indptr[i]:indptr[i + 1]] (int32, ascending). CRC-32 of the
    UTF-8 token: the same feature in every process and release (not Python's salted hash)."""
    import numpy as np

    tokens = list(chain.from_iterable(token_lists))
    table = dict.fromkeys(tokens)  # a batch's words repeat: each is hashed once
    distinct = list(table)
    table.update(zip(distinct, features_of(distinct).tolist()))
    # itemgetter looks every token up in one call (a map calls a method per token: twice the time).
    found = itemgetter(*tokens)(table) if len(tokens) > 1 else [table[t] for t in tokens]
    flat = np.fromiter(found, dtype=np.int64, count=len(tokens))
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
    # Sorted by row, then feature; a feature repeated in a row (two tokens, one hash) kept once.
    key = rows * (1 << 32) + flat
    key.sort(kind="stable")  # runs already in row order: a merge of them, about twice quicksort's speed
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    indptr = np.zeros(len(token_lists) + 1, dtype=np.int64)
    np.cumsum(np.bincount(key >> 32, minlength=len(token_lists)), out=indptr[1:])
    return indptr, (key & 0xFFFFFFFF).astype(np.int32)


_CATEGORY_PREFIXES = (CATEGORY_PREFIX, IMPORTANCE_PREFIX)


def features_of(tokens: Sequence[str]) -> np.ndarray:
    """feature_of of each token (int64), with no Python code run per token."""
    import numpy as np

    count = len(tokens)
    codes = np.fromiter(map(crc32, map(str.encode, tokens)), dtype=np.int64, count=count)
    features = codes % WORD_FEATURES
    authors = np.fromiter(map(methodcaller("startswith", AUTHOR_PREFIX), tokens), dtype=bool, count=count)
    features[authors] = WORD_FEATURES + codes[authors] % AUTHOR_FEATURES
    named = np.fromiter(map(methodcaller("startswith", _CATEGORY_PREFIXES), tokens), dtype=bool, count=count)
    features[named] = WORD_FEATURES + AUTHOR_FEATURES + codes[named] % CATEGORY_FEATURES
    return features


def feature_of(token: str) -> int:
    """The hashed feature of one token (as hash_tokens gives it), in its kind's range."""
    code = crc32(token.encode())
    if token.startswith(AUTHOR_PREFIX):
        return WORD_FEATURES + code % AUTHOR_FEATURES
    if token.startswith(CATEGORY_PREFIX) or token.startswith(IMPORTANCE_PREFIX):
        return WORD_FEATURES + AUTHOR_FEATURES + code % CATEGORY_FEATURES
    return code % WORD_FEATURES


def kind_weights(author: float, category: float) -> np.ndarray:
    """A weight per feature: 1 for words, `author` for authors, `category` for categories."""
    import numpy as np

    weights = np.ones(N_FEATURES, dtype=np.float64)
    weights[WORD_FEATURES:WORD_FEATURES + AUTHOR_FEATURES] = author
    weights[WORD_FEATURES + AUTHOR_FEATURES:] = category
    return weights


FEATURES_FORMAT = "rank-features-6"
"""Written into the features file: a file of another format (other tokens, other hashing)
is ignored and replaced. Change it whenever paper_tokens or feature_of changes."""


def _paper_key(paper: Paper) -> str:
    """What a paper's features are kept under: its id, version and how many listings it has
    (a new version has a new abstract; an AI-enhanced file read after the raw one brings the
    summaries: either way its features are made again, without reading any text to know)."""
    return f"{paper.id}v{paper.version or 0}n{len(paper.appearances)}"


class FeatureCache:
    """Binary hashed features of every paper seen, computed once per paper (id and version)
    and kept as two flat arrays (no values: a feature is present or not), ~4 bytes a
    feature. With a file (beside the parse cache), they are read from it at the first use
    and written back when papers were added, so a warm start hashes only the new papers.
    A missing, unreadable or foreign file means hashing again, never an error.
    Safe to share between threads."""

    def __init__(self, file: Path | None = None) -> None:
        import numpy as np

        self.file = file
        self._keys = np.zeros(0, dtype="S1")
        """Each row's paper key (_paper_key, UTF-8): 16 bytes a paper, where a dict of str
        to row took ~130 (10 MB at 75,000 papers, a tenth of the model's budget)."""
        self._by_key = np.zeros(0, dtype=np.int64)
        """The rows in the order of their keys (for a binary search)."""
        self._indptr = np.zeros(1, dtype=np.int64)
        self._indices = np.zeros(0, dtype=np.int32)
        self._lock = threading.Lock()
        self._loaded = file is None
        self.hashed = 0
        """Papers hashed here (not found in the file) since this cache was made."""

    def __len__(self) -> int:
        return len(self._keys)

    def _find(self, wanted: np.ndarray) -> np.ndarray:
        """The row of each key of `wanted` (an "S" array), -1 for a key without one."""
        import numpy as np

        if not len(self._keys) or not len(wanted):
            return np.full(len(wanted), -1, dtype=np.int64)
        width = f"S{max(self._keys.dtype.itemsize, wanted.dtype.itemsize)}"
        keys, wanted = self._keys.astype(width, copy=False), wanted.astype(width, copy=False)
        at = np.minimum(np.searchsorted(keys, wanted, sorter=self._by_key), len(keys) - 1)
        rows = self._by_key[at]
        return np.where(keys[rows] == wanted, rows, -1)

    def rows(self, papers: Sequence[Paper], stop: Callable[[], bool] | None = None) -> PaperRows:
        """The features of `papers`, in their order (papers not seen before are hashed now).
        `stop` is asked between batches; when it says so, InterruptedError is raised."""
        import numpy as np

        with self._lock:
            if not self._loaded:
                self._loaded = True
                self._read()
            keys = [_paper_key(p) for p in papers]
            wanted = _key_array(keys)
            order = self._find(wanted)
            if order.size and order.min() < 0:
                by_key: dict[str, Paper] = {}
                for i in np.flatnonzero(order < 0).tolist():
                    by_key.setdefault(keys[i], papers[i])  # a paper listed twice is hashed once
                missing = list(by_key)
                # Into two growing arrays, nothing else kept between batches: an object that
                # lives on, made among a batch's freed tokens, keeps their memory from the
                # system (Python's small-object arenas go back only when wholly empty; see _BATCH).
                ends = np.empty(len(missing), dtype=np.int64)
                found = np.empty(len(missing) * _FEATURES_PER_PAPER, dtype=np.int32)
                used, base = 0, int(self._indptr[-1])
                for start in range(0, len(missing), _BATCH):
                    if stop is not None and stop():
                        raise InterruptedError("feature hashing stopped")
                    batch = missing[start:start + _BATCH]
                    indptr, indices = hash_tokens([paper_tokens(by_key[k]) for k in batch])
                    if used + len(indices) > len(found):
                        grown = np.empty(max(used + len(indices), len(found) * 3 // 2), dtype=np.int32)
                        grown[:used] = found[:used]
                        found = grown
                    found[used:used + len(indices)] = indices
                    ends[start:start + len(batch)] = indptr[1:] + base + used
                    used += len(indices)
                    self.hashed += len(batch)
                found.resize(used, refcheck=False)  # in place: the unused tail given back
                self._indptr = np.concatenate((self._indptr, ends))
                self._indices = np.concatenate((self._indices, found)) if len(self._indices) else found
                # Numbered once the arrays hold the rows.
                self._keys = np.concatenate((self._keys, _key_array(missing)))
                self._by_key = np.argsort(self._keys, kind="stable")
                del by_key, missing
                self._write()
                order = self._find(wanted)
            return PaperRows.gather(self._indptr, self._indices, order)

    def _read(self) -> None:
        from zipfile import BadZipFile

        import numpy as np

        assert self.file is not None
        try:
            with np.load(self.file, allow_pickle=False) as stored:
                if str(stored["format"]) != FEATURES_FORMAT:
                    return
                keys, indptr, indices = stored["keys"], stored["indptr"], stored["indices"]
                if len(indptr) != len(keys) + 1 or int(indptr[-1]) != len(indices) \
                        or (len(indices) and int(indices.max()) >= N_FEATURES):
                    return
                self._keys = np.char.encode(keys.astype(str), "utf-8") if len(keys) else np.zeros(0, dtype="S1")
                self._by_key = np.argsort(self._keys, kind="stable")
                self._indptr = indptr.astype(np.int64)
                self._indices = indices.astype(np.int32)
        except (OSError, ValueError, KeyError, EOFError, BadZipFile):
            return  # absent or damaged: the features are made again (and written anew)

    def _write(self) -> None:
        """Every paper's features to the file in one step: a temporary file, then a rename."""
        import os
        import tempfile

        import numpy as np

        if self.file is None:
            return
        keys = np.char.decode(self._keys, "utf-8") if len(self._keys) else np.zeros(0, dtype=str)
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.file.parent, prefix=f".{self.file.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    np.savez(fh, format=np.array(FEATURES_FORMAT), keys=keys,
                             indptr=self._indptr, indices=self._indices)
                os.replace(temp, self.file)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            pass  # a read-only cache folder: the features live in memory only this time


def _key_array(keys: Sequence[str]) -> np.ndarray:
    """Paper keys as an "S" array of their UTF-8 (no key ends in NUL, which "S" drops)."""
    import numpy as np

    return np.array([k.encode() for k in keys]) if keys else np.zeros(0, dtype="S1")


_ROWS_PER_BLOCK = 8_192


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
        """For each row, the sum of `per_feature` over its features (float64). Summed a
        block of rows at a time: the gathered values of a whole library (15 million at
        75,000 papers) are never held at once."""
        import numpy as np

        count = len(self)
        sums = np.zeros(count, dtype=np.float64)
        for first in range(0, count, _ROWS_PER_BLOCK):
            last = min(count, first + _ROWS_PER_BLOCK)
            low, high = int(self.indptr[first]), int(self.indptr[last])
            if high == low:
                continue
            values = per_feature[self.indices[low:high]]
            starts = np.minimum(self.indptr[first:last] - low, high - low - 1)
            block = np.add.reduceat(values, starts, dtype=np.float64)
            block[self.indptr[first + 1:last + 1] == self.indptr[first:last]] = 0.0  # reduceat gives an empty row its neighbour's value
            sums[first:last] = block
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
