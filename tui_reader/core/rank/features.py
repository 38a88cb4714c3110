"""The ranker's features: each paper's words, authors and categories, hashed once and kept."""
from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Collection, Sequence
from functools import cache
from itertools import chain
from operator import methodcaller
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
_IN_WORDS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_TO_WORD_CHARACTERS = str.maketrans({
    **{chr(c): " " for c in range(128) if chr(c).lower() not in _IN_WORDS},
    **{chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)},
})
"""ASCII to lower-case letters, digits and spaces (everything else, hyphens too, a space)."""
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
"""Papers tokenised and hashed per step (a stop request is seen within ~10 ms). Small, for
memory: a step's strings fill Python's 1 MB small-object arenas, and an arena goes back to
the system only when wholly empty, which numpy's caches of small blocks, made mid-step,
prevent. Measured when every word was a string (~180 a paper; now ~25, paper_features):
75,000 papers hashed, 10 arenas kept at 500 a step, 5 at 100 (8 MB less resident), the
same CPU time."""
_FEATURES_PER_PAPER = 256
"""Room made for the features of each paper to hash (grown when a library needs more)."""


def paper_words(paper: Paper) -> list[str]:
    """The distinct topic words (see _topic_words) of a paper's title and abstract, in no
    particular order (features are present or not, and sorted when hashed)."""
    return list(set(_topic_words(_word_text(paper))))


def paper_pairs(paper: Paper) -> list[str]:
    """Each two topic words that follow one another in a paper's title and abstract once
    glue and punctuation are taken out, joined by a space ("reinforcement learning",
    "learning policies" from "learning of policies"): the baseline's bigrams."""
    return _adjacent_pairs(_topic_words(_word_text(paper)))


def _adjacent_pairs(words: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(words, words[1:])]


def _topic_words(text: str) -> list[str]:
    """The topic words of a text of _to_word_characters, in order: the pieces between spaces
    that start with a letter, are MIN_WORD_LENGTH long or longer and are not stopwords
    ("3d" and "2025" are not words; "gpt4" is)."""
    return [w for w in text.split() if len(w) >= MIN_WORD_LENGTH and w[0].isalpha() and w not in _STOPWORDS]


def _word_text(paper: Paper) -> str:
    """The text of a paper's words (its title and abstract; the AI summary's fields when it
    has no abstract) reduced to lower-case ASCII letters, digits and spaces."""
    # long_texts: read, not kept, so ranking a library leaves its light papers light.
    texts = long_texts(paper)[:len(TEXT_FIELDS)]
    # The abstract is what every paper has and the AI summary retells; with both, the
    # summary's words were noise (real data, the RL reader: p@10 0.821 without them, 0.816
    # with; benchmarks/bench_rank_real.py).
    fields = (paper.title, texts[-1]) if texts[-1].strip() else (paper.title, *texts[:-1])
    text = " ".join(filter(None, fields))
    # Only the fields beyond ASCII are searched (isascii costs nothing: a flag of the str).
    if not text.isascii() and any(_folding_matters().search(t) for t in fields if t and not t.isascii()):
        # Only Latin letters can make a word here: the rest (a Chinese summary) is dropped
        # before folding, which goes character by character through such text (~2 ms a
        # paper); what is left holds no Hangul, so fold's search for it is skipped.
        text = fold_latin(_NOT_LATIN_RE.sub(" ", text))
    # Else every character but ASCII ends a word, folded or not: the folding is spared.
    return _to_word_characters(text)


@cache
def _folding_matters() -> re.Pattern[str]:
    """Any character outside ASCII that folding turns into part of a word (é, ﬁ, ², the
    en dash) or into nothing (an accent written apart): where a text must be folded."""
    ranges = ((0x80, 0x36F), (0x1E00, 0x1EFF), (0x2010, 0x2212), (0xFB00, 0xFB06), (0xFF01, 0xFF5E))
    found = [chr(c) for first, last in ranges for c in range(first, last + 1)
             if not fold(chr(c)) or any(part in _IN_WORDS for part in fold(chr(c)))]
    return re.compile("[" + "".join(map(re.escape, found)) + "]")


def _to_word_characters(text: str) -> str:
    """text with its ASCII letters in lower case, every other character but digits a space
    (as is any character beyond ASCII)."""
    if not text.isascii():
        text = text.encode("ascii", "replace").decode("ascii")  # "?": a space, below
    return text.translate(_TO_WORD_CHARACTERS)


def _pairs(words: list[str]) -> list[str]:
    """Adjacent topic words (neither glue) joined by a space: "point cloud", "language model"."""
    topical = list(map(_NOT_FEATURES.__contains__, words))  # True: glue or one letter
    return [f"{a} {b}" for a, b, glue_a, glue_b in zip(words, words[1:], topical, topical[1:]) if not (glue_a or glue_b)]


def paper_tokens(paper: Paper) -> list[str]:
    """Everything the ranker knows of a paper as tokens (a repeat is possible and harmless:
    features are present or not): its words (paper_words) and word pairs (paper_pairs), its
    title's words and adjacent word pairs (`t:` + the word or pair), each author (`a:` + the
    folded full name), each category (`c:` + its code) and a fork's importance score (`i:`)."""
    titles, authors, categories = _named_tokens(paper)
    words = _topic_words(_word_text(paper))  # the text read and folded once
    return list(set(words)) + _adjacent_pairs(words) + titles + authors + categories


def _named_tokens(paper: Paper) -> tuple[list[str], list[str], list[str]]:
    """A paper's tokens other than its words, by the range they are hashed into: its
    title's, its authors', its categories' and importance's (see paper_tokens)."""
    # The title's words and word pairs again, as their own features: what a paper is named
    # after says more than a word met once in its abstract (real data, "diffusion" in
    # titles: p@10 0.52 without, 0.71 with; see benchmarks/bench_rank_real.py).
    title = _WORD_RE.findall(fold(paper.title))
    titles = [TITLE_PREFIX + w for w in set(title).difference(_NOT_FEATURES)]
    titles += [TITLE_PREFIX + pair for pair in _pairs(title)]
    authors = [AUTHOR_PREFIX + " ".join(fold(name).split()) for name in paper.authors if name.strip()]
    categories = paper.categories or ([paper.category] if paper.category else [])
    named = [CATEGORY_PREFIX + c.strip() for c in categories if c.strip()]
    if paper.importance is not None:
        named += importance_tokens(paper.importance)
    return titles, authors, named


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
    """(indptr, indices) of the distinct features (feature_of) of each token list: row i's
    features are indices[indptr[i]:indptr[i + 1]] (int32, ascending)."""
    import numpy as np

    tokens = list(chain.from_iterable(token_lists))
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
    return _rows_of(rows, features_of(tokens), len(token_lists))


def paper_features(papers: Sequence[Paper]) -> tuple[np.ndarray, np.ndarray]:
    """hash_tokens([paper_tokens(p) for p in papers]) in a fraction of the time: the words and
    word pairs of all the papers' texts are found and hashed by numpy over one buffer (no
    string made for a word); only the named tokens (titles, authors, categories) are strings."""
    import numpy as np

    texts = [_word_text(p) for p in papers]
    # A space at each end: every word has a space before and after it.
    spaced = b" " + " ".join(texts).encode("ascii") + b" "
    buffer = np.frombuffer(spaced, dtype=np.uint8)
    edges = np.diff((buffer == 32).view(np.int8))
    starts, ends = np.flatnonzero(edges == -1) + 1, np.flatnonzero(edges == 1) + 1
    lengths = ends - starts
    # Each paper's text starts after the space that joins it to the one before.
    text_starts = np.ones(len(texts), dtype=np.int64)
    np.cumsum([len(t) + 1 for t in texts[:-1]], out=text_starts[1:])
    text_starts[1:] += 1
    per_text = np.diff(np.searchsorted(starts, text_starts), append=len(starts))
    word_rows = np.repeat(np.arange(len(texts), dtype=np.int64), per_text)
    hashes = _hash_spans(spaced, starts, lengths)[0]
    # A topic word (_topic_words): a letter first (bit 6: digits lack it), two long, no stopword.
    kept = ((buffer[starts] & 0x40) != 0) & (lengths >= MIN_WORD_LENGTH)
    kept[kept] = ~_STOP_HASHES.holds(hashes[kept])
    kept_at = np.flatnonzero(kept)
    rows, features = [word_rows[kept_at]], [_in_range(hashes[kept_at], 0)]
    if len(kept_at) > 1:
        # The pairs: the topic words copied one after another, each with the space after it,
        # so that two that follow one another in a paper are the span "a b" to hash.
        sizes = lengths[kept_at] + 1
        placed = np.zeros(len(kept_at), dtype=np.int64)
        np.cumsum(sizes[:-1], out=placed[1:])
        source = np.arange(int(placed[-1] + sizes[-1]), dtype=np.int64) + np.repeat(starts[kept_at] - placed, sizes)
        joined = buffer[source].tobytes()
        same = np.flatnonzero(word_rows[kept_at[1:]] == word_rows[kept_at[:-1]])
        pair_lengths = sizes[same] + lengths[kept_at[same + 1]]
        rows.append(word_rows[kept_at[same]])
        features.append(_in_range(_hash_spans(joined, placed[same], pair_lengths)[0], 0))
    # Title words, then authors, then categories: each kind hashed into its range.
    groups = [_named_tokens(p) for p in papers]
    for kind in range(3):
        tokens = [group[kind] for group in groups]
        rows.append(np.repeat(np.arange(len(papers), dtype=np.int64), [len(t) for t in tokens]))
        features.append(_in_range(_token_hashes(list(chain.from_iterable(tokens))), kind))
    return _rows_of(np.concatenate(rows), np.concatenate(features), len(papers))


def _rows_of(rows: np.ndarray, features: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of `count` rows from each (row, feature) pair: a row's distinct
    features, ascending."""
    import numpy as np

    key = rows * (1 << 32) + features
    key.sort(kind="stable")  # runs in row order: a merge of them, about twice quicksort's speed
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(key >> 32, minlength=count), out=indptr[1:])
    return indptr, (key & 0xFFFFFFFF).astype(np.int32)


_HASH_START, _HASH_STEP, _HASH_END = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
"""The odd 64-bit constants of _hash_spans (splitmix64's)."""
_ALPHA_BITS = 0x4040404040404040
"""Bit 6 of each byte: set in every ASCII letter, clear in digits, hyphens and spaces."""


def _hash_spans(buffer: bytes, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 64-bit hash of each span buffer[start:start + length], and whether the span holds
    a letter and whether it holds anything else (as lower-case ASCII words go: a letter is a
    byte with bit 6 set). The hash, of a span's bytes read as 8-byte little-endian chunks
    c_0..c_(n-1) (the last padded with zero bytes): h = length * START + the sum over k of
    mix((c_k ^ (k + 1) * START) * STEP), with mix(x) = x ^ (x >> 29); then
    h = x ^ (x >> 31) with x = (h ^ (h >> 32)) * END; all modulo 2^64.
    The same hash in every process and release (not Python's salted hash()), and every
    span's chunks hashed together in a fixed number of numpy steps, however long the spans
    (CRC-32 needs a call per token; a chunk-by-chunk loop, a step per 8 bytes of the longest)."""
    import numpy as np

    padded = np.frombuffer(buffer + bytes(8), dtype=np.uint8)
    # Every 8 bytes from each offset, read as one number (unaligned reads, no copy).
    words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    # The first chunks of all spans, then the second of those longer than 8 bytes, ... (most
    # words fit in one or two chunks); past _LOOPED_CHUNKS, all the long spans' other
    # chunks at once (a hostile megabyte-long word costs a step, not 100,000).
    hashes, letters, other = _chunk_values(words, starts, lengths, 0)
    if len(lengths) and lengths.min() == 0:  # an empty span has no chunk
        hashes[lengths == 0] = 0
    hashes += lengths.astype(np.uint64) * np.uint64(_HASH_START)
    spans = np.flatnonzero(lengths > 8)
    for k in range(1, _LOOPED_CHUNKS):
        if not len(spans):
            break
        mixed, has_letter, has_other = _chunk_values(words, starts[spans] + 8 * k, lengths[spans] - 8 * k, k)
        hashes[spans] += mixed
        letters[spans] |= has_letter
        other[spans] |= has_other
        spans = spans[lengths[spans] > 8 * (k + 1)]
    if len(spans):
        counts = (lengths[spans] + 7) // 8 - _LOOPED_CHUNKS
        first = np.zeros(len(spans), dtype=np.int64)
        np.cumsum(counts[:-1], out=first[1:])
        span = np.repeat(spans, counts)
        position = np.arange(len(span), dtype=np.int64) - np.repeat(first, counts) + _LOOPED_CHUNKS
        mixed, has_letter, has_other = _chunk_values(words, starts[span] + 8 * position, lengths[span] - 8 * position,
                                                     position)
        hashes[spans] += np.add.reduceat(mixed, first)
        letters[spans] |= np.logical_or.reduceat(has_letter, first)
        other[spans] |= np.logical_or.reduceat(has_other, first)
    hashes ^= hashes >> np.uint64(32)
    hashes *= np.uint64(_HASH_END)
    hashes ^= hashes >> np.uint64(31)
    return hashes, letters, other


_LOOPED_CHUNKS = 8
"""Chunks of each span hashed a numpy step per chunk position (the spans' first 64 bytes)."""


def _chunk_values(words: np.ndarray, at: np.ndarray, left: np.ndarray,
                  position: int | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of the chunks of 8 bytes at each offset `at` (of which the first `left` are the
    span's) at their `position` in their spans: each one's term of the hash, whether it
    holds a letter and whether anything else."""
    import numpy as np

    alpha = np.uint64(_ALPHA_BITS)
    mask = _chunk_masks()[np.minimum(left, 8)]
    chunks = words[at] & mask
    with np.errstate(over="ignore"):  # modulo 2^64 (numpy warns of it for a single number only)
        mixed = (np.asarray(position, dtype=np.uint64) + np.uint64(1)) * np.uint64(_HASH_START)
    mixed = mixed ^ chunks
    mixed *= np.uint64(_HASH_STEP)
    mixed ^= mixed >> np.uint64(29)
    return mixed, (chunks & alpha) != 0, (~chunks & alpha & mask) != 0


@cache
def _chunk_masks() -> np.ndarray:
    """The mask of a chunk's first n bytes, for n = 0..8."""
    import numpy as np

    return np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


class _HashSet:
    """Membership of 64-bit hashes in a fixed set, for arrays of them: each member is kept in
    a table indexed by its hash's low 16 bits (members sharing them, in further tables)."""

    def __init__(self, words: Collection[str]) -> None:
        import numpy as np

        self._tables: list[np.ndarray] = []
        for value in np.unique(_token_hashes(list(words))).tolist():
            for table in self._tables:
                if not table[value & 0xFFFF]:
                    break
            else:
                table = np.zeros(1 << 16, dtype=np.uint64)
                self._tables.append(table)
            table[value & 0xFFFF] = value

    def holds(self, hashes: np.ndarray) -> np.ndarray:
        import numpy as np

        buckets = hashes.astype("<u8", copy=False).view(np.uint16)[::4]  # the low 16 bits
        found = np.zeros(len(hashes), dtype=bool)
        for table in self._tables:
            found |= table[buckets] == hashes
        return found


class _LazyStopHashes:
    """_HashSet of the stopwords, made at the first use (no numpy on import)."""

    _set: _HashSet | None = None

    def holds(self, hashes: np.ndarray) -> np.ndarray:
        if self._set is None:
            self._set = _HashSet(_STOPWORDS)
        return self._set.holds(hashes)


_STOP_HASHES = _LazyStopHashes()


def _token_hashes(tokens: Sequence[str]) -> np.ndarray:
    """_hash_spans of each token's UTF-8 (a lone surrogate, which parsing replaces, written
    as its three bytes all the same: no paper can stop the ranking)."""
    import numpy as np

    encoded = [t.encode("utf-8", "surrogatepass") for t in tokens]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    starts = np.zeros(len(encoded), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return _hash_spans(b"".join(encoded), starts, lengths)[0]


_CATEGORY_PREFIXES = (CATEGORY_PREFIX, IMPORTANCE_PREFIX)


def features_of(tokens: Sequence[str]) -> np.ndarray:
    """feature_of of each token (int64), with no Python code run per token but its encoding
    and the look at its prefix."""
    import numpy as np

    count = len(tokens)
    codes = _token_hashes(tokens)
    features = _in_range(codes, 0)
    authors = np.fromiter(map(methodcaller("startswith", AUTHOR_PREFIX), tokens), dtype=bool, count=count)
    features[authors] = _in_range(codes[authors], 1)
    named = np.fromiter(map(methodcaller("startswith", _CATEGORY_PREFIXES), tokens), dtype=bool, count=count)
    features[named] = _in_range(codes[named], 2)
    return features


_RANGES = ((0, WORD_FEATURES), (WORD_FEATURES, AUTHOR_FEATURES), (WORD_FEATURES + AUTHOR_FEATURES, CATEGORY_FEATURES))
"""Where each kind's features start, and how many it has: words, authors, categories."""


def _in_range(hashes: np.ndarray, kind: int) -> np.ndarray:
    """The features (int64) of token hashes of a kind (0 words, 1 authors, 2 categories)."""
    import numpy as np

    first, size = _RANGES[kind]
    features = (hashes % np.uint64(size)).astype(np.int64)
    features += first
    return features


def feature_of(token: str) -> int:
    """The hashed feature of one token (as hash_tokens gives it), in its kind's range: the
    token's _hash_spans hash modulo the range's size, after the ranges before it."""
    return int(features_of([token])[0])


def kind_weights(author: float, category: float) -> np.ndarray:
    """A weight per feature: 1 for words, `author` for authors, `category` for categories."""
    import numpy as np

    weights = np.ones(N_FEATURES, dtype=np.float64)
    weights[WORD_FEATURES:WORD_FEATURES + AUTHOR_FEATURES] = author
    weights[WORD_FEATURES + AUTHOR_FEATURES:] = category
    return weights


FEATURES_FORMAT = "rank-features-9"
"""Written into the features file: a file of another format (other tokens, other hashing)
is ignored and replaced. Change it whenever paper_tokens or feature_of changes."""


def _paper_key(paper: Paper) -> str:
    """What a paper's features are kept under: its id, version and how many listings it has
    (a new version has a new abstract; an AI-enhanced file read after the raw one brings the
    summaries: either way its features are made again, without reading any text to know)."""
    return f"{paper.id}v{paper.version or 0}n{len(paper.appearances)}"


class FeatureCache:
    """Binary hashed features of every paper seen, computed once per paper (id and version)
    and kept packed (PaperRows.packed: ~2 bytes a feature, no values: a feature is present
    or not). With a file (beside the parse cache), they are read from it at the first use
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
        self._low = np.zeros(0, dtype=np.uint16)
        self._runs = np.zeros((0, _RUNS), dtype=np.int32)
        """Every row's features, packed (PaperRows.packed)."""
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
        """The features of `papers`, in their order, packed (papers not seen before are hashed
        now). `stop` is asked between batches; when it says so, InterruptedError is raised."""
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
                # Into growing arrays, nothing else kept between batches: an object that
                # lives on, made among a batch's freed tokens, keeps their memory from the
                # system (Python's small-object arenas go back only when wholly empty; see _BATCH).
                ends = np.empty(len(missing), dtype=np.int64)
                runs = np.empty((len(missing), _RUNS), dtype=np.int32)
                found = np.empty(len(missing) * _FEATURES_PER_PAPER, dtype=np.uint16)
                used, base = 0, int(self._indptr[-1])
                for start in range(0, len(missing), _BATCH):
                    if stop is not None and stop():
                        raise InterruptedError("feature hashing stopped")
                    batch = missing[start:start + _BATCH]
                    indptr, indices = paper_features([by_key[k] for k in batch])
                    if used + len(indices) > len(found):
                        grown = np.empty(max(used + len(indices), len(found) * 3 // 2), dtype=np.uint16)
                        grown[:used] = found[:used]
                        found = grown
                    found[used:used + len(indices)], runs[start:start + len(batch)] = _pack(indptr, indices)
                    ends[start:start + len(batch)] = indptr[1:] + base + used
                    used += len(indices)
                    self.hashed += len(batch)
                found.resize(used, refcheck=False)  # in place: the unused tail given back
                self._indptr = np.concatenate((self._indptr, ends))
                self._low = np.concatenate((self._low, found)) if len(self._low) else found
                self._runs = np.concatenate((self._runs, runs))
                # Numbered once the arrays hold the rows.
                self._keys = np.concatenate((self._keys, _key_array(missing)))
                self._by_key = np.argsort(self._keys, kind="stable")
                del by_key, missing
                self._write()
                order = self._find(wanted)
            return PaperRows.packed(self._indptr, self._low, self._runs).packed_subset(order)

    def _read(self) -> None:
        from zipfile import BadZipFile

        import numpy as np

        assert self.file is not None
        try:
            with np.load(self.file, allow_pickle=False) as stored:
                if str(stored["format"]) != FEATURES_FORMAT:
                    return
                keys, indptr, low, runs = stored["keys"], stored["indptr"], stored["low"], stored["runs"]
                if not _packed_rows_fit(len(keys), indptr, low, runs):
                    return
                self._keys = np.char.encode(keys.astype(str), "utf-8") if len(keys) else np.zeros(0, dtype="S1")
                self._by_key = np.argsort(self._keys, kind="stable")
                self._indptr, self._low, self._runs = indptr.astype(np.int64), low, runs.astype(np.int32)
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
                    np.savez(fh, format=np.array(FEATURES_FORMAT), keys=keys, indptr=self._indptr,
                             low=self._low, runs=self._runs)
                os.replace(temp, self.file)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            pass  # a read-only cache folder: the features live in memory only this time


def _pack(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plain rows' features packed: each one's low 16 bits, and each row's count of them in
    each _RUN_SIZE run (see PaperRows)."""
    import numpy as np

    rows = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))
    runs = np.bincount(rows * _RUNS + (indices >> 16), minlength=(len(indptr) - 1) * _RUNS)
    return indices.astype(np.uint16), runs.astype(np.int32).reshape(-1, _RUNS)


def _packed_rows_fit(count: int, indptr: np.ndarray, low: np.ndarray, runs: np.ndarray) -> bool:
    """Whether arrays read from a features file are `count` packed rows of features below
    N_FEATURES (a damaged file must not make a feature index past the model's arrays)."""
    import numpy as np

    if indptr.shape != (count + 1,) or low.dtype != np.uint16 or runs.shape != (count, _RUNS) \
            or not np.issubdtype(indptr.dtype, np.integer) or not np.issubdtype(runs.dtype, np.integer):
        return False
    if not count:
        return len(low) == 0 and int(indptr[0]) == 0
    lengths = np.diff(indptr)
    if int(indptr[0]) != 0 or int(indptr[-1]) != len(low) or int(runs.min()) < 0 \
            or not np.array_equal(lengths, runs.sum(axis=1)):
        return False
    # The last run is short: its features' low bits stay under what is left of N_FEATURES.
    last = runs[:, -1].astype(np.int64)
    in_last = np.arange(len(low), dtype=np.int64) >= np.repeat(indptr[1:] - last, lengths)
    return not in_last.any() or int(low[in_last].max()) < N_FEATURES - (_RUNS - 1) * _RUN_SIZE


def _key_array(keys: Sequence[str]) -> np.ndarray:
    """Paper keys as an "S" array of their UTF-8 (no key ends in NUL, which "S" drops)."""
    import numpy as np

    return np.array([k.encode() for k in keys]) if keys else np.zeros(0, dtype="S1")


_ROWS_PER_BLOCK = 8_192
_RUN_SIZE = 1 << 16
"""Packed rows keep each feature's low 16 bits (uint16) and, per row, how many of its
features fall in each run of _RUN_SIZE features (its features are ascending)."""
_RUNS = -(-N_FEATURES // _RUN_SIZE)


def _high_bits(runs: np.ndarray) -> np.ndarray:
    """Each feature's bits above the low 16 (int32), for rows of packed features given by
    their counts per run: a row's features are ascending, so its runs come in order."""
    import numpy as np

    return np.repeat(np.tile(np.arange(_RUNS, dtype=np.int32) << 16, len(runs)), runs.ravel())


class PaperRows:
    """The features of a list of papers: row i is paper i's, ascending. Plain, as
    (indptr, indices int32); or packed (PaperRows.packed), as what a whole library's features
    are kept in: each feature's low 16 bits and, per row, its count of features in each
    _RUN_SIZE run (2 bytes a feature and 44 a row against 4 a feature: at 75,000 papers
    of 280 features, 46 MB against 84, where the model's budget is 100). Either form gives
    plain rows from subset, and sums and frequencies unpacked a block of rows at a time."""

    __slots__ = ("indptr", "_indices", "low", "runs")

    def __init__(self, indptr: np.ndarray, indices: np.ndarray) -> None:
        self.indptr = indptr
        self._indices: np.ndarray | None = indices
        self.low: np.ndarray | None = None
        self.runs: np.ndarray | None = None

    @classmethod
    def packed(cls, indptr: np.ndarray, low: np.ndarray, runs: np.ndarray) -> PaperRows:
        """Rows of features kept as their low 16 bits and each row's count in each run."""
        rows = cls(indptr, low)
        rows._indices, rows.low, rows.runs = None, low, runs
        return rows

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @property
    def indices(self) -> np.ndarray:
        """Every row's features one after another (int32; decoded anew from a packed form)."""
        return self._indices if self._indices is not None else self._decode(0, len(self))

    @property
    def storage(self) -> np.ndarray:
        """The array holding the features: the same object while the rows are the same."""
        return self._indices if self._indices is not None else self.low  # type: ignore[return-value]

    def _decode(self, first: int, last: int) -> np.ndarray:
        """The features of rows first..last (int32), from the packed form."""
        import numpy as np

        assert self.low is not None and self.runs is not None
        features = _high_bits(self.runs[first:last])
        features |= self.low[int(self.indptr[first]):int(self.indptr[last])]
        return features

    def _entries(self, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The indptr of rows `order` taken in that order, and where their entries are."""
        import numpy as np

        starts = self.indptr[order]
        lengths = self.indptr[order + 1] - starts
        new_indptr = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=new_indptr[1:])
        # Each output position: where its row starts in the source, plus its place in the row.
        positions = np.arange(int(new_indptr[-1]), dtype=np.int64) + np.repeat(starts - new_indptr[:-1], lengths)
        return new_indptr, positions

    def _is_every_row(self, order: np.ndarray) -> bool:
        import numpy as np

        return len(order) == len(self) and bool(np.array_equal(order, np.arange(len(order))))

    def subset(self, rows: np.ndarray) -> PaperRows:
        """The rows given (indices into this list), in that order, plain; shared, not copied,
        when they are every row of plain rows as they are."""
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        if self._indices is not None and self._is_every_row(rows):
            return self
        indptr, positions = self._entries(rows)
        if self._indices is not None:
            return PaperRows(indptr, self._indices[positions])
        assert self.low is not None and self.runs is not None
        features = _high_bits(self.runs[rows])
        features |= self.low[positions]
        return PaperRows(indptr, features)

    def packed_subset(self, rows: np.ndarray) -> PaperRows:
        """The rows given, in that order, in this form; shared when they are every row."""
        if self._is_every_row(rows):
            return self
        if self._indices is not None:
            return self.subset(rows)
        assert self.low is not None and self.runs is not None
        indptr, positions = self._entries(rows)
        return PaperRows.packed(indptr, self.low[positions], self.runs[rows])

    def row(self, i: int) -> np.ndarray:
        """Row i's features (int32)."""
        if self._indices is not None:
            return self._indices[self.indptr[i]:self.indptr[i + 1]]
        return self._decode(i, i + 1)

    def _blocks_of_rows(self):  # type: ignore[no-untyped-def]
        """(first, last, features of rows first..last) for blocks of _ROWS_PER_BLOCK rows: the
        gathered values of a whole library (21 million at 75,000 papers) are never held at once."""
        count = len(self)
        for first in range(0, count, _ROWS_PER_BLOCK):
            last = min(count, first + _ROWS_PER_BLOCK)
            low, high = int(self.indptr[first]), int(self.indptr[last])
            features = self._indices[low:high] if self._indices is not None else self._decode(first, last)
            yield first, last, features

    def row_sums(self, per_feature: np.ndarray) -> np.ndarray:
        """For each row, the sum of `per_feature` over its features (float64)."""
        import numpy as np

        sums = np.zeros(len(self), dtype=np.float64)
        for first, last, features in self._blocks_of_rows():
            if not len(features):
                continue
            offsets = self.indptr[first:last + 1] - self.indptr[first]
            # The rows holding features: reduceat sums from each start to the next one's.
            held = np.flatnonzero(offsets[1:] > offsets[:-1])
            sums[first + held] = np.add.reduceat(per_feature[features], offsets[held], dtype=np.float64)
        return sums

    def document_frequency(self) -> np.ndarray:
        """How many rows hold each feature."""
        import numpy as np

        counts = np.zeros(N_FEATURES, dtype=np.int64)
        for _, _, features in self._blocks_of_rows():
            counts += np.bincount(features, minlength=N_FEATURES)
        return counts

    def matrix(self, per_feature: np.ndarray, row_scale: np.ndarray) -> Any:
        """A scipy CSR matrix: value per_feature[j] * row_scale[i] at each feature j of row i."""
        import numpy as np
        from scipy.sparse import csr_matrix

        indices = self.indices
        lengths = np.diff(self.indptr)
        data = per_feature[indices] * np.repeat(row_scale, lengths)
        return csr_matrix((data, indices, self.indptr), shape=(len(self), N_FEATURES))
