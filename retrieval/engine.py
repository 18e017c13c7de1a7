"""The one entry point front ends use: load the index once, then answer questions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

import numpy as np

from retrieval.answer.fuse import FusionWeights, dedupe, fuse, wants_opinions
from retrieval.answer.quote import QuoteWeights, choose_quote, quote_text
from retrieval.answer.result import ABSTAIN_MESSAGE, Answer, Result
from retrieval.embed.encoder import Encoder, SentenceTransformerEncoder
from retrieval.errors import QuestionError
from retrieval.index import ann
from retrieval.index.stats import CorpusStats, corpus_stats
from retrieval.index.store import BuildProgress, LoadedIndex, Warn, open_index
from retrieval.settings import Settings
from retrieval.text import content_terms, stem, term_set

Mode = Literal["hybrid", "bm25", "dense"]
RERANK_DEPTH = 10  # top passages whose sentences set the confidence and may be quoted


class Engine:
    """Model + index, loaded once and shared; `answer` is thread-safe."""

    def __init__(self, settings: Settings, index: LoadedIndex, encoder: Encoder) -> None:
        self.settings = settings
        self.index = index
        self.encoder = encoder
        self.fusion = FusionWeights(dense=settings.dense_weight)
        self.quote_weights = QuoteWeights()
        self._is_review = np.fromiter((p.source == "review" for p in index.passages), dtype=bool,
                                      count=len(index.passages))
        bm25 = index.bm25
        n = max(1, bm25.size)
        df = np.diff(bm25.weights.indptr)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        self._idf = {t: float(idf[c]) for t, c in bm25.vocab.items()}
        # A word no passage contains is as rare as a word can be.
        self._max_idf = float(idf.max()) if len(idf) else 1.0
        # A question naming a field the infobox leaves blank (budget, box office) asks for
        # what the documents explicitly do not know: abstain rather than quote money talk.
        self._blank_fields = [
            ({stem(f)} if len(f) > 3 else set(), set(content_terms(label)))
            for f, label in index.manifest.get("blank_fields", [])
        ]

    @classmethod
    def load(cls, settings: Settings, *, rebuild: bool = False, warn: Warn | None = None,
             progress: BuildProgress | None = None) -> Engine:
        """Open (building if needed) the index and the query encoder."""
        reference: list[Encoder] = []

        def make_encoder() -> Encoder:
            reference.append(SentenceTransformerEncoder(settings.resolved_model_path))
            return reference[0]

        index, _ = open_index(settings, make_encoder, rebuild=rebuild, warn=warn,
                              progress=progress)
        encoder = _query_encoder(settings, index.directory, reference[0] if reference else None,
                                 warn or (lambda _m: None))
        return cls(settings, index, encoder)

    def stats(self) -> CorpusStats:
        """What the corpus holds, for /about and `pusherbot index`."""
        return corpus_stats(self.index.directory, self.index.manifest)

    def validate(self, question: str) -> str:
        """The question stripped, or QuestionError when it is empty or too long."""
        q = (question or "").strip()
        if not q:
            raise QuestionError("the question is empty")
        if len(q) > self.settings.max_question_chars:
            raise QuestionError(f"the question is too long ({len(q)} characters; the limit is "
                                f"{self.settings.max_question_chars})")
        return q

    def answer(self, question: str, top_k: int | None = None, *, mode: Mode = "hybrid",
               timings: dict[str, float] | None = None) -> Answer:
        """Rank passages, quote the best sentences, and abstain when nothing fits."""
        q = self.validate(question)
        k = top_k or self.settings.top_k
        clock = _Clock(timings)
        ix = self.index
        qvec = self.encoder.encode([q])[0]
        clock.lap("encode")

        terms = ix.bm25.query_terms(q)
        lexical_all = ix.bm25.scores(terms)
        clock.lap("lexical")
        dense_idx = _dense_candidates(ix, qvec, self.fusion.candidates)
        clock.lap("dense")

        lex_idx = _top_positive(lexical_all, self.fusion.candidates)
        idx = np.union1d(dense_idx, lex_idx).astype(np.int64)
        cos = ix.vectors[idx] @ qvec
        lex = lexical_all[idx]
        if mode == "bm25":
            fused = lex.astype(np.float32)
        elif mode == "dense":
            fused = cos.astype(np.float32)
        else:
            fused = fuse(cos, lex, self._is_review[idx], wants_opinions(q), self.fusion)
        ranked = np.argsort(-fused, kind="stable")
        order = idx[ranked].tolist()
        score_of = dict(zip(order, fused[ranked].tolist(), strict=True))
        clock.lap("fusion")

        weights = {t.term: t.weight * self._idf.get(t.term, self._max_idf) for t in terms}
        shortlist = order[: max(RERANK_DEPTH, k * 3)]
        # One gather and one product for all shortlisted passages' sentences, then split.
        bounds = [(int(ix.sentence_offsets[i]), int(ix.sentence_offsets[i + 1])) for i in shortlist]
        rows = np.concatenate([ix.passage_sentences[a:b] for a, b in bounds] or [[]])
        sims_all = ix.sentence_vectors[rows.astype(np.int64)] @ qvec
        best_sentence = float(sims_all.max()) if len(sims_all) else -1.0
        cuts = np.cumsum([b - a for a, b in bounds])[:-1]
        sims_of = dict(zip(shortlist, np.split(sims_all, cuts), strict=True))
        quotes: dict[int, str] = {}

        def quote_of(i: int) -> str:
            p = ix.passages[i]
            first, last, _ = choose_quote(p, sims_of[i], weights, self.settings.quote_max_chars,
                                          self.quote_weights)
            quotes[i] = quote_text(p, first, last, self.settings.quote_max_chars)
            return quotes[i]

        top = dedupe(shortlist, quote_of, k)
        clock.lap("quote")

        missing = ix.bm25.missing_share(q)
        covered = 0.0
        if top and weights:
            p = ix.passages[top[0]]
            have = term_set(p.context) | term_set(p.text)
            covered = sum(w for t, w in weights.items() if t in have) / sum(weights.values())
        confidence = _confidence(best_sentence, missing, covered)
        asked = {t.term for t in terms if t.weight >= 1.0}
        if any(name & asked or (label and label <= asked) for name, label in self._blank_fields):
            confidence = min(confidence, 0.0)
        results = tuple(Result(rank=r + 1, score=score_of[i], quote=quotes[i],
                               passage=ix.passages[i]) for r, i in enumerate(top))
        answered = confidence >= self.settings.abstain_threshold and bool(results)
        clock.lap("abstain")
        return Answer(question=q, answered=answered, results=results, confidence=confidence,
                      message=None if answered else ABSTAIN_MESSAGE)


MISSING_WORD_PENALTY = 0.3
LEXICAL_EVIDENCE = 0.45


def _confidence(best_sentence_cos: float, missing_share: float, covered: float) -> float:
    """How sure the answer is: meaning similarity less a share for words the corpus never uses,
    or, for terse name queries MiniLM cannot place, how much of the question (by rarity) the
    top passage contains."""
    semantic = best_sentence_cos - MISSING_WORD_PENALTY * missing_share
    return max(0.0, semantic, LEXICAL_EVIDENCE * covered)


def _top_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Indexes of the n best positive scores (unordered); few passages share a query's words."""
    hits = np.flatnonzero(scores > 0)
    if len(hits) > n:
        hits = hits[np.argpartition(-scores[hits], n - 1)[:n]]
    return hits


def _dense_candidates(ix: LoadedIndex, qvec: np.ndarray, n: int) -> np.ndarray:
    k = min(n, ix.dense.ntotal)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    _, ids = ann.search(ix.dense, qvec, k)
    return ids[0][ids[0] >= 0]


def _query_encoder(settings: Settings, directory: Path, built_with: Encoder | None,
                   warn: Warn) -> Encoder:
    """The ONNX export beside the index when there is one (fast start), else the reference."""
    onnx_dir = directory / "onnx"
    if settings.encoder != "torch" and onnx_dir.is_dir():
        from retrieval.embed.onnx_encoder import OnnxEncoder

        try:
            return OnnxEncoder(onnx_dir).load()
        except Exception as e:  # noqa: BLE001 - a broken export must not stop answering
            warn(f"ONNX encoder unusable ({type(e).__name__}: {e}); using sentence-transformers")
    elif settings.encoder == "onnx":
        warn("no ONNX export in the index; using sentence-transformers (run pusherbot index "
             "--rebuild)")
    return built_with or SentenceTransformerEncoder(settings.resolved_model_path)


class _Clock:
    """Per-stage wall time into a caller's dict (no shared state: answers run concurrently)."""

    def __init__(self, out: dict[str, float] | None) -> None:
        self.out = out
        self.t = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.out is None:
            return
        now = time.perf_counter()
        self.out[stage] = self.out.get(stage, 0.0) + (now - self.t)
        self.t = now

