"""Answers about the reviews themselves: record questions from the parsed records, and opinion
questions as a stance summary over every review that discusses the asked aspect.

Which reviews discuss an aspect is retrieval, not a word list: every review sentence is scored
against the aspect by its dense cosine (the index's sentence vectors) plus the IDF-weighted share
of the aspect's terms it holds (BM25's stems and close spellings); a review discusses the
aspect when its best sentence scores at least DISCUSS_THRESHOLD.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from retrieval.answer.quote import cut_quote
from retrieval.answer.result import Answer, Result, abstain_message
from retrieval.answer.reviewers import asks_one_reviewer
from retrieval.answer.series import Series
from retrieval.index.store import LoadedIndex
from retrieval.passage import span_within
from retrieval.reviews import sentiment
from retrieval.reviews.aspects import (
    FAULT_ASPECT,
    FAULTS,
    RECOMMENDS,
    WORTH_ASPECT,
    alternatives,
    asks_faults,
    asks_worth,
    aspect_text,
    aspect_words,
    verdict_words,
)
from retrieval.reviews.compare import ALL_SIDES, COMPARATIVE, comparing_sentence, comparison_sides
from retrieval.reviews.cues import asks_a_count, is_a_named_kind
from retrieval.reviews.cues import plain as spelled_out
from retrieval.reviews.intent import opinion_intent, prototype_margin, without_title
from retrieval.reviews.record_questions import record_question, site_score
from retrieval.reviews.records import (
    RecordAnswer,
    ReviewRecord,
    answer_records,
    rating_counts,
    review_records,
)
from retrieval.reviews.reviewer_names import names_reviewer
from retrieval.reviews.stance import Voice, order_voices, side, unrated_verdict
from retrieval.reviews.summary import ReviewSummary, summarise
from retrieval.reviews.terms import AspectTerms, Group
from retrieval.text import STOPWORDS, fold, stem, term_set, without_quotes
from retrieval.text import words as words_of

# Calibrated on tests/data/opinions.jsonl, opinions2.jsonl and opinions3.jsonl together (one
# threshold and one weight for every aspect and every film; README, "Reviews").
LEXICAL_WEIGHT = 0.75  # a sentence holding all of the aspect's terms
VERDICT_WEIGHT = 0.3  # for the film overall, how much a sentence's agreement with the verdict counts
AFTERWORD = 40  # characters of a following sentence short enough to join the quote
DISCUSS_THRESHOLD = 0.6  # best sentence score for a review to count as discussing the aspect


@dataclass(frozen=True, slots=True)
class Stance:
    """The reviews that discuss an aspect, each with its best sentence and side, best first."""

    aspect: str
    voices: tuple[Voice, ...]
    summary: ReviewSummary
    # Asked by its meaning alone (no opinion cue in its wording): the article's answer, when
    # the engine has one, is the fact it asked for ("is the camerawork shaky").
    by_meaning: bool = False


# What `pusherbot reviews` asks when no aspect is given: which sentence of each review best
# states its verdict (never shown; every figure and quote comes from the reviews).
OVERVIEW_QUESTION = "what did reviewers think of the film overall, is it worth watching?"


class ReviewDesk:
    """The review records and sentences of one loaded index, ready for record and stance answers."""

    def __init__(self, index: LoadedIndex, title_words: frozenset[str], abstain_message: str,
                 idf: Mapping[str, float], max_idf: float,
                 encode: Callable[[str], np.ndarray] | None = None,
                 max_chars: int = 400) -> None:
        self.index = index
        self.max_chars = max_chars  # a quote's longest (settings.quote_max_chars)
        # The query encoder, for an opinion question that names the film: its vector without
        # the name ("the ending of Film 2" → "the ending"), which otherwise draws every review
        # that names the film.
        self._encode = encode
        self.passages = index.passages
        self.records: tuple[ReviewRecord, ...] = review_records(index.passages)
        self.title_words = title_words
        self.abstain_message = abstain_message
        rec_of = {pid: n for n, r in enumerate(self.records) for pid in r.passages}
        # each review's whole record, header lines included: what record answers cite
        self._whole = {(p.doc, p.review_index): p for p in index.records}
        self._record_of = rec_of
        rows, spans = [], []
        for pid, n in sorted(rec_of.items()):
            p = index.passages[pid]
            first = int(index.sentence_offsets[pid])
            for j, (s, e) in enumerate(p.sentences):
                rows.append(int(index.passage_sentences[first + j]))
                spans.append((n, pid, s, e))
        self._spans = spans
        self._sentence_record = np.asarray([sp[0] for sp in spans], dtype=np.int64)
        # Each record's sentence rows (a review's passages are consecutive, but need not be).
        self._rows_of = [np.flatnonzero(self._sentence_record == n)
                         for n in range(len(self.records))]
        self._vectors = (np.ascontiguousarray(index.sentence_vectors[np.asarray(rows, dtype=np.int64)])
                         if rows else np.zeros((0, index.vectors.shape[1]), dtype=np.float32))
        self._texts = [index.passages[pid].text[s:e] for _n, pid, s, e in spans]
        self._titles = [term_set(r.title) for r in self.records]
        self._film_names = tuple(a for e in index.knowledge.entities if e.kind == "film"
                                 for a in e.aliases)
        self._series = Series(self._film_names)
        self._terms = AspectTerms(self._texts, index.bm25, idf, max_idf, index.knowledge,
                                  self._series)
        # the series' bare name: the words every title of the film shares, numbers aside
        # ("pusher" of "Pusher II" and "Pusher 2")
        shared = set.intersection(*(set(words_of(a)) for a in self._film_names)) \
            if self._film_names else set()
        self._series_words = sorted(w for w in shared if len(w) > 2 and not w.isdigit()
                                    and w not in STOPWORDS)
        self._cued: dict[str, np.ndarray] = {}  # the sentences each cue finds
        self.all_ratings = rating_counts(self.records)
        # How many reviews the pages' headers count ("44 Reviews"; a page shows fewer).
        totals = index.manifest.get("review_totals") or {}
        self.page_total: int | None = sum(totals.values()) if totals else None

    def answer(self, question: str, qvec: np.ndarray, timings: dict[str, float] | None = None
               ) -> Answer | Stance | None:
        """A record question's answer; an opinion question's stance (the engine's own answer
        then leads it, see `stance_answer`); None for any other question."""
        if not self.records:
            return None
        started = time.perf_counter()
        if len(_CODE.findall(question)) >= 2:
            return None  # "'; DROP TABLE reviews; --": code, not a question about the reviews
        if site_score(question):
            return None  # the article may state it (a reception section); the records cannot
        rq = record_question(question, self.records, self.title_words)
        out: Answer | Stance | None = None
        if rq is not None:
            out = self._record_answer(question, answer_records(rq, self.records, self.page_total),
                                      qvec)
        elif not asks_a_count(question) and not asks_one_reviewer(fold(question)) and not (
                names_reviewer(question, self.records)
                or is_a_named_kind(question, self.index.bm25.surface)):
            # "how many reviews does the page say it has" is a fact the records may not hold,
            # never a request for opinions; nor is which one reviewer said something ("which
            # reviewer said it ends on a high": the review that says it, by its author's
            # record), nor what one named reviewer says ("who does
            # jdoe think the dad looks like"), which that review answers
            # words the asker quotes are a mention, not their own: "who signed their review
            # 'some eye reviews'" asks no opinion
            why = opinion_intent(without_quotes(question),
                                 lambda: prototype_margin(qvec, self.index.intent_vectors),
                                 self._film_names)
            if why is not None:
                plain = without_title(question, self._film_names)
                if self._encode is not None and plain != fold(question):
                    qvec = self._encode(plain)
                out = replace(self.stance(question, qvec), by_meaning=why != "wording")
        if timings is not None and out is not None:
            timings["reviews"] = timings.get("reviews", 0.0) + time.perf_counter() - started
        return out

    @classmethod
    def for_index(cls, index: LoadedIndex) -> ReviewDesk:
        """A desk on an index alone (no engine, no encoder), for `pusherbot reviews`."""
        bm25 = index.bm25
        n = max(1, bm25.size)
        df = np.diff(bm25.weights.indptr)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        titles = [e for e in index.knowledge.entities if e.kind == "film"]
        return cls(index, film_words([a for e in titles for a in e.aliases]),
                   abstain_message(titles[0].name if titles else None),
                   {t: float(idf[c]) for t, c in bm25.vocab.items()},
                   float(idf.max()) if len(idf) else 1.0)

    # -- stance ----------------------------------------------------------------------------

    def overview(self, qvec: np.ndarray | None = None, aspect: str = "") -> Stance:
        """`pusherbot reviews`: every review's verdict on the film, or on `aspect` (whose
        vector is `qvec`). The film overall needs no vector (each review is then quoted by the
        sentence that states its verdict most clearly), so the command skips the model."""
        return self.stance(aspect or OVERVIEW_QUESTION, qvec, aspect=aspect)

    def stance(self, question: str, qvec: np.ndarray | None, aspect: str | None = None
               ) -> Stance:
        """Which reviews discuss the question's aspect (or `aspect`, when given), and how.

        The question's vector scores the sentences (its aspect's alone, or the better of
        both, were measured no better on tests/data/opinions.jsonl, for a second encoding)."""
        given = aspect is not None
        # whether to watch it, or what is wrong with it: reviews say so in a few words of their own
        cue = None if given else (RECOMMENDS if asks_worth(question, self.title_words) else
                                  FAULTS if asks_faults(question, self.title_words) else None)
        if aspect is None:
            aspect = ({RECOMMENDS: WORTH_ASPECT, FAULTS: FAULT_ASPECT}[cue] if cue is not None
                      else aspect_text(question, self.title_words))
        overall = not aspect
        if qvec is None:
            if not overall:
                raise ValueError("an aspect needs the question's vector")
            dense = np.zeros(len(self._texts), dtype=np.float32)
        else:
            dense = self._vectors @ qvec
        lexical = np.zeros(len(self._texts), dtype=np.float32)
        # Which way the question's comparison goes, if one way: "who thought it was worse than
        # the first" is answered by the reviews that say so, not by all that compare.
        sides = comparison_sides(question) if not overall else frozenset()
        if not overall and self._prefers_another_part(question, sides):
            sides = frozenset({"worse"})  # "who thought the first one was better": this is worse
        # "better or worse than the first": a comparison either of those ways; "does it beat
        # the first" asks whether it does, which every comparison answers one way or another,
        # while "who thought it was better" asks for those who say so
        direction = sides or None
        if (direction is not None and len(direction) == 1
                and not _ASKS_HOLDERS.search(spelled_out(question))):
            direction = ALL_SIDES
        # The aspect's own words (not the title or scaffolding between them), the comparison's
        # words aside when its direction decides; and the other parts the question names with
        # the title ("pusher 1"), whose words the title filter took out.
        said = aspect if given else " ".join(aspect_words(question, self.title_words))
        if direction is not None:
            said = COMPARATIVE.sub(" ", said)
        groups: list[Group] = []
        weight_of: dict[str, float] = {}
        if cue is not None:
            if cue.pattern not in self._cued:
                self._cued[cue.pattern] = np.fromiter((bool(cue.search(t)) for t in self._texts),
                                                      dtype=np.float32, count=len(self._texts))
            lexical = self._cued[cue.pattern]
        elif not overall:
            asked = aspect if given else question
            groups, weight_of = self._terms.groups(
                question, said, given=given, verdict=verdict_words(asked, self.title_words),
                alternatives=alternatives(asked, self.title_words))
        if groups:
            lexical = self._terms.lexical(groups, weight_of)
        scores = dense + LEXICAL_WEIGHT * lexical
        parts = self._terms.parts(groups, question)
        on_parts = named_parts = None
        if parts and direction is not None:
            # a sentence naming another part, or the series by its bare name ("I liked
            # Part, but this is even better"): the name alone is the first part
            series = [(w, frozenset({stem(w)})) for w in self._series_words]
            named_parts = self._terms.lexical(parts) > 0
            on_parts = named_parts | (self._terms.lexical(series) > 0 if series else False)
        voices = []
        for n, record in enumerate(self.records):
            mine = self._rows_of[n]
            if not len(mine):
                continue
            best = int(mine[np.argmax(scores[mine])])
            score = float(scores[best])
            title_hit = bool(groups) and all(stems & self._titles[n] for _w, stems in groups)
            if direction is not None:
                said_so = comparing_sentence(record, mine, scores, on_parts, direction, named_parts,
                                             texts=self._texts, series=self._series,
                                             threshold=DISCUSS_THRESHOLD)
                if said_so is None:
                    continue
                # the sentence that compares as asked is the voice, scored as itself; a review
                # whose title alone says so speaks after them (its quote does not compare)
                best, by_title = said_so
                score = float(dense[best] if by_title else scores[best])
            elif not overall and score < DISCUSS_THRESHOLD and not title_hit:
                continue
            if overall:
                # The film overall: the review's verdict is its rating (or, unrated, all its
                # words, title included), and its quote the on-topic sentence that says so.
                whole = (unrated_verdict(record.title, (self._texts[int(i)] for i in mine))
                         if record.rating is None else 0.0)
                verdict = side(record.rating, whole, overall=True)
                sign = {"positive": 1.0, "negative": -1.0}.get(verdict, 0.0)
                agree = [scores[int(i)] + VERDICT_WEIGHT * sign * sentiment.compound(self._texts[int(i)])
                         for i in mine]
                best = int(mine[int(np.argmax(agree))])
                if qvec is None:  # no question to be near: the clearest verdict leads
                    score = float(max(agree))
                c = sentiment.compound(self._texts[best])
                voice_side = verdict
            else:
                c = sentiment.compound(self._texts[best])
                voice_side = side(record.rating, c, overall=False)
            _n, pid, s, e = self._span(best)
            voices.append(Voice(n, pid, s, e, score, voice_side, c))
        # "better or worse than the first" leans neither way, whatever "worse" weighs
        negative_first = len(sides) < 2 and sentiment.compound(question) <= -sentiment.LEAN
        ordered = tuple(order_voices(voices, negative_first))
        return Stance(aspect, ordered, summarise(aspect, ordered, "negative" if negative_first else None,
                                                 self.records, self.all_ratings))

    def as_record(self, result: Result) -> Result:
        """A review's result cited by its whole record (header lines included: the rating,
        title, name and date), the quote unchanged; any other result as it is."""
        p = result.passage
        whole = self._whole.get((p.doc, p.review_index))
        quoted = p.text.find(result.quote) if whole is not None else -1
        if whole is None or quoted < 0 or span_within(
                whole, p, quoted, quoted + len(result.quote)) is None:
            return result
        return replace(result, passage=whole)

    def _prefers_another_part(self, question: str, sides: frozenset[str]) -> bool:
        """Whether the question's comparison prefers another part of the series to this film
        ("who thought the first one was better", "who liked the original more", "who
        preferred the first film"), so that the reviews finding this one worse answer it."""
        q = spelled_out(question)
        if not _ASKS_WHO.match(q):
            return False  # "do people prefer the first one": whether, which all comparisons tell
        if sides == {"better"} and (m := _BETTER_SAID.search(q)):
            subject = m.group(1)  # what is better: before "better", after no "than"
        elif not sides and (m := _PREFERRED.search(q)):
            subject = m.group(1)
        else:
            return False
        return any(self._series.part_stems(w) for w in words_of(subject)) or bool(
            self._series.other_parts(subject))

    def warm_up(self) -> None:
        """Build what the first aspect question would (the terms' sentence rows)."""
        self._terms.warm_up()

    def _span(self, row: int) -> tuple[int, int, int, int]:
        """(record, passage, start, end) of the quote for a sentence: the sentence, and the
        next one too when that is a short afterword completing it ("Slightly below average.")."""
        n, pid, s, e = self._spans[row]
        if row + 1 < len(self._spans):
            n2, pid2, s2, e2 = self._spans[row + 1]
            if pid2 == pid and e2 - s2 <= AFTERWORD:
                return n, pid, s, e2
        return n, pid, s, e

    def stance_answer(self, question: str, stance: Stance, lead: Answer | None = None) -> Answer:
        """A stance as an Answer: the summary line, then one quote per discussing review.

        `lead` is the ordinary answer to the question: when its best passage is a review that
        discusses the aspect, that review speaks first, in the quote the engine chose for it
        (the most on-point one). With no review discussing the aspect, `lead` is the answer."""
        voices = list(stance.voices)
        if not voices and lead is not None:
            return lead
        if (stance.by_meaning and lead is not None and lead.results
                and lead.results[0].passage.id not in self._record_of):
            # the engine's best passage is the article's, even when it holds back: a fact
            return lead
        # one sentence each, cut at a word if it is longer than a quote may be
        quotes = {v.record: cut_quote(self.passages[v.passage].text[v.start:v.end], self.max_chars)
                  for v in voices}
        passages = {v.record: v.passage for v in voices}
        top = lead.results[0] if lead is not None and lead.answered and lead.results else None
        if top is not None and stance.aspect and top.passage.id in self._record_of:
            # The engine's best passage is a review: it discusses the aspect, whatever its
            # sentences scored here, and it speaks first. (Of the film overall, each side
            # speaks in the order the question leans: "is it good" hears the praise first.)
            n = self._record_of[top.passage.id]
            first = next((v for v in voices if v.record == n), None)
            if first is None:
                c = sentiment.compound(top.quote)
                first = Voice(n, top.passage.id, 0, 0, float(top.score),
                              side(self.records[n].rating, c, overall=not stance.aspect), c)
            else:
                voices.remove(first)
            voices.insert(0, first)
            quotes[n], passages[n] = top.quote, top.passage.id
        results = tuple(
            Result(rank=r + 1, score=v.score, quote=quotes[v.record],
                   passage=self.passages[passages[v.record]])
            for r, v in enumerate(voices))
        summary = summarise(stance.aspect, tuple(voices), stance.summary.leaning, self.records,
                            self.all_ratings)
        stance = Stance(stance.aspect, tuple(voices), summary)
        answered = bool(results)
        analysis = {"type": "opinion", "aspect": stance.aspect or "the film overall",
                    "fields": [], "relation": [], "entities": [], "named": [], "resolved": [],
                    "hops": [], "notes": [stance.summary.line], "evidence": [],
                    "decision": ("a stance summary over the reviews that discuss the aspect"
                                 if answered else "no review discusses the aspect")}
        return Answer(question=question, answered=answered, results=results,
                      confidence=max((v.score for v in stance.voices), default=0.0),
                      message=None if answered else self.abstain_message, analysis=analysis,
                      summary=stance.summary.line if answered else None,
                      reviews=stance.summary if answered else None)

    # -- records ---------------------------------------------------------------------------

    def _record_answer(self, question: str, ra: RecordAnswer, qvec: np.ndarray) -> Answer:
        # Each review is cited by its sentence closest to the question ("I gave it 7/10
        # stars." for a question about its rating).
        sims = self._vectors @ qvec if ra.records else None
        index_of = {r.key: n for n, r in enumerate(self.records)}
        results: list[Result] = []
        for r in ra.records:
            mine = self._rows_of[index_of[r.key]]
            if sims is None or not len(mine):
                continue
            _n, pid, s, e = self._span(int(mine[np.argmax(sims[mine])]))
            p = self.passages[pid]
            # cited as the whole record: its header holds the rating, title, name and date
            # the answer rests on
            results.append(self.as_record(
                Result(rank=len(results) + 1, score=1.0, quote=p.text[s:e], passage=p)))
        analysis = {"type": "record", "record": ra.question.kind, "value": ra.question.value,
                    "fields": [], "relation": [], "entities": [], "named": [], "resolved": [],
                    "hops": [], "notes": [ra.line], "evidence": [],
                    "decision": "answered from the review records"}
        return Answer(question=question, answered=True, results=tuple(results), confidence=1.0,
                      analysis=analysis, summary=ra.line)


_ASKS_WHO = re.compile(r"^(?:so |and )?(?:who|which|how many|did anyone|did anybody|does anyone|"
                      r"anyone|anybody)\b")
# "the first one was better": what the comparison says is better, when it comes first
_BETTER_SAID = re.compile(r"^(?!.*\bthan\b)(.*?)\b(?:was|is|were|are|'s)? ?(?:better|superior)\b")
# "liked the original more", "preferred the first film": which the reviewer preferred
_PREFERRED = re.compile(r"\b(?:liked|likes|like|enjoyed|loved|preferred|prefers|prefer)\b"
                        r"((?: \w+){1,4}?)(?: (?:more|better|over (?:this|the (?:sequel|new))\b.*))?\W*$")
# The punctuation of code and markup, which questions typed in words rarely hold twice
_CODE = re.compile(r"[;{}<>=|*`\\]|--")
# "who thought…", "did anyone say…", "do people think…": the question asks for who holds a view
_ASKS_HOLDERS = re.compile(r"^(?:who|whom|which|how many)\b"
                           r"|\b(?:anyone|anybody|someone|somebody|people|reviewers?|critics|fans|"
                           r"viewers)\b")


def film_words(aliases: list[str]) -> frozenset[str]:
    """The folded words of the film's titles (they say nothing about an aspect)."""
    return frozenset(w for a in aliases for w in words_of(a))

