"""BM25 over a sparse term matrix (postings touched per query term, never a loop over passages).

The matrix is kept as plain CSC arrays rather than a scipy.sparse object: a query reads one
column slice per term, and not importing scipy saves ~0.15 s of every one-shot `ask`.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.text import (
    FOLDED_WORD,
    STOPWORDS,
    content_terms,
    fold,
    one_edit,
    stem,
    without_about,
)


@dataclass(frozen=True, slots=True)
class Postings:
    """A (passages × terms) matrix in CSC form: column t's rows are indices[indptr[t]:indptr[t+1]]."""

    data: np.ndarray  # float32 BM25 weight per (passage, term)
    indices: np.ndarray  # passage row of each weight
    indptr: np.ndarray  # (terms + 1,) column starts
    shape: tuple[int, int]

    @classmethod
    def from_triples(cls, rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
                     shape: tuple[int, int]) -> Postings:
        """Build from (row, col, value) triples, each (row, col) at most once."""
        order = np.lexsort((rows, cols))  # by column, then row
        counts = np.bincount(cols, minlength=shape[1])
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        index_type = np.int32 if shape[0] < 2**31 else np.int64
        return cls(values[order].astype(np.float32), rows[order].astype(index_type), indptr,
                   shape)


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """A stemmed query term and its weight (name variants count a little less)."""

    term: str
    weight: float


class BM25:
    """Okapi BM25 with precomputed per-(passage, term) weights in a CSC matrix."""

    def __init__(self, weights: Postings, vocab: dict[str, int],
                 surface: dict[str, tuple[int, float]], k1: float, b: float) -> None:
        self.weights = weights
        self.vocab = vocab
        self.surface = surface  # folded word -> (document frequency, share written capitalised)
        self.k1, self.b = k1, b
        self._variants = _DeleteIndex(w for w in surface if len(w) >= 4)
        # corpus words of 9+ letters by their last 8 (an unknown word's compounds, below)
        self._by_tail: dict[str, list[str]] = {}
        for w in sorted(w for w in surface if len(w) >= 9):
            self._by_tail.setdefault(w[-8:], []).append(w)
        # term → its column's (rows, weights) as views, read once: numpy scalar reads and
        # slicing of the column bounds cost more than the sum itself (question terms recur)
        self._columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @classmethod
    def build(cls, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> BM25:
        """Index texts (passage text with its context header)."""
        vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        df_words: Counter[str] = Counter()
        caps: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for i, text in enumerate(texts):
            terms = content_terms(text)
            lengths[i] = len(terms)
            for term, count in Counter(terms).items():
                rows.append(i)
                cols.append(vocab.setdefault(term, len(vocab)))
                tfs.append(count)
            seen: set[str] = set()
            for m in _RAW_TOKEN.finditer(text):
                raw = m.group(0)
                words = _surface_words(raw)
                seen.update(words)
                if _opens_sentence(text, m.start()):
                    continue  # "Dedicated to…" opening a sentence says nothing of a name
                capitalised = raw[:1].isupper()
                for w in words:
                    total[w] += 1
                    if capitalised:
                        caps[w] += 1
            df_words.update(seen)
        n = len(texts)
        tf = np.asarray(tfs, dtype=np.float32)
        rows_a = np.asarray(rows, dtype=np.int64)
        cols_a = np.asarray(cols, dtype=np.int64)
        df = np.bincount(cols_a, minlength=len(vocab)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        avgdl = float(lengths.mean()) if n else 1.0
        norm = k1 * (1.0 - b + b * lengths[rows_a] / max(avgdl, 1e-9))
        values = idf[cols_a] * tf * (k1 + 1.0) / (tf + norm)
        weights = Postings.from_triples(rows_a, cols_a, values, (n, len(vocab)))
        # A word seen only opening sentences is not known to be a name: just under even odds.
        surface = {word: (df_words[word], caps[word] / total[word] if total[word] else 0.49)
                   for word in df_words}
        return cls(weights, vocab, surface, k1, b)

    @property
    def size(self) -> int:
        """Number of indexed passages."""
        return self.weights.shape[0]

    def query_terms(self, question: str) -> list[QueryTerm]:
        """The question's stemmed terms, plus close spellings of names found in the corpus."""
        terms: dict[str, float] = {}
        for word in (w for w in _folded_words(question) if w not in STOPWORDS):
            terms[stem(word)] = max(terms.get(stem(word), 0.0), 1.0)
            known = word in self.surface
            for variant in self._variants.near(word) if len(word) >= (4 if known else 5) else ():
                df, cap_share = self.surface[variant]
                # A known word only borrows variants that are names ("Jon" ~ "Jonn");
                # an unknown word (a misspelling) borrows any close corpus word.
                if known and cap_share < 0.6:
                    continue
                st = stem(variant)
                terms[st] = max(terms.get(st, 0.0), 0.8)
            if not known:
                for longer in self.compounds(word):
                    st = stem(longer)
                    terms[st] = max(terms.get(st, 0.0), 0.8)
        return [QueryTerm(t, w) for t, w in terms.items()]

    def term_groups(self, question: str) -> list[tuple[str, frozenset[str]]]:
        """Each content word of a question with the stems that stand for it in the corpus: its
        own, and those of close spellings ("portugese" → portuguese)."""
        out = []
        for word in dict.fromkeys(w for w in _folded_words(question) if w not in STOPWORDS):
            stems = {stem(word)}
            if len(word) >= 5 and word not in self.surface:
                stems |= {stem(v) for v in self._variants.near(word)}
                stems |= {stem(v) for v in self.compounds(word)}
            out.append((word, frozenset(stems)))
        return out

    def compounds(self, word: str) -> list[str]:
        """Longer corpus words sharing an unknown word's last 8 letters (photography ~ cinematography)."""
        if len(word) < 8 or word in self.surface:
            return []
        return [w for w in self._by_tail.get(word[-8:], ()) if len(w) > len(word)]

    def knows(self, word: str) -> bool:
        """Whether a folded word occurs in the corpus, as itself, its stem, a close spelling,
        or without a comparative or adverb ending ("slower" → slow)."""
        if word in self.surface or stem(word) in self.vocab:
            return True
        for ending in ("er", "est", "ly", "ness"):
            base = word.removesuffix(ending)
            if base != word and len(base) >= 3 and (base in self.surface or stem(base) in self.vocab):
                return True
        return len(word) >= 5 and bool(self._variants.near(word) or self.compounds(word))

    def missing_share(self, question: str) -> float:
        """Share of the question's content words that no passage contains, even as a variant."""
        words = [w for w in _folded_words(question) if w not in STOPWORDS]
        if not words:
            return 1.0
        return sum(not self.knows(w) for w in words) / len(words)

    def scores(self, terms: Iterable[QueryTerm]) -> np.ndarray:
        """BM25 score of every passage for the query terms (dense float32 array)."""
        out = np.zeros(self.size, dtype=np.float32)
        for qt in terms:
            column = self._column(qt.term)
            if column is None:
                continue
            rows, weights = column
            # A column holds each passage once, so plain fancy-index addition is exact (and much
            # faster than np.add.at).
            out[rows] += qt.weight * weights
        return out

    def _column(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's postings: the passages holding it and their weights (None: no passage)."""
        hit = self._columns.get(term)
        if hit is None:
            col = self.vocab.get(term)
            if col is None:
                return None
            lo, hi = int(self.weights.indptr[col]), int(self.weights.indptr[col + 1])
            hit = self._columns[term] = (self.weights.indices[lo:hi], self.weights.data[lo:hi])
        return hit

    def save(self, directory: Path) -> list[str]:
        """Write bm25.npz and bm25_vocab.json into directory; returns the file names."""
        w = self.weights
        np.savez(directory / "bm25.npz", data=w.data, indices=w.indices, indptr=w.indptr,
                 shape=np.asarray(w.shape, dtype=np.int64),
                 params=np.asarray([self.k1, self.b], dtype=np.float64))
        payload = {"vocab": list(self.vocab), "surface": self.surface}
        (directory / "bm25_vocab.json").write_text(json.dumps(payload, ensure_ascii=False),
                                                    encoding="utf-8")
        return ["bm25.npz", "bm25_vocab.json"]

    @classmethod
    def load(cls, directory: Path) -> BM25:
        """Read what `save` wrote (no pickle)."""
        with np.load(directory / "bm25.npz", allow_pickle=False) as z:
            rows_n, cols_n = (int(x) for x in z["shape"])
            shape = (rows_n, cols_n)
            weights = Postings(z["data"], z["indices"], z["indptr"], shape)
            k1, b = (float(x) for x in z["params"])
        payload = json.loads((directory / "bm25_vocab.json").read_text(encoding="utf-8"))
        vocab = {t: i for i, t in enumerate(payload["vocab"])}
        surface = {w: (int(v[0]), float(v[1])) for w, v in payload["surface"].items()}
        if len(vocab) != shape[1]:
            raise ValueError("BM25 vocabulary does not match its matrix")
        if not (len(weights.indptr) == shape[1] + 1 and weights.indptr[-1] == len(weights.data)
                == len(weights.indices) and (len(weights.indices) == 0
                                             or int(weights.indices.max()) < shape[0])):
            raise ValueError("BM25 postings are inconsistent")
        return cls(weights, vocab, surface, k1, b)


_RAW_TOKEN = re.compile(r"[\w'’-]+")
_SENTENCE_END = frozenset(".!?:\n*•")  # what stands before a sentence's or an item's first word


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the token at `start` opens a sentence, line or list item (its capital is the
    sentence's, not the word's)."""
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END


@lru_cache(maxsize=1 << 18)
def _surface_words(raw: str) -> tuple[str, ...]:
    """The folded words of one raw token; cached, as a large corpus repeats its tokens."""
    return tuple(FOLDED_WORD.findall(fold(raw)))


def _folded_words(text: str) -> list[str]:
    return FOLDED_WORD.findall(without_about(fold(text)).replace("'s ", " "))


NEAR_CACHE = 1 << 14  # words whose near-misses one index keeps


class _DeleteIndex:
    """Words within one edit (or a transposition) of a query word, by symmetric deletes."""

    def __init__(self, words: Iterable[str]) -> None:
        self._by_key: defaultdict[str, set[str]] = defaultdict(set)
        for w in words:
            for key in _deletes(w):
                self._by_key[key].add(w)
        # each word's near-misses, once: question words recur (callers only read the sets)
        self._seen: dict[str, set[str]] = {}

    def near(self, word: str) -> set[str]:
        hit = self._seen.get(word)
        if hit is None:
            if len(self._seen) >= NEAR_CACHE:
                self._seen.clear()  # a long-lived bot meets words without end: stay bounded
            hit = self._seen[word] = self._near(word)
        return hit

    def _near(self, word: str) -> set[str]:
        found: set[str] = set()
        for key in _deletes(word):
            found |= self._by_key.get(key, set())
        found.discard(word)
        # Symmetric deletes also pair two different substitutions; keep true near-misses.
        return {w for w in found if _close(word, w)}


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _close(a: str, b: str) -> bool:
    if not a or not b or a[0] != b[0]:
        return False  # names are rarely misspelt in their first letter; guards "jonny"/"ponny"
    return one_edit(a, b)
