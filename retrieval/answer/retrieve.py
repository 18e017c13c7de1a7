"""Retrieval stage: candidates from BM25 and vector search, and the typed results that flow
between the answer stages (found → ranked → shown)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from retrieval.answer.proximity import Pairs
from retrieval.index import ann
from retrieval.index.store import LoadedIndex
from retrieval.text import FOLDED_WORD, fold

SMALL_CORPUS_SENTENCES = 20_000  # up to this, best sentences come from one full product


@dataclass(frozen=True, slots=True)
class Found:
    """Retrieved candidates: passage rows, their raw dense and lexical scores, term weights."""

    idx: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    weights: dict[str, float]
    # every sentence vector's cosine to the question, on a small corpus (one product serves
    # the best sentences and the quotes); None on a large one, where candidates' are gathered
    sentences: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class Ranking:
    """Candidates best first, with their fused scores."""

    order: list[int]
    score: dict[int, float]
    # the question's word pairs and each head passage's nearness to them (proximity.py), as
    # fusion read them: the quote stage reads the same again for its windows
    pairs: Pairs | None = None
    near: dict[int, list[float] | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Shown:
    """The passages to show, their quotes, and the best sentence similarity seen."""

    top: list[int]
    quotes: dict[int, str]
    best_sentence: float


# A run of capitalised words ("Ann Holm", "Grey Harbour"): where a text may name someone.
CAPITAL_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'-]*(?: [A-ZÀ-ÖØ-Þ][\w’'-]*)*")


def capitalised_runs(text: str) -> list[str]:
    """Folded runs of capitalised words, and each word alone: candidate names in a text."""
    out: list[str] = []
    for m in CAPITAL_RUN.finditer(text):
        run = " ".join(FOLDED_WORD.findall(fold(m.group(0))))
        out.append(run)
        out.extend(run.split())
    return out


def top_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Indexes of the n best positive scores (unordered); few passages share a query's words."""
    hits = np.flatnonzero(scores > 0)
    if len(hits) > n:
        hits = hits[np.argpartition(-scores[hits], n - 1)[:n]]
    return hits


def dense_candidates(ix: LoadedIndex, qvec: np.ndarray, n: int) -> np.ndarray:
    """The n nearest passages by vector search, in no particular order."""
    k = min(n, ix.dense.ntotal)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    if isinstance(ix.dense, ann.FlatVectors):
        return ix.dense.nearest(qvec, k)  # a set of candidates: best-first order is not needed
    _, ids = ann.search(ix.dense, qvec, k)
    return ids[0][ids[0] >= 0]


class BestSentences:
    """Each candidate passage's best sentence similarity: one fact in a long review."""

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        counts = np.diff(index.sentence_offsets)
        small = len(index.passage_sentences) <= SMALL_CORPUS_SENTENCES and bool(counts.all())
        # A small corpus: one product over every sentence beats gathering the candidates'.
        self.rows = np.asarray(index.passage_sentences, dtype=np.int64) if small else None
        self.cuts = np.asarray(index.sentence_offsets[:-1], dtype=np.int64) if small else None

    def every(self, qvec: np.ndarray) -> np.ndarray | None:
        """Every sentence vector's cosine to the question on a small corpus, else None."""
        return self.index.sentence_vectors @ qvec if self.rows is not None else None

    def __call__(self, idx: np.ndarray, qvec: np.ndarray,
                 every: np.ndarray | None = None) -> np.ndarray:
        """The best sentence cosine of each passage row in `idx` (`every`: see `every`)."""
        ix = self.index
        if self.rows is not None and self.cuts is not None:
            sims = (every if every is not None else ix.sentence_vectors @ qvec)[self.rows]
            return np.maximum.reduceat(sims, self.cuts)[idx]
        starts = ix.sentence_offsets[idx]
        ends = ix.sentence_offsets[idx + 1]
        counts = (ends - starts).astype(np.int64)
        rows = np.concatenate([ix.passage_sentences[a:b] for a, b in zip(starts, ends, strict=True)]
                              or [np.zeros(0, dtype=np.int64)]).astype(np.int64)
        sims = ix.sentence_vectors[rows] @ qvec if len(rows) else np.zeros(0, dtype=np.float32)
        out = np.full(len(idx), -1.0, dtype=np.float32)
        nonempty = counts > 0
        if len(rows):
            cuts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            out[nonempty] = np.maximum.reduceat(sims, cuts[nonempty])
        return out
