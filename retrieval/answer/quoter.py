"""Quote: the best sentence window of each shortlisted passage, near-duplicates dropped.

Each passage's sentences are scored against the question once (one product for the whole
shortlist); `choose_quote` then picks each passage's window by meaning, shared words, the
expected answer type, the plot's edge asked for, the sentence after an asked event
(sequence.py) and words said next to each other (proximity.py). The head of the ranking is
re-ordered by its windows, and the line the knowledge graph read the answer from is always
shown, so verification can put it first.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from retrieval.answer.analyse import Analysis
from retrieval.answer.fuse import dedupe
from retrieval.answer.position import position_edge
from retrieval.answer.proximity import question_pairs
from retrieval.answer.quote import QuoteWeights, choose_quote, quote_text
from retrieval.answer.ranker import Ranker
from retrieval.answer.reading import QuoteReader
from retrieval.answer.retrieve import Ranking, Shown
from retrieval.answer.sequence import event_before, event_clause, following, said_of
from retrieval.answer.types import QUOTABLE
from retrieval.index.store import LoadedIndex
from retrieval.text import fold

RERANK_DEPTH = 10  # top passages whose sentences set the confidence and may be quoted
RERANK_HEAD = 5  # of those, re-ordered by their best sentence window
WINDOW_RERANK = 0.3


class Quoter:
    """The quote stage over one index."""

    def __init__(self, index: LoadedIndex, ranker: Ranker, reader: QuoteReader, *,
                 max_chars: int, top_k: int, film_ids: frozenset[int], title_terms: set[str],
                 encode: Callable[[str], np.ndarray],
                 weights: QuoteWeights | None = None) -> None:
        self.index = index
        self.knowledge = index.knowledge
        self._ranker = ranker
        self._reader = reader
        self._names = reader.names
        self._max_chars = max_chars
        self._top_k = top_k
        self._film_ids = film_ids
        self._title_terms = title_terms
        self._encode = encode
        self.weights = weights or QuoteWeights()

    def __call__(self, ranking: Ranking, qvec: np.ndarray, weights: dict[str, float],
                 analysis: Analysis, k: int, q: str, sentences: np.ndarray | None = None
                 ) -> Shown:
        """The best sentence window of each shortlisted passage, near-duplicates dropped
        (`sentences`: every sentence's cosine to the question, when retrieval has them)."""
        ix = self.index
        shortlist = ranking.order[: max(RERANK_DEPTH, k * 3)]
        # One gather and one product for all shortlisted passages' sentences, then split.
        bounds = [(int(ix.sentence_offsets[i]), int(ix.sentence_offsets[i + 1])) for i in shortlist]
        rows = np.concatenate([ix.passage_sentences[a:b] for a, b in bounds]
                              or [np.zeros(0, dtype=np.int64)])
        sims_all = (sentences[rows.astype(np.int64)] if sentences is not None
                    else ix.sentence_vectors[rows.astype(np.int64)] @ qvec)
        cuts = np.cumsum([b - a for a, b in bounds])[:-1]
        # each passage's rows of sims_all, as views (np.split costs more than the slicing)
        ends = [0, *cuts.tolist(), len(sims_all)]
        sims_of = {i: sims_all[ends[n]:ends[n + 1]] for n, i in enumerate(shortlist)}
        # the confidence reads the same passages however many are shown: the first rows
        head_rows = ends[min(RERANK_DEPTH, len(shortlist))]
        best_sentence = float(sims_all[:head_rows].max()) if head_rows else -1.0
        typed = (analysis.answer_type if analysis.answer_type in QUOTABLE else None)
        # The film's own year or date is the one stated beside its title.
        own_date = (typed in ("year", "date") and not analysis.other_film
                    and all(e in self._film_ids for e in analysis.entities))
        beside = frozenset(self._title_terms) if own_date else None
        if typed == "reason":  # the cause stated of what was asked, not of something beside it
            beside = self._ranker.asked_words(q)
        quotes: dict[int, str] = {}
        windows: dict[int, tuple[int, int, float]] = {}
        edge = position_edge(fold(q)) if analysis.position is not None else None
        follows = self._follows(q, analysis, shortlist, rows, cuts)
        # fusion read the same pairs of the same weights, and the head's nearness to them
        pairs = ranking.pairs if ranking.pairs is not None else question_pairs(q, weights)
        near_of = ranking.near
        nearness = self._ranker.nearness

        def window_of(i: int) -> tuple[int, int, float]:
            if i not in windows:
                windows[i] = choose_quote(ix.passages[i], sims_of[i], weights,
                                          self._max_chars, self.weights,
                                          typed, self._reader.names_this_film
                                          if typed == "title" else self._names, beside,
                                          edge if i == analysis.position else None,
                                          follows.get(i),
                                          near_of[i] if i in near_of else nearness(i, pairs))
            return windows[i]

        def quote_of(i: int) -> str:
            first, last, _ = window_of(i)
            quotes[i] = quote_text(ix.passages[i], first, last, self._max_chars)
            return quotes[i]

        if WINDOW_RERANK:
            # The best sentence window says more about one fact than the whole passage does:
            # re-order the head of the ranking by both.
            head = shortlist[:RERANK_HEAD]
            head.sort(key=lambda i: -(ranking.score[i] + WINDOW_RERANK * window_of(i)[2]))
            shortlist = head + shortlist[RERANK_HEAD:]
        top = dedupe(shortlist, quote_of, k)
        primary = analysis.evidence[0] if analysis.evidence else None
        # the last place the verification weighs (the bot's own depth), whatever k is
        at = max(0, min(k, self._top_k) - 1)
        if (primary is not None and primary not in top[:at + 1] and primary in sims_of
                and analysis.answer_type in ("person", "name", "gist", "place")):
            # The line the graph read the answer from is always shown, so verification can
            # put it first: "x's best mate" is the cast line "Xs friend", however many reviews
            # name x.
            quote_of(primary)
            rest = [i for i in top if i != primary]
            top = [*rest[:at], primary, *rest[at:]][:k]
        return Shown(top, quotes, best_sentence)

    def _follows(self, q: str, analysis: Analysis, shortlist: list[int], rows: np.ndarray,
                 cuts: np.ndarray) -> dict[int, int]:
        """For a question about what follows an event ("what does x do after killing y"),
        the sentence after the one telling the event in each shortlisted passage that tells
        it (answer/sequence.py); empty for any other question."""
        clause, step = event_clause(fold(q)), 1
        if clause is None:
            clause, step = event_before(fold(q)), -1  # "what sets x off right before he…"
        if clause is None:
            return {}
        if analysis.hops and analysis.targets:
            # "after he kills his dad": the event as the passages tell it, "he kills the Duke"
            clause = said_of(clause, self.knowledge.entity(analysis.targets[0]).aliases)
        told = self.index.sentence_vectors[rows.astype(np.int64)] @ self._encode(clause)
        return following(shortlist, np.split(told, cuts), step)
