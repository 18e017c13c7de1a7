"""The one entry point front ends use: load the index once, then answer questions."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from retrieval.answer.aftermath import Aftermath
from retrieval.answer.analyse import (
    Analysis,
    analyse,
    by_description,
)
from retrieval.answer.calibrate import Calibration, load_calibration
from retrieval.answer.described import described_character
from retrieval.answer.fuse import (
    FusionWeights,
)
from retrieval.answer.judge import Judge, refused, to_front
from retrieval.answer.quoter import Quoter
from retrieval.answer.ranker import Mode, Ranker
from retrieval.answer.reading import QuoteReader
from retrieval.answer.refine import other_name, picked_relative
from retrieval.answer.respell import respell
from retrieval.answer.result import Answer, Result, abstain_message
from retrieval.answer.reviewers import Reviewers, asks_who_said, said_by, without_words
from retrieval.answer.series import Series
from retrieval.answer.types import (
    CHECKABLE,
    expected_type,
)
from retrieval.embed.encoder import Encoder, SentenceTransformerEncoder
from retrieval.errors import QuestionError
from retrieval.index.stats import CorpusStats, corpus_stats
from retrieval.index.store import BuildProgress, LoadedIndex, Warn, open_index
from retrieval.knowledge.graph import LEAD, PLOT_END, PLOT_START, Knowledge
from retrieval.knowledge.lexicon import (
    LEAD_ACTOR_WORDS,
    LEAD_ROLE_WORDS,
)
from retrieval.passage import citation
from retrieval.reviews.desk import ReviewDesk, film_words
from retrieval.settings import Settings
from retrieval.startup import PendingEncoder
from retrieval.text import (
    content_terms,
    fold,
    stem,
    term_set,
)

WARM_PASSAGES = 5_000  # passages whose caches `warm_up` fills (all of a small corpus)


class Engine:
    """Model + index, loaded once and shared; `answer` is thread-safe."""

    def __init__(self, settings: Settings, index: LoadedIndex, encoder: Encoder, *,
                 calibration: Calibration | None = None) -> None:
        self.settings = settings
        self.index = index
        self.encoder = encoder
        self.fusion = FusionWeights(dense=settings.dense_weight)
        bm25 = index.bm25
        n = max(1, bm25.size)
        df = np.diff(bm25.weights.indptr)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        self._idf = {t: float(idf[c]) for t, c in bm25.vocab.items()}
        # A word no passage contains is as rare as a word can be.
        self._max_idf = float(idf.max()) if len(idf) else 1.0
        # Infobox fields the article leaves blank (budget, box office): asked for, they are
        # known unknowns unless another passage states them explicitly.
        self._blank_fields = {f for f, _label in index.manifest.get("blank_fields", [])}
        self.knowledge: Knowledge = index.knowledge
        titles = [e for e in self.knowledge.entities if e.kind == "film"]
        self._title_terms = {t for e in titles for a in e.aliases for t in content_terms(a)}
        # "part 3" or "the first part" when this is part 2: another film of the series.
        self._series = Series(a for e in titles for a in e.aliases)
        self.abstain_message = abstain_message(titles[0].name if titles else None)
        self._film_ids = frozenset(e.id for e in titles)
        start, end = self.knowledge.fields.get(PLOT_START), self.knowledge.fields.get(PLOT_END)
        self._aftermath = Aftermath(
            index.passages, range(start, end + 1) if start is not None and end is not None else None,
            lambda i: index.passage_sentences[index.sentence_offsets[i]:index.sentence_offsets[i + 1]],
            index.sentence_vectors)
        # what quotes and questions name, read against the graph (answer/reading.py)
        self._reader = QuoteReader(self.knowledge, index.passages, bm25, self._is_name,
                                   self._title_terms)
        self._mentioned = self._reader.mentioned
        self._ranker = Ranker(index, self.fusion, idf=self._idf, max_idf=self._max_idf,
                              title_terms=self._title_terms, is_name=self._is_name)
        self._quoter = Quoter(index, self._ranker, self._reader,
                              max_chars=settings.quote_max_chars, top_k=settings.top_k,
                              film_ids=self._film_ids, title_terms=self._title_terms,
                              encode=lambda text: self.encoder.encode([text])[0])
        self._reviewers = Reviewers(index.passages)
        self._judge = Judge(settings, index, self._reader, idf=self._idf, max_idf=self._max_idf,
                            title_terms=self._title_terms, film_ids=self._film_ids,
                            is_name=self._is_name, blank_fields=self._blank_fields,
                            aftermath=self._aftermath,
                            encode=lambda text: self.encoder.encode([text])[0],
                            calibration=calibration)
        # Questions about the reviews themselves (records, opinions): retrieval/reviews/.
        self.reviews = ReviewDesk(index, film_words([a for e in titles for a in e.aliases]),
                                  self.abstain_message, self._idf, self._max_idf,
                                  lambda text: self.encoder.encode([text])[0],
                                  max_chars=settings.quote_max_chars)

    @classmethod
    def load(cls, settings: Settings, *, rebuild: bool = False, warn: Warn | None = None,
             progress: BuildProgress | None = None,
             pending: PendingEncoder | None = None, calibrated: bool = True) -> Engine:
        """Open (building if needed) the index and the query encoder (`pending`: one already
        loading, see retrieval/startup.py; `calibrated`: the fitted check weighs the rules'
        decision, answer/calibrate.py)."""
        reference: list[Encoder] = []

        def make_encoder() -> Encoder:
            reference.append(SentenceTransformerEncoder(settings.resolved_model_path))
            return reference[0]

        index, _ = open_index(settings, make_encoder, rebuild=rebuild, warn=warn,
                              progress=progress)
        encoder = _query_encoder(settings, index.directory, reference[0] if reference else None,
                                 warn or (lambda _m: None), pending)
        return cls(settings, index, encoder,
                   calibration=load_calibration() if calibrated else None)

    def stats(self) -> CorpusStats:
        """What the corpus holds, for /about and `pusherbot index`."""
        stats = corpus_stats(self.index.directory, self.index.manifest)
        return replace(stats, ratings=self.reviews.all_ratings) if self.reviews.records else stats

    def validate(self, question: str) -> str:
        """The question, control characters blanked; QuestionError if not text, empty or too long."""
        if not isinstance(question, str | None):
            raise QuestionError("the question is not text")
        q = question or ""
        try:
            q.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates: undecodable bytes smuggled in by surrogateescape (argv, stdin),
            # or broken input from a client. The tokenizer would raise a TypeError on them.
            raise QuestionError("the question is not valid text (invalid UTF-8 or a lone "
                                "surrogate)") from None
        # Control characters (terminal escapes, NUL) carry no meaning and must never be
        # echoed back raw: they become spaces (tabs and newlines stay, they are white space).
        q = q.translate(_CONTROLS).strip()
        if not q:
            raise QuestionError("the question is empty")
        if len(q) > self.settings.max_question_chars:
            raise QuestionError(f"the question is too long ({len(q)} characters; the limit is "
                                f"{self.settings.max_question_chars})")
        return q

    def warm_up(self) -> None:
        """Fill the per-passage caches (terms, answer types, names) and answer once, so that
        later answers allocate little. A long-lived process then freezes what this built out
        of the garbage collector's way (the bot does)."""
        for p in self.index.passages[:WARM_PASSAGES]:
            for text in (p.text, p.context, *(p.text[s:e] for s, e in p.sentences)):
                term_set(text)
                self._mentioned(text)
            for kind in CHECKABLE - {"person", "name"}:
                self._ranker.holds(p.id, kind)
        self._judge.everyday_words()
        self.reviews.warm_up()
        self.answer("who is in it and what happens?")

    def answer(self, question: str, top_k: int | None = None, *, mode: Mode = "hybrid",
               timings: dict[str, float] | None = None) -> Answer:
        """Analyse → retrieve → fuse → quote → verify: a verbatim quote, or an abstention."""
        asked = self.validate(question)
        # chat spellings of the question's own words ("wat year", "who plyas x"), read as meant
        q = respell(asked, self.index.bm25.surface.__contains__)
        answer = self._answer(q, top_k, mode, timings)
        return answer if q == asked else replace(answer, question=asked)

    def _answer(self, q: str, top_k: int | None, mode: Mode,
                timings: dict[str, float] | None) -> Answer:
        k = top_k or self.settings.top_k
        clock = _Clock(timings)
        qvec = self.encoder.encode([q])[0]
        clock.lap("encode")
        # A question about the reviews themselves (retrieval/reviews/): a record question is
        # answered from the records; an opinion question gets a stance, led by this answer.
        about = self.reviews.answer(q, qvec, timings)
        if isinstance(about, Answer):
            return about
        analysis = analyse(q, self.knowledge, self._is_name, self._is_everyday)
        # what the linked passages say: which relative, which other name (answer/refine.py)
        analysis = picked_relative(q, analysis, self.index.passages)
        analysis = other_name(q, analysis, self.knowledge, self.index.passages, self._holders)
        pointed = self._reviewers.pointed(q)
        if pointed is not None:  # "what did the jdoe99 guy watch it on": that review says
            # what it says is the answer, not the infobox line or cast line its words name
            # ("what did the director tell jdoe99"), as when a question cites "a review"
            typed = (analysis.answer_type if not analysis.fields
                     or expected_type(fold(q)) != "other" else "other")
            analysis = replace(analysis, reviews=pointed.passages, answer_type=typed,
                               consumed=analysis.consumed | pointed.words, fields=(),
                               cites_review=True,
                               evidence=tuple(e for e in analysis.evidence
                                              if e in pointed.passages))
            rest = without_words(q, pointed.words)
            if rest:
                # The handle is no word of the review, and its word pieces blur the meaning:
                # which of the review's sentences answers is read from the question both with
                # and without it ("where did jdoe watch it" finds "seen it at a festival"),
                # the rest alone being too short to mean much ("what does jdoe say is weaker").
                both = qvec + self.encoder.encode([rest])[0]
                qvec = (both / np.linalg.norm(both)).astype(np.float32)
        parts = self._series.other_parts(fold(q))
        if parts:
            # This film's infobox and lead state this film's fields, not the other part's.
            analysis = replace(analysis, other_parts=tuple(parts.items()),
                               evidence=() if analysis.fields else analysis.evidence)
            analysis = _lead_of_another_part(analysis)
        if (analysis.answer_type == "gist" and not parts and not analysis.reviews
                and LEAD in self.knowledge.fields
                and all(self.knowledge.entity(e).kind == "film" for e in analysis.entities)
                # what the film is about, not another work no entity stands for ("what is
                # grey harbour about", a book a review mentions)
                and (analysis.entities or set(content_terms(q)) <= _GIST_WORDS | self._title_terms)):
            # "what's it about": the article's lead sums the film up, however few words ask
            # and the plot's first passage is where the story starts
            start = self.knowledge.fields.get(PLOT_START)
            analysis = replace(analysis, terse=False, evidence=(
                self.knowledge.fields[LEAD], *([start] if start is not None else []),
                *analysis.evidence))
        clock.lap("analyse")
        found = self._ranker.retrieve(q, qvec, analysis)
        clock.lap("retrieve")
        ranking = self._ranker.fuse(q, found, analysis, mode, qvec)
        if mode == "hybrid" and analysis.wants_actor and not analysis.evidence:
            # "who plays the serbian drug lord": the best passages say whom the description
            # fits; that character's actor is then looked up as if it had been named.
            described = described_character(ranking, analysis, q, self._judge.anchors(q, analysis),
                                                self.index.passages, self.knowledge)
            if described is not None:
                analysis = by_description(analysis, self.knowledge, *described)
                found = self._ranker.retrieve(q, qvec, analysis)
                ranking = self._ranker.fuse(q, found, analysis, mode, qvec)
        if (mode == "hybrid" and ranking.order and self.index.passages[ranking.order[0]].source == "review"
                and asks_who_said(fold(q))):
            # "who said it should be taught in film school": a review says it best, so its
            # author is who said it (the record names them), as for "which reviewer said"
            analysis = replace(analysis, who_wrote=True, answer_type="reviewer",
                               cites_review=True)
        clock.lap("fusion")
        shown = self._quoter(ranking, qvec, found.weights, analysis, k, q, found.sentences)
        clock.lap("quote")
        verdict, calibrated = self._judge(q, analysis, shown, found.weights, ranking.score)
        if verdict.answered and pointed is not None and self._reviewers.silent_on(
                q, pointed, self.index.passages, self.reviews.title_words):
            # "what did jdoe say about the music", when jdoe's review never mentions it
            verdict = refused(verdict, self.settings.abstain_threshold,
                               "the review the question names never mentions what it asks about")
        clock.lap("verify")
        order = to_front(shown.top, verdict.first)
        results = tuple(Result(rank=r + 1, score=ranking.score[i], quote=shown.quotes[i],
                               passage=self.index.passages[i]) for r, i in enumerate(order))
        explained = analysis.to_dict(self.knowledge) | {"decision": verdict.reason,
                                                         "calibration": calibrated}
        for hop in explained["hops"]:  # where each link was read, as a person would cite it
            p = self.index.passages[hop["passage"]]
            hop["citation"] = citation(p)
            hop["text"] = p.text[hop["start"]:hop["end"]]
        said = None
        if analysis.who_wrote and verdict.answered:
            # "which reviewer said…": the closest review answers, and its record names who.
            at = next((r for r, res in enumerate(results) if res.passage.reviewer), None)
            if at is not None:
                results = tuple(replace(r, rank=n + 1)
                                for n, r in enumerate(to_front(results, at)))
                said = said_by(results[0].passage)
        ordinary = Answer(question=q, answered=verdict.answered and bool(results),
                          results=results, confidence=verdict.confidence,
                          message=None if verdict.answered else self.abstain_message,
                          analysis=explained, summary=said)
        if about is not None:
            return self.reviews.stance_answer(q, about, ordinary)
        if said is not None:
            # each review cited as its whole record, whose byline names who said it
            ordinary = replace(ordinary, results=tuple(self.reviews.as_record(r) for r in results))
        return ordinary

    @property
    def calibration(self) -> Calibration | None:
        """The fitted check on the rules' decision (answer/calibrate.py); None: the rules alone."""
        return self._judge.calibration

    @property
    def series(self) -> Series:
        """The other parts of the film's series, as questions name them."""
        return self._series

    def _holders(self, text: str) -> Iterable[int]:
        """The passages that share a word with a text (by the BM25 postings), or every passage
        when it has no word BM25 indexes ("Ø")."""
        terms = self.index.bm25.query_terms(text)
        if not terms:
            return range(len(self.index.passages))
        return np.flatnonzero(self.index.bm25.scores(terms)).tolist()

    def _is_name(self, word: str) -> bool:
        """Whether the corpus mostly writes a word capitalised (Red the character, not red)."""
        seen = self.index.bm25.surface.get(word)
        return seen is not None and seen[1] >= 0.5

    def _is_everyday(self, word: str) -> bool:
        """Whether a word is everyday English (a whole word of the model's vocabulary)."""
        return self._judge.is_everyday(word)


# Control characters (terminal escapes, NUL) → spaces; tabs and newlines are white space.
_CONTROLS = {c: " " for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"}

# The words of a question asking what the film is about, when it names nothing else.
_GIST_WORDS = frozenset(stem(w) for w in "plot story storyline premise synopsis summary sequel "
                        "film movie flick abt".split())


def _lead_of_another_part(analysis: Analysis) -> Analysis:
    """"who's the main guy in the first one": this film's lead is not the other part's. The
    sentence saying whom that part follows names its lead (and the actor, as often as not)."""
    said = {e for e, key in analysis.mentions if key in LEAD_ROLE_WORDS | LEAD_ACTOR_WORDS}
    if not said:
        return analysis
    return replace(analysis, answer_type="gist", entities=tuple(
        e for e in analysis.entities if e not in said), targets=(), hops=(), evidence=(),
        wants_actor=False, notes=(*analysis.notes, "the lead of another part: whom it follows"))


def _query_encoder(settings: Settings, directory: Path, built_with: Encoder | None,
                   warn: Warn, pending: PendingEncoder | None = None) -> Encoder:
    """The ONNX export beside the index when there is one (fast start), else the reference."""
    onnx_dir = directory / "onnx"
    if settings.encoder != "torch" and onnx_dir.is_dir():
        from retrieval.embed.onnx_encoder import OnnxEncoder

        try:
            if pending is not None and pending.onnx_dir == onnx_dir:
                return pending.result()  # the export of the build just verified
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

