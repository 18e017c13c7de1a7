"""Retrieve and fuse: the candidate passages of a question, and one score for each.

Candidates come from both rankings (BM25 over the question's terms and the names the analysis
adds, dense over the passage vectors) and from the knowledge graph's evidence; the fused score
adds to the normalised rankings what the analysis knows: the graph's evidence, the plot's
first or last passage, a quoted phrase, the reviews a question points at, a passage holding the
expected kind of answer, and the question's words said next to each other (proximity.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from retrieval.answer.analyse import Analysis
from retrieval.answer.fuse import (
    FusionWeights,
    evidence_boost,
    fuse,
    normalise_dense,
    wants_opinions,
)
from retrieval.answer.proximity import Pairs, question_pairs, said_pairs, sentence_proximity
from retrieval.answer.retrieve import (
    BestSentences,
    Found,
    Ranking,
    dense_candidates,
    top_positive,
)
from retrieval.answer.types import QUOTABLE, holds_type
from retrieval.index.bm25 import QueryTerm
from retrieval.index.store import LoadedIndex
from retrieval.text import content_terms, fold, plain_words, quoted_phrases, term_set
from retrieval.text import words as words_of

Mode = Literal["hybrid", "bm25", "dense"]
EXPANSION_WEIGHT = 0.8
PROXIMITY_BOOST = 0.1  # a passage saying two neighbouring question words close together
PROXIMITY_HEAD = 30  # candidates, best first, whose sentences proximity reads
SENTENCE_WEIGHT = 0.5  # a passage's best single sentence, beside its whole-passage vector
TYPE_BOOST = 0.3  # for a passage holding the expected kind of answer (a year, an amount)
_MEASURED = frozenset({"year", "date", "duration", "amount", "number", "age", "measure"})
POSITION_BOOST = 0.35  # the plot's first / last passage for "how does it start / end"
CITED_REVIEW_BOOST = 0.3  # a question that cites the reviews: the reviews first
PHRASE_BOOST = 0.3  # a passage that writes a phrase the question quotes
REVIEW_BOOST = 2.0  # the reviews a question names by reviewer or rating: they come first
TITLE_WEIGHT = 0.2  # the film's own title says little about which passage answers


class Ranker:
    """The retrieve and fuse stages over one index."""

    def __init__(self, index: LoadedIndex, fusion: FusionWeights, *, idf: dict[str, float],
                 max_idf: float, title_terms: set[str], is_name: Callable[[str], bool]) -> None:
        self.index = index
        self._fusion = fusion
        self._idf = idf
        self._max_idf = max_idf
        self._title_terms = title_terms
        self._is_name = is_name
        self._is_review = np.fromiter((p.source == "review" for p in index.passages), dtype=bool,
                                      count=len(index.passages))
        self._best_sentences = BestSentences(index)
        self._typed: dict[tuple[int, str], bool] = {}  # (passage, answer type) → holds one
        self._folded_text: dict[int, str] = {}  # passage → its words, folded
        # passage → its sentences, and every word pair any of them says (proximity.py)
        self._said: dict[int, tuple[tuple[str, ...], frozenset[tuple[str, str]]]] = {}

    def holds(self, pid: int, answer_type: str) -> bool:
        """Whether a passage holds an instance of an answer type (cached: passages repeat)."""
        key = (pid, answer_type)
        hit = self._typed.get(key)
        if hit is None:
            hit = self._typed[key] = holds_type(self.index.passages[pid].text, answer_type)
        return hit

    def asked_words(self, q: str) -> frozenset[str]:
        """The question's terms other than names (which stand in every sentence about them)."""
        return frozenset(t for w in words_of(q) if not self._is_name(fold(w))
                         for t in term_set(w))

    def _states_reason(self, pid: int, asked: frozenset[str]) -> bool:
        """Whether a sentence of a passage states a cause and holds one of the asked terms."""
        p = self.index.passages[pid]
        return any(holds_type(p.text[s:e], "reason") and term_set(p.text[s:e]) & asked
                   for s, e in p.sentences)

    def retrieve(self, q: str, qvec: np.ndarray, analysis: Analysis) -> Found:
        """Candidates from both rankings, plus the passages the knowledge graph points at."""
        ix = self.index
        terms = ix.bm25.query_terms(q)
        have = {t.term for t in terms}
        for name in (*analysis.expansion, *analysis.implied):
            # other names of who was asked about ("the boss"), words the question means
            for term in content_terms(name):
                if term not in have:
                    have.add(term)
                    terms.append(QueryTerm(term, EXPANSION_WEIGHT))
        for _word, stems in analysis.other_parts:
            # "the first X" is written "the original X (1996)" as often as not
            terms.extend(QueryTerm(t, EXPANSION_WEIGHT) for t in sorted(stems - have)
                         if t in self._idf)
        terms = [QueryTerm(t.term, t.weight * TITLE_WEIGHT) if t.term in self._title_terms
                 else t for t in terms]
        lexical_all = ix.bm25.scores(terms)
        dense_idx = dense_candidates(ix, qvec, self._fusion.candidates)
        lex_idx = top_positive(lexical_all, self._fusion.candidates)
        extra = [*analysis.evidence, *([analysis.position] if analysis.position is not None else []),
                 *analysis.reviews]
        # A set, not np.union1d: np.unique imports numpy.ma, ~0.02 s of a one-shot start.
        idx = np.fromiter(sorted({*dense_idx.tolist(), *lex_idx.tolist(), *extra}), np.int64)
        weights = {t.term: t.weight * self._idf.get(t.term, self._max_idf) for t in terms}
        return Found(idx, ix.vectors[idx] @ qvec, lexical_all[idx], weights,
                     self._best_sentences.every(qvec))

    def fuse(self, q: str, found: Found, analysis: Analysis, mode: Mode,
              qvec: np.ndarray) -> Ranking:
        """One score per candidate: fused rankings, the intent prior, and the graph's evidence."""
        pairs: Pairs | None = None
        near_of: dict[int, list[float] | None] = {}
        if mode == "bm25":
            fused = found.lexical.astype(np.float32)
        elif mode == "dense":
            fused = found.dense.astype(np.float32)
        else:
            fused = fuse(found.dense, found.lexical, self._is_review[found.idx],
                         wants_opinions(q), self._fusion)
            if SENTENCE_WEIGHT:
                best = normalise_dense(self._best_sentences(found.idx, qvec, found.sentences))
                fused = (fused + SENTENCE_WEIGHT * best).astype(np.float32)
            fused = fused + evidence_boost(found.idx, analysis.evidence, self.index.passages)
            pairs = question_pairs(q, found.weights)
            if pairs and PROXIMITY_BOOST:
                # read only where it can reorder what is shown: the head of the ranking so far
                head = np.argsort(-fused, kind="stable")[:PROXIMITY_HEAD]
                nearness = self.nearness
                near_of = {pid: nearness(pid, pairs) for pid in found.idx[head].tolist()}
                near = np.zeros(len(found.idx), dtype=np.float32)
                near[head] = [max(n or (0.0,)) for n in near_of.values()]
                fused = fused + PROXIMITY_BOOST * near
            if analysis.position is not None:
                fused = fused + POSITION_BOOST * (found.idx == analysis.position)
            phrases = quoted_phrases(q)
            if phrases:
                # "who's the 'big-time pusher'": the words the asker quotes, as written
                said = np.fromiter((any(f" {ph} " in self._folded(int(i)) for ph in phrases)
                                    for i in found.idx), dtype=bool, count=len(found.idx))
                fused = fused + PHRASE_BOOST * said
            if analysis.reviews:
                fused = fused + REVIEW_BOOST * np.isin(found.idx, list(analysis.reviews))
            elif analysis.cites_review:  # "who did the soundtrack according to the reviews"
                fused = fused + CITED_REVIEW_BOOST * self._is_review[found.idx]
            if analysis.answer_type == "reason":
                # a cause stated in a sentence about what was asked, not anywhere in the passage
                asked = self.asked_words(q)
                typed = np.fromiter((self._states_reason(int(i), asked) for i in found.idx),
                                    dtype=bool, count=len(found.idx))
                fused = fused + TYPE_BOOST / 2 * typed
            elif analysis.answer_type in QUOTABLE and analysis.answer_type != "person":
                typed = np.fromiter((self.holds(int(i), analysis.answer_type) for i in found.idx),
                                    dtype=bool, count=len(found.idx))
                # a number, a year or a length is plainly there or not; a place or a gloss is
                # read from cue words that other passages hold too
                boost = TYPE_BOOST if analysis.answer_type in _MEASURED else TYPE_BOOST / 2
                fused = fused + boost * typed
        ranked = np.argsort(-fused, kind="stable")
        order = found.idx[ranked].tolist()
        return Ranking(order, dict(zip(order, fused[ranked].tolist(), strict=True)), pairs,
                       near_of)

    def nearness(self, pid: int, pairs: Pairs) -> list[float] | None:
        """Each sentence's share of the question's word pairs it says close together; None
        when no sentence of the passage says any pair (most candidates: one set operation)."""
        if not pairs:
            return None
        said = self._said.get(pid)
        if said is None:
            p = self.index.passages[pid]
            sentences = tuple(p.text[a:b] for a, b in p.sentences)
            said = self._said[pid] = (sentences, frozenset().union(*map(said_pairs, sentences)))
        if said[1].isdisjoint(pairs.said):
            return None
        return [sentence_proximity(text, pairs) for text in said[0]]

    def _folded(self, pid: int) -> str:
        """A passage's text folded, its words single-spaced (cached: passages repeat)."""
        hit = self._folded_text.get(pid)
        if hit is None:
            hit = self._folded_text[pid] = f" {plain_words(self.index.passages[pid].text)} "
        return hit
